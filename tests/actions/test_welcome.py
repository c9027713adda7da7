"""The greeting when the chat opens: by name with the likely tasks for a verified customer, a short
welcome for anyone else, and the conversation left listening."""
from actions.profile import ActionGreet, load_profile
from actions.welcome import ActionGreetOnOpen
from tests.actions.conftest import MAYA, make_tracker, rendered, run, texts


def test_a_signed_in_customer_is_greeted_by_name_with_their_likely_tasks(vendors):
    tracker = make_tracker(load_profile(MAYA), customer=MAYA)
    events, messages = run(ActionGreetOnOpen(), tracker)
    assert texts(messages, tracker).startswith("Hi Maya!")
    _, hello = run(ActionGreet(), tracker)
    assert rendered(messages, tracker) == rendered(hello, tracker)  # as a hello is answered, buttons first the likely ones
    assert [b["payload"] for b in rendered(messages, tracker)[0]["buttons"]][-3:] == [
        {"book": "/search_flight", "trips": "/list_bookings", "support": "/list_tickets"}[t] for t in tracker.get_slot("likely")["tasks"]]
    assert [(e["event"], e["name"]) for e in events] == [("action", "action_listen")]


def test_an_anonymous_visitor_gets_a_short_welcome(vendors):
    _, messages = run(ActionGreetOnOpen(), make_tracker())
    assert texts(messages) == "Hi! I'm the travel assistant. I can find flights and answer your travel questions. How can I help?"
    assert not rendered(messages)[0].get("buttons")


def test_a_name_without_a_verified_identity_is_not_used(vendors):
    forged = make_tracker({"customer_email": MAYA, "customer_proof": "made-up", "customer_name": "Maya"})
    _, messages = run(ActionGreetOnOpen(), forged)
    assert "Maya" not in texts(messages, forged) and texts(messages, forged).startswith("Hi! I'm the travel assistant.")
