"""The demo's customer histories into the analytics store, through the stream's own path.

    python scripts/seed_analytics.py [--customers 400] [--database URL]
    python scripts/seed_analytics.py --amqp amqp://guest:guest@127.0.0.1:5672/ [--exchange rasa-exchange]

Seeds a throwaway SQLite sandbox (the generator of `make seed`, more customers, a fixed anchor day
so the numbers repeat), turns its customers' bookings, tickets and browsing into the events Rasa
and the socket channel publish (sandbox/stream.py), and either stores each one with the analytics
consumer's own code (analytics/ingest.py, in one transaction; the embedded profile, which has no broker; the default store is the
consumer's, sqlite:///var/analytics.db) or publishes them to the broker's exchange for a running
consumer (`python -m analytics`) to store. Events have fixed keys, so seeding twice stores nothing
twice. Only the demo runs this: a production store fills from real conversations and site visits.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from analytics import schema  # noqa: E402
from analytics.consumer import EXCHANGE  # noqa: E402
from analytics.ingest import ingest_batch  # noqa: E402
from common.sql import create_tables, sql_engine  # noqa: E402
from sandbox.db import Database  # noqa: E402
from sandbox.seed import seed  # noqa: E402
from sandbox.stream import seeded_events  # noqa: E402

ANCHOR = date(2026, 6, 1)
DEFAULT_DATABASE = "sqlite:///var/analytics.db"


def conversation_for(email: str) -> str:
    """A stable conversation id per demo customer, shaped like the channel's (which keys its hash
    with the channel's secret, so a live conversation of the same customer is another id)."""
    return "c-" + hashlib.sha256(email.encode()).hexdigest()[:32]


def demo_events(customers: int) -> List[Dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/seed.db")
        seed(db, customers=customers, today=ANCHOR)
        events = list(seeded_events(db, conversation_for, ANCHOR))
        db.engine.dispose()
    return events


def store(events: List[Dict[str, Any]], database_url: str) -> int:
    engine = sql_engine(database_url)
    create_tables(engine, schema.metadata)
    try:
        return ingest_batch(engine, events)
    finally:
        engine.dispose()


async def publish(events: List[Dict[str, Any]], amqp_url: str, exchange_name: str) -> None:
    import aio_pika

    connection = await aio_pika.connect_robust(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.FANOUT)
        for event in events:
            await exchange.publish(aio_pika.Message(json.dumps(event).encode(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT), "")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=400)
    parser.add_argument("--database", default=os.environ.get("ANALYTICS_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--amqp", help="publish to this broker instead of storing directly")
    parser.add_argument("--exchange", default=os.environ.get("RABBITMQ_EXCHANGE", EXCHANGE))
    args = parser.parse_args()
    started = time.monotonic()
    events = demo_events(args.customers)
    if args.amqp:
        asyncio.run(publish(events, args.amqp, args.exchange))
        print(f"published {len(events)} demo events to {args.exchange} in {time.monotonic() - started:.1f} s")
    else:
        stored = store(events, args.database)
        print(f"stored {stored} new of {len(events)} demo events in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
