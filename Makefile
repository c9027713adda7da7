# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

SANDBOX_HOST ?= 127.0.0.1
SANDBOX_PORT ?= 8010
export SANDBOX_HOST SANDBOX_PORT

.PHONY: install lock run sandbox seed test clean

install: $(STAMP)

# Re-runs only when the dependency files change, so a second `make install` takes well under a second.
$(STAMP): requirements.in constraints.txt scripts/find-python.sh
	@if [ ! -x $(PY) ]; then \
	  python_path=$$(scripts/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$python_path"; \
	  "$$python_path" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.in -c constraints.txt
	@touch $(STAMP)

# Re-pins every package after requirements.in changed. Commit the new constraints.txt.
lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.in
	$(PY) -m pip freeze --exclude-editable | sort -f > constraints.txt
	@touch $(STAMP)

seed: install
	$(PY) -m sandbox seed

sandbox: install
	$(PY) -m sandbox serve --host $(SANDBOX_HOST) --port $(SANDBOX_PORT)

run: install
	$(PY) -m sandbox seed --if-empty
	@echo "The assistant (Rasa, action server, channel) is not built yet: only the sandbox starts."
	$(PY) -m sandbox serve --host $(SANDBOX_HOST) --port $(SANDBOX_PORT)

test: install
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache
