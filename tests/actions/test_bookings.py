"""Listing and cancelling bookings against the sandbox, for the signed-in customer only."""
from datetime import date, timedelta

from actions.bookings import ActionConfirmCancellation, ActionListBookings, ActionQuoteCancellation
from actions.flights import ActionBookFlight
from actions.search import ActionSearchFlights
from actions.search_slots import ONE_WAY
from tests.actions.conftest import MAYA, make_tracker, run, slots_set, texts


def book_for_maya(days: int) -> str:
    when = (date.today() + timedelta(days=days)).isoformat()
    found, _ = run(ActionSearchFlights(), make_tracker({"origin": "BOS", "destination": "ORD", "departure_date": when, "return_date": ONE_WAY}))
    traveller = [{"given_name": "Maya", "family_name": "Chen", "born_on": "1988-04-02", "email": MAYA}]
    events, _ = run(ActionBookFlight(), make_tracker({"selected_offer": slots_set(found)["offers"][0], "travellers": traveller}, sender=f"conv-{days}", customer=MAYA))
    return slots_set(events)["booking_reference"]


def test_bookings_need_a_signed_in_customer(vendors):
    for action in (ActionListBookings(), ActionQuoteCancellation()):
        _, messages = run(action, make_tracker())
        assert "please sign in" in texts(messages)


def test_list_shows_upcoming_and_recent_trips(vendors):
    reference = book_for_maya(40)
    _, messages = run(ActionListBookings(), make_tracker(customer=MAYA))
    assert "Your upcoming trips" in texts(messages) and reference in texts(messages)
    _, messages = run(ActionListBookings(), make_tracker(customer="tom.becker@example.com"))
    assert "no bookings" in texts(messages)


def test_cancel_by_reference_after_confirming_the_refund(vendors):
    reference = book_for_maya(41)
    events, messages = run(ActionQuoteCancellation(), make_tracker(text=f"cancel {reference}", intent="cancel_booking", entities=[("booking_reference", reference)], customer=MAYA))
    pending = slots_set(events)["pending_cancellation"]
    assert pending["reference"] == reference and "Shall I cancel it?" in texts(messages)
    events, messages = run(ActionConfirmCancellation(), make_tracker({"pending_cancellation": pending}, customer=MAYA))
    assert f"booking {reference} is cancelled" in texts(messages)
    _, messages = run(ActionListBookings(), make_tracker(customer=MAYA))
    assert reference not in texts(messages)


def test_someone_elses_booking_reference_is_not_found(vendors):
    reference = book_for_maya(42)
    _, messages = run(ActionQuoteCancellation(), make_tracker(entities=[("booking_reference", reference)], customer="daniel.okafor@example.com"))
    assert "couldn't find that booking" in texts(messages)


def test_booking_made_elsewhere_is_sent_to_an_agent(vendors):
    crm = vendors.crm()
    history = crm.purchase_history(crm.get_contact_by_email("daniel.okafor@example.com").id)
    seeded = next((d for d in history if d.departure_date >= date.today()), history[0])
    _, messages = run(ActionQuoteCancellation(), make_tracker(entities=[("booking_reference", seeded.booking_reference)], customer="daniel.okafor@example.com"))
    assert ("outside this assistant" in texts(messages)) or ("couldn't find" in texts(messages))


def test_nothing_to_confirm(vendors):
    _, messages = run(ActionConfirmCancellation(), make_tracker(customer=MAYA))
    assert "no cancellation waiting" in texts(messages)
