"""Who the customer is, loaded once per session from the CRM and the help desk: name, home airport,
loyalty tier, next trip, open tickets. Used to greet by name, to start flight searches from the
home airport (actions/trip.py), and to mention a ticket that is waiting for the customer. The greeting's words and
buttons are the domain's (utter_greet*, and the phrases its buttons are made of)."""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .bookings import active_bookings
from .clients import NotFound, VendorError
from .clients.crm import Deal
from .clients.ticketing import Ticket
from .common import crm, flights, log, profile_slot, today
from .dates import describe
from .phrases import phrase, phrase_buttons
from .places import name_of
from .preferences import LIKELY_SLOT, likely
from .support import tickets_of


def load_profile(email: str, events: Iterable[Dict[str, Any]] = ()) -> Dict[str, Any]:
    """The slots a signed-in customer's session starts with, and what they are likely to want
    (from their bookings, tickets and the conversation's earlier `events`). A system that cannot
    be reached leaves its part out: the conversation starts anyway."""
    profile: Dict[str, Any] = {}
    deals: List[Deal] = []
    tickets: List[Ticket] = []
    try:
        contact = crm().get_contact_by_email(email)
        profile.update(customer_name=contact.first_name or None, loyalty_tier=contact.loyalty_tier)
        if contact.home_airport:
            profile["home_airport"] = contact.home_airport
        deals = active_bookings(contact.id)
        upcoming = [d for d in deals if d.departure_date and d.departure_date >= today()]
        if upcoming:
            trip = min(upcoming, key=lambda d: d.departure_date)
            profile["next_trip"] = {"reference": trip.booking_reference, "destination": trip.destination, "date": trip.departure_date.isoformat()}
    except NotFound:
        pass
    except VendorError as exc:
        log.warning("could not load the CRM profile: %s", exc)
    try:
        tickets = tickets_of(email)
        profile["open_tickets"] = [{"id": t.id, "status": t.status, "subject": t.subject} for t in tickets if t.is_open][:5]
    except VendorError as exc:
        log.warning("could not load the customer's tickets: %s", exc)
    suggestions = likely(deals, tickets, events, profile.get("home_airport"))
    if suggestions:
        profile[LIKELY_SLOT] = suggestions
    return profile


def destination_buttons(tracker: Tracker, limit: int = 3) -> List[Dict[str, str]]:
    """Quick replies for the places this customer most likely wants, best first: a place they have
    been to is titled by the phrase `utter_phrase_place_again` ("Lisbon (LIS) again?")."""
    suggestions = profile_slot(tracker, LIKELY_SLOT) or {}
    buttons = []
    for code in (suggestions.get("destinations") or [])[:limit]:
        name = name_of(code, flights())
        title = phrase("place_again", place=name) if code in (suggestions.get("been") or []) else name
        buttons.append({"title": title, "payload": f'/inform{{"destination": "{code}"}}'})
    return buttons


# The preference model's tasks, and the payload of the greeting's button for each.
TASK_PAYLOADS = {"book": "/search_flight", "trips": "/list_bookings", "support": "/list_tickets"}


def greeting_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    """The greeting's quick replies (the phrase `utter_phrase_greeting_tasks`), in the order this
    customer is likely to want them, after a trip they are likely to book again ("Boston (BOS) to
    Lisbon (LIS) again?", the phrase `utter_phrase_route_again`)."""
    suggestions = profile_slot(tracker, LIKELY_SLOT) or {}
    first = [TASK_PAYLOADS[t] for t in suggestions.get("tasks") or [] if t in TASK_PAYLOADS]
    buttons = sorted(phrase_buttons("greeting_tasks"), key=lambda b: first.index(b["payload"]) if b["payload"] in first else len(first))
    top = (suggestions.get("destinations") or [None])[0]
    home = profile_slot(tracker, "home_airport")
    if top and home and top in (suggestions.get("been") or []):
        title = phrase("route_again", origin=name_of(home, flights()), destination=name_of(top, flights()))
        buttons.insert(0, {"title": title, "payload": f'/search_flight{{"destination": "{top}"}}'})
    return buttons


def greeting(tracker: Tracker) -> Dict[str, Any]:
    """The greeting's response and variables: by name when the customer is known, with a ticket
    that waits for their reply or else their next trip."""
    name = profile_slot(tracker, "customer_name")
    waiting = [t for t in profile_slot(tracker, "open_tickets") or [] if t["status"] == "pending"]
    trip: Optional[Dict[str, str]] = profile_slot(tracker, "next_trip")
    if waiting:
        return {"response": "utter_greet_ticket_waiting", "name": name, "ticket": waiting[0]["id"], "subject": waiting[0]["subject"]}
    if trip:
        day = describe(date.fromisoformat(trip["date"]), today())
        return {"response": "utter_greet_next_trip", "name": name, "destination": trip["destination"], "day": day, "reference": trip["reference"]}
    return {"response": "utter_greet_by_name", "name": name} if name else {"response": "utter_greet"}


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if (tracker.active_loop or {}).get("name"):  # a hello inside a form: its question follows, so none here
            dispatcher.utter_message(response="utter_greet_in_form")
            return []
        dispatcher.utter_message(**greeting(tracker), buttons=greeting_buttons(tracker))
        return []
