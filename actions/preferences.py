"""What this customer is likely to want next, from the preference model (preferences/, trained by
`make train`, from the analytics store): the destinations and tasks to offer first as quick replies.

The history comes from what the session start already loads (bookings from the CRM, tickets from
the help desk) and from the conversation itself (destinations searched in earlier sessions).
Without a trained model the assistant simply offers no personal suggestions.
"""
from __future__ import annotations

import os
from datetime import datetime, time, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from preferences.history import Interaction
from preferences.model import PreferenceModel

from .clients.crm import Deal
from .clients.ticketing import Ticket
from .common import log

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "preferences.joblib"
LIKELY_SLOT = "likely"
SUGGESTED_PLACES = 3  # quick replies; the model is measured on its top four


@lru_cache(maxsize=1)
def model() -> Optional[PreferenceModel]:
    path = Path(os.environ.get("PREFERENCES_MODEL") or DEFAULT_MODEL)
    if not path.exists():
        log.warning("no preference model at %s (make train): no personal suggestions", path)
        return None
    return PreferenceModel.load(path)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _departs(deal: Deal) -> Optional[datetime]:
    return datetime.combine(deal.departure_date, time(9), timezone.utc) if deal.departure_date else None


def searched(events: Iterable[Dict[str, Any]]) -> List[Interaction]:
    """Destinations the customer settled on in earlier flight searches of this conversation."""
    return [Interaction(datetime.fromtimestamp(e["timestamp"], timezone.utc), "book", e["value"])
            for e in events if e.get("event") == "slot" and e.get("name") == "destination" and e.get("value") and e.get("timestamp")]


def history(deals: Iterable[Deal], tickets: Iterable[Ticket], events: Iterable[Dict[str, Any]]) -> List[Interaction]:
    items = [Interaction(_utc(d.closed_at), "book", d.destination, booked=True, departs=_departs(d)) for d in deals if d.closed_at and d.destination]
    items += [Interaction(_utc(t.created_at), "support") for t in tickets if t.created_at]
    return sorted(items + searched(events), key=lambda i: i.at)


def likely(deals: Iterable[Deal], tickets: Iterable[Ticket], events: Iterable[Dict[str, Any]], home: Optional[str]) -> Dict[str, Any]:
    """{"destinations": [IATA, ...], "tasks": [...], "been": [IATA, ...]}, best first; {} without a
    model or without any history to go on."""
    found = model()
    past = history(deals, tickets, events)
    if found is None or not past:
        return {}
    now = datetime.now(timezone.utc)
    return {
        "destinations": found.rank_destinations(past, now, home, SUGGESTED_PLACES),
        "tasks": found.rank_tasks(past, now),
        "been": sorted({i.destination for i in past if i.destination}),
    }
