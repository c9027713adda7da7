"""Delivery on the socket: pushes made while the customer was away are shown once (the same id
live, from the outbox and in history), a push to a connection that never acknowledges is kept
for the next visit, a signed push is accepted once, stock widgets get Rasa's shapes, and a normal
close is not logged as an error."""
import asyncio
import json
import time
from pathlib import Path

import requests

from channels.store import ChannelStore
from channels.webhooks import notify_signature
from tests.channels.conftest import texts
from tests.security.socket_clients import VERIFIER, close, customer, tab_from
from tests.support.credentials import SECRETS

STOCK_SHAPES = ({"text"}, {"text", "quick_replies"}, {"attachment"})


def notify(rasa, body: dict, raw_headers=None) -> requests.Response:
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    headers = raw_headers or {"X-Timestamp": stamp, "X-Signature": notify_signature(SECRETS["CHANNEL_NOTIFY_SECRET"], stamp, raw)}
    return requests.post(f"{rasa.url}/webhooks/socket/notify", data=raw, headers=headers, timeout=30)


async def until(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def test_pushes_made_while_away_have_one_id_live_and_in_history(assistant):
    rasa, _ = assistant
    email = "away.customer@example.com"
    outbox = ChannelStore(rasa.env["CHANNEL_DATABASE_URL"])
    conversation = VERIFIER.conversation_for(email)

    async def scenario():
        for intent in ("greet", "ask_capabilities"):
            assert (await asyncio.to_thread(notify, rasa, {"customer_email": email, "intent": intent})).json()["delivered"] == "on next visit"
        first_view = await tab_from("127.0.0.20", rasa.url, customer(email)).open()
        await first_view.wait_for(2)
        history = await first_view.client.call("history_request", {}, timeout=10)
        live_ids = [m["id"] for m in first_view.bot]
        history_ids = [h["id"] for h in history if h["sender"] == "bot"]
        assert len(set(live_ids)) == len(live_ids) == 2 and set(live_ids) <= set(history_ids)
        await until(lambda: outbox.pending(conversation) == 0)  # acknowledged
        assert outbox.pending(conversation) == 0
        await close(first_view)
        reload = await tab_from("127.0.0.20", rasa.url, customer(email)).open()
        again = await reload.client.call("history_request", {}, timeout=10)
        await asyncio.sleep(0.5)
        assert reload.bot == [] and [h["id"] for h in again if h["sender"] == "bot"] == history_ids
        await close(reload)

    asyncio.run(scenario())


def test_a_push_to_a_connection_that_never_acknowledges_is_kept(assistant):
    rasa, _ = assistant
    email = "dead.connection@example.com"
    outbox = ChannelStore(rasa.env["CHANNEL_DATABASE_URL"])

    async def scenario():
        dead = await tab_from("127.0.0.21", rasa.url, customer(email), ack=False).open()
        response = await asyncio.to_thread(notify, rasa, {"customer_email": email, "intent": "greet"})
        assert response.json()["delivered"] == "on next visit"  # not "now": nobody said they have it
        assert outbox.pending(VERIFIER.conversation_for(email)) == 1
        pushed = [m["id"] for m in dead.bot]
        fresh = await tab_from("127.0.0.22", rasa.url, customer(email)).open()
        await fresh.wait_for(1)
        assert [m["id"] for m in fresh.bot] == pushed
        await until(lambda: outbox.pending(VERIFIER.conversation_for(email)) == 0)
        assert outbox.pending(VERIFIER.conversation_for(email)) == 0
        await close(dead, fresh)

    asyncio.run(scenario())


def test_a_signed_notify_is_accepted_once(assistant):
    rasa, _ = assistant
    email = "replayed.push@example.com"
    body = {"customer_email": email, "intent": "greet"}
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    headers = {"X-Timestamp": stamp, "X-Signature": notify_signature(SECRETS["CHANNEL_NOTIFY_SECRET"], stamp, raw)}
    answers = [notify(rasa, body, headers) for _ in range(5)]
    assert [a.status_code for a in answers] == [202, 409, 409, 409, 409]
    assert ChannelStore(rasa.env["CHANNEL_DATABASE_URL"]).pending(VERIFIER.conversation_for(email)) == 1


def test_a_stock_widget_gets_rasa_socketio_shapes(assistant):
    rasa, _ = assistant

    async def scenario():
        stock = await tab_from("127.0.0.23", rasa.url, rich=False).open()
        await until(lambda: stock.confirmed)
        assert isinstance(stock.confirmed[0], str) and stock.confirmed[0].startswith("a-")
        await stock.say("hello")
        await stock.say("what can you do")
        assert stock.bot and all(set(m) in STOCK_SHAPES for m in stock.bot), stock.bot
        assert any(m.get("quick_replies") for m in stock.bot) and "travel assistant" in texts(stock.bot)
        rich = await tab_from("127.0.0.23", rasa.url).open()
        assert rich.session["session_id"] and "session_token" in rich.session  # our widget's object
        await close(stock, rich)

    asyncio.run(scenario())


def test_a_normal_close_is_not_logged_as_an_error(assistant):
    rasa, _ = assistant
    log = Path(rasa.log.name)
    before = len(log.read_text(errors="replace"))

    async def scenario():
        for address in ("127.0.0.24", "127.0.0.25"):
            tab = await tab_from(address, rasa.url).open()
            await tab.say("hello")
            await close(tab)
        await asyncio.sleep(1)

    asyncio.run(scenario())
    rasa.log.flush()
    written = log.read_text(errors="replace")[before:]
    assert "Traceback" not in written and "Invalid response type" not in written, written[-3000:]
