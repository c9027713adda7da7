"""One Rasa event in, rows out: in one transaction with the event's key, so an event delivered
twice (a broker redelivery, a replay) is written once.

Besides Rasa's events the stream carries the site's page activity as `site_activity` events (the
socket channel publishes them to the same broker): they become `interactions` rows only, since they
are not part of any conversation Rasa could replay."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from . import schema

FALLBACK_ACTIONS = {
    "action_default_fallback": "action_default_fallback",
    "action_default_ask_rephrase": "ask_rephrase",
    "action_default_ask_affirmation": "ask_affirmation",
}
TICKET_ACTIONS = {"action_open_ticket": False, "action_handoff": True}
EXTERNAL_PREFIX = "EXTERNAL: "
SITE_ACTIVITY = "site_activity"
VIEW_ACTIONS = {"action_list_bookings": "bookings_viewed", "action_list_tickets": "tickets_viewed", "action_ticket_status": "tickets_viewed"}
# A place the flight form settled on is an IATA code; what the customer typed before it is not.
PLACE_CODE = re.compile(r"^[A-Z]{3}$")


class Unreadable(ValueError):
    """Not a Rasa event this consumer can read; goes to the dead-letter queue."""


def parse(body: bytes) -> Dict[str, Any]:
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unreadable(f"not JSON: {exc}") from None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str) or not event.get("sender_id"):
        raise Unreadable("not a Rasa event (needs `event` and `sender_id`)")
    if not isinstance(event.get("timestamp"), (int, float)):
        raise Unreadable("event has no timestamp")
    return event


def event_key(event: Dict[str, Any]) -> str:
    """The same event (same conversation, kind, time and content) always has the same key."""
    return hashlib.sha256(json.dumps(event, sort_keys=True, default=str).encode()).hexdigest()


def ingest(engine: Engine, event: Dict[str, Any], attempts: int = 3) -> bool:
    """Writes the event's rows; False when it had been written before. Another consumer writing
    the same conversation's first row at the same moment is a conflict to retry, not a duplicate."""
    key = event_key(event)
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                conn.execute(insert(schema.processed_events).values(event_key=key))
                _write(conn, key, event)
            return True
        except IntegrityError:
            with engine.connect() as conn:
                if conn.execute(select(schema.processed_events.c.event_key).where(schema.processed_events.c.event_key == key)).first():
                    return False
            if attempt == attempts - 1:
                raise
    return False


def ingest_batch(engine: Engine, events: Iterable[Dict[str, Any]]) -> int:
    """Writes many events in one transaction (a replay, the demo's seeding), skipping those
    written before; the number written. Rows as `ingest` writes them, without a commit per event."""
    written = 0
    with engine.begin() as conn:
        for event in events:
            key = event_key(event)
            if conn.execute(select(schema.processed_events.c.event_key).where(schema.processed_events.c.event_key == key)).first():
                continue
            conn.execute(insert(schema.processed_events).values(event_key=key))
            _write(conn, key, event)
            written += 1
    return written


