"""The customer's profile at session start, and what the assistant does with it."""
import asyncio
from datetime import date, timedelta

from actions.profile import ActionGreet, load_profile
from actions.search import ValidateFlightForm
from actions.session import ActionSessionStart
from actions.trip import home_origin
from common.identity import customer_proof
from tests.actions.conftest import MAYA, make_tracker, rendered, run, slots_set, texts

INTRODUCTION = "I'm the travel assistant. I can find and book flights, show or cancel your bookings, and help with support tickets."


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
    tracker = make_tracker(profile, customer=MAYA)
    _, messages = run(ActionGreet(), tracker)
    ticket = next(t for t in profile["open_tickets"] if t["status"] == "pending")
    assert texts(messages, tracker) == (f"Hi Maya! {INTRODUCTION} By the way, your ticket {ticket['id']} (\"{ticket['subject']}\") is now pending: "
                                        "our team is waiting for your reply. What can I do for you?")
    _, messages = run(ActionGreet(), make_tracker())
    assert texts(messages) == f"Hi! {INTRODUCTION} What can I do for you?"


def test_greeting_mentions_the_next_trip_and_does_without_a_name(vendors):
    day = date.today() + timedelta(days=9)
    trip = {"reference": "RM7Q2K", "destination": "FCO", "date": day.isoformat()}
    tracker = make_tracker({"customer_name": "Maya", "next_trip": trip}, customer=MAYA)
    _, messages = run(ActionGreet(), tracker)
    assert texts(messages, tracker).startswith("Hi Maya! ") and f"Your next trip: FCO on {day:%a} {day.day} {day:%b}" in texts(messages, tracker)
    nameless = make_tracker({"customer_name": None, "open_tickets": [{"id": 1042, "status": "pending", "subject": "Lost bag"}]}, customer=MAYA)
    _, messages = run(ActionGreet(), nameless)
    assert texts(messages, nameless).startswith(f"Hi! {INTRODUCTION} By the way, your ticket 1042 (\"Lost bag\")")


def test_a_hello_inside_a_form_leaves_the_question_to_the_form(vendors):
    tracker = make_tracker({"requested_slot": "departure_date"}, text="hi", intent="greet", active_loop="flight_form", customer=MAYA)
    _, messages = run(ActionGreet(), tracker)
    assert texts(messages, tracker) == "Hi! Let's carry on." and not rendered(messages, tracker)[0].get("buttons")


def test_home_airport_is_the_default_origin_unless_flying_home(vendors):
    form = ValidateFlightForm()
    tracker = make_tracker({"home_airport": "BOS"}, text="flights to lisbon", intent="search_flight", entities=[("destination", "lisbon")], customer=MAYA)
    assert home_origin(tracker) == {"origin": "BOS"}
    assert home_origin(make_tracker({"home_airport": "BOS"})) == {}  # believed only for a signed-in customer
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
    tracker = make_tracker(profile, customer=MAYA)
    _, messages = run(ActionGreet(), tracker)
    buttons = rendered(messages, tracker)[0]["buttons"]
    assert buttons[0]["title"].startswith("Boston (BOS) to ") and buttons[0]["title"].endswith(" again?")
    assert [b["payload"] for b in buttons[1:]] == [{"book": "/search_flight", "trips": "/list_bookings", "support": "/list_tickets"}[t] for t in likely["tasks"]]
    _, anonymous = run(ActionGreet(), make_tracker())
    assert [b["title"] for b in rendered(anonymous)[0]["buttons"]] == ["Book a flight", "My trips", "My tickets"]


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
