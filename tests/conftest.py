"""Fixtures shared by every test: the sandbox running as a real process on SQLite and on
PostgreSQL, and clients pointed at it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from actions.clients import CrmClient, FlightsClient, TicketingClient
from actions.clients.http import RetryPolicy
from sandbox.config import Settings
from sandbox.db import Database
from sandbox.seed import seed
from tests.support.assistant import action_server, rasa_server
from tests.support.processes import ServerProcess, sandbox_process
from tests.support.services import postgres_database

FAST_RETRY = RetryPolicy(attempts=3, backoff_seconds=0.05, max_wait_seconds=3)
# The socket channel's secrets for the session's `rasa` (tests/channels sign their customers with them).
SECRET = "test-channel-secret-of-at-least-32-bytes"
NOTIFY_SECRET = "test-notify-secret-of-at-least-32-bytes"
DEFAULTS = Settings.from_env()


@dataclass
class Sandbox:
    """A running sandbox, its database (for checking what changed) and clients for it."""

    server: ServerProcess
    db: Database

    @property
    def url(self) -> str:
        return self.server.url

    def crm(self, **kwargs) -> CrmClient:
        return CrmClient(f"{self.url}/hubspot", DEFAULTS.hubspot_token, retry=kwargs.pop("retry", FAST_RETRY), **kwargs)

    def ticketing(self, **kwargs) -> TicketingClient:
        return TicketingClient(
            f"{self.url}/zendesk", DEFAULTS.zendesk_email, DEFAULTS.zendesk_token, retry=kwargs.pop("retry", FAST_RETRY), **kwargs
        )

    def flights(self, **kwargs) -> FlightsClient:
        return FlightsClient(f"{self.url}/duffel", DEFAULTS.duffel_token, retry=kwargs.pop("retry", FAST_RETRY), **kwargs)


def start_sandbox(database_url: str, **env: str) -> Sandbox:
    db = Database(database_url)
    seed(db)
    return Sandbox(sandbox_process(database_url, **env).start(), db)


@pytest.fixture(scope="session")
def sqlite_sandbox(tmp_path_factory) -> Iterator[Sandbox]:
    """The seeded sandbox on SQLite, for tests that are about our code rather than the database."""
    running = start_sandbox(f"sqlite:///{tmp_path_factory.mktemp('sandbox') / 'sandbox.db'}")
    yield running
    running.server.stop()
    running.db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def sandbox(request) -> Iterator[Sandbox]:
    """The seeded sandbox, once on SQLite and once on PostgreSQL: tests using it run on both."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_sandbox")
        return
    with postgres_database() as url:
        running = start_sandbox(url)
        yield running
        running.server.stop()
        running.db.engine.dispose()


@pytest.fixture(scope="module")
def make_sandbox(tmp_path_factory):
    """Starts extra SQLite sandboxes with special settings (rate limits, offer lifetime, webhooks)."""
    started = []

    def make(**env: str) -> Sandbox:
        path: Path = tmp_path_factory.mktemp("sandbox-special") / "sandbox.db"
        running = start_sandbox(f"sqlite:///{path}", **env)
        started.append(running)
        return running

    yield make
    for running in started:
        running.server.stop()
        running.db.engine.dispose()


@pytest.fixture(scope="session")
def actions(sqlite_sandbox) -> Iterator[ServerProcess]:
    """The action server on the SQLite sandbox, behind the session's `rasa`."""
    server = action_server(sqlite_sandbox.url).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa(actions) -> Iterator[ServerProcess]:
    """One `rasa run` with the development profile (in-memory stores) and our channels, shared by
    the tests that need no settings of their own (tests/channels, tests/test_assistant_e2e.py):
    each talks in conversations of its own. A test that stops `actions` starts it again."""
    server = rasa_server(actions.url, CHANNEL_JWT_SECRET=SECRET, CHANNEL_NOTIFY_SECRET=NOTIFY_SECRET).start(timeout=180)
    yield server
    server.stop()
