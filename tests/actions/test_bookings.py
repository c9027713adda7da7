"""Listing and cancelling bookings against the sandbox, for the signed-in customer only: found by
reference, by the place they go to, or as the next trip; a quote waits for a yes."""
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from actions.bookings import (ActionConfirmCancellation, ActionForgetPending, ActionKeepBooking, ActionListBookings,
                              ActionQuoteCancellation, ActionResumePending, about_the_rules, active_bookings, chases_a_refund)
from actions.changes import ActionPickBooking
from actions.flights import ActionBookFlight
from actions.search import ActionSearchFlights
from actions.search_slots import ONE_WAY
from sandbox.models import Offer, Order
from tests.actions.conftest import MAYA, make_tracker, run, slots_set, texts

DANIEL = "daniel.okafor@example.com"


def book_for_maya(days: int) -> str:
    when = (date.today() + timedelta(days=days)).isoformat()
    found, _ = run(ActionSearchFlights(), make_tracker({"origin": "BOS", "destination": "ORD", "departure_date": when, "return_date": ONE_WAY}))
    traveller = [{"given_name": "Maya", "family_name": "Chen", "born_on": "1988-04-02", "email": MAYA}]
    events, _ = run(ActionBookFlight(), make_tracker({"selected_offer": slots_set(found)["offers"][0], "travellers": traveller}, sender=f"conv-{days}", customer=MAYA))
    return slots_set(events)["booking_reference"]


def maya_upcoming(vendors):
    crm = vendors.crm()
    deals = active_bookings(crm.get_contact_by_email(MAYA).id)
    return sorted((d for d in deals if d.departure_date >= date.today()), key=lambda d: d.departure_date)


def test_bookings_need_a_signed_in_customer(vendors):
    for action in (ActionListBookings(), ActionQuoteCancellation()):
        _, messages = run(action, make_tracker())
        assert "please sign in" in texts(messages)


def test_list_shows_upcoming_and_recent_trips(vendors):
    reference = book_for_maya(40)
    _, messages = run(ActionListBookings(), make_tracker(customer=MAYA))
    assert "Your upcoming trips" in texts(messages) and reference in texts(messages)
    assert "RM7Q2K: BOS → FCO" in texts(messages) and ", back " in texts(messages)
    _, messages = run(ActionListBookings(), make_tracker(customer="tom.becker@example.com"))
    assert "no bookings" in texts(messages)


def test_cancel_by_reference_after_confirming_the_refund(vendors):
    reference = book_for_maya(41)
    events, messages = run(ActionQuoteCancellation(), make_tracker(text=f"cancel {reference}", intent="cancel_booking", entities=[("booking_reference", reference)], customer=MAYA))
    slots = slots_set(events)
    pending = slots["pending_cancellation"]
    assert pending["reference"] == reference and "Shall I cancel it?" in texts(messages)
    assert slots["awaiting_confirmation"] == "cancellation" and messages[0]["response"] == "utter_cancellation_quote"
    events, messages = run(ActionConfirmCancellation(), make_tracker({"pending_cancellation": pending}, customer=MAYA))
    assert f"booking {reference} is cancelled" in texts(messages)
    assert slots_set(events) == {"pending_cancellation": None, "pending_change": None, "awaiting_confirmation": None, "booking_choices": None}
    _, messages = run(ActionListBookings(), make_tracker(customer=MAYA))
    assert reference not in texts(messages)


def test_a_refund_question_about_a_named_trip_is_quoted_not_cancelled(vendors):
    for text, entities, reference in (("what would i get back if i cancel rome", [("destination", "rome")], "RM7Q2K"),
                                      ("can i get my money back for the paris trip", [], "PA4M8P")):
        events, messages = run(ActionQuoteCancellation(), make_tracker(text=text, intent="cancel_booking", entities=entities, customer=MAYA))
        assert slots_set(events)["pending_cancellation"]["reference"] == reference, text
        assert f"Cancelling {reference}" in texts(messages) and "refunds $" in texts(messages)
    order = vendors.flights().find_orders("RM7Q2K")[0]
    assert order.cancelled_at is None  # a quote never cancels


