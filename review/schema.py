"""What reviewers add to a conversation: tags and notes, beside the analytics tables."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint, func

metadata = MetaData()

tags = Table(
    "review_tags", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("tag", String(40), nullable=False),
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    UniqueConstraint("conversation_id", "tag"),
)
notes = Table(
    "review_notes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
