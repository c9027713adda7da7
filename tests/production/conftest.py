"""The production profile for real (tests/support/production.py): the machine's PostgreSQL, Redis
and RabbitMQ, each test run in its own database, key prefix, exchange and queue."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.support.production import Production, production_profile


@pytest.fixture(scope="package")
def production(sqlite_sandbox) -> Iterator[Production]:
    with production_profile(sqlite_sandbox.url) as profile:
        yield profile
