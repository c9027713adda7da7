"""Access to the machine's PostgreSQL, Redis and RabbitMQ for tests.

Outside CI a test whose service is absent is skipped with the reason; with CI=true it fails, so a
green CI run always means the test really ran.
"""
from __future__ import annotations

import os
import socket
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: services must be present, so this is a failure, not a skip)")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test session; dropped afterwards."""
    admin = make_url(POSTGRES_ADMIN_URL)
    if not port_open(admin.host or "127.0.0.1", admin.port or 5432):
        unavailable(f"PostgreSQL is not reachable at {admin.host}:{admin.port}")
    name = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # wrong credentials, no permission: say which setting to fix
        engine.dispose()
        unavailable(f"cannot create a PostgreSQL database with TEST_POSTGRES_URL={POSTGRES_ADMIN_URL}: {exc}")
    try:
        yield str(admin.set(database=name))
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def require_redis(url: str = "redis://127.0.0.1:6379/0") -> str:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if not port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        unavailable(f"Redis is not reachable at {parsed.hostname}:{parsed.port}")
    return url


def require_rabbitmq(host: str = "127.0.0.1", port: int = 5672) -> None:
    if not port_open(host, port):
        unavailable(f"RabbitMQ is not reachable at {host}:{port}")
