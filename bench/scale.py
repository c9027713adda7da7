"""The same closed-loop load against one and against two of our Rasa instances sharing a
PostgreSQL tracker store and the Redis lock store (the machine's services)."""
from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any, Callable, Dict

from sqlalchemy.engine import make_url

from bench.load import Results, closed_loop
from tests.support.assistant import action_endpoint
from tests.support.services import postgres_database

CUSTOMERS = 20


def one_and_two_instances(actions_url: str, folder: Path, start_rasa: Callable, seconds: float) -> Dict[str, Any]:
    with postgres_database() as url:
        db = make_url(url)
        endpoints = folder / "scale-endpoints.yml"
        endpoints.write_text(
            action_endpoint(actions_url) +
            f"tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: {db.host}\n  port: {db.port or 5432}\n  db: {db.database}\n"
            f"  username: {db.username}\n"
            f"lock_store:\n  type: stores.lock_store.AtomicRedisLockStore\n  url: 127.0.0.1\n  port: 6379\n  db: 0\n"
            f"  key_prefix: bench{uuid.uuid4().hex[:8]}\n")
        env = {"REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNEL_DATABASE_URL": url}
        first, _ = start_rasa("ours-a", actions_url, folder, env, endpoints)
        second = None
        try:
            one = asyncio.run(closed_loop(first.url, CUSTOMERS, seconds))
            second, _ = start_rasa("ours-b", actions_url, folder, env, endpoints)

            async def both() -> Results:
                a, b = await asyncio.gather(closed_loop(first.url, CUSTOMERS // 2, seconds, seed=1),
                                            closed_loop(second.url, CUSTOMERS // 2, seconds, seed=2))
                return Results(a.samples + b.samples, a.errors + b.errors)

            two = asyncio.run(both())
        finally:
            first.stop()
            if second:
                second.stop()
    rates = {n: len(r.answered) / seconds for n, r in (("one instance", one), ("two instances", two))}
    return {"customers": CUSTOMERS, **rates, "ratio": rates["two instances"] / rates["one instance"],
            "unanswered": one.unanswered + two.unanswered, "errors": one.errors + two.errors}
