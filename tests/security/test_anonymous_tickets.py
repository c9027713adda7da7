"""An anonymous visitor's ticket never lands on, or notifies, the account of the email they typed,
and the reply does not tell whether that email has an account. Actions run against the real
sandbox help desk."""
from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any, Dict, List, Tuple

import pytest

from actions.support import HANDOFF_SUBJECT, UNVERIFIED_TAG, ActionHandoff, ActionOpenTicket, ValidateTicketForm
from sandbox.models import Ticket
from tests.actions.conftest import proof_secret, seeded_customer, vendors  # noqa: F401 (fixtures)
from tests.actions.conftest import make_tracker, run, slots_set, texts
from tests.conftest import DEFAULTS

CONVERSATION = [{"event": "user", "text": "my refund never came"}, {"event": "bot", "text": "I'm sorry to hear that."}]


def open_ticket(email: str, subject: str, **slots: Any) -> Tuple[int, List[Dict[str, Any]], List[Dict[str, Any]]]:
    """An anonymous visitor's filled ticket form, then action_open_ticket: (ticket id, events, messages)."""
    form = {"ticket_subject": subject, "ticket_description": "Where is my refund?", "contact_email": email, **slots}
    events, messages = run(ActionOpenTicket(), make_tracker(form, events=CONVERSATION))
    return int(slots_set(events)["ticket_id"]), events, messages


def requested(vendors, email: str) -> List[int]:
    desk = vendors.ticketing()
    return [t.id for t in desk.requested_tickets(desk.find_user_by_email(email).id)]


@pytest.mark.parametrize("subject", ["Refund missing", HANDOFF_SUBJECT])
def test_a_customers_email_typed_by_a_visitor_puts_nothing_on_their_account(vendors, subject):
    customer = seeded_customer(vendors, with_tickets=True)
    before = requested(vendors, customer)
    number, _, _ = open_ticket(customer, subject)
    assert requested(vendors, customer) == before
    desk = vendors.ticketing()
    ticket = desk.get_ticket(number)
    assert desk.get_user(ticket.requester_id).email == DEFAULTS.zendesk_email  # the assistant's own account
    assert UNVERIFIED_TAG in ticket.tags
    assert f"Contact email given by an unverified visitor: {customer}" in ticket.description  # for the agent


def test_an_unknown_email_creates_no_help_desk_user_either(vendors):
    stranger = f"stranger.{uuid.uuid4().hex[:8]}@example.com"
    open_ticket(stranger, "Refund missing")
    assert vendors.ticketing().find_user_by_email(stranger) is None


def test_the_reply_is_the_same_whether_or_not_the_email_has_an_account(vendors):
    customer = seeded_customer(vendors, with_tickets=True)
    stranger = f"stranger.{uuid.uuid4().hex[:8]}@example.com"

    def outcome(email: str, subject: str) -> str:
        number, events, messages = open_ticket(email, subject)
        said = repr(events) + repr(messages) + texts(messages)
        return re.sub(rf"\b{number}\b", "<ticket>", said).replace(email, "<email>")

    for subject in ("Refund missing", HANDOFF_SUBJECT):
        assert outcome(customer, subject) == outcome(stranger, subject)
        assert "<ticket>" in outcome(stranger, subject) and "<email>" in outcome(stranger, subject)


def test_anonymous_handoff_opens_nothing_until_the_form_is_filled(vendors):
    with vendors.db.transaction() as session:
        count = session.query(Ticket).count()
    events, messages = run(ActionHandoff(), make_tracker(text="talk to a human", events=CONVERSATION))
    assert any(e.get("event") == "followup" and e.get("name") == "ticket_form" for e in events) and messages == []
    with vendors.db.transaction() as session:
        assert session.query(Ticket).count() == count


def test_an_api_set_customer_email_is_still_an_anonymous_visitor(vendors):
    customer = seeded_customer(vendors, with_tickets=True)
    before = requested(vendors, customer)
    number, _, messages = open_ticket(customer, "Refund missing", customer_email=customer, customer_name="Someone")
    assert requested(vendors, customer) == before and number not in before
    assert "ask me for its status" not in texts(messages)
    form = make_tracker({"customer_email": customer})
    assert "contact_email" in asyncio.run(ValidateTicketForm().required_slots([], None, form, {}))


def test_a_signed_in_customers_ticket_is_still_theirs(vendors):
    customer = seeded_customer(vendors, with_tickets=True)
    slots = {"ticket_subject": "Seat change", "ticket_description": "Please move me to an aisle seat."}
    events, messages = run(ActionOpenTicket(), make_tracker(slots, customer=customer))
    number = int(slots_set(events)["ticket_id"])
    assert number in requested(vendors, customer)
    ticket = vendors.ticketing().get_ticket(number)
    assert UNVERIFIED_TAG not in ticket.tags and "unverified" not in ticket.description
    assert f"reply to {customer}" in texts(messages)
