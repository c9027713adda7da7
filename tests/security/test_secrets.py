"""No development secret anywhere: `make run` makes its own once per checkout, and the production
profile (scripts/run-prod.sh, docker-compose.yml) refuses to start while one is missing, short or
a known development value, naming each, before anything starts."""
from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import time
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from tests.support.processes import ROOT, free_port
from tests.support.services import unavailable

PRODUCTION = ["CHANNEL_JWT_SECRET", "CHANNEL_NOTIFY_SECRET", "TICKET_WEBHOOK_SECRET", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN",
              "REST_CHANNEL_TOKEN", "IDENTITY_PROOF_SECRET", "REVIEW_STAFF", "REVIEW_SECRET_KEY"]
LOCAL = [name for name in PRODUCTION if name != "REVIEW_STAFF"]


def good_secrets() -> Dict[str, str]:
    values = {name: secrets.token_urlsafe(32) for name in PRODUCTION}
    values["REVIEW_STAFF"] = f"staff:{secrets.token_urlsafe(32)}"
    return values


def run_prod(values: Dict[str, str]) -> subprocess.CompletedProcess:
    """scripts/run-prod.sh with only these secrets. PostgreSQL is pointed at a closed port, so were
    the check ever to pass, the next step would fail too instead of starting the stack."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PG_PORT": str(free_port()), **values}
    started = time.monotonic()
    done = subprocess.run(["bash", "scripts/run-prod.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20, "the secrets check must come before anything starts"
    return done


def test_run_prod_without_secrets_names_each_one_and_how_to_make_them():
    done = run_prod({})
    assert done.returncode == 2, done.stdout + done.stderr
    for name in PRODUCTION:
        assert f"{name}: not set" in done.stderr
    assert "secrets_env.py new" in done.stderr and "secrets.token_urlsafe(32)" in done.stderr
    assert "every configured store answered" not in done.stdout  # stopped before the store checks


@pytest.mark.parametrize("name, value, reason", [
    ("CHANNEL_JWT_SECRET", "dev-only-socket-channel-key-change-me-in-production", "development or placeholder"),
    ("TICKET_WEBHOOK_SECRET", "dev-only-ticket-webhook-secret", "development or placeholder"),
    ("REVIEW_STAFF", "staff:staff-dev-password", "development or placeholder"),
    ("RASA_API_TOKEN", "short-token", "shorter than 32 characters"),
    ("REVIEW_STAFF", f"staff:{'x' * 40},other:tiny", "the password of other: shorter than 32"),
    ("REST_CHANNEL_TOKEN", "please-change-me-" + "x" * 32, "development or placeholder"),
])
def test_run_prod_refuses_development_and_short_values(name, value, reason):
    done = run_prod({**good_secrets(), name: value})
    assert done.returncode == 2
    problems = [line.strip() for line in done.stderr.splitlines() if line.startswith("  ") and ": " in line and "=" not in line]
    assert len([p for p in problems if p.split(":")[0] in PRODUCTION]) == 1, done.stderr
    assert f"{name}: " in done.stderr and reason in done.stderr


def local_secrets(path: Path, **env: str) -> Dict[str, str]:
    """What run-local.sh exports after use_local_secrets (scripts/processes.sh) with this file."""
    script = 'source scripts/processes.sh && use_local_secrets "$1" && env'
    clean = {"PATH": os.environ["PATH"], **env}
    done = subprocess.run(["bash", "-c", script, "run-local", str(path)], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def test_make_run_makes_its_secrets_once_and_reuses_them(tmp_path):
    path = tmp_path / "var" / "secrets.env"
    first = local_secrets(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = path.read_text()
    for name in LOCAL:
        assert len(first[name]) >= 32 and f"{name}={first[name]}\n" in written
    assert first["SANDBOX_WEBHOOK_SECRET"] == first["TICKET_WEBHOOK_SECRET"]
    assert len({first[name] for name in LOCAL}) == len(LOCAL)  # each its own
    path.chmod(0o644)
    second = local_secrets(path)
    assert path.read_text() == written and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {name: second[name] for name in LOCAL} == {name: first[name] for name in LOCAL}
    # A value set in the environment wins over the file.
    assert local_secrets(path, RASA_API_TOKEN="from-the-environment-" + "y" * 20)["RASA_API_TOKEN"].startswith("from-the-environment-")


def test_no_development_secret_is_left_in_the_scripts_and_profiles():
    files = ["scripts/processes.sh", "scripts/run-local.sh", "scripts/run-prod.sh", "docker-compose.yml", "endpoints.yml",
             "endpoints.production.yml", "credentials.yml", "Dockerfile", "Makefile", "web/server.py", "review/__main__.py"]
    for name in files:
        text = (ROOT / name).read_text()
        for word in ("dev-only", "change-me", "staff-dev-password"):
            assert word not in text, f"{name} still has {word}"


def compose(env: Dict[str, str], *args: str) -> subprocess.CompletedProcess:
    if not shutil.which("docker-compose"):
        unavailable("docker-compose is needed to read docker-compose.yml: run `make compose-check`")
    return subprocess.run(["docker-compose", *args], cwd=ROOT, env={"PATH": os.environ["PATH"], **env},
                          capture_output=True, text=True, timeout=60)


def test_compose_refuses_to_start_without_each_secret():
    values = good_secrets()
    for name in PRODUCTION:
        done = compose({k: v for k, v in values.items() if k != name}, "config", "-q")
        assert done.returncode != 0 and f"set {name}" in done.stderr, (name, done.stderr)


def test_each_container_checks_the_secrets_it_is_given_before_starting():
    done = compose(good_secrets(), "config")
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    checked: List[str] = []
    for name, service in services.items():
        given = [key for key in (service.get("environment") or {}) if key in PRODUCTION]
        command = service.get("command") or ""
        command = command if isinstance(command, str) else " ".join(command)
        if given:
            check = command.split("&&")[0]
            assert "scripts/secrets_env.py check" in check and all(key in check.split() for key in given), (name, command)
            checked.append(name)
    assert {"rasa1", "rasa2", "actions", "site", "review"} <= set(checked)
    assert "--require-token" in services["actions"]["command"] and "--auth-token" in services["rasa1"]["command"]
    # Published: the proxy, the site and the review page; never Rasa, the action server or the stores.
    assert {name for name, service in services.items() if service.get("ports")} == {"proxy", "site", "review"}
