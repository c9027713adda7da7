"""Identity slots written by anyone but the session start (Rasa's HTTP API, even with its token;
a copy from another conversation) open nobody's account. Actions run against the real sandbox."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any, Dict

from actions.bookings import ActionConfirmCancellation, ActionListBookings, ActionQuoteCancellation, active_bookings
from actions.flights import ActionBookFlight
from actions.search import ActionSearchFlights
from actions.profile import ActionGreet
from actions.search_slots import ONE_WAY
from actions.session import ActionSessionStart
from actions.support import ActionAddComment, ActionListTickets, ActionTicketStatus
from common.identity import signed_customer
from tests.actions.conftest import proof_secret, seeded_customer, vendors  # noqa: F401 (fixtures)
from tests.actions.conftest import make_tracker, run, slots_set, texts

SIGN_IN = "please sign in"


def unproven(email: str, **slots: Any) -> Dict[str, Any]:
    """The ways someone without the channel's proof can set `customer_email`."""
    return {
        "api": {"customer_email": email, **slots},
        "forged proof": {"customer_email": email, "customer_proof": "f" * 64, **slots},
        "another conversation's proof": {**make_tracker(customer=email, sender="their-conversation").slots, **slots},
    }


def test_api_set_email_does_not_open_the_customers_bookings(vendors):
    customer = seeded_customer(vendors, with_bookings=True)
    crm = vendors.crm()
    references = [d.booking_reference for d in active_bookings(crm.get_contact_by_email(customer).id)]
    _, messages = run(ActionListBookings(), make_tracker(customer=customer))
    assert any(r in texts(messages) for r in references)  # what a signed-in customer sees
    for how, slots in unproven(customer).items():
        for action in (ActionListBookings(), ActionQuoteCancellation()):
            _, messages = run(action, make_tracker(slots, text=f"cancel {references[0]}", entities=[("booking_reference", references[0])]))
            assert SIGN_IN in texts(messages) and not any(r in texts(messages) for r in references), how


def test_api_set_email_does_not_open_the_customers_tickets(vendors):
    customer = seeded_customer(vendors, with_tickets=True)
    desk = vendors.ticketing()
    tickets = desk.requested_tickets(desk.find_user_by_email(customer).id)
    for how, slots in unproven(customer).items():
        for action in (ActionListTickets(), ActionTicketStatus()):
            _, messages = run(action, make_tracker(slots, entities=[("ticket_id", str(tickets[0].id))]))
            assert SIGN_IN in texts(messages) and tickets[0].subject not in texts(messages), how


def test_api_set_ticket_and_note_add_nothing_to_someone_elses_ticket(vendors):
    customer = seeded_customer(vendors, with_tickets=True)
    desk = vendors.ticketing()
    theirs = next(t for t in desk.requested_tickets(desk.find_user_by_email(customer).id) if t.status != "closed")
    before = desk.comments(theirs.id)
    intruder = f"intruder.{theirs.id}@example.com"
    for slots, tracker_customer in (({"ticket_id": str(theirs.id), "comment_text": "Refund to my card"}, intruder),
                                    ({"customer_email": customer, "ticket_id": str(theirs.id), "comment_text": "Refund to my card"}, None)):
        run(ActionAddComment(), make_tracker(slots, customer=tracker_customer))
    assert desk.comments(theirs.id) == before


def book(customer: str, days: int) -> str:
    """A flight booked in the chat by a signed-in customer: its booking reference."""
    when = (date.today() + timedelta(days=days)).isoformat()
    found, _ = run(ActionSearchFlights(), make_tracker({"origin": "BOS", "destination": "ORD", "departure_date": when, "return_date": ONE_WAY}))
    sender = f"booking-{uuid.uuid4().hex[:8]}"
    traveller = {"given_name": "Alex", "family_name": "Doe", "born_on": "1990-01-01"}
    events, _ = run(ActionBookFlight(), make_tracker({"selected_offer": slots_set(found)["offers"][0], "travellers": [traveller]}, sender=sender, customer=customer))
    return slots_set(events)["booking_reference"]


def test_a_real_quote_cannot_be_pointed_at_someone_elses_booking(vendors):
    """A signed-in customer quotes the cancellation of their own booking, then sets the pending
    cancellation through the API to name another customer's booking: nothing of theirs changes."""
    victim = seeded_customer(vendors, with_bookings=True)
    attacker = seeded_customer(vendors, other_than=[victim])
    reference = book(attacker, 44)
    events, _ = run(ActionQuoteCancellation(), make_tracker(entities=[("booking_reference", reference)], customer=attacker))
    crm = vendors.crm()
    target = active_bookings(crm.get_contact_by_email(victim).id)[0]
    pending = {**slots_set(events)["pending_cancellation"], "deal_id": target.id, "reference": target.booking_reference}
    for slots in [{"pending_cancellation": pending}] + [{"pending_cancellation": pending, **s} for s in unproven(victim).values()]:
        _, messages = run(ActionConfirmCancellation(), make_tracker(slots, customer=attacker if "customer_email" not in slots else None))
        assert "is cancelled" not in texts(messages)
    assert crm.get_deals([target.id])[0].stage == target.stage


def test_api_set_profile_is_not_greeted(vendors):
    customer = seeded_customer(vendors, with_tickets=True)
    for how, slots in unproven(customer, customer_name="Mallory", next_trip={"reference": "XYZ", "destination": "LIS", "date": "2030-01-01"},
                                open_tickets=[{"id": 1, "status": "pending", "subject": "Secret"}]).items():
        _, messages = run(ActionGreet(), make_tracker(slots))
        assert texts(messages).startswith("Hi! I'm the travel assistant"), how
        assert not any(word in texts(messages) for word in ("Mallory", "XYZ", "Secret")), how


def test_api_set_session_metadata_starts_an_anonymous_session(vendors, proof_secret):
    customer = seeded_customer(vendors)
    for metadata in ({"customer": {"email": customer, "name": "X"}},
                     {"customer": signed_customer(proof_secret, "their-conversation", customer)}):
        events = asyncio.run(ActionSessionStart().run(None, make_tracker({"session_started_metadata": metadata}), {}))
        assert slots_set(events) == {}
