"""Reading conversations for review: the filtered list and one conversation's transcript."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, exists, func, select
from sqlalchemy.engine import Engine

from analytics import schema as a
from common.buttons import button_titles

from . import schema as r

LOW_CONFIDENCE = 0.6
SEARCH_ACTION = "action_search_flights"
PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    fallback: bool = False
    handoff: bool = False
    difficulty: bool = False  # frustration or confusion flagged in what the customer wrote
    low_confidence: bool = False
    search_no_booking: bool = False
    since: Optional[date] = None
    until: Optional[date] = None
    tag: Optional[str] = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        def day(name: str) -> Optional[date]:
            try:
                return date.fromisoformat(args.get(name, ""))
            except ValueError:
                return None

        flags = {name: args.get(name) == "1" for name in ("fallback", "handoff", "difficulty", "low_confidence", "search_no_booking")}
        return cls(**flags, since=day("since"), until=day("until"), tag=(args.get("tag") or "").strip()[:40] or None)


def _has(table, conversation, *conditions):
    return exists().where(table.c.conversation_id == conversation, *conditions)


def conversations(engine: Engine, filters: Filters) -> List[Dict[str, Any]]:
    c = a.conversations
    conv = c.c.conversation_id
    low = and_(a.turns.c.confidence < LOW_CONFIDENCE, a.turns.c.triggered.is_(False), a.turns.c.intent.isnot(None))
    flags = {
        "fallback": _has(a.fallbacks, conv),
        "handoff": _has(a.handoffs, conv),
        "difficulty": _has(a.turns, conv, a.turns.c.difficulty.isnot(None)),
        "low_confidence": _has(a.turns, conv, low),
        "booking": _has(a.bookings, conv),
        "search": _has(a.actions, conv, a.actions.c.name == SEARCH_ACTION),
    }
    turns = select(func.count()).where(a.turns.c.conversation_id == conv, a.turns.c.triggered.is_(False)).scalar_subquery()
    lowest = select(func.min(a.turns.c.confidence)).where(a.turns.c.conversation_id == conv, a.turns.c.triggered.is_(False)).scalar_subquery()
    query = select(c, turns.label("turns"), lowest.label("lowest_confidence"), *(f.label(n) for n, f in flags.items()))
    for name in ("fallback", "handoff", "difficulty", "low_confidence"):
        if getattr(filters, name):
            query = query.where(flags[name])
    if filters.search_no_booking:
        query = query.where(flags["search"], ~flags["booking"])
    if filters.since:
        query = query.where(c.c.started_at >= datetime.combine(filters.since, time.min, timezone.utc))
    if filters.until:
        query = query.where(c.c.started_at < datetime.combine(filters.until + timedelta(days=1), time.min, timezone.utc))
    if filters.tag:
        query = query.where(_has(r.tags, conv, r.tags.c.tag == filters.tag))
    query = query.order_by(c.c.last_event_at.desc()).limit(PAGE_SIZE)
    with engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
        ids = [row["conversation_id"] for row in rows]
        tagged: Dict[str, List[str]] = {}
        if ids:
            for cid, tag in conn.execute(select(r.tags.c.conversation_id, r.tags.c.tag).where(r.tags.c.conversation_id.in_(ids)).order_by(r.tags.c.tag)):
                tagged.setdefault(cid, []).append(tag)
    for row in rows:
        row["tags"] = tagged.get(row["conversation_id"], [])
    return rows


def transcript(engine: Engine, conversation_id: str) -> Optional[Dict[str, Any]]:
    """The conversation in order: customer turns with how they were understood, the assistant's
    messages and actions; plus its tags and notes."""
    with engine.connect() as conn:
        head = conn.execute(select(a.conversations).where(a.conversations.c.conversation_id == conversation_id)).mappings().first()
        if head is None:
            return None
        items: List[Dict[str, Any]] = []
        for kind, table, columns in (
            ("turn", a.turns, ("text", "intent", "confidence", "entities", "frustration", "confusion", "difficulty", "triggered")),
            ("bot", a.bot_messages, ("text", "data")),
            ("action", a.actions, ("name", "policy", "confidence")),
        ):
            for row in conn.execute(select(table).where(table.c.conversation_id == conversation_id)).mappings():
                items.append({"kind": kind, "at": row["at"], "key": row["event_key"], **{k: row[k] for k in columns}})
        # The events table holds them in the order Rasa sent them.
        position = dict(conn.execute(select(a.event_log.c.event_key, a.event_log.c.id).where(a.event_log.c.conversation_id == conversation_id)).all())
        tags = [t for (t,) in conn.execute(select(r.tags.c.tag).where(r.tags.c.conversation_id == conversation_id).order_by(r.tags.c.tag))]
        notes = [dict(n) for n in conn.execute(select(r.notes).where(r.notes.c.conversation_id == conversation_id).order_by(r.notes.c.created_at)).mappings()]
    items.sort(key=lambda item: (position.get(item["key"], 0), item["at"]))
    titles: Dict[str, str] = {}  # a clicked button's payload → the title the customer saw
    for item in items:
        if item["kind"] == "bot":
            titles = button_titles(item["data"]) or titles
        elif item["kind"] == "turn" and str(item["text"] or "").startswith("/"):
            item["button"] = titles.get(item["text"])
    return {"conversation": dict(head), "items": [i for i in items if not (i["kind"] == "action" and i["name"] == "action_listen")],
            "tags": tags, "notes": notes, "low_confidence": LOW_CONFIDENCE}


def events(engine: Engine, conversation_id: str) -> List[Dict[str, Any]]:
    """Every event of the conversation as Rasa sent it, in the order they were stored."""
    with engine.connect() as conn:
        rows = conn.execute(select(a.event_log.c.body).where(a.event_log.c.conversation_id == conversation_id).order_by(a.event_log.c.id))
        return [body for (body,) in rows]
