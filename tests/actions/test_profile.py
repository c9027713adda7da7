"""The customer's profile at session start, and what the assistant does with it."""
import asyncio

from actions.search import ValidateFlightForm
from actions.profile import ActionGreet, load_profile
from actions.session import ActionSessionStart
from common.identity import customer_proof
from tests.actions.conftest import MAYA, make_tracker, run, slots_set, texts


def test_session_start_loads_the_signed_in_customer(vendors, proof_secret):
    proof = customer_proof(proof_secret, "test-conversation", MAYA)
    tracker = make_tracker({"session_started_metadata": {"customer": {"email": "Maya.Chen@example.com", "proof": proof}}})
    slots = slots_set(asyncio.run(ActionSessionStart().run(None, tracker, {})))
    assert slots["customer_email"] == MAYA and slots["customer_proof"] == proof and slots["customer_name"] == "Maya"
    assert slots["home_airport"] == "BOS" and slots["loyalty_tier"] == "gold"
    assert "pending" in {t["status"] for t in slots["open_tickets"]}


def test_anonymous_session_has_no_profile(vendors):
    slots = slots_set(asyncio.run(ActionSessionStart().run(None, make_tracker(), {})))
    assert slots == {}


def test_greeting_by_name_mentions_the_ticket_waiting_for_them(vendors):
    profile = load_profile(MAYA)
    _, messages = run(ActionGreet(), make_tracker(profile, customer=MAYA))
    ticket = profile["open_tickets"][0]
    assert texts(messages).startswith("Hi Maya!") and f"your ticket {ticket['id']}" in texts(messages)
    _, messages = run(ActionGreet(), make_tracker())
    assert texts(messages).startswith("Hi! I'm the travel assistant")


def test_home_airport_is_the_default_origin_unless_flying_home(vendors):
    form = ValidateFlightForm()
    tracker = make_tracker({"home_airport": "BOS"}, text="flights to lisbon", intent="search_flight", entities=[("destination", "lisbon")], customer=MAYA)
    assert asyncio.run(form.extract_origin(None, tracker, {})) == {"origin": "BOS"}
    said = make_tracker({"home_airport": "BOS"}, text="from newark to lisbon", entities=[("origin", "newark")], customer=MAYA)
    assert asyncio.run(form.extract_origin(None, said, {})) == {}
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    home = make_tracker({"home_airport": "BOS", "destination": "BOS"}, text="flights to boston", entities=[("destination", "boston")], customer=MAYA)
    assert form.validate_origin("BOS", dispatcher, home, {}) == {"origin": None} and dispatcher.messages == []


def test_profile_survives_systems_being_down(failing_desk):
    assert load_profile(MAYA) == {}


def test_suggestions_put_the_customers_usual_trip_first(vendors):
    profile = load_profile(MAYA)
    likely = profile["likely"]
    assert len(likely["destinations"]) == 3 and "BOS" not in likely["destinations"]
    assert likely["destinations"][0] in likely["been"] and sorted(likely["tasks"]) == ["book", "support", "trips"]
    _, messages = run(ActionGreet(), make_tracker(profile, customer=MAYA))
    buttons = messages[0]["buttons"]
    assert buttons[0]["title"].startswith("Boston (BOS) to ") and buttons[0]["title"].endswith(" again?")
    assert {b["payload"] for b in buttons[1:]} == {"/search_flight", "/list_bookings", "/list_tickets"}


def test_the_destination_question_offers_likely_places(vendors):
    from actions.asks import ASK_ACTIONS

    ask = next(a for a in ASK_ACTIONS if a().name() == "action_ask_destination")()
    profile = load_profile(MAYA)
    _, messages = run(ask, make_tracker(profile, customer=MAYA))
    assert [b["payload"] for b in messages[0]["buttons"]] == [f'/inform{{"destination": "{c}"}}' for c in profile["likely"]["destinations"]]
    _, anonymous = run(ask, make_tracker())
    assert anonymous[0]["buttons"] == []


def test_a_customer_without_history_gets_no_personal_suggestions(vendors):
    assert "likely" not in load_profile("tom.becker@example.com")
