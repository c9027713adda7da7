"""Customers' histories as one stream of interactions: searches and bookings (the task "book", with
a place), looks at their trips ("trips") and at tickets or help ("support").

For training they come from the analytics store's `interactions` table, which the analytics
consumer fills from the live stream: the conversations' events and the site's page activity
(analytics/ingest.py). One signed-in customer has one conversation id, so a conversation id is a
customer. At run time the action server builds the same stream from the CRM, the help desk and
the conversation's own events (actions/preferences.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.engine import Engine

from analytics import schema

TASKS = ("book", "trips", "support")
SAME_SEARCH = timedelta(hours=1)  # the flight form sets the place again on every turn of one search
PAGE_TASKS = {"/trips": "trips", "/help": "support", "/checkout": "book"}
KIND_TASKS = {"search": "book", "booking": "book", "bookings_viewed": "trips", "tickets_viewed": "support", "ticket_opened": "support"}


@dataclass(frozen=True)
class Interaction:
    at: datetime
    task: str  # one of TASKS
    destination: Optional[str] = None  # an IATA code, for "book"
    booked: bool = False  # a booking, not a search
    departs: Optional[datetime] = None  # a booking's first flight


def _utc(value: Optional[datetime]) -> Optional[datetime]:
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)


def place_code(value: Optional[str]) -> Optional[str]:
    """An IATA code as given, or None for anything else (a place name typed on the site)."""
    value = (value or "").strip()
    return value.upper() if len(value) == 3 and value.isalpha() else None


def _interaction(row) -> Optional[Interaction]:
    task = KIND_TASKS.get(row.kind)
    if row.kind == "page_view":
        task = next((t for page, t in PAGE_TASKS.items() if (row.page or "").startswith(page)), None)
    if task is None:
        return None
    return Interaction(_utc(row.at), task, place_code(row.destination) if task == "book" else None, row.kind == "booking", _utc(row.departs_at))


def from_store(engine: Engine, until: Optional[datetime] = None) -> Tuple[Dict[str, List[Interaction]], Dict[str, Optional[str]]]:
    """Every customer's interactions (before `until`), oldest first, and their home airport (the
    place most of their searches and bookings start from), both keyed by conversation id."""
    table = schema.interactions
    query = select(table).order_by(table.c.conversation_id, table.c.at, table.c.id)
    if until is not None:
        query = query.where(table.c.at < until)
    histories: Dict[str, List[Interaction]] = {}
    origins: Dict[str, Counter] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            items = histories.setdefault(row.conversation_id, [])
            origin = place_code(row.origin)
            if origin:
                origins.setdefault(row.conversation_id, Counter())[origin] += 1
            found = _interaction(row)
            if found is None:
                continue
            repeat = next((i for i in reversed(items) if not i.booked and i.task == "book"), None)
            if (row.kind == "search" and repeat and repeat.destination == found.destination and found.at - repeat.at < SAME_SEARCH):
                continue
            items.append(found)
    homes = {c: (origins[c].most_common(1)[0][0] if c in origins else None) for c in histories}
    return histories, homes