def _write(conn, key: str, event: Dict[str, Any]) -> None:
    conversation = str(event["sender_id"])
    at = datetime.fromtimestamp(float(event["timestamp"]), timezone.utc)
    common = {"event_key": key, "conversation_id": conversation, "at": at}
    kind = event["event"]
    if kind == SITE_ACTIVITY:
        _site_activity(conn, common, event.get("activity"))
        return
    state = _conversation(conn, conversation, at, event)
    conn.execute(insert(schema.event_log).values(**common, type=kind, body=event))
    if kind == "user":
        parse_data = event.get("parse_data") or {}
        intent = parse_data.get("intent") or {}
        difficulty = parse_data.get("difficulty") or {}
        text = event.get("text")
        conn.execute(insert(schema.turns).values(
            **common, text=text, intent=intent.get("name"), confidence=intent.get("confidence"),
            entities=[{"entity": e.get("entity"), "value": e.get("value")} for e in parse_data.get("entities") or []],
            frustration=difficulty.get("frustration"), confusion=difficulty.get("confusion"), difficulty=difficulty.get("kind"),
            channel=event.get("input_channel"), triggered=str(text or "").startswith(EXTERNAL_PREFIX),
        ))
        if intent.get("name") == "nlu_fallback":
            conn.execute(insert(schema.fallbacks).values(**common, kind="nlu_fallback", text=text))
        metadata = event.get("metadata") or {}
        if isinstance(metadata, dict) and metadata.get("customer") and not state["customer"]:
            conn.execute(update(schema.conversations).where(schema.conversations.c.conversation_id == conversation).values(customer=True))
    elif kind == "action":
        name = event.get("name")
        conn.execute(insert(schema.actions).values(**common, name=name, policy=event.get("policy"), confidence=event.get("confidence")))
        if name in FALLBACK_ACTIONS:
            conn.execute(insert(schema.fallbacks).values(**common, kind=FALLBACK_ACTIONS[name]))
        if name == "action_handoff":
            conn.execute(insert(schema.handoffs).values(**common))
        if name in VIEW_ACTIONS:
            conn.execute(insert(schema.interactions).values(**common, kind=VIEW_ACTIONS[name], source="chat"))
        if name != "action_listen":
            conn.execute(update(schema.conversations).where(schema.conversations.c.conversation_id == conversation).values(last_action=name))
    elif kind == "bot":
        conn.execute(insert(schema.bot_messages).values(**common, text=event.get("text"), data=event.get("data")))
        booked = _booked_flight(event.get("data"))
        if booked:
            conn.execute(insert(schema.interactions).values(**common, kind="booking", source="chat", **booked))
    elif kind == "slot" and event.get("value"):
        last = state["last_action"]
        if event.get("name") == "booking_reference" and last == "action_book_flight":
            conn.execute(insert(schema.bookings).values(**common, booking_reference=str(event["value"])))
        elif event.get("name") == "ticket_id" and last in TICKET_ACTIONS:
            conn.execute(insert(schema.tickets_opened).values(**common, ticket_id=str(event["value"]), handoff=TICKET_ACTIONS[last]))
            conn.execute(insert(schema.interactions).values(**common, kind="ticket_opened", source="chat"))
        elif event.get("name") == "destination" and PLACE_CODE.match(str(event["value"])):
            conn.execute(insert(schema.interactions).values(**common, kind="search", source="chat", destination=event["value"]))


def _booked_flight(data: Any) -> Optional[Dict[str, Any]]:
    """Where a booking confirmation (the card action_book_flight sends) goes: its first flight."""
    custom = data.get("custom") if isinstance(data, dict) else None
    if not isinstance(custom, dict) or custom.get("type") != "booking_confirmation":
        return None
    slices = (custom.get("offer") or {}).get("slices") or [{}]
    first = slices[0] if isinstance(slices[0], dict) else {}
    try:
        departs = datetime.fromisoformat(str(first.get("depart")))
    except ValueError:
        departs = None
    if departs is not None and departs.tzinfo is None:
        departs = departs.replace(tzinfo=timezone.utc)
    return {"origin": first.get("from"), "destination": first.get("to"), "departs_at": departs}


def _day(value: Any) -> Optional[datetime]:
    """The day a site booking's first flight leaves ("2026-07-01"), at midnight UTC; None if unreadable."""
    try:
        return datetime.fromisoformat(str(value)[:10]).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _site_activity(conn, common: Dict[str, Any], activity: Any) -> None:
    """A search, a booking or a page view on the site; other activity (form errors, idling) is for
    the proactive engine, not for the history."""
    if not isinstance(activity, dict):
        return
    text = lambda field: str(activity[field])[:200] if activity.get(field) else None  # noqa: E731
    if activity.get("type") == "search":
        conn.execute(insert(schema.interactions).values(**common, kind="search", source="site", origin=text("origin"), destination=text("destination")))
    elif activity.get("type") == "booking":
        conn.execute(insert(schema.interactions).values(**common, kind="booking", source="site", origin=text("origin"),
                                                        destination=text("destination"), departs_at=_day(activity.get("date"))))
    elif activity.get("type") == "page_view" and activity.get("page"):
        conn.execute(insert(schema.interactions).values(**common, kind="page_view", source="site", page=text("page")))


def _conversation(conn, conversation: str, at: datetime, event: Dict[str, Any]) -> Dict[str, Any]:
    table = schema.conversations
    row = conn.execute(select(table).where(table.c.conversation_id == conversation)).mappings().first()
    if row is None:
        conn.execute(insert(table).values(conversation_id=conversation, channel=event.get("input_channel"), customer=False,
                                          started_at=at, last_event_at=at))
        return {"customer": False, "last_action": None}
    changes: Dict[str, Optional[Any]] = {}
    if at > row["last_event_at"].replace(tzinfo=row["last_event_at"].tzinfo or timezone.utc):
        changes["last_event_at"] = at
    if not row["channel"] and event.get("input_channel"):
        changes["channel"] = event["input_channel"]
    if changes:
        conn.execute(update(table).where(table.c.conversation_id == conversation).values(**changes))
    return dict(row)
