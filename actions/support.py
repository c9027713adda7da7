"""Support: ticket status, the customer's open tickets, opening a ticket, adding a comment, and
handing over to a person. Tickets are only shown to the customer who asked for them."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import NotFound, VendorError
from .clients.ticketing import Ticket
from .common import customer_email, latest_entities, profile_slot, say_vendor_problem, ticketing, today, transcript
from .dates import describe
from .proactive import is_triggered

SIGN_IN = "To look at support tickets I need to know it's you: please sign in on the site and ask me again. I can still open a new ticket for you."
STATUS_MEANING = {
    "new": "has been received and is waiting for an agent",
    "open": "is being worked on by our team",
    "pending": "is waiting for a reply from you",
    "hold": "is waiting on a third party, such as the airline",
    "solved": "has been solved",
    "closed": "is closed",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UNVERIFIED_TAG = "unverified_visitor"  # the ticket's contact email is the visitor's word only


def _last_update(ticket: Ticket) -> Optional[str]:
    return describe(ticket.updated_at.date(), today()) if ticket.updated_at else None


def ticket_line(ticket: Ticket) -> str:
    updated = f", last update {_last_update(ticket)}" if ticket.updated_at else ""
    return f"Ticket {ticket.id} \"{ticket.subject}\" {STATUS_MEANING.get(ticket.status, ticket.status)} ({ticket.status}{updated})."


def ticket_card(ticket: Ticket) -> Dict[str, Any]:
    """The ticket as the web widget's status card shows it."""
    return {"type": "ticket_status", "ticket": {"id": ticket.id, "subject": ticket.subject, "status": ticket.status,
                                                "updated": _last_update(ticket)}}


def tickets_of(email: str) -> List[Ticket]:
    """The tickets a customer asked for, most recently updated first."""
    user = ticketing().find_user_by_email(email)
    return ticketing().requested_tickets(user.id) if user else []


def _customer_tickets(tracker: Tracker) -> List[Ticket]:
    return tickets_of(customer_email(tracker))


def _ticket_number(value: Any) -> Optional[int]:
    match = re.search(r"\d{3,7}", str(value or ""))
    return int(match.group()) if match else None


class ActionTicketStatus(Action):
    def name(self) -> Text:
        return "action_ticket_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return [SlotSet("ticket_id", None)]
        number = _ticket_number(latest_entities(tracker, "ticket_id").get("ticket_id"))
        try:
            tickets = _customer_tickets(tracker)
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your tickets")
            return [SlotSet("ticket_id", None)]
        if number is not None:
            mine = [t for t in tickets if t.id == number]
            if is_triggered(tracker):  # the help desk's webhook, not the customer, asked
                if mine:
                    dispatcher.utter_message(text="News from our help desk: " + ticket_line(mine[0]), json_message=ticket_card(mine[0]),
                                             buttons=[{"title": "My tickets", "payload": "/list_tickets"}])
                return [SlotSet("ticket_id", None)]
            # Another customer's ticket gets the same answer as one that does not exist.
            if mine:
                dispatcher.utter_message(text=ticket_line(mine[0]), json_message=ticket_card(mine[0]))
            else:
                dispatcher.utter_message(text=f"I can't find a ticket {number} on your account. Say \"my tickets\" to see yours.")
        elif tickets:
            dispatcher.utter_message(text="Your latest ticket: " + ticket_line(tickets[0]), json_message=ticket_card(tickets[0]))
        else:
            dispatcher.utter_message(text="You don't have any support tickets. Would you like to open one?")
        return [SlotSet("ticket_id", None)]


class ActionListTickets(Action):
    def name(self) -> Text:
        return "action_list_tickets"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return []
        try:
            tickets = [t for t in _customer_tickets(tracker) if t.is_open]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your tickets")
            return []
        if not tickets:
            dispatcher.utter_message(text="You have no open tickets.")
        else:
            dispatcher.utter_message(text="Your open tickets:\n" + "\n".join(f"- {ticket_line(t)}" for t in tickets))
        return []


class ValidateTicketForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_ticket_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return ["ticket_subject", "ticket_description"] + ([] if customer_email(tracker) else ["contact_email"])

    def validate_ticket_subject(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(text="Could you say in a few words what it is about?")
            return {"ticket_subject": None}
        return {"ticket_subject": text[:150]}

    def validate_ticket_description(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(text="Please tell me a little more, so our team can help.")
            return {"ticket_description": None}
        return {"ticket_description": text[:5000]}

    def validate_contact_email(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        email = str(value or "").strip().lower()
        if not EMAIL.match(email):
            dispatcher.utter_message(text="That doesn't look like an email address. Which email can our team reach you at?")
            return {"contact_email": None}
        return {"contact_email": email}


def _open_ticket(tracker: Tracker, subject: str, description: str, tags: List[str], priority: Optional[str] = None) -> Ticket:
    """Opens a ticket with the conversation attached: the signed-in customer's own ticket.

    An anonymous visitor's email is unverified: as the requester it would put the ticket on the
    account of whoever owns that address (Zendesk attaches it to an existing user and emails
    them). So their ticket has no requester email (it stays on the assistant's own help desk
    account) and the address they gave is written into the ticket for the agent. Nothing is
    looked up either, so the reply cannot tell whether the address has an account."""
    email = customer_email(tracker)
    body = f"{description}\n\n--- Conversation with the assistant ---\n{transcript(tracker)}"
    if not email:
        body = f"Contact email given by an unverified visitor: {tracker.get_slot('contact_email')}\n\n{body}"
        tags = tags + [UNVERIFIED_TAG]
    return ticketing().create_ticket(
        subject, body, requester_email=email, requester_name=profile_slot(tracker, "customer_name"), priority=priority, tags=tags,
    )


class ActionOpenTicket(Action):
    def name(self) -> Text:
        return "action_open_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        handoff = tracker.get_slot("ticket_subject") == HANDOFF_SUBJECT
        tags = ["assistant", "handoff"] if handoff else ["assistant"]
        reset = [SlotSet(s, None) for s in ("ticket_subject", "ticket_description", "contact_email")]
        try:
            ticket = _open_ticket(tracker, tracker.get_slot("ticket_subject"), tracker.get_slot("ticket_description"), tags, "high" if handoff else None)
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "open the ticket")
            return reset
        signed_in = customer_email(tracker)
        email = signed_in or tracker.get_slot("contact_email")
        if handoff:
            dispatcher.utter_message(text=f"I've passed this to our team as ticket {ticket.id}, with our conversation attached. A person will email you at {email}, usually within a few hours.")
        elif signed_in:
            dispatcher.utter_message(text=f"I've opened ticket {ticket.id} with our conversation attached. Our team will reply to {email}; you can ask me for its status any time.")
        else:  # a visitor cannot follow the ticket here: only a signed-in customer sees ticket status
            dispatcher.utter_message(response="utter_ticket_opened_for_visitor", ticket=ticket.id, reply_to=email)
        return reset + [SlotSet("ticket_id", str(ticket.id))]


class ValidateCommentForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_comment_form"

    def validate_ticket_id(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        number = _ticket_number(value)
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return {"ticket_id": None, "requested_slot": None}
        try:
            mine = number is not None and any(t.id == number for t in _customer_tickets(tracker))
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your tickets")
            return {"ticket_id": None, "requested_slot": None}
        if not mine:
            dispatcher.utter_message(text=f"I can't find a ticket {value} on your account. Which ticket number is it?")
            return {"ticket_id": None}
        return {"ticket_id": str(number)}

    def validate_comment_text(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = str(value or "").strip()
        if not text:
            return {"comment_text": None}
        return {"comment_text": text[:5000]}


class ActionAddComment(Action):
    def name(self) -> Text:
        return "action_add_comment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number, text = _ticket_number(tracker.get_slot("ticket_id")), tracker.get_slot("comment_text")
        reset = [SlotSet("comment_text", None)]
        if not (number and text):
            return reset
        # The form checked the ticket is the customer's; slots set any other way (the HTTP API) were not.
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return reset
        try:
            mine = any(t.id == number for t in _customer_tickets(tracker))
            if mine:
                ticketing().add_comment(number, f"From the customer, via the assistant:\n{text}")
        except NotFound:
            mine = False
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "add your note to the ticket")
            return reset
        if not mine:
            dispatcher.utter_message(text=f"I can't find ticket {number} any more.")
            return reset
        dispatcher.utter_message(text=f"I've added your note to ticket {number}. The agent will see it.")
        return reset


HANDOFF_SUBJECT = "Customer asked to talk to a person"


class ActionHandoff(Action):
    """Opens a ticket marked for an agent, with the conversation, and says what happens next."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        reason = _last_request(tracker)
        stop_form = [SlotSet("requested_slot", None)]
        if not customer_email(tracker):  # an anonymous visitor: ask where the team can reach them
            return stop_form + [SlotSet("ticket_subject", HANDOFF_SUBJECT), SlotSet("ticket_description", reason), FollowupAction("ticket_form")]
        try:
            ticket = _open_ticket(tracker, HANDOFF_SUBJECT, reason, ["assistant", "handoff"], "high")
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "reach our team")
            return stop_form
        dispatcher.utter_message(
            text=f"I've passed you to our team as ticket {ticket.id}, with our conversation attached. A person will email you at "
                 f"{customer_email(tracker)}, usually within a few hours. Is there anything else I can do meanwhile?"
        )
        return stop_form + [SlotSet("ticket_id", str(ticket.id))]


def _last_request(tracker: Tracker) -> str:
    """What the customer last asked before asking for a person, for the agent's summary."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text") and not str(e["text"]).startswith("/")]
    earlier = texts[:-1]
    return f"The customer asked for a person. Their last request before that: \"{earlier[-1]}\"" if earlier else "The customer asked for a person."
