#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 runs on 3.8-3.10; this project pins 3.10).
# Looks on PATH first, then in pyenv. Exits 1 with advice when there is none.
set -u
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

for candidate in "${PYTHON:-}" python3.10 python3 python; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is_310 "$path"; then
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done

if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10\.[0-9]+$' | sort -t. -k3 -n -r); do
    path=$(PYENV_VERSION="$version" pyenv which python 2>/dev/null) || continue
    if is_310 "$path"; then echo "$path"; exit 0; fi
  done
fi

cat >&2 <<'MSG'
error: Python 3.10 was not found.
  Rasa 3.6 needs Python 3.8-3.10 and this project pins 3.10. Either
  - install it with pyenv:   pyenv install 3.10.13
  - or point to one:         make install PYTHON=/path/to/python3.10
MSG
exit 1
