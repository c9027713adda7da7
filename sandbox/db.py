"""Engine and sessions. SQLite by default; PostgreSQL (or any SQLAlchemy URL) through DATABASE_URL."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True, pool_size=10, max_overflow=10)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, future=True, connect_args={"check_same_thread": False, "timeout": 30}
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # Take the write lock up front: two deferred transactions that both upgrade to writers
        # would otherwise fail with "database is locked" instead of waiting their turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(engine: Engine) -> None:
    from . import models  # noqa: F401  (registers the tables)

    Base.metadata.create_all(engine)
    if engine.dialect.name == "sqlite":
        # Zendesk ticket numbers in the thousands, as in a real help desk (PostgreSQL: Identity).
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'tickets', 1000 "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'tickets')"
            )


def drop_schema(engine: Engine) -> None:
    from . import models  # noqa: F401

    Base.metadata.drop_all(engine)


class Database:
    """One engine and its session factory for the life of the process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(bind=self.engine, future=True, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()
