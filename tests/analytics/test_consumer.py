"""The consumer against the machine's RabbitMQ and PostgreSQL: events in, rows out, a poison
message to the dead-letter queue, a redelivered event written once."""
import asyncio
import json
import time
import uuid

import aio_pika
from sqlalchemy import func, select

from analytics import schema
from analytics.consumer import consume
from common.sql import sql_engine
from tests.analytics.test_ingest import conversation
from tests.support.services import postgres_database, require_rabbitmq

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
PATIENCE_SECONDS = 60  # each wait below ends as soon as its condition holds; this only bounds a failure


def test_consumer_stores_events_once_and_dead_letters_what_it_cannot_read():
    require_rabbitmq()
    run = uuid.uuid4().hex[:8]
    exchange_name, queue = f"test-{run}", f"test-{run}-events"
    events = conversation(7)

    async def scenario(url: str) -> None:
        stop = asyncio.Event()
        worker = asyncio.create_task(consume(AMQP_URL, url, queue, exchange_name, stop))
        connection = await aio_pika.connect(AMQP_URL)
        channel = await connection.channel()
        deadline = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < deadline:  # the consumer declares the exchange and the queue
            try:
                exchange = await channel.get_exchange(exchange_name)
                break
            except aio_pika.exceptions.ChannelNotFoundEntity:
                channel = await connection.channel()
                await asyncio.sleep(0.1)
        for event in events + events[:5]:  # the first five delivered twice
            await exchange.publish(aio_pika.Message(json.dumps(event).encode()), "")
        await exchange.publish(aio_pika.Message(b"{broken"), "")
        engine = sql_engine(url)
        deadline = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(schema.processed_events)).scalar_one()
            if stored == len(events):
                break
            await asyncio.sleep(0.05)
        assert stored == len(events)
        dead = await channel.declare_queue(f"{queue}.dead", durable=True)
        message = None
        deadline = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < deadline:
            message = await dead.get(fail=False)
            if message:
                break
            await asyncio.sleep(0.05)
        assert message is not None and message.body == b"{broken" and "not JSON" in message.headers["x-error"]
        await message.ack()
        stop.set()
        await worker
        await channel.queue_delete(queue)
        await channel.queue_delete(f"{queue}.dead")
        await channel.exchange_delete(exchange_name)
        await connection.close()
        engine.dispose()

    with postgres_database() as url:
        asyncio.run(scenario(url))
