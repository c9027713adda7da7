"""Creates the PostgreSQL databases named by the given URLs when they do not exist yet (SQLite URLs
are skipped: the file is made on first use).

    python scripts/create_databases.py postgresql://postgres@127.0.0.1:5432/travel_sandbox ...
"""
from __future__ import annotations

import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def main(urls) -> int:
    for raw in urls:
        url = make_url(raw)
        if url.get_backend_name() != "postgresql":
            continue
        engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}).first():
                    conn.execute(text(f'CREATE DATABASE "{url.database}"'))
                    print(f"created database {url.database}")
        except Exception as exc:  # say which URL, not a stack trace
            print(f"error: cannot create database {url.database} at {url.host}:{url.port}: {str(exc).splitlines()[0]}", file=sys.stderr)
            return 2
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
