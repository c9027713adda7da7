"""`python -m analytics`: runs the consumer. RABBITMQ_URL, RABBITMQ_EXCHANGE, RABBITMQ_QUEUE and
ANALYTICS_DATABASE_URL configure it."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os

from .consumer import EXCHANGE, QUEUE, consume


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--amqp", default=os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/"))
    parser.add_argument("--database", default=os.environ.get("ANALYTICS_DATABASE_URL", "sqlite:///var/analytics.db"))
    parser.add_argument("--exchange", default=os.environ.get("RABBITMQ_EXCHANGE", EXCHANGE))
    parser.add_argument("--queue", default=os.environ.get("RABBITMQ_QUEUE", QUEUE))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(consume(args.amqp, args.database, args.queue, args.exchange))


if __name__ == "__main__":
    main()
