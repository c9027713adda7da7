"""The site's activity reaches the analytics store through the event broker, beside Rasa's own
events: a signed-in customer's searches and page views become their interactions, which the
preference model learns from (real Rasa with the socket channel, RabbitMQ, the consumer, PostgreSQL)."""
from __future__ import annotations

import asyncio
import time

from sqlalchemy import create_engine, select

from analytics import schema
from tests.channels.conftest import MAYA, NOTIFY_SECRET, SECRET, Tab, customer

PATIENCE_SECONDS = 120  # the wait ends as soon as the rows are there; this only bounds a failure


def test_a_customers_searches_and_page_views_become_their_interactions(production):
    rasa = production.rasa("http://127.0.0.1:9", CHANNEL_JWT_SECRET=SECRET, CHANNEL_NOTIFY_SECRET=NOTIFY_SECRET).start(timeout=180)  # activity only: no action runs
    consumer = production.consumer()
    engine = create_engine(production.database_url)
    try:
        async def visit() -> str:
            tab = await Tab(rasa.url, customer(MAYA)).open()
            for activity in ({"type": "page_view", "page": "/"},
                             {"type": "search", "page": "/", "origin": "BOS", "destination": "LIS", "date": "2030-05-01", "results": 7},
                             {"type": "idle", "page": "/", "seconds": 40},
                             {"type": "page_view", "page": "/trips"}):
                assert (await tab.client.call("activity", activity, timeout=30))["accepted"]
            await tab.close()
            return tab.session["session_id"]

        conversation = asyncio.run(visit())
        table = schema.interactions
        rows = []
        deadline = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < deadline and len(rows) < 3:
            try:
                with engine.connect() as conn:
                    rows = conn.execute(select(table.c.kind, table.c.source, table.c.origin, table.c.destination, table.c.page)
                                        .where(table.c.conversation_id == conversation).order_by(table.c.at)).all()
            except Exception:  # the consumer has not created its tables yet
                rows = []
            time.sleep(0.2)
        assert [tuple(r) for r in rows] == [("page_view", "site", None, None, "/"), ("search", "site", "BOS", "LIS", None),
                                            ("page_view", "site", None, None, "/trips")]
    finally:
        engine.dispose()
        consumer.terminate()
        consumer.wait(timeout=10)
        rasa.stop()
