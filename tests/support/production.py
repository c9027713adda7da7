"""The production profile for tests: endpoints.production.yml with the machine's PostgreSQL
(tracker store, channel, analytics), Redis (lock store, socket.io queue) and RabbitMQ (event
broker), each test run in its own database, key prefix, exchange and queue, removed afterwards."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Dict, Iterator

import aio_pika
from sqlalchemy.engine import make_url

from tests.support.assistant import action_server, rasa_server
from tests.support.processes import ROOT, ServerProcess
from tests.support.services import postgres_database, require_rabbitmq, require_redis

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


@dataclass
class Production:
    env: Dict[str, str]
    database_url: str
    sandbox_url: str

    def actions(self, port: int = 0) -> ServerProcess:
        return action_server(self.sandbox_url, port)

    def rasa(self, actions_url: str, port: int = 0, **env: str) -> ServerProcess:
        return rasa_server(actions_url, port, endpoints=ROOT / "endpoints.production.yml", **{**self.env, **env})

    def consumer(self) -> subprocess.Popen:
        """The analytics consumer (python -m analytics), writing into this run's database."""
        env = {**os.environ, **self.env, "RABBITMQ_URL": AMQP_URL, "ANALYTICS_DATABASE_URL": self.database_url}
        return subprocess.Popen([sys.executable, "-m", "analytics"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _remove_broker_objects(exchange: str, queues) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    channel = await connection.channel()
    for queue in queues:
        await channel.queue_delete(queue)
    await channel.exchange_delete(exchange)
    await connection.close()


@contextmanager
def production_profile(sandbox_url: str) -> Iterator[Production]:
    require_redis()
    require_rabbitmq()
    run = uuid.uuid4().hex[:10]
    with postgres_database() as url:
        db = make_url(url)
        env = {
            "TRACKER_DB_HOST": db.host or "127.0.0.1", "TRACKER_DB_PORT": str(db.port or 5432), "TRACKER_DB_NAME": db.database,
            "TRACKER_DB_USER": db.username or "postgres", "TRACKER_DB_PASSWORD": db.password or "",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "LOCK_STORE_DB": "0", "LOCK_STORE_PREFIX": f"t{run}",
            "RABBITMQ_HOST": "127.0.0.1", "RABBITMQ_PORT": "5672", "RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "guest",
            "RABBITMQ_EXCHANGE": f"test-{run}", "RABBITMQ_QUEUE": f"test-{run}-events",
            "REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNEL_DATABASE_URL": url,
            # A burst queued in one conversation waits longer than Rasa's default 60 s ticket life.
            "TICKET_LOCK_LIFETIME": "300",
        }
        yield Production(env, url, sandbox_url)
        asyncio.run(_remove_broker_objects(env["RABBITMQ_EXCHANGE"], [env["RABBITMQ_QUEUE"], env["RABBITMQ_QUEUE"] + ".dead"]))
