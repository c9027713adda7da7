"""The channel's own tables: the outbox of messages waiting for an offline customer, the page
activity the site reports, and what the proactive engine must remember per conversation (opt-out,
the last unsolicited offer, webhook events already handled). SQLite by default, PostgreSQL (shared
by every instance) by URL.

A message in the outbox is handed over, in order, when the customer next connects. A client that
acknowledges what it shows (our widget) has each message removed when it says so, so a push that
went to a connection which had silently died is sent again; for other clients taking a message out
is the same transaction that reads it, so two connecting tabs or instances never both deliver it.
Messages expire after `outbox_ttl_seconds` (and at most MAX_WAITING wait per conversation), so a
flooder's unread replies are not kept for ever.
"""
from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, delete, func, select
from sqlalchemy.exc import IntegrityError

from common.sql import create_tables, sql_engine

metadata = MetaData()
outbox_table = Table(
    "channel_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(80), nullable=False, index=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
activity_table = Table(
    "page_activity",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(80), nullable=False, index=True),
    Column("activity", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

proactive_table = Table(
    "proactive_state",
    metadata,
    Column("conversation_id", String(80), primary_key=True),
    Column("opted_out", Boolean, nullable=False, default=False),
    Column("last_offer_at", Float),
    Column("offers", Integer, nullable=False, default=0),
)
handled_events_table = Table(
    "handled_events",
    metadata,
    Column("event_id", String(80), primary_key=True),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
RECENT_ACTIVITY_ROWS = 200
MAX_WAITING = 50  # messages kept per conversation; the oldest go first
DEFAULT_OUTBOX_TTL_SECONDS = 7 * 24 * 3600
HANDLED_EVENTS_TTL_SECONDS = 24 * 3600  # longer than any webhook's replay window
PURGE_EVERY_SECONDS = 60


def _payload(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else json.loads(value)


class ChannelStore:
    def __init__(self, url: str, outbox_ttl_seconds: float = DEFAULT_OUTBOX_TTL_SECONDS) -> None:
        self.engine = sql_engine(url)
        self.outbox_ttl_seconds = outbox_ttl_seconds
        self._purged_at = 0.0
        create_tables(self.engine, metadata)

    def _cutoff(self, seconds: float) -> datetime:
        cutoff = datetime.now(timezone.utc) - timedelta(seconds=seconds)
        # SQLite keeps CURRENT_TIMESTAMP as naive UTC text: compare like with like.
        return cutoff.replace(tzinfo=None) if self.engine.dialect.name == "sqlite" else cutoff

    def _put(self, conversation_id: str, payloads: List[Dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            conn.execute(outbox_table.insert(), [{"conversation_id": conversation_id, "payload": p} for p in payloads])
            ids = conn.execute(select(outbox_table.c.id).where(outbox_table.c.conversation_id == conversation_id)
                               .order_by(outbox_table.c.id.desc()).offset(MAX_WAITING)).scalars().all()
            if ids:
                conn.execute(delete(outbox_table).where(outbox_table.c.id.in_(ids)))
        if time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS:
            self.purge()

    def purge(self) -> None:
        """Removes expired messages and webhook events older than any replay window."""
        self._purged_at = time.monotonic()
        with self.engine.begin() as conn:
            conn.execute(delete(outbox_table).where(outbox_table.c.created_at < self._cutoff(self.outbox_ttl_seconds)))
            conn.execute(delete(handled_events_table).where(handled_events_table.c.created_at < self._cutoff(HANDLED_EVENTS_TTL_SECONDS)))

    def _waiting(self, conversation_id: str, remove: bool) -> List[Dict[str, Any]]:
        with self.engine.begin() as conn:
            query = (select(outbox_table.c.id, outbox_table.c.payload)
                     .where(outbox_table.c.conversation_id == conversation_id,
                            outbox_table.c.created_at >= self._cutoff(self.outbox_ttl_seconds))
                     .order_by(outbox_table.c.id))
            if remove and self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if remove and rows:
                conn.execute(delete(outbox_table).where(outbox_table.c.id.in_([r.id for r in rows])))
        return [_payload(r.payload) for r in rows]

    def _acknowledge(self, conversation_id: str, ids: Iterable[str]) -> int:
        wanted = set(ids)
        with self.engine.begin() as conn:
            rows = conn.execute(select(outbox_table.c.id, outbox_table.c.payload)
                                .where(outbox_table.c.conversation_id == conversation_id)).all()
            done = [r.id for r in rows if _payload(r.payload).get("id") in wanted]
            if done:
                conn.execute(delete(outbox_table).where(outbox_table.c.id.in_(done)))
        return len(done)

    async def put(self, conversation_id: str, payloads: List[Dict[str, Any]]) -> None:
        await asyncio.to_thread(self._put, conversation_id, payloads)

    async def take(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Everything waiting for the conversation, oldest first, removed from the outbox."""
        return await asyncio.to_thread(self._waiting, conversation_id, True)

    async def waiting(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Everything waiting for the conversation, oldest first, left until acknowledged."""
        return await asyncio.to_thread(self._waiting, conversation_id, False)

    async def acknowledge(self, conversation_id: str, ids: Iterable[str]) -> int:
        """Removes the conversation's messages with these ids; returns how many there were."""
        return await asyncio.to_thread(self._acknowledge, conversation_id, list(ids))

    async def record_activity(self, conversation_id: str, activity: Dict[str, Any]) -> None:
        def insert() -> None:
            with self.engine.begin() as conn:
                conn.execute(activity_table.insert().values(conversation_id=conversation_id, activity=activity))

        await asyncio.to_thread(insert)

    def _recent_activity(self, conversation_id: str, since: float) -> List[Dict[str, Any]]:
        with self.engine.begin() as conn:
            query = (select(activity_table.c.activity).where(activity_table.c.conversation_id == conversation_id)
                     .order_by(activity_table.c.id.desc()).limit(RECENT_ACTIVITY_ROWS))
            rows = [r.activity if isinstance(r.activity, dict) else json.loads(r.activity) for r in conn.execute(query)]
        return [a for a in reversed(rows) if float(a.get("at", 0)) >= since]

    async def recent_activity(self, conversation_id: str, since: float) -> List[Dict[str, Any]]:
        """The conversation's activity reported at or after `since` (unix time), oldest first."""
        return await asyncio.to_thread(self._recent_activity, conversation_id, since)

    def _state(self, conn, conversation_id: str):
        query = select(proactive_table).where(proactive_table.c.conversation_id == conversation_id)
        if self.engine.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            conn.execute(proactive_table.insert().values(conversation_id=conversation_id, opted_out=False, offers=0))
            row = conn.execute(query).first()
        return row

    def _claim_offer(self, conversation_id: str, now: float, window_seconds: int) -> bool:
        try:
            with self.engine.begin() as conn:
                row = self._state(conn, conversation_id)
                if row.opted_out or (row.last_offer_at is not None and now - row.last_offer_at < window_seconds):
                    return False
                conn.execute(proactive_table.update().where(proactive_table.c.conversation_id == conversation_id)
                             .values(last_offer_at=now, offers=row.offers + 1))
                return True
        except IntegrityError:  # another instance created the row at the same moment, and offers
            return False

    async def claim_offer(self, conversation_id: str, now: float, window_seconds: int) -> bool:
        """True, and remembered, when an unsolicited offer may go out now: the customer has not
        switched offers off and had none in the window. Atomic across instances."""
        return await asyncio.to_thread(self._claim_offer, conversation_id, now, window_seconds)

    def _set_opt_out(self, conversation_id: str, opted_out: bool) -> None:
        try:
            with self.engine.begin() as conn:
                self._state(conn, conversation_id)
                conn.execute(proactive_table.update().where(proactive_table.c.conversation_id == conversation_id)
                             .values(opted_out=opted_out))
        except IntegrityError:
            self._set_opt_out(conversation_id, opted_out)

    async def set_opt_out(self, conversation_id: str, opted_out: bool) -> None:
        await asyncio.to_thread(self._set_opt_out, conversation_id, opted_out)

    def offers_made(self, conversation_id: str) -> int:
        with self.engine.begin() as conn:
            row = conn.execute(select(proactive_table.c.offers).where(proactive_table.c.conversation_id == conversation_id)).first()
        return row.offers if row else 0

    def _first_time(self, event_id: str) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.execute(handled_events_table.insert().values(event_id=event_id))
            return True
        except IntegrityError:
            return False

    async def first_time(self, event_id: str) -> bool:
        """True the first time an event id is seen (a webhook redelivered after a timeout is not)."""
        return await asyncio.to_thread(self._first_time, event_id)

    async def forget(self, event_id: str) -> None:
        """Undoes first_time when handling the event failed, so its redelivery is handled."""
        def remove() -> None:
            with self.engine.begin() as conn:
                conn.execute(delete(handled_events_table).where(handled_events_table.c.event_id == event_id))

        await asyncio.to_thread(remove)

    def activities(self, conversation_id: str) -> List[Dict[str, Any]]:
        with self.engine.begin() as conn:
            query = select(activity_table.c.activity).where(activity_table.c.conversation_id == conversation_id).order_by(activity_table.c.id)
            return [row.activity for row in conn.execute(query)]

    def pending(self, conversation_id: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(select(func.count()).select_from(outbox_table).where(outbox_table.c.conversation_id == conversation_id)).scalar_one()
