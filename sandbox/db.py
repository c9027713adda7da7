"""Engine and sessions. SQLite by default; PostgreSQL (or any SQLAlchemy URL) through DATABASE_URL."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from common.sql import sql_engine

Base = declarative_base()


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
        self.engine = sql_engine(url)
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
