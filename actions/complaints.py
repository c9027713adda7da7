"""A complaint about a request the customer already made ("still nobody answered about my
assistance request"): the assistant finds the ticket, adds the customer's words to it as an
internal note for the agent, says where the ticket stands, and offers a person. A ticket already
solved or closed gets no note (Zendesk refuses updates to a closed one, and nobody works a solved
one): the customer is told, and offered a person or a new ticket.

A complaint about a booking ("my flight to rome got cancelled and nobody told me") names it by its
reference or by its destination's city: the assistant finds it among the customer's bookings
(cancelled ones too), says what our records show (the trip, and whether it is cancelled), adds the
complaint to the open ticket about that booking or opens a ticket for it with the booking's
details, and offers a person; the help article that fits the complaint follows, if one does.

Only a signed-in customer's own tickets and bookings are looked at. The note is internal (Zendesk lets the
assistant's agent account add one): the agent sees it, the customer gets no email quoting their
own words back, and nothing else about the ticket (status, priority, assignee) is changed. A
visitor who is not signed in is asked to sign in, or for the ticket number, which is then passed
to our team in a new ticket (the visitor's email is asked for by the ticket form).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Sequence, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import articles
from .bookings import CHASING, trip_line, trips_named
from .clients import NotFound, VendorError
from .clients.crm import Deal
from .clients.ticketing import Ticket
from .common import crm, customer_email, latest_entities, ticketing, today
from .dates import describe
from .support import open_ticket, tickets_about, tickets_of, topic_of

log = logging.getLogger(__name__)

NOTE = "The customer followed up through the assistant (not sent to the customer):\n{text}"
VISITOR_SUBJECT = "Follow-up on ticket {number} from a visitor who is not signed in"
BOOKING_SUBJECT = "Complaint about booking {reference} ({origin} to {destination})"
BOOKING_DESCRIPTION = "The customer complained about booking {reference} through the assistant:\n{text}\n\nOur records: {trip} ({state})."
REFERENCE = re.compile(r"\b[a-z0-9]{6}\b")
NUMBER = re.compile(r"\b\d{3,7}\b")
REPLY_CHARS = 200
# Words by which a complaint refers to a request already made, rather than to a trip.
A_REQUEST = re.compile(r"\b(?:ticket|case|request|claim|complaint|report|enquiry|inquiry)s?\b", re.I)


def _best(tickets: Sequence[Ticket], words: Set[str]) -> Optional[Ticket]:
    """The ticket most about the complaint's words, when one clearly is."""
    about = tickets_about(tickets, words)
    return about[0] if len(about) == 1 else None


def matching_ticket(tickets: Sequence[Ticket], text: str) -> Optional[Ticket]:
    """The ticket the complaint is about: the open one it names by its words, or the only open
    one; with no open ticket, a solved or closed one it names, or the customer's only ticket.
    None when that is not clear."""
    words = topic_of(text)
    open_tickets = [t for t in tickets if t.is_open]
    if open_tickets:
        return _best(open_tickets, words) or (open_tickets[0] if len(open_tickets) == 1 else None)
    return _best(tickets, words) or (tickets[0] if len(tickets) == 1 else None)


def ticket_number(tracker: Tracker) -> Optional[int]:
    value = latest_entities(tracker, "ticket_id").get("ticket_id") or ""
    match = NUMBER.search(value) or NUMBER.search(str(tracker.latest_message.get("text") or ""))
    return int(match.group()) if match else None


def _last_reply(ticket: Ticket) -> str:
    """The latest public comment by someone other than the customer: what they are waiting on."""
    replies = [c for c in ticketing().comments(ticket.id) if c.public and c.author_id != ticket.requester_id]
    if not replies:
        return ""
    body = " ".join(replies[-1].body.split())
    return body if len(body) <= REPLY_CHARS else body[:REPLY_CHARS].rsplit(" ", 1)[0] + "…"


def _about(ticket: Ticket) -> Dict[str, Any]:
    changed = ticket.updated_at or ticket.created_at
    return {"ticket": ticket.id, "subject": ticket.subject, "updated": describe(changed.date(), today()) if changed else "recently"}


def _note(dispatcher: CollectingDispatcher, ticket: Ticket, text: str) -> None:
    ticketing().add_comment(ticket.id, NOTE.format(text=text), public=False)
    variables = _about(ticket)
    if ticket.status == "pending":
        variables["last_reply"] = _last_reply(ticket)
        if not variables["last_reply"]:
            dispatcher.utter_message(response="utter_complaint_noted_open", **variables)
            return
    dispatcher.utter_message(response=f"utter_complaint_noted_{ticket.status}", **variables)


