"""The production profile for real (tests/support/production.py): the machine's PostgreSQL, Redis
and RabbitMQ, each test run in its own database, key prefix, exchange and queue."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pytest

from tests.support.processes import ServerProcess, start_together, stop_together
from tests.support.production import Production, production_profile


@pytest.fixture(scope="package")
def production(sqlite_sandbox) -> Iterator[Production]:
    with production_profile(sqlite_sandbox.url) as profile:
        yield profile


@dataclass
class Pair:
    """One action server and two `rasa run` instances behind it, sharing the profile's stores."""

    actions: ServerProcess
    a: ServerProcess
    b: ServerProcess


@pytest.fixture(scope="module")
def pair(production) -> Iterator[Pair]:
    """Two instances started once for the tests that need no instance of their own (each test
    talks in conversations of its own); a test that stops the action server starts it again."""
    actions = production.actions()
    a = production.rasa(actions.url)
    start_together(actions, a)
    b = production.rasa(actions.url).start(timeout=180)  # after a: not two creating the same tables at once
    yield Pair(actions, a, b)
    stop_together(b, a, actions)
