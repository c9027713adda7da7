"""Two `rasa run` processes behind one address share Redis and PostgreSQL: a push that arrives at
instance B reaches a customer connected to instance A, now or on their next visit."""
import asyncio

import pytest
import requests

from channels.store import ChannelStore
from tests.channels.conftest import NOTIFY_SECRET, SECRET, VERIFIER, Tab, customer, texts
from tests.channels.test_push import notify, signed_notify, trigger
from tests.support.assistant import rasa_server
from tests.support.processes import stop_together
from tests.support.services import postgres_database, require_redis

LUCIA = "lucia.fernandez@example.com"
TOM = "tom.becker@example.com"


@pytest.fixture(scope="module")
def instances(actions):
    redis_url = require_redis()
    with postgres_database() as database_url:
        shared = {"CHANNEL_JWT_SECRET": SECRET, "CHANNEL_NOTIFY_SECRET": NOTIFY_SECRET, "REDIS_URL": redis_url,
                  "CHANNEL_DATABASE_URL": database_url}
        a = rasa_server(actions.url, **shared).start(timeout=180)
        b = rasa_server(actions.url, **shared).start(timeout=180)
        yield a, b
        stop_together(a, b)


def test_push_through_b_reaches_a_client_on_a(instances):
    a, b = instances

    async def scenario():
        tab = await Tab(a.url, customer(LUCIA)).open()
        assert (await asyncio.to_thread(trigger, b, VERIFIER.conversation_for(LUCIA))).status_code == 200
        await tab.wait_for(1)
        assert "travel assistant" in texts(tab.bot)
        response = await asyncio.to_thread(notify, b, {"customer_email": LUCIA, "intent": "ask_capabilities"})
        assert response.json()["delivered"] == "now"
        await tab.wait_for(2)
        assert "I can:" in texts(tab.bot)
        await tab.close()

    asyncio.run(scenario())


def test_offline_push_through_b_is_delivered_on_a_once(instances):
    a, b = instances

    async def scenario():
        response = await asyncio.to_thread(notify, b, {"customer_email": TOM, "intent": "greet"})
        assert response.json()["delivered"] == "on next visit"
        first = await Tab(a.url, customer(TOM)).open()
        await first.wait_for(1)
        outbox = ChannelStore(a.env["CHANNEL_DATABASE_URL"])
        for _ in range(100):  # until the first tab's acknowledgement is in
            if not outbox.pending(VERIFIER.conversation_for(TOM)):
                break
            await asyncio.sleep(0.1)
        second = await Tab(b.url, customer(TOM)).open()  # a second tab, on the other instance
        await asyncio.sleep(1.5)
        assert len(first.bot) == 1 and "travel assistant" in texts(first.bot)
        assert second.bot == []  # handed over once; the later tab finds it in the history instead
        history = await second.client.call("history_request", {}, timeout=10)
        assert "travel assistant" in history[-1]["text"]
        await first.close()
        await second.close()

    asyncio.run(scenario())


def test_a_signed_notify_replayed_on_the_other_instance_is_refused(instances):
    a, b = instances
    body = {"customer_email": TOM, "intent": "greet"}
    raw, headers = signed_notify(body)
    first = requests.post(f"{a.url}/webhooks/socket/notify", data=raw, headers=headers, timeout=30)
    replayed = [requests.post(f"{url}/webhooks/socket/notify", data=raw, headers=headers, timeout=30) for url in (b.url, a.url)]
    assert first.status_code == 202
    assert [r.status_code for r in replayed] == [409, 409] and "already used" in replayed[0].json()["error"]
