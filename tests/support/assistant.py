"""The assistant's processes for end-to-end tests: action server and `rasa run`, on free ports."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Dict

import pytest

from tests.support.processes import ROOT, ServerProcess, free_port
from tests.support.services import IN_CI

MODEL = ROOT / "models" / "current.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")


def require_model() -> Path:
    if not MODEL.exists():
        message = f"no trained model at {MODEL}: run `make train` (make test does it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return MODEL


def client_env(sandbox_url: str) -> Dict[str, str]:
    return {
        "HUBSPOT_BASE_URL": f"{sandbox_url}/hubspot",
        "ZENDESK_BASE_URL": f"{sandbox_url}/zendesk",
        "DUFFEL_BASE_URL": f"{sandbox_url}/duffel",
        "VENDOR_TIMEOUT_SECONDS": "5",
    }


def action_server(sandbox_url: str, port: int = 0) -> ServerProcess:
    port = port or free_port()
    args = [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
    return ServerProcess(args, port, "/health", client_env(sandbox_url))


def rasa_server(actions_url: str, port: int = 0, **env: str) -> ServerProcess:
    endpoints = Path(tempfile.mkdtemp()) / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "{actions_url}/webhook"\n')
    port = port or free_port()
    args = [RASA, "run", "--model", str(require_model()), "--port", str(port), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"), "--enable-api"]
    quiet = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "RASA_TELEMETRY_ENABLED": "false"}
    channel = {"CHANNEL_DATABASE_URL": f"sqlite:///{endpoints.parent / 'channel.db'}"}
    return ServerProcess(args, port, "/status", {**os.environ, **quiet, **channel, **env})
