"""Bad input on the socket: an `error` with a reason before any disconnect, no Unicode crash, and
an outbox that forgets what nobody came back for."""
import asyncio
import json
import time

import pytest

from channels.store import MAX_WAITING, ChannelStore
from channels.turns import NO_ANSWER
from channels.wire import MAX_FRAME_BYTES
from tests.channels.conftest import texts
from tests.security.socket_clients import close, tab_from
from tests.support.services import postgres_database


async def wait_for_error(tab, count: int = 1, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while len(tab.errors) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def test_a_lone_surrogate_gets_a_normal_answer(assistant):
    rasa, _ = assistant

    async def scenario():
        tab = await tab_from("127.0.0.10", rasa.url).open()
        await tab.client.emit("user_uttered", {"message": "hello \ud800 there", "customData": {"page": "\udfff"}})
        replies = await tab.wait_for(1)
        assert replies and NO_ANSWER not in texts(replies) and "travel assistant" in texts(replies)
        await close(tab)

    asyncio.run(scenario())


def test_an_oversized_message_gets_a_reason_and_the_connection_stays(assistant):
    rasa, _ = assistant

    async def scenario():
        tab = await tab_from("127.0.0.11", rasa.url).open()
        await tab.client.emit("user_uttered", {"message": "x" * 1_000_000})
        await wait_for_error(tab)
        assert tab.errors[0]["code"] == "malformed_payload" and str(MAX_FRAME_BYTES) in tab.errors[0]["reason"]
        assert tab.client.connected
        assert "travel assistant" in texts(await tab.say("hello"))
        await close(tab)

    asyncio.run(scenario())


def test_json_nested_20000_deep_gets_a_reason(assistant):
    rasa, _ = assistant
    deep = "[" * 20_000 + "]" * 20_000

    async def scenario():
        tab = await tab_from("127.0.0.12", rasa.url).open()
        await tab.client.eio.send('2["user_uttered",{"message":"hi","customData":' + deep + "}]")
        await wait_for_error(tab)
        assert tab.errors[0] == {"code": "malformed_payload", "reason": "the payload is nested too deeply"}
        await tab.client.eio.send("2not json at all")
        await wait_for_error(tab, 2)
        assert tab.errors[1]["code"] == "malformed_payload"
        # Within the frame limit but deeper than page data may be: the message is answered, the data dropped.
        await tab.client.emit("user_uttered", {"message": "hello", "customData": json.loads("[" * 50 + "]" * 50)})
        assert "travel assistant" in texts(await tab.wait_for(1))
        await close(tab)

    asyncio.run(scenario())


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'channel.db'}"
        return
    with postgres_database() as url:
        yield url


def test_outbox_entries_expire_and_are_capped(store_url):
    store = ChannelStore(store_url, outbox_ttl_seconds=1)
    asyncio.run(store.put("c-" + "1" * 32, [{"id": "a", "text": "for later"}]))
    assert store.pending("c-" + "1" * 32) == 1
    deadline = time.monotonic() + 10  # timestamps have one-second resolution in SQLite
    while asyncio.run(store.waiting("c-" + "1" * 32)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert asyncio.run(store.waiting("c-" + "1" * 32)) == []
    store.purge()
    assert store.pending("c-" + "1" * 32) == 0
    flooded = ChannelStore(store_url)
    asyncio.run(flooded.put("c-" + "2" * 32, [{"id": str(i)} for i in range(MAX_WAITING + 10)]))
    kept = asyncio.run(flooded.waiting("c-" + "2" * 32))
    assert [m["id"] for m in kept] == [str(i) for i in range(10, MAX_WAITING + 10)]  # the newest, in order
    store.engine.dispose()
    flooded.engine.dispose()
