"""Tables for analysts, in plain terms: conversations, turns (what the customer said and how it was
understood), the assistant's actions and messages, fallbacks, handoffs, bookings and tickets, and
`interactions`: what each customer did, in the chat and on the site (searches, bookings, page views,
looks at their trips and tickets), the history the preference model learns from. Every row keeps the key of the event it came from; `processed_events` makes replays harmless.
Bookings and tickets are read from the slot events that follow the action that made them, so one
consumer reads a queue, in order (analytics/consumer.py). `event_log` keeps every event as Rasa sent
it, so a conversation can be rebuilt exactly (the review page exports it as a test story).
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, func

metadata = MetaData()


def _event_columns():
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_key", String(64), nullable=False, unique=True),
        Column("conversation_id", String(255), nullable=False, index=True),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
    ]


processed_events = Table(
    "processed_events", metadata,
    Column("event_key", String(64), primary_key=True),
    Column("received_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
conversations = Table(
    "conversations", metadata,
    Column("conversation_id", String(255), primary_key=True),
    Column("channel", String(64)),
    Column("customer", Boolean, nullable=False, default=False),  # a signed-in customer, not anonymous
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_event_at", DateTime(timezone=True), nullable=False),
    Column("last_action", String(255)),  # to tell what a later slot event belongs to
)
turns = Table(
    "turns", metadata, *_event_columns(),
    Column("text", Text),
    Column("intent", String(255), index=True),
    Column("confidence", Float),
    Column("entities", JSON),
    Column("frustration", Float),
    Column("confusion", Float),
    Column("difficulty", String(32)),  # frustration | confusion | null
    Column("channel", String(64)),
    Column("triggered", Boolean, nullable=False, default=False),  # put in by a backend, not typed
)
actions = Table(
    "actions", metadata, *_event_columns(),
    Column("name", String(255), index=True),
    Column("policy", String(255)),
    Column("confidence", Float),
)
bot_messages = Table(
    "bot_messages", metadata, *_event_columns(),
    Column("text", Text),
    Column("data", JSON),
)
fallbacks = Table(
    "fallbacks", metadata, *_event_columns(),
    Column("kind", String(64)),  # nlu_fallback | action_default_fallback | ask_rephrase | ask_affirmation
    Column("text", Text),
)
handoffs = Table("handoffs", metadata, *_event_columns())
bookings = Table(
    "bookings", metadata, *_event_columns(),
    Column("booking_reference", String(32), index=True),
)
event_log = Table(
    "event_log", metadata, *_event_columns(),
    Column("type", String(64), nullable=False),
    Column("body", JSON, nullable=False),
)
tickets_opened = Table(
    "tickets_opened", metadata, *_event_columns(),
    Column("ticket_id", String(32)),
    Column("handoff", Boolean, nullable=False, default=False),
)
# What a customer did, one row per act, from the chat's events and the site's activity (which the
# socket channel puts on the same stream as `site_activity` events). `conversation_id` is the
# customer for a signed-in customer (channels/identity.py gives each one conversation id).
INTERACTION_KINDS = ("search", "booking", "page_view", "bookings_viewed", "ticket_opened", "tickets_viewed")
interactions = Table(
    "interactions", metadata, *_event_columns(),
    Column("kind", String(32), nullable=False, index=True),  # one of INTERACTION_KINDS
    Column("source", String(8), nullable=False),  # chat | site
    Column("origin", String(200)),  # as given: an IATA code from the chat, what was typed on the site
    Column("destination", String(200)),
    Column("departs_at", DateTime(timezone=True)),  # of a booking's first flight
    Column("page", String(200)),  # of a page view
)
