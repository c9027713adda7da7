"""The channel's own tables: the outbox of messages waiting for an offline customer, and the page
activity the site reports. SQLite by default, PostgreSQL (shared by every instance) by URL.

A message in the outbox is handed over, in order, when the customer next connects; taking it out
is the same transaction that reads it, so two connecting tabs or instances never both deliver it.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, delete, func, select

from common.sql import sql_engine

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


class ChannelStore:
    def __init__(self, url: str) -> None:
        self.engine = sql_engine(url)
        metadata.create_all(self.engine)

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

    def activities(self, conversation_id: str) -> List[Dict[str, Any]]:
        with self.engine.begin() as conn:
            query = select(activity_table.c.activity).where(activity_table.c.conversation_id == conversation_id).order_by(activity_table.c.id)
            return [row.activity for row in conn.execute(query)]

    def pending(self, conversation_id: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(select(func.count()).select_from(outbox_table).where(outbox_table.c.conversation_id == conversation_id)).scalar_one()
