"""Proactive pushes: trigger_intent and the signed notify endpoint, to online and offline customers."""
import asyncio
import json
import time

import requests

from channels.webhooks import notify_signature
from channels.store import ChannelStore
from tests.channels.conftest import DANIEL, MAYA, NOTIFY_SECRET, VERIFIER, Tab, customer, texts
from tests.support.credentials import API_PARAMS


def trigger(rasa, conversation_id: str, intent: str = "greet") -> requests.Response:
    return requests.post(f"{rasa.url}/conversations/{conversation_id}/trigger_intent", params={"output_channel": "socket", **API_PARAMS},
                         json={"name": intent}, timeout=30)


def signed_notify(body: dict, secret: str = NOTIFY_SECRET, age: int = 0):
    """The body and headers of a notify request, signed as a backend signs it."""
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()) - age)
    return raw, {"X-Timestamp": timestamp, "X-Signature": notify_signature(secret, timestamp, raw), "Content-Type": "application/json"}


def notify(rasa, body: dict, secret: str = NOTIFY_SECRET, age: int = 0) -> requests.Response:
    raw, headers = signed_notify(body, secret, age)
    return requests.post(f"{rasa.url}/webhooks/socket/notify", data=raw, headers=headers, timeout=30)


def test_trigger_intent_reaches_every_open_tab(rasa):
    async def scenario():
        tabs = [await Tab(rasa.url, customer(MAYA)).open() for _ in range(2)]
        response = await asyncio.to_thread(trigger, rasa, VERIFIER.conversation_for(MAYA))
        assert response.status_code == 200
        for tab in tabs:
            await tab.wait_for(1)
            assert "travel assistant" in texts(tab.bot)
            await tab.close()

    asyncio.run(scenario())


def test_push_to_an_offline_customer_arrives_once_on_their_next_visit(rasa):
    async def scenario():
        conversation = VERIFIER.conversation_for(DANIEL)
        assert (await asyncio.to_thread(trigger, rasa, conversation, "ask_capabilities")).status_code == 200
        assert (await asyncio.to_thread(notify, rasa, {"customer_email": DANIEL, "intent": "greet"})).status_code == 202
        outbox = ChannelStore(rasa.env["CHANNEL_DATABASE_URL"])
        assert outbox.pending(conversation) == 2  # kept, durably, while Daniel is away
        tab = await Tab(rasa.url, customer(DANIEL)).open()
        await tab.wait_for(2)
        await asyncio.sleep(0.5)
        assert [("I can:" in m.get("text", ""), "travel assistant" in m.get("text", "")) for m in tab.bot] == [(True, False), (False, True)]
        assert outbox.pending(conversation) == 0
        await tab.close()
        again = await Tab(rasa.url, customer(DANIEL)).open()  # already delivered: not again
        await asyncio.sleep(1)
        assert again.bot == []
        await again.close()

    asyncio.run(scenario())


def test_notify_reaches_a_connected_customer(rasa):
    async def scenario():
        tab = await Tab(rasa.url, customer(MAYA)).open()
        response = await asyncio.to_thread(notify, rasa, {"customer_email": MAYA, "intent": "greet"})
        assert response.status_code == 202 and response.json()["delivered"] == "now"
        await tab.wait_for(1)
        assert "travel assistant" in texts(tab.bot)
        await tab.close()

    asyncio.run(scenario())


def test_notify_refuses_what_it_cannot_trust_or_use(rasa):
    good = {"customer_email": MAYA, "intent": "greet"}
    assert notify(rasa, good, secret="wrong-secret").status_code == 401
    assert notify(rasa, good, age=3600).status_code == 401
    unsigned = requests.post(f"{rasa.url}/webhooks/socket/notify", json=good, timeout=10)
    assert unsigned.status_code == 401
    assert notify(rasa, {"customer_email": MAYA, "intent": "launch_rockets"}).status_code == 400
    assert notify(rasa, {"conversation_id": "../../etc", "intent": "greet"}).status_code == 400
    assert notify(rasa, {"intent": "greet"}).status_code == 400
