"""Support actions against the sandbox's help desk: only the customer's own tickets are shown."""
from sandbox.models import Ticket
from actions.support import (
    HANDOFF_SUBJECT, ActionAddComment, ActionHandoff, ActionListTickets, ActionOpenTicket, ActionTicketStatus, ValidateCommentForm,
)
from tests.actions.conftest import MAYA, make_tracker, run, slots_set, texts

CONVERSATION = [
    {"event": "user", "text": "my bag never arrived"},
    {"event": "bot", "text": "I'm sorry to hear that."},
]


def maya_tickets(vendors):
    desk = vendors.ticketing()
    return desk.requested_tickets(desk.find_user_by_email(MAYA).id)


def test_status_of_my_latest_and_by_number(vendors):
    latest = maya_tickets(vendors)[0]
    _, messages = run(ActionTicketStatus(), make_tracker(intent="ticket_status", customer=MAYA))
    assert f"Ticket {latest.id}" in texts(messages) and latest.status in texts(messages)
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", f"#{latest.id}")], customer=MAYA))
    assert f"Ticket {latest.id}" in texts(messages)


def test_another_customers_ticket_looks_like_no_ticket(vendors):
    theirs = maya_tickets(vendors)[0]
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", str(theirs.id))], customer="daniel.okafor@example.com"))
    assert f"can't find a ticket {theirs.id}" in texts(messages) and theirs.subject not in texts(messages)
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", str(theirs.id))]))
    assert "please sign in" in texts(messages)


def test_open_tickets_listed(vendors):
    _, messages = run(ActionListTickets(), make_tracker(customer=MAYA))
    assert "pending" in texts(messages)
    _, messages = run(ActionListTickets(), make_tracker(customer="tom.becker@example.com"))
    assert "no open tickets" in texts(messages)


def test_open_a_ticket_with_the_transcript(vendors):
    slots = {"ticket_subject": "Lost bag", "ticket_description": "Bag did not arrive at BOS", "contact_email": "new.person@example.com"}
    events, messages = run(ActionOpenTicket(), make_tracker(slots, events=CONVERSATION))
    number = int(slots_set(events)["ticket_id"])
    with vendors.db.transaction() as session:
        ticket = session.get(Ticket, number)
        assert ticket.subject == "Lost bag" and "Customer: my bag never arrived" in ticket.description
    assert f"ticket {number}" in texts(messages) and "new.person@example.com" in texts(messages) and "status" not in texts(messages)


def test_handoff_marks_the_ticket_for_an_agent(vendors):
    events, messages = run(ActionHandoff(), make_tracker(text="talk to a human", events=CONVERSATION, customer=MAYA))
    number = int(slots_set(events)["ticket_id"])
    with vendors.db.transaction() as session:
        ticket = session.get(Ticket, number)
        assert set(ticket.tags) == {"assistant", "handoff"} and ticket.priority == "high"
        assert "my bag never arrived" in ticket.description
    assert "A person will email you" in texts(messages)


def test_anonymous_handoff_asks_for_an_email_first(vendors):
    events, _ = run(ActionHandoff(), make_tracker(text="talk to a human"))
    assert slots_set(events)["ticket_subject"] == HANDOFF_SUBJECT
    assert any(e.get("event") == "followup" and e.get("name") == "ticket_form" for e in events)


def test_comment_only_on_my_own_ticket(vendors):
    mine = maya_tickets(vendors)[0]
    form = ValidateCommentForm()
    assert form.validate_ticket_id(str(mine.id), None, make_tracker(customer=MAYA), {}) == {"ticket_id": str(mine.id)}
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    assert form.validate_ticket_id(str(mine.id), dispatcher, make_tracker(customer="daniel.okafor@example.com"), {}) == {"ticket_id": None}
    _, messages = run(ActionAddComment(), make_tracker({"ticket_id": str(mine.id), "comment_text": "It arrived!"}, customer=MAYA))
    assert f"added your note to ticket {mine.id}" in texts(messages)
    assert vendors.ticketing().comments(mine.id)[-1].body.endswith("It arrived!")


def test_help_desk_down_is_said_honestly(failing_desk):
    _, messages = run(ActionListTickets(), make_tracker(customer=MAYA))
    assert "couldn't reach our help desk" in texts(messages)
    events, messages = run(ActionOpenTicket(), make_tracker({"ticket_subject": "x", "ticket_description": "y", "contact_email": "a@b.co"}))
    assert "couldn't reach our help desk" in texts(messages)
