"""The customer's profile at session start, and what the assistant does with it."""
import asyncio

from actions.flights import ValidateFlightForm
from actions.profile import ActionGreet, load_profile
from actions.session import ActionSessionStart
from tests.actions.conftest import MAYA, make_tracker, run, slots_set, texts


def test_session_start_loads_the_signed_in_customer(vendors):
    tracker = make_tracker({"session_started_metadata": {"customer": {"email": "Maya.Chen@example.com"}}})
    slots = slots_set(asyncio.run(ActionSessionStart().run(None, tracker, {})))
    assert slots["customer_email"] == MAYA and slots["customer_name"] == "Maya"
    assert slots["home_airport"] == "BOS" and slots["loyalty_tier"] == "gold"
    assert "pending" in {t["status"] for t in slots["open_tickets"]}


def test_anonymous_session_has_no_profile(vendors):
    slots = slots_set(asyncio.run(ActionSessionStart().run(None, make_tracker(), {})))
    assert slots == {}


def test_greeting_by_name_mentions_the_ticket_waiting_for_them(vendors):
    profile = load_profile(MAYA)
    _, messages = run(ActionGreet(), make_tracker({"customer_email": MAYA, **profile}))
    ticket = profile["open_tickets"][0]
    assert texts(messages).startswith("Hi Maya!") and f"your ticket {ticket['id']}" in texts(messages)
    _, messages = run(ActionGreet(), make_tracker())
    assert texts(messages).startswith("Hi! I'm the travel assistant")


def test_home_airport_is_the_default_origin_unless_flying_home(vendors):
    form = ValidateFlightForm()
    tracker = make_tracker({"home_airport": "BOS"}, text="flights to lisbon", intent="search_flight", entities=[("destination", "lisbon")])
    assert asyncio.run(form.extract_origin(None, tracker, {})) == {"origin": "BOS"}
    said = make_tracker({"home_airport": "BOS"}, text="from newark to lisbon", entities=[("origin", "newark")])
    assert asyncio.run(form.extract_origin(None, said, {})) == {}
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    home = make_tracker({"home_airport": "BOS", "destination": "BOS"}, text="flights to boston", entities=[("destination", "boston")])
    assert form.validate_origin("BOS", dispatcher, home, {}) == {"origin": None} and dispatcher.messages == []


def test_profile_survives_systems_being_down(failing_desk):
    assert load_profile(MAYA) == {}
