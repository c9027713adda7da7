"""Who the customer is, loaded once per session from the CRM and the help desk: name, home airport,
loyalty tier, next trip, open tickets. Used to greet by name, to start flight searches from the
home airport, and to mention a ticket that is waiting for the customer."""
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
from .places import describe as describe_place
from .places import name_of, resolve_place
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
        profile.update(customer_name=contact.first_name, loyalty_tier=contact.loyalty_tier)
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
    """Quick replies for the places this customer most likely wants, best first."""
    suggestions = profile_slot(tracker, LIKELY_SLOT) or {}
    buttons = []
    for code in (suggestions.get("destinations") or [])[:limit]:
        name = name_of(code, flights())
        title = f"{name} again?" if code in (suggestions.get("been") or []) else name
        buttons.append({"title": title, "payload": f'/inform{{"destination": "{code}"}}'})
    return buttons


TASK_BUTTONS = {
    "book": {"title": "Book a flight", "payload": "/search_flight"},
    "trips": {"title": "My trips", "payload": "/list_bookings"},
    "support": {"title": "My tickets", "payload": "/list_tickets"},
}


def greeting_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    """The greeting's quick replies, in the order this customer is likely to want them: a trip
    they are likely to book again first ("Boston to New York again?"), then the tasks."""
    suggestions = profile_slot(tracker, LIKELY_SLOT) or {}
    order = [t for t in suggestions.get("tasks") or [] if t in TASK_BUTTONS] + [t for t in TASK_BUTTONS if t not in (suggestions.get("tasks") or [])]
    buttons = [TASK_BUTTONS[t] for t in order]
    top = (suggestions.get("destinations") or [None])[0]
    home = profile_slot(tracker, "home_airport")
    if top and home and top in (suggestions.get("been") or []):
        buttons.insert(0, {"title": f"{name_of(home, flights())} to {name_of(top, flights())} again?",
                           "payload": f'/search_flight{{"destination": "{top}"}}'})
    return buttons


def home_origin(tracker: Tracker) -> Dict[str, Any]:
    """The home airport as the flight search's origin, with its label, when there is one."""
    code = profile_slot(tracker, "home_airport")
    if not code:
        return {}
    try:
        found = resolve_place(code, flights())
    except VendorError:
        return {}
    return {"origin": found.place.iata_code, "origin_label": describe_place(found.place)} if found.place else {}


def greeting(tracker: Tracker) -> str:
    name = profile_slot(tracker, "customer_name")
    hello = f"Hi {name}!" if name else "Hi!"
    lines = [f"{hello} I'm the travel assistant. I can find and book flights, show or cancel your bookings, and help with support tickets."]
    waiting = [t for t in profile_slot(tracker, "open_tickets") or [] if t["status"] == "pending"]
    if waiting:
        ticket = waiting[0]
        lines.append(f"By the way, your ticket {ticket['id']} (\"{ticket['subject']}\") is now pending: our team is waiting for your reply.")
    trip: Optional[Dict[str, str]] = profile_slot(tracker, "next_trip")
    if trip and not waiting:
        lines.append(f"Your next trip: {trip['destination']} on {describe(date.fromisoformat(trip['date']), today())} ({trip['reference']}).")
    lines.append("What can I do for you?")
    return " ".join(lines)


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=greeting(tracker), buttons=greeting_buttons(tracker))
        return []
