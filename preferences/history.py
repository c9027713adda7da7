"""Customers' histories as one stream of interactions: bookings (CRM deals), support tickets, and
flight searches and visits to the trips page (site activity and past conversations).

For training, the histories come from the sandbox's seeded database; the seeded site activity is
derived from the seeded bookings the way customers browse (a few searches before each booking,
some for places they did not book, a look at "my trips" before a departure), with a fixed seed.
At run time the action server builds the same stream from the CRM, the help desk and the
conversation's own events.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Dict, List, Optional

from sqlalchemy import select

TASKS = ("book", "trips", "support")
SEED = 2026


@dataclass(frozen=True)
class Interaction:
    at: datetime
    task: str  # one of TASKS
    destination: Optional[str] = None  # an IATA code, for "book"


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def from_sandbox(db, today: date, seed: int = SEED) -> Dict[str, List[Interaction]]:
    """Every seeded customer's interactions up to `today`, oldest first, keyed by email."""
    from sandbox.models import Contact, Deal, HelpdeskUser, Ticket

    rng = random.Random(seed)
    end = datetime.combine(today, time(23, 59), tzinfo=timezone.utc)
    histories: Dict[str, List[Interaction]] = {}
    with db.transaction() as session:
        contacts = session.execute(select(Contact).order_by(Contact.id)).scalars().all()
        pool = sorted({d for (d,) in session.execute(select(Deal.destination).distinct()) if d})
        for contact in contacts:
            items: List[Interaction] = []
            deals = session.execute(select(Deal).where(Deal.contact_id == contact.id).order_by(Deal.closedate)).scalars().all()
            for deal in deals:
                booked = _utc(deal.closedate)
                items.append(Interaction(booked, "book", deal.destination))
                items.extend(_browsing(rng, booked, deal.destination, [p for p in pool if p != contact.home_airport]))
                if deal.departure_date and rng.random() < 0.6:
                    look = datetime.combine(deal.departure_date - timedelta(days=rng.randint(1, 10)), time(rng.randint(7, 22)), tzinfo=timezone.utc)
                    items.append(Interaction(look, "trips"))
            user = session.execute(select(HelpdeskUser).where(HelpdeskUser.external_id == str(contact.id))).scalar_one_or_none()
            if user is not None:
                for ticket in session.execute(select(Ticket).where(Ticket.requester_id == user.id)).scalars():
                    items.append(Interaction(_utc(ticket.created_at), "support"))
            histories[contact.email] = sorted((i for i in items if i.at <= end), key=lambda i: i.at)
    return histories


def _browsing(rng: random.Random, booked: datetime, destination: str, pool: List[str]) -> List[Interaction]:
    """Searches before a booking: the booked place a few times, sometimes an alternative."""
    searches = [Interaction(booked - timedelta(hours=rng.randint(1, 24 * 14)), "book", destination) for _ in range(rng.randint(1, 3))]
    if pool and rng.random() < 0.4:
        searches.append(Interaction(booked - timedelta(hours=rng.randint(1, 24 * 20)), "book", rng.choice(pool)))
    return searches
