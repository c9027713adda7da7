"""The socket channel against a real `rasa run`: conversations, reloads, tabs, history, identity."""
import asyncio
import time

import jwt
import pytest
import socketio

from tests.channels.conftest import DANIEL, MAYA, SECRET, VERIFIER, Tab, customer, texts, until


def run(coroutine):
    return asyncio.run(coroutine)


def test_conversation_reload_and_two_tabs(rasa):
    async def scenario():
        first = await Tab(rasa.url, customer(MAYA)).open()
        assert first.session["session_id"] == VERIFIER.conversation_for(MAYA) and first.session["anonymous"] is False
        replies = await first.say("hello")
        assert "travel assistant" in texts(replies)
        await first.close()

        reloaded = await Tab(rasa.url, customer(MAYA)).open()  # a reload: a new socket, same customer
        assert reloaded.session["session_id"] == first.session["session_id"]
        history = await reloaded.client.call("history_request", {"limit": 10}, timeout=10)
        assert [m["sender"] for m in history[-2:]] == ["user", "bot"] and history[-2]["text"] == "hello"

        other_tab = await Tab(rasa.url, customer(MAYA)).open()
        await reloaded.say("what can you do")
        await other_tab.wait_for(1)
        assert "I can:" in texts(other_tab.bot) and "I can:" in texts(reloaded.bot)
        await reloaded.close()
        await other_tab.close()

    run(scenario())


def test_buttons_and_custom_payloads_pass_through(rasa):
    async def scenario():
        tab = await Tab(rasa.url, customer(MAYA)).open()
        replies = await tab.say("what can you do")
        buttons = replies[-1]
        assert buttons["quick_replies"][0]["payload"] == "/search_flight" and buttons["buttons"][0]["title"] == "Book a flight"
        assert buttons["id"] and buttons["timestamp"]
        await tab.close()

    run(scenario())


def test_a_message_comes_whole_and_history_shows_clicked_buttons_by_title(rasa):
    """Text, buttons and the offers card in one bot_uttered (the widget puts the choices on the
    cards); a clicked button's payload comes back in the history as the title the customer saw."""
    async def scenario():
        tab = await Tab(rasa.url, customer(DANIEL)).open()
        found = await tab.say("one way flight from london to paris next friday")
        assert "Would you like to see more details?" in texts(found)
        before = len(tab.bot)
        await tab.client.emit("user_uttered", {"message": "/affirm"})
        await tab.wait_for(before + 2)
        intro, offers = tab.bot[before:before + 2]
        assert intro["text"] == "Here are the best options:"  # the cards carry the details
        assert offers["text"] == "Which flight would you like to book?" and offers["custom"]["type"] == "flight_offers"
        assert len(offers["buttons"]) == len(offers["custom"]["offers"]) >= 2
        history = await tab.client.call("history_request", {"limit": 10}, timeout=10)
        clicked = [m for m in history if m["sender"] == "user"][-1]
        assert clicked["text"] == "Yes, show me"
        assert history[-1]["data"]["custom"]["type"] == "flight_offers"
        await tab.close()

    run(scenario())


def test_anonymous_visitor_gets_an_unguessable_resumable_session(rasa):
    async def scenario():
        tab = await Tab(rasa.url).open()
        session_id, token = tab.session["session_id"], tab.session["session_token"]
        assert tab.session["anonymous"] and session_id.startswith("a-") and len(session_id) == 34
        await tab.say("hi")
        await tab.close()
        back = await Tab(rasa.url, {"session_token": token}).open()
        assert back.session["session_id"] == session_id
        stranger = await Tab(rasa.url).open(session_id=session_id)  # knows the id, not the token
        assert stranger.session["session_id"] != session_id
        assert await stranger.client.call("history_request", {}, timeout=10) == []
        await back.close()
        await stranger.close()

    run(scenario())


def test_another_customer_cannot_join_read_or_write_a_conversation(rasa):
    async def scenario():
        maya = await Tab(rasa.url, customer(MAYA)).open()
        secret = "maya's private plans: a flight to lisbon"
        await maya.say(secret)
        daniel = await Tab(rasa.url, customer(DANIEL)).open(session_id=maya.session["session_id"])
        assert daniel.session["session_id"] == VERIFIER.conversation_for(DANIEL) != maya.session["session_id"]
        assert all(m["text"] != secret for m in await daniel.client.call("history_request", {}, timeout=10))
        before = len(maya.bot)
        await daniel.client.emit("user_uttered", {"message": "show my bookings", "session_id": maya.session["session_id"]})
        await daniel.wait_for(1)
        await asyncio.sleep(1)
        assert len(maya.bot) == before  # nothing of Daniel's turn reached Maya's conversation
        await maya.close()
        await daniel.close()

    run(scenario())


@pytest.mark.parametrize("auth, reason", [
    ({"token": jwt.encode({"sub": MAYA, "exp": int(time.time()) - 3600}, SECRET, algorithm="HS256")}, "token expired"),
    ({"token": jwt.encode({"sub": MAYA, "exp": int(time.time()) + 3600}, "forged-key-forged-key-forged-key-forged", algorithm="HS256")}, "invalid token"),
    ({"token": "not-a-jwt"}, "invalid token"),
    ({"session_token": "forged"}, "invalid token"),
    ({"token": jwt.encode({"sub": MAYA}, SECRET, algorithm="HS256")}, "invalid token"),
], ids=["expired", "forged", "garbage", "forged-anonymous", "no-expiry"])
def test_bad_tokens_are_refused_with_a_reason(rasa, auth, reason):
    async def scenario():
        client = socketio.AsyncClient(reconnection=False)
        reasons = []
        client.on("connect_error", reasons.append)
        # Not waiting inside connect(): python-socketio 5.8 sits out its whole wait_timeout after a
        # refusal; the refusal itself is the connect_error event, and the namespace stays unconnected.
        await client.connect(rasa.url, auth=auth, transports=["websocket"], wait=False)
        await until(lambda: bool(reasons))
        assert "/" not in client.namespaces
        assert reason in str(reasons)
        await client.disconnect()

    run(scenario())
