"""The three doors of proactive help, end to end: a real `rasa run` with our channel, the action
server, and a sandbox whose help desk sends its signed webhooks to the assistant.

1. text: a frustrated message gets an acknowledgement and concrete offers;
2. behaviour: empty searches reported as page activity bring one offer, not two, none after "no
   thanks" and none with offers switched off;
3. systems: a ticket's new status reaches the customer now, or on the next visit if offline.
"""
import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
import requests

from channels.store import ChannelStore
from sandbox.webhooks import sign
from tests.channels.conftest import MAYA, NOTIFY_SECRET, SECRET, VERIFIER, Tab, customer, texts
from tests.support.assistant import action_server, client_env, rasa_server
from tests.support.processes import free_port, start_together, stop_together

WEBHOOK_SECRET = "test-ticket-webhook-secret"
LUCIA = "lucia.fernandez@example.com"
DANIEL = "daniel.okafor@example.com"
TOM = "tom.becker@example.com"


@pytest.fixture(scope="module")
def stack(make_sandbox):
    port = free_port()
    sandbox = make_sandbox(SANDBOX_WEBHOOK_URL=f"http://127.0.0.1:{port}/webhooks/socket/tickets", SANDBOX_WEBHOOK_SECRET=WEBHOOK_SECRET)
    actions = action_server(sandbox.url)
    rasa = rasa_server(actions.url, port=port, CHANNEL_JWT_SECRET=SECRET, CHANNEL_NOTIFY_SECRET=NOTIFY_SECRET,
                       TICKET_WEBHOOK_SECRET=WEBHOOK_SECRET, **client_env(sandbox.url))
    start_together(actions, rasa)
    yield sandbox, rasa
    stop_together(rasa, actions)


async def report(tab: Tab, activity: dict) -> dict:
    return await tab.client.call("activity", activity, timeout=10)


async def quiet(tab: Tab, seconds: float = 2.0) -> list:
    """What arrives in `seconds` without the customer saying anything."""
    before = len(tab.bot)
    await asyncio.sleep(seconds)
    return tab.bot[before:]


def test_text_door_frustration_is_acknowledged_with_concrete_help(stack):
    _, rasa = stack

    async def scenario():
        tab = await Tab(rasa.url, customer(TOM)).open()
        reply = await tab.say("ugh, this is useless")
        assert texts(reply).startswith("I'm sorry this has been frustrating.")
        assert [b["payload"] for b in reply[-1]["buttons"]][-3:] == ["/human_handoff", "/open_ticket", "/deny"]
        await tab.say("no thanks")
        assert "won't interrupt" in texts(tab.bot[-1:])
        await tab.close()

    asyncio.run(scenario())


def test_behaviour_door_empty_searches_bring_one_offer_then_no_thanks_ends_them(stack):
    _, rasa = stack

    async def scenario():
        tab = await Tab(rasa.url, customer(LUCIA)).open()
        await tab.say("hi")
        before = len(tab.bot)
        for _ in range(2):
            assert (await report(tab, {"type": "search", "origin": "MAD", "destination": "LIS", "date": "2027-01-10", "results": 0}))["accepted"]
        await tab.wait_for(before + 1)
        offer = tab.bot[before]
        assert offer["text"] == "I see the searches for Lisbon (LIS) came back empty. Shall I look at other dates, or nearby airports?"
        assert offer["buttons"][0]["payload"] == '/search_flight{"origin": "MAD", "destination": "LIS"}'
        for _ in range(3):  # still struggling, inside the window: no second offer
            await report(tab, {"type": "search", "origin": "MAD", "destination": "LIS", "results": 0})
        assert await quiet(tab) == []
        reply = await tab.say("no thanks")
        assert "won't interrupt" in texts(reply[-1:])
        await tab.close()

    asyncio.run(scenario())


def test_behaviour_door_respects_offers_switched_off(stack):
    _, rasa = stack

    async def scenario():
        tab = await Tab(rasa.url, customer(DANIEL)).open()
        await tab.say("hello")
        assert (await report(tab, {"type": "proactive", "enabled": False}))["accepted"]
        for _ in range(4):
            await report(tab, {"type": "form_error", "page": "/checkout", "form": "passenger", "field": "passport"})
        assert await quiet(tab) == []
        await tab.close()

    asyncio.run(scenario())


def test_systems_door_ticket_news_reaches_an_online_customer(stack):
    sandbox, rasa = stack
    desk = sandbox.ticketing()
    ticket = next(t for t in desk.requested_tickets(desk.find_user_by_email(MAYA).id) if t.status == "pending")

    async def scenario():
        tab = await Tab(rasa.url, customer(MAYA)).open()
        await tab.say("hi")
        before = len(tab.bot)
        await asyncio.to_thread(desk.set_status, ticket.id, "solved")
        await tab.wait_for(before + 1, timeout=30)
        assert tab.bot[before]["text"].startswith(f"News from our help desk: Ticket {ticket.id} ")
        assert "has been solved" in tab.bot[before]["text"]
        await tab.close()

    asyncio.run(scenario())


def test_systems_door_ticket_news_waits_for_an_offline_customer(stack):
    sandbox, rasa = stack
    desk = sandbox.ticketing()
    ticket = next(t for t in desk.requested_tickets(desk.find_user_by_email(DANIEL).id) if t.is_open)
    outbox = ChannelStore(rasa.env["CHANNEL_DATABASE_URL"])
    conversation = VERIFIER.conversation_for(DANIEL)
    desk.set_status(ticket.id, "hold")

    async def scenario():
        for _ in range(600):
            if outbox.pending(conversation):
                break
            await asyncio.sleep(0.05)
        assert outbox.pending(conversation) == 1
        tab = await Tab(rasa.url, customer(DANIEL)).open()
        await tab.wait_for(1)
        assert tab.bot[0]["text"].startswith(f"News from our help desk: Ticket {ticket.id} ") and "(hold" in tab.bot[0]["text"]
        await tab.close()

    asyncio.run(scenario())


def test_ticket_webhook_refuses_forgeries_and_handles_each_event_once(stack):
    sandbox, rasa = stack
    desk = sandbox.ticketing()
    user = desk.find_user_by_email(LUCIA)
    ticket = desk.requested_tickets(user.id)[0]
    event = {"id": "replayed-event", "type": "zen:event-type:ticket.status_changed",
             "detail": {"id": str(ticket.id), "requester_id": str(user.id)}, "event": {"current": "OPEN", "previous": "CLOSED"}}
    body = json.dumps(event).encode()
    url = f"{rasa.url}/webhooks/socket/tickets"

    def post(data: bytes, secret: str = WEBHOOK_SECRET, age_seconds: int = 0) -> requests.Response:
        stamp = (datetime.now(timezone.utc) - timedelta(seconds=age_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return requests.post(url, data=data, timeout=30, headers={
            "X-Zendesk-Webhook-Signature-Timestamp": stamp, "X-Zendesk-Webhook-Signature": sign(secret, stamp, data)})

    assert post(body, secret="forged").status_code == 401
    assert post(body, age_seconds=3600).status_code == 401  # a signed delivery replayed an hour later
    assert post(b"not json").status_code == 400
    assert post(json.dumps({**event, "type": "zen:event-type:ticket.created"}).encode()).status_code == 400
    first, again = post(body), post(body)
    assert first.status_code == 200 and "delivered" in first.json()
    assert again.status_code == 200 and again.json()["status"] == "already handled"
    assert ChannelStore(rasa.env["CHANNEL_DATABASE_URL"]).pending(VERIFIER.conversation_for(LUCIA)) == 1