def test_the_next_trip_and_a_choice_between_trips(vendors):
    soonest = maya_upcoming(vendors)[0]
    events, messages = run(ActionQuoteCancellation(), make_tracker(text="cancel my next trip", intent="cancel_booking", customer=MAYA))
    if soonest.order_id:
        assert slots_set(events)["pending_cancellation"]["reference"] == soonest.booking_reference
    else:  # a seeded trip booked elsewhere comes first
        assert f"Booking {soonest.booking_reference} was made outside" in texts(messages)
    events, messages = run(ActionQuoteCancellation(), make_tracker(text="i want to cancel my flight", intent="cancel_booking", customer=MAYA))
    assert "Which booking would you like to cancel?" in texts(messages)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/cancel_booking{"booking_reference": "RM7Q2K"}' in payloads and slots_set(events)["awaiting_confirmation"] == "which_cancel"


def test_which_booking_answered_by_typing_its_place_or_its_place_in_the_list(vendors):
    events, messages = run(ActionQuoteCancellation(), make_tracker(text="cancel a booking", intent="cancel_booking", customer=MAYA))
    asked = slots_set(events)
    references = asked["booking_choices"]["references"]
    assert asked["awaiting_confirmation"] == "which_cancel" and len(references) == len(messages[0]["buttons"]) > 1
    for text in ("the rome one", "the 2nd one" if references[1] == "RM7Q2K" else f"number {references.index('RM7Q2K') + 1}"):
        events, _ = run(ActionPickBooking(), make_tracker(asked, text=text, intent="inform", customer=MAYA))
        assert slots_set(events)["pending_cancellation"]["reference"] == "RM7Q2K", text
        assert slots_set(events)["awaiting_confirmation"] == "cancellation"


def test_someone_elses_booking_reference_is_not_found(vendors):
    reference = book_for_maya(42)
    _, messages = run(ActionQuoteCancellation(), make_tracker(entities=[("booking_reference", reference)], customer=DANIEL))
    assert "couldn't find that booking" in texts(messages)


def test_booking_made_elsewhere_is_sent_to_an_agent(vendors):
    crm = vendors.crm()
    history = crm.purchase_history(crm.get_contact_by_email(DANIEL).id)
    seeded = next(d for d in history if not d.order_id)
    _, messages = run(ActionQuoteCancellation(), make_tracker(entities=[("booking_reference", seeded.booking_reference)], customer=DANIEL))
    assert "outside this assistant" in texts(messages)


def test_a_quote_without_a_refund_amount_is_said_honestly(vendors):
    reference = book_for_maya(43)
    order = vendors.flights().find_orders(reference)[0]
    with vendors.db.transaction() as session:
        offer = session.get(Offer, session.get(Order, order.id).offer_id)
        body = {**offer.body, "conditions": {**offer.body["conditions"], "refund_before_departure": None}}
        session.execute(update(Offer).where(Offer.id == offer.id).values(body=body))
    events, messages = run(ActionQuoteCancellation(), make_tracker(entities=[("booking_reference", reference)], customer=MAYA))
    pending = slots_set(events)["pending_cancellation"]
    assert pending["refund"] is None and "hasn't said what it would refund" in texts(messages)
    _, messages = run(ActionConfirmCancellation(), make_tracker({"pending_cancellation": pending}, customer=MAYA))
    assert f"booking {reference} is cancelled" in texts(messages) and "hasn't said what it will refund" in texts(messages)


