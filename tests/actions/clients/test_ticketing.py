"""TicketingClient against the running sandbox over HTTP."""
import uuid

import pytest

from actions.clients import InvalidRequest, NotFound
from actions.clients.ticketing import STATUSES
from tests.conftest import DEFAULTS


def test_open_read_comment_and_follow_a_ticket(sandbox):
    desk = sandbox.ticketing()
    email = f"new.customer.{uuid.uuid4().hex[:6]}@example.com"
    ticket = desk.create_ticket(
        "Lost bag on BOS-JFK", "My bag did not arrive.\n\nTranscript: ...", requester_email=email,
        requester_name="New Customer", priority="high", tags=["assistant", "baggage"],
    )
    assert ticket.status == "new" and ticket.priority == "high" and ticket.id > 1000
    assert set(ticket.tags) == {"assistant", "baggage"}
    assert desk.get_ticket(ticket.id) == ticket

    desk.add_comment(ticket.id, "The bag was found and is on its way.")
    bodies = [c.body for c in desk.comments(ticket.id)]
    assert bodies == ["My bag did not arrive.\n\nTranscript: ...", "The bag was found and is on its way."]

    requester = desk.find_user_by_email(email)
    assert requester is not None and requester.name == "New Customer"
    assert [t.id for t in desk.requested_tickets(requester.id)] == [ticket.id]


def test_every_status_can_be_set_until_closed(sandbox):
    desk = sandbox.ticketing()
    ticket = desk.create_ticket("Receipt", "Please send a receipt.", requester_email="maya.chen@example.com")
    for status in STATUSES[1:]:
        assert desk.set_status(ticket.id, status).status == status
    with pytest.raises(InvalidRequest) as caught:
        desk.add_comment(ticket.id, "Too late")
    assert caught.value.status == 422 and caught.value.field == "status"


def test_seeded_customer_has_tickets_newest_first(sandbox):
    desk = sandbox.ticketing()
    maya = desk.find_user_by_email("maya.chen@example.com")
    tickets = desk.requested_tickets(maya.id)
    assert {"pending", "solved"} <= {t.status for t in tickets}
    updated = [t.updated_at for t in tickets]
    assert updated == sorted(updated, reverse=True)


def test_unknown_ticket_and_user(sandbox):
    desk = sandbox.ticketing()
    with pytest.raises(NotFound) as caught:
        desk.get_ticket(99999)
    assert caught.value.code == "RecordNotFound"
    assert desk.find_user_by_email("nobody@example.com") is None


def test_blank_description_is_refused(sandbox):
    with pytest.raises(InvalidRequest) as caught:
        sandbox.ticketing().create_ticket("Subject", "   ", requester_email="maya.chen@example.com")
    assert caught.value.field == "description" and "blank" in caught.value.message


def test_without_a_requester_email_the_ticket_is_the_api_accounts_own(sandbox):
    desk = sandbox.ticketing()
    ticket = desk.create_ticket("Visitor's question", "Contact email given by an unverified visitor: x@example.com", requester_email=None)
    account = desk.find_user_by_email(DEFAULTS.zendesk_email)
    assert desk.get_user(ticket.requester_id) == account and ticket.id in {t.id for t in desk.requested_tickets(account.id)}
