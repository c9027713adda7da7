"""The channel's own tables: the outbox of messages waiting for an offline customer, the page
activity the site reports, and what the proactive engine must remember per conversation (opt-out,
the last unsolicited offer, webhook events already handled). SQLite by default, PostgreSQL (shared
by every instance) by URL.

A message in the outbox is handed over, in order, when the customer next connects; taking it out
is the same transaction that reads it, so two connecting tabs or instances never both deliver it.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

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


class ChannelStore:
    def __init__(self, url: str) -> None:
        self.engine = sql_engine(url)
        create_tables(self.engine, metadata)

    def _put(self, conversation_id: str, payload: Dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(outbox_table.insert().values(conversation_id=conversation_id, payload=payload))

    def _take(self, conversation_id: str) -> List[Dict[str, Any]]:
        with self.engine.begin() as conn:
            query = select(outbox_table.c.id, outbox_table.c.payload).where(outbox_table.c.conversation_id == conversation_id).order_by(outbox_table.c.id)
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if rows:
                conn.execute(delete(outbox_table).where(outbox_table.c.id.in_([r.id for r in rows])))
        return [r.payload if isinstance(r.payload, dict) else json.loads(r.payload) for r in rows]

    async def put(self, conversation_id: str, payload: Dict[str, Any]) -> None:
        await asyncio.to_thread(self._put, conversation_id, payload)

    async def take(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Everything waiting for the conversation, oldest first, removed from the outbox."""
        return await asyncio.to_thread(self._take, conversation_id)

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