def booking_named(email: str, tracker: Tracker) -> Optional[Deal]:
    """The customer's booking the complaint names by its reference or its destination's city,
    cancelled ones too; of several to one city, the one departing soonest from today (else the
    latest one). None when it names none."""
    try:
        deals = crm().purchase_history(crm().get_contact_by_email(email).id)
    except NotFound:
        return None
    text = str(tracker.latest_message.get("text") or "").lower()
    said = {w.upper() for w in REFERENCE.findall(text)} | {latest_entities(tracker, "booking_reference").get("booking_reference", "").upper().lstrip("#")}
    named = [d for d in deals if d.booking_reference and d.booking_reference.upper() in said] or trips_named(deals, text)
    if not named:
        return None
    ahead = sorted((d for d in named if d.departure_date and d.departure_date >= today()), key=lambda d: d.departure_date)
    return ahead[0] if ahead else max(named, key=lambda d: d.departure_date or today())


def _booking_complaint(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, email: str, deal: Deal, text: str) -> None:
    """Adds the complaint to the open ticket that names the booking, or opens one with the
    booking's details."""
    cancelled = deal.stage == "closedlost"
    trip = trip_line(deal, domain)
    naming = [t for t in tickets_of(email) if t.is_open and deal.booking_reference and deal.booking_reference in f"{t.subject} {t.description}"]
    ticket = naming[0] if naming else None
    if ticket is not None:
        ticketing().add_comment(ticket.id, NOTE.format(text=text), public=False)
        dispatcher.utter_message(response="utter_complaint_booking_noted", trip=trip, ticket=ticket.id, subject=ticket.subject)
    else:
        values = {"reference": deal.booking_reference, "origin": deal.origin, "destination": deal.destination}
        opened = open_ticket(tracker, BOOKING_SUBJECT.format(**values),
                             BOOKING_DESCRIPTION.format(text=text, trip=trip, state="cancelled" if cancelled else "booked", **values),
                             ["assistant", "complaint"])
        dispatcher.utter_message(response="utter_complaint_booking_cancelled" if cancelled else "utter_complaint_booking_booked",
                                 trip=trip, ticket=opened.id, email=email)
    article = articles.sure_answer(text)
    if article:
        dispatcher.utter_message(response="utter_offer_help_article", title=article.title, link=article.html_url)


def _which_buttons(tickets: Sequence[Ticket]) -> List[Dict[str, str]]:
    return [{"title": f"{t.id}: {t.subject}"[:60], "payload": f'/ticket_complaint{{"ticket_id": "{t.id}"}}'} for t in tickets if t.is_open][:5]


class ActionTicketComplaint(Action):
    def name(self) -> Text:
        return "action_ticket_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        said = str(tracker.latest_message.get("text") or "")
        waiting = tracker.get_slot("complaint_text")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "ticket_complaint" and not waiting:
            return [FollowupAction("action_ticket_status")]  # a status question right after a complaint
        # The complaint is the customer's words; a later message only names the ticket.
        text = waiting or said
        number = ticket_number(tracker)
        done = [SlotSet("complaint_text", None)]
        email = customer_email(tracker)
        if not email:
            return self._visitor(dispatcher, text, number)
        try:
            tickets = tickets_of(email)
            # "you closed my case about the suitcase from my lisbon flight", "i wrote twice about my refund
            # for the paris flight, nobody answers": the request made, before the booking
            asked_before = A_REQUEST.search(text) or CHASING.search(text)
            named = _best(tickets, topic_of(text)) if number is None and not waiting and asked_before else None
            deal = booking_named(email, tracker) if number is None and not waiting and named is None else None
            if deal is not None:
                _booking_complaint(dispatcher, tracker, domain, email, deal, text)
                return done
            if named is not None:
                ticket = named
            elif number is not None:
                ticket = next((t for t in tickets if t.id == number), None)
                if ticket is None:  # another customer's ticket gets the same answer as none at all
                    dispatcher.utter_message(response="utter_complaint_ticket_not_found", ticket=number)
                    return done
            else:
                ticket = matching_ticket(tickets, text)
            if ticket is None and any(t.is_open for t in tickets):
                dispatcher.utter_message(response="utter_complaint_which_ticket", buttons=_which_buttons(tickets))
                return [SlotSet("complaint_text", text)]
            if ticket is None:
                dispatcher.utter_message(response="utter_complaint_no_open_ticket")
            elif ticket.is_open:
                _note(dispatcher, ticket, text)
            else:  # a closed ticket takes no note, and nobody reads one added to a solved ticket
                dispatcher.utter_message(response=f"utter_complaint_ticket_{ticket.status}", **_about(ticket))
        except VendorError as exc:
            log.warning("complaint about a ticket failed: %s", exc)
            dispatcher.utter_message(response="utter_complaint_help_desk_down")
        return done

    @staticmethod
    def _visitor(dispatcher: CollectingDispatcher, text: str, number: Optional[int]) -> List[EventType]:
        if number is None:
            dispatcher.utter_message(response="utter_complaint_sign_in")
            return [SlotSet("complaint_text", text)]
        # The ticket form asks where our team can reach the visitor, then opens the ticket.
        return [SlotSet("complaint_text", None), SlotSet("ticket_subject", VISITOR_SUBJECT.format(number=number)),
                SlotSet("ticket_description", text), FollowupAction("ticket_form")]
