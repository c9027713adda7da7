"""Reads Rasa's event stream from RabbitMQ and writes it into the analytics tables.

Rasa's Pika broker publishes every event to a fanout exchange (`rasa-exchange` unless configured)
bound to durable queues; this consumer reads one of them (`rasa_events` unless configured). A message is acknowledged only after its
rows are committed, so a crash or a database outage means redelivery, never loss; the event key
makes the redelivery harmless. A message that cannot be read goes to `<queue>.dead` with the
reason in its `x-error` header.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Optional

import aio_pika

from common.sql import create_tables, sql_engine

from . import schema
from .ingest import Unreadable, ingest, parse

log = logging.getLogger(__name__)

EXCHANGE = "rasa-exchange"  # Rasa's default
QUEUE = "rasa_events"


async def consume(amqp_url: str, database_url: str, queue: str = QUEUE, exchange_name: str = EXCHANGE,
                  stop: Optional[asyncio.Event] = None) -> None:
    """Runs until `stop` is set (or forever), reconnecting to RabbitMQ when it goes away."""
    engine = sql_engine(database_url)
    create_tables(engine, schema.metadata)
    connection = await aio_pika.connect_robust(amqp_url)
    try:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.FANOUT)
        events = await channel.declare_queue(queue, durable=True)
        await events.bind(exchange, "")
        dead = await channel.declare_queue(f"{queue}.dead", durable=True)

        one_at_a_time = asyncio.Lock()  # in delivery order: a slot event needs the action before it

        async def handle(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with one_at_a_time:
                await store(message)

        async def store(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            try:
                event = parse(message.body)
            except Unreadable as exc:
                log.warning("dead-lettering an unreadable message: %s", exc)
                await channel.default_exchange.publish(
                    aio_pika.Message(message.body, headers={"x-error": str(exc)}, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                    routing_key=dead.name)
                await message.ack()
                return
            try:
                await asyncio.to_thread(ingest, engine, event)
            except Exception:  # the database is away: leave the message in the queue and slow down
                log.exception("could not store an event; it stays in the queue")
                await asyncio.sleep(1)
                await message.nack(requeue=True)
                return
            await message.ack()

        tag = await events.consume(handle)
        log.info("analytics consumer reading %s into %s", queue, engine.url.render_as_string(hide_password=True))
        await (stop.wait() if stop else asyncio.Future())
        await events.cancel(tag)
    finally:
        await connection.close()
        engine.dispose()
