"""The seeded customers' histories as the event stream that would have recorded them, for the demo:
Rasa's events of their conversations (searches in the flight form, bookings, "show my trips",
tickets opened) and the site's page activity (searches, page views) as the socket channel puts it
on the broker. `scripts/seed_analytics.py` feeds these events through the analytics consumer's
own path, so the preference model learns from the analytics store alone, for the demo as in
production.

Browsing is derived from the seeded bookings the way customers browse (a few searches before each
booking, some for places they did not book, a look at their trips before a departure), with a
fixed seed, so the same seed gives the same events (and the same event keys).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Dict, Iterator, List

from sqlalchemy import select

from .db import Database
from .models import Contact, Deal, HelpdeskUser, Ticket

SEED = 2026
CHAT_SHARE = 0.45  # of searches and looks at their trips made in the chat rather than on the site


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class _Events:
    """One customer's events, each stamped with the conversation id and a time."""

    def __init__(self, conversation_id: str, email: str) -> None:
        self.conversation_id, self.email, self.items = conversation_id, email, []

    def add(self, at: datetime, kind: str, **fields: Any) -> None:
        self.items.append({"event": kind, "timestamp": at.timestamp(), "sender_id": self.conversation_id, **fields})

    def said(self, at: datetime, text: str, intent: str) -> None:
        self.add(at, "user", text=text, input_channel="socket", parse_data={"intent": {"name": intent, "confidence": 0.97}, "entities": []},
                 metadata={"customer": {"email": self.email}})

    def site(self, at: datetime, **activity: Any) -> None:
        self.add(at, "site_activity", activity={**activity, "at": at.timestamp()})

    def search(self, rng: random.Random, at: datetime, origin: str, destination: str, day: date) -> None:
        if rng.random() < CHAT_SHARE:
            self.said(at, f"flights to {destination.lower()} on {day:%d %b}", "search_flight")
            self.add(at + timedelta(seconds=1), "action", name="flight_form")
            self.add(at + timedelta(seconds=1.1), "slot", name="destination", value=destination)
            self.add(at + timedelta(seconds=2), "action", name="action_search_flights")
        else:
            self.site(at, type="page_view", page="/")
            self.site(at + timedelta(seconds=20), type="search", page="/", origin=origin, destination=destination,
                      date=day.isoformat(), results=rng.randint(2, 20))

    def book(self, at: datetime, deal: Deal) -> None:
        depart = datetime.combine(deal.departure_date, time(9))
        self.said(at, "book it", "affirm")
        self.add(at + timedelta(seconds=1), "action", name="action_book_flight")
        confirmation = {"type": "booking_confirmation", "booking_reference": deal.booking_reference,
                        "offer": {"slices": [{"from": deal.origin, "to": deal.destination, "depart": depart.isoformat()}]}}
        self.add(at + timedelta(seconds=2), "bot", text=f"Booked: {deal.booking_reference}.", data={"custom": confirmation})
        self.add(at + timedelta(seconds=2.1), "slot", name="booking_reference", value=deal.booking_reference)

    def look_at_trips(self, rng: random.Random, at: datetime) -> None:
        if rng.random() < CHAT_SHARE:
            self.said(at, "show my trips", "list_bookings")
            self.add(at + timedelta(seconds=1), "action", name="action_list_bookings")
        else:
            self.site(at, type="page_view", page="/trips")

    def open_ticket(self, at: datetime, ticket_id: int) -> None:
        self.said(at, "i need help with my booking", "open_ticket")
        self.add(at + timedelta(seconds=1), "action", name="action_open_ticket")
        self.add(at + timedelta(seconds=1.1), "slot", name="ticket_id", value=str(ticket_id))


def seeded_events(db: Database, conversation_for: Callable[[str], str], until: date, seed: int = SEED) -> Iterator[Dict[str, Any]]:
    """Every seeded customer's events up to the end of `until`, each customer's in time order."""
    rng = random.Random(seed)
    end = datetime.combine(until, time(23, 59), tzinfo=timezone.utc)
    with db.transaction() as session:
        contacts = session.execute(select(Contact).order_by(Contact.id)).scalars().all()
        pool = sorted({d for (d,) in session.execute(select(Deal.destination).distinct()) if d})
        for contact in contacts:
            events = _Events(conversation_for(contact.email), contact.email)
            deals = session.execute(select(Deal).where(Deal.contact_id == contact.id).order_by(Deal.closedate)).scalars().all()
            alternatives = [p for p in pool if p != contact.home_airport]
            for deal in deals:
                booked = _utc(deal.closedate)
                for _ in range(rng.randint(1, 3)):
                    events.search(rng, booked - timedelta(minutes=rng.randint(60, 24 * 14 * 60)), deal.origin, deal.destination, deal.departure_date)
                if alternatives and rng.random() < 0.4:
                    events.search(rng, booked - timedelta(minutes=rng.randint(60, 24 * 20 * 60)), deal.origin, rng.choice(alternatives), deal.departure_date)
                events.book(booked, deal)
                if deal.departure_date and rng.random() < 0.6:
                    look = datetime.combine(deal.departure_date - timedelta(days=rng.randint(1, 10)), time(rng.randint(7, 22)), tzinfo=timezone.utc)
                    events.look_at_trips(rng, look)
            user = session.execute(select(HelpdeskUser).where(HelpdeskUser.external_id == str(contact.id))).scalar_one_or_none()
            if user is not None:
                for ticket in session.execute(select(Ticket).where(Ticket.requester_id == user.id).order_by(Ticket.id)).scalars():
                    events.open_ticket(_utc(ticket.created_at), ticket.id)
            items: List[Dict[str, Any]] = sorted((e for e in events.items if e["timestamp"] <= end.timestamp()), key=lambda e: e["timestamp"])
            yield from items
