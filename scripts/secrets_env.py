"""The secrets every profile needs: made at random, kept per checkout for `make run`, and checked
before the production profile starts.

    python scripts/secrets_env.py new                  # a fresh set, NAME=value lines, for production
    python scripts/secrets_env.py local var/secrets.env  # make run: made once (mode 600), then reused
    python scripts/secrets_env.py check NAME...        # exit 2 naming each one missing or unsafe

There are no development defaults anywhere: a value someone could have read in this repository
(or a placeholder, or one too short to resist guessing) is refused as if it were missing.
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Dict, List, Optional

MIN_LENGTH = 32
# One random value each; SANDBOX_WEBHOOK_SECRET is TICKET_WEBHOOK_SECRET (the scripts set it).
RANDOM = ("CHANNEL_JWT_SECRET", "CHANNEL_NOTIFY_SECRET", "TICKET_WEBHOOK_SECRET", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN",
          "REST_CHANNEL_TOKEN", "IDENTITY_PROOF_SECRET", "REVIEW_SECRET_KEY")
STAFF = "REVIEW_STAFF"  # name:password,... ; every password is checked as a secret
# Values that were once defaults here, and words that mark a placeholder.
KNOWN = {"dev-only-socket-channel-key-change-me-in-production", "dev-only-notify-secret-change-me-in-production",
         "dev-only-ticket-webhook-secret", "staff-dev-password", "sandbox-webhook-secret", "sandbox-admin", "check"}
PLACEHOLDER_WORDS = ("dev-only", "change-me", "changeme", "placeholder", "dev-password", "example")
HOW = """Make a fresh set once (var/ is out of git; only you may read the file) and export it before `make run-prod`:
  (umask 077; mkdir -p var; python scripts/secrets_env.py new > var/prod-secrets.env)
  set -a; . var/prod-secrets.env; set +a
or one value at a time: python -c "import secrets; print(secrets.token_urlsafe(32))"
(docker-compose.yml reads the same variables.)"""


def new_secrets() -> Dict[str, str]:
    values = {name: secrets.token_urlsafe(MIN_LENGTH) for name in RANDOM}
    values[STAFF] = f"staff:{secrets.token_urlsafe(MIN_LENGTH)}"
    return values


def unsafe(value: str) -> Optional[str]:
    """Why `value` is not a secret, or None."""
    if value in KNOWN or any(word in value.lower() for word in PLACEHOLDER_WORDS):
        return "a development or placeholder value"
    if len(value) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    return None


def problem(name: str, value: Optional[str]) -> Optional[str]:
    if not value:
        return "not set"
    if name != STAFF:
        return unsafe(value)
    for account in value.split(","):
        user, _, password = account.partition(":")
        reason = unsafe(password) if user.strip() and password else "not name:password,..."
        if reason:
            return f"the password of {user.strip() or '?'}: {reason}" if password else reason
    return None


def problems(names: List[str], env: Dict[str, str]) -> List[str]:
    return [f"{name}: {reason}" for name in names if (reason := problem(name, env.get(name)))]


def local(path: Path) -> None:
    """Writes a fresh set to `path` unless it exists; either way only its owner may read it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write("".join(f"{name}={value}\n" for name, value in new_secrets().items()))
        print(f"made new secrets for this checkout in {path}", file=sys.stderr)
    path.chmod(0o600)


def main(argv: List[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if command == "new" and not args:
        print("".join(f"{name}={value}\n" for name, value in new_secrets().items()), end="")
        return 0
    if command == "local" and len(args) == 1:
        local(Path(args[0]))
        return 0
    if command == "check" and args:
        found = problems(args, dict(os.environ))
        if found:
            print("error: refusing to start without real secrets:\n" + "".join(f"  {line}\n" for line in found) + HOW, file=sys.stderr)
            return 2
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
