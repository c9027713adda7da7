"""A scripted conversation through `rasa run` (REST channel), the action server and the sandbox,
each a real process: it books a real order and reads a ticket's status."""
from __future__ import annotations

import json
import statistics

import pytest

from sandbox.models import Order
from tests.support.assistant import Chat
from tests.support.processes import ROOT

MAYA = {"customer": {"email": "maya.chen@example.com"}}


@pytest.fixture(scope="module")
def assistant(rasa, actions):
    """The session's `rasa run` and action server (tests/conftest.py)."""
    return rasa, actions


def test_seed_conversation_books_a_real_order_and_reads_a_ticket(assistant, sqlite_sandbox):
    rasa, _ = assistant
    chat = Chat(rasa.url, "e2e-maya", MAYA)
    greeting = chat.say("hello")
    assert greeting.startswith("Hi Maya!") and "is now pending" in greeting  # her profile and open ticket
    # The difficulty is heard: acknowledged, and the search offered, before the first question.
    assert chat.say("I'm trying to book a flight to New York City, but I'm having trouble finding a good deal.") == (
        "Sorry it's been hard going. I can help with that: I'll do the searching and show you the best prices first. "
        "What dates are you travelling on?")
    found = chat.say("I'm leaving on the 15th and coming back on the 22nd.")  # from her home airport
    assert "round-trip flights from Boston (BOS) to New York" in found and "Would you like to see more details?" in found
    assert "Which flight would you like to book?" in chat.say("Yes, please.")
    assert "Shall I book it?" in chat.say("the second one")
    booked = chat.say("yes")
    reference = booked.split("booking reference is ")[1][:6]
    with sqlite_sandbox.db.transaction() as session:
        order = session.query(Order).filter_by(booking_reference=reference).one()
        assert order.passengers[0]["given_name"] == "Maya"

    desk = sqlite_sandbox.ticketing()
    ticket = desk.requested_tickets(desk.find_user_by_email("maya.chen@example.com").id)[0]
    status = chat.say(f"what's the status of ticket {ticket.id}")
    assert f"Ticket {ticket.id}" in status and ticket.status in status

    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    (results / "e2e_latency.json").write_text(json.dumps({
        "turns": len(chat.latencies),
        "median_ms": round(statistics.median(chat.latencies) * 1000, 1),
        "max_ms": round(max(chat.latencies) * 1000, 1),
    }))


def test_anonymous_visitor_is_asked_where_from(assistant):
    rasa, _ = assistant
    chat = Chat(rasa.url, "e2e-anonymous")
    assert chat.say("hi").startswith("Hi! I'm the travel assistant")
    assert "What dates are you travelling on?" in chat.say("I need a flight to Lisbon")
    assert "Where are you flying from?" in chat.say("the 15th, one way")
    assert "one-way flights from Boston (BOS) to Lisbon (LIS)" in chat.say("Boston")


def test_oversized_message_is_refused_and_the_conversation_goes_on(assistant):
    rasa, _ = assistant
    chat = Chat(rasa.url, "e2e-long")
    assert "too long" in chat.say("x" * 5000)
    assert "What can I do for you?" in chat.say("hello")


def test_action_server_down_gets_an_honest_answer(assistant):
    rasa, actions = assistant
    chat = Chat(rasa.url, "e2e-down", MAYA)
    actions.stop()
    try:
        reply = chat.say("show my bookings")
        assert "something went wrong on my side" in reply and "Nothing was booked or changed" in reply
    finally:
        actions.start()  # on the same port again, for the tests that share this assistant