def test_no_keeps_the_booking_and_forgets_the_quote(vendors):
    events, messages = run(ActionKeepBooking(), make_tracker({"pending_cancellation": {"reference": "X"}, "awaiting_confirmation": "cancellation"}, customer=MAYA))
    assert "leave your booking as it is" in texts(messages)
    assert slots_set(events) == {"pending_cancellation": None, "pending_change": None, "awaiting_confirmation": None, "booking_choices": None}
    events, messages = run(ActionForgetPending(), make_tracker({"pending_change": {"reference": "X"}, "awaiting_confirmation": "change"}, customer=MAYA))
    assert messages == [] and slots_set(events)["awaiting_confirmation"] is None


def test_no_to_a_change_keeps_the_trip_talked_about_for_another_date(vendors):
    waiting = {"pending_change": {"change_offer_id": "oco_x", "reference": "X", "deal_id": "1"}, "awaiting_confirmation": "change"}
    events, messages = run(ActionKeepBooking(), make_tracker(waiting, intent="deny", customer=MAYA))
    assert messages[0]["response"] == "utter_keep_booking_other_date"
    assert slots_set(events) == {"pending_cancellation": None, "pending_change": None, "booking_choices": None,
                                 "booking_reference": "X", "awaiting_confirmation": "change_date"}
    events, _ = run(ActionKeepBooking(), make_tracker(waiting, intent="stop", customer=MAYA))  # "forget it": nothing kept
    assert slots_set(events)["awaiting_confirmation"] is None


@pytest.mark.parametrize("text, chases", [
    ("I wrote already two times about my refund for the cancelled flight. Nobody answers", True),
    ("where is my refund?? the flight got cancelled ages ago", True),
    ("still waiting on my refund", True),
    ("I've been waiting nearly a fortnight about the refund for my cancelled flight", True),
    ("the refund for my dublin flight, haven't heard a thing", True),
    ("what would i get back if i cancel my rome trip", False),
    ("cancel my lisbon flight and refund me", False),
])
def test_a_refund_chased_is_a_complaint_not_a_quote(text, chases):
    assert chases_a_refund(make_tracker(text=text)) is chases


def test_nothing_to_confirm(vendors):
    events, messages = run(ActionConfirmCancellation(), make_tracker(customer=MAYA))
    assert "no cancellation waiting" in texts(messages)
    assert followup(events) == ["action_listen"]  # a confirmation always ends the turn


def test_bookings_unreachable_are_said_honestly(failing_desk):
    for action in (ActionListBookings(), ActionQuoteCancellation()):
        _, messages = run(action, make_tracker(text="cancel my rome trip", customer=MAYA))
        assert "couldn't reach our customer records" in texts(messages)


def test_a_refund_question_while_a_cancellation_waits_is_about_that_booking(vendors):
    events, _ = run(ActionQuoteCancellation(), make_tracker(text="what would i get back if i cancel rome", entities=[("destination", "rome")], customer=MAYA))
    waiting = slots_set(events)
    events, messages = run(ActionQuoteCancellation(), make_tracker(waiting, text="how much do i get back exactly", intent="cancel_booking", customer=MAYA))
    assert slots_set(events)["pending_cancellation"]["reference"] == "RM7Q2K" and "refunds $" in texts(messages)


def followup(events):
    return [e.get("name") for e in events if e.get("event") == "followup"]


def test_cancel_it_again_while_its_quote_waits_is_the_yes(vendors):
    events, _ = run(ActionQuoteCancellation(), make_tracker(text="cancel my rome trip", entities=[("destination", "rome")], customer=MAYA))
    waiting = slots_set(events)
    for text, entities in (("fine, cancel it", []), ("ok cancel the rome trip", [("destination", "rome")]), ("go on then cancel RM7Q2K", []),
                           ("ok cancel it. no wait. hmm. yes, cancel it", [])):
        events, messages = run(ActionQuoteCancellation(), make_tracker(waiting, text=text, intent="cancel_booking", entities=entities, customer=MAYA))
        assert followup(events) == ["action_confirm_cancellation"] and messages == [], text


