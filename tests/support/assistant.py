"""The assistant's processes for end-to-end tests: action server and `rasa run`, on free ports."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

import pytest
import requests

from tests.support.credentials import REST_HEADERS, SECRETS
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


# Tests are many customers talking from one address (127.0.0.1): the channel's limits per address
# would count them as one. tests/security sets these back to the defaults and uses its own addresses.
ONE_ADDRESS_MANY_CUSTOMERS = {"CHANNEL_ADDRESS_MESSAGES_PER_MINUTE": "100000", "CHANNEL_SOCKETS_PER_ADDRESS": "10000",
                              "CHANNEL_CONNECTS_PER_MINUTE": "100000"}


def action_endpoint(actions_url: str) -> str:
    """The endpoints file's action_endpoint, sending the action server's token as our profiles do."""
    return f'action_endpoint:\n  url: "{actions_url}/webhook"\n  headers:\n    Authorization: Bearer ${{ACTION_SERVER_TOKEN}}\n'


def action_server(sandbox_url: str, port: int = 0, **env: str) -> ServerProcess:
    """`python -m actions.server` on loopback, requiring this run's ACTION_SERVER_TOKEN."""
    port = port or free_port()
    args = [sys.executable, "-m", "actions.server", "--port", str(port)]
    return ServerProcess(args, port, "/health", {**SECRETS, **client_env(sandbox_url), **env})


def rasa_server(actions_url: str, port: int = 0, endpoints: Optional[Path] = None, **env: str) -> ServerProcess:
    """`rasa run` with our channels and this run's secrets; the HTTP API needs RASA_API_TOKEN.
    Without `endpoints`: in-memory stores and the given action server; with an endpoints file
    (endpoints.production.yml), ACTION_SERVER_URL is set for it."""
    if endpoints is None:
        endpoints = Path(tempfile.mkdtemp()) / "endpoints.yml"
        endpoints.write_text(action_endpoint(actions_url))
    env = {**SECRETS, **ONE_ADDRESS_MANY_CUSTOMERS, "ACTION_SERVER_URL": f"{actions_url}/webhook", **env}
    port = port or free_port()
    args = [RASA, "run", "--model", str(require_model()), "--port", str(port), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"), "--enable-api", f"--auth-token={env['RASA_API_TOKEN']}"]
    quiet = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "RASA_TELEMETRY_ENABLED": "false"}
    channel = {"CHANNEL_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/channel.db"}
    return ServerProcess(args, port, f"/status?token={env['RASA_API_TOKEN']}", {**os.environ, **quiet, **channel, **env})


class Chat:
    """A trusted server talking to `rasa run` through the REST channel (with this run's token) for
    one customer; keeps each turn's latency."""

    def __init__(self, url: str, sender: str, metadata=None) -> None:
        self.url, self.sender, self.metadata = url, sender, metadata
        self.latencies = []

    def say(self, text: str, timeout: float = 60) -> str:
        body = {"sender": self.sender, "message": text}
        if self.metadata:
            body["metadata"] = self.metadata
        started = time.perf_counter()
        reply = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, headers=REST_HEADERS, timeout=timeout)
        self.latencies.append(time.perf_counter() - started)
        reply.raise_for_status()
        return "\n".join(m.get("text") or "" for m in reply.json())
