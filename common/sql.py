"""SQLAlchemy engines: SQLite for the embedded profile, PostgreSQL (or any URL) in production."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Engine, make_url


def sql_engine(url: str) -> Engine:
    """An engine for `url`. On SQLite, transactions take the write lock when they begin: two
    deferred transactions that both upgrade to writers would otherwise fail with "database is
    locked" instead of waiting their turn (up to 30 s)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True, pool_size=10, max_overflow=10)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy, not pysqlite, begin transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_tables(engine: Engine, metadata: MetaData) -> None:
    """create_all that several processes can run at once: on PostgreSQL two replicas starting
    together would otherwise both create a table and one fails (a unique violation in pg_type)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7205021)"))
        metadata.create_all(conn)