def test_a_question_or_another_trip_while_a_cancellation_waits_is_quoted_again(vendors):
    events, _ = run(ActionQuoteCancellation(), make_tracker(text="cancel my rome trip", entities=[("destination", "rome")], customer=MAYA))
    waiting = slots_set(events)
    for text, intent, reference in (("if i cancel it do i get a refund", "cancel_booking", "RM7Q2K"),
                                    ("cancel it?", "cancel_booking", "RM7Q2K"),
                                    ("ok cancel it. no wait.", "cancel_booking", "RM7Q2K"),
                                    ("cancel it", "ask_refund", "RM7Q2K"),
                                    ("no, cancel my paris trip instead", "cancel_booking", "PA4M8P")):
        events, messages = run(ActionQuoteCancellation(), make_tracker(waiting, text=text, intent=intent, customer=MAYA))
        assert followup(events) == [] and slots_set(events)["pending_cancellation"]["reference"] == reference, text


def test_cancel_that_right_after_booking_is_the_booking_just_made(vendors):
    reference = book_for_maya(44)
    events, messages = run(ActionQuoteCancellation(), make_tracker({"booking_reference": reference}, text="cancel that", intent="cancel_booking", customer=MAYA))
    assert slots_set(events)["pending_cancellation"]["reference"] == reference and f"Cancelling {reference}" in texts(messages)


def test_small_talk_while_a_picked_flight_waits_is_taken_back_without_a_word():
    events, messages = run(ActionResumePending(), make_tracker({"selected_offer": {"id": "off_1"}}, text="are you a bot", intent="bot_challenge"))
    assert [e["event"] for e in events] == ["rewind"] and messages == []


@pytest.mark.parametrize("text, entities, expected", [
    ("do i get a refund if i cancel", [], True), ("and if i cancel myself?", [], True),
    ("what if the airline cancels my flight", [], True), ("what's your refund policy", [], True),
    ("if i cancel my next flight do i get a refund", [], False), ("cancel my booking", [], False),
    ("refund if i cancel 7QD2YE?", [], False), ("what do i get back if i cancel rome", [("destination", "rome")], False),
    ("how much back if i cancel it", [], False),
])
def test_a_question_about_the_rules_is_not_about_a_booking(text, entities, expected):
    assert about_the_rules(make_tracker(text=text, intent="cancel_booking", entities=entities)) is expected


def test_a_question_about_the_rules_goes_on_to_the_help_center(vendors):
    events, messages = run(ActionQuoteCancellation(), make_tracker(text="would i get money back if i cancel", intent="cancel_booking", customer=MAYA))
    assert events == [{"event": "followup", "timestamp": None, "name": "action_answer_question"}] and messages == []
    waiting = {"awaiting_confirmation": "cancellation", "pending_cancellation": {"reference": "RM7Q2K"}}
    assert not about_the_rules(make_tracker(waiting, text="how much back if i cancel", intent="cancel_booking"))
    events, messages = run(ActionQuoteCancellation(), make_tracker(text="how much would i get back if i cancel rome", intent="cancel_booking", customer=MAYA))
    assert slots_set(events)["pending_cancellation"]["reference"] == "RM7Q2K"  # her trip, named without the NLU's entity
    events, _ = run(ActionQuoteCancellation(), make_tracker(text="do i get a refund if i cancel", intent="cancel_booking"))
    assert events == [{"event": "followup", "timestamp": None, "name": "action_answer_question"}]


def test_a_date_alone_while_a_new_date_is_asked_is_that_date_not_a_new_search():
    tracker = make_tracker({"awaiting_confirmation": "change_date"}, text="to the 28th", intent="search_flight")
    events, _ = run(ActionForgetPending(), tracker)
    assert [e["event"] for e in events] == ["rewind", "action", "user"] and events[-1]["parse_data"]["intent"]["name"] == "inform"
    tracker = make_tracker({"awaiting_confirmation": "change_date"}, text="to rome on the 28th", intent="search_flight")
    assert run(ActionForgetPending(), tracker)[0][0]["event"] == "slot"
