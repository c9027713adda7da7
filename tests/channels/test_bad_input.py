"""Bad input on the socket: a clear error or a clean disconnect, and nobody else affected."""
import asyncio

from channels.store import ChannelStore
from channels.turns import MAX_MESSAGE_CHARS
from tests.channels.conftest import DANIEL, MAYA, VERIFIER, Tab, customer, texts, until

# The flood empties her conversation's message allowance, so no other test of this `rasa` talks as
# her: none then depends on how long the allowance takes to refill.
LUCIA = "lucia.fernandez@example.com"


def test_oversized_malformed_and_unknown(rasa):
    async def scenario():
        tab = await Tab(rasa.url, customer(MAYA)).open()
        replies = await tab.say("x" * (MAX_MESSAGE_CHARS + 1))
        assert "too long" in texts(replies)
        await tab.client.emit("user_uttered", {"message": {"nested": True}})
        await tab.client.emit("user_uttered", "just a string")
        await tab.client.emit("launch_rockets", {"now": True})
        await until(lambda: len(tab.errors) >= 3)
        assert [e["code"] for e in tab.errors] == ["malformed_message", "malformed_message", "unknown_event"]
        replies = await tab.say("hello")  # the conversation goes on
        assert "travel assistant" in texts(replies)
        await tab.close()

    asyncio.run(scenario())


def test_a_flood_is_refused_then_cut_off_and_others_carry_on(rasa):
    async def scenario():
        flooder = await Tab(rasa.url, customer(LUCIA)).open()
        bystander = await Tab(rasa.url, customer(DANIEL)).open()
        for _ in range(40):
            await flooder.client.emit("user_uttered", {"message": "hi"})
        await until(lambda: not flooder.client.connected)
        codes = [e["code"] for e in flooder.errors]
        assert "rate_limited" in codes and codes[-1] == "disconnected" and not flooder.client.connected
        back = await Tab(rasa.url, customer(LUCIA)).open()  # replies that found the socket gone wait here

        def answered() -> int:
            return sum("travel assistant" in (m.get("text") or "") for m in flooder.bot + back.bot)

        await until(lambda: answered() >= 5)
        await asyncio.sleep(1)  # room for a reply given twice to show
        assert 5 <= answered() <= 12  # every accepted message answered once; the rest refused with a reason
        await back.close()
        replies = await bystander.say("hello")
        assert "travel assistant" in texts(replies)
        await bystander.close()

    asyncio.run(scenario())


def test_page_activity_is_checked_and_stored(rasa):
    async def scenario():
        tab = await Tab(rasa.url, customer(MAYA)).open()
        ok = await tab.client.call("activity", {"type": "search", "page": "/flights", "origin": "BOS", "destination": "LIS", "results": 0}, timeout=10)
        assert ok == {"accepted": True}
        for bad in ({"type": "teleport"}, {"type": "search", "results": -1}, {"type": "idle", "seconds": "long"}, "nope",
                    {"type": "page_view", "page": "x" * 5000}):
            refused = await tab.client.call("activity", bad, timeout=10)
            assert refused["accepted"] is False and refused["reason"]
        stored = ChannelStore(rasa.env["CHANNEL_DATABASE_URL"]).activities(VERIFIER.conversation_for(MAYA))
        assert stored[-1]["type"] == "search" and stored[-1]["results"] == 0 and stored[-1]["destination"] == "LIS"
        await tab.close()

    asyncio.run(scenario())
