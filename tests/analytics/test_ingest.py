"""Rasa events into the analytics tables: what lands where, replays, unreadable messages."""
import json
from typing import Dict, Iterator

import pytest
from sqlalchemy import func, select

from analytics import schema
from analytics.ingest import Unreadable, event_key, ingest, parse
from common.sql import sql_engine
from tests.support.services import postgres_database

T0 = 1_764_000_000.0
CONVERSATION = "c-0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def engine() -> Iterator:
    with postgres_database() as url:
        engine = sql_engine(url)
        schema.metadata.create_all(engine)
        yield engine
        engine.dispose()


def conversation(n: int = 0):
    """A short booking conversation with a fallback, a handoff and a ticket, as Rasa publishes it."""
    def e(kind: str, offset: float, **fields) -> Dict:
        return {"event": kind, "timestamp": T0 + n * 100 + offset, "sender_id": f"{CONVERSATION}-{n}", **fields}

    user = lambda offset, text, intent, conf=0.95, **extra: e("user", offset, text=text, input_channel="socket",  # noqa: E731
                                                            parse_data={"intent": {"name": intent, "confidence": conf}, "entities": [], **extra},
                                                            metadata={"customer": {"email": "maya.chen@example.com"}})
    return [
        e("action", 0, name="action_session_start"), e("session_started", 0.1), e("action", 0.2, name="action_listen"),
        user(1, "this is useless", "express_difficulty", difficulty={"frustration": 0.8, "confusion": 0.0, "kind": "frustration"}),
        e("action", 1.1, name="action_offer_help", policy="RulePolicy", confidence=1.0), e("bot", 1.2, text="I'm sorry..."),
        user(2, "asdf qwer", "nlu_fallback", 0.3), e("action", 2.1, name="action_default_ask_affirmation"),
        user(3, "book it", "affirm"), e("action", 3.1, name="action_book_flight"), e("bot", 3.2, text="Booked."),
        e("slot", 3.3, name="booking_reference", value="ABC123"),
        user(4, "talk to a person", "human_handoff"), e("action", 4.1, name="action_handoff"),
        e("slot", 4.2, name="ticket_id", value="1077"), e("slot", 4.3, name="ticket_id", value=None),
    ]


def counts(engine, conversation_id: str) -> Dict[str, int]:
    tables = {"turns": schema.turns, "actions": schema.actions, "bot": schema.bot_messages, "fallbacks": schema.fallbacks,
              "handoffs": schema.handoffs, "bookings": schema.bookings, "tickets": schema.tickets_opened}
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(t).where(t.c.conversation_id == conversation_id)).scalar_one()
                for name, t in tables.items()}


def test_a_conversation_becomes_rows_an_analyst_can_read(engine):
    events = conversation(1)
    assert all(ingest(engine, event) for event in events)
    sender = events[0]["sender_id"]
    assert counts(engine, sender) == {"turns": 4, "actions": 6, "bot": 2, "fallbacks": 2, "handoffs": 1, "bookings": 1, "tickets": 1}
    with engine.connect() as conn:
        turn = conn.execute(select(schema.turns).where(schema.turns.c.conversation_id == sender).order_by(schema.turns.c.at)).mappings().first()
        assert (turn["intent"], turn["difficulty"], turn["frustration"], turn["channel"]) == ("express_difficulty", "frustration", 0.8, "socket")
        row = conn.execute(select(schema.conversations).where(schema.conversations.c.conversation_id == sender)).mappings().one()
        assert row["customer"] and row["channel"] == "socket"
        ticket = conn.execute(select(schema.tickets_opened).where(schema.tickets_opened.c.conversation_id == sender)).mappings().one()
        assert ticket["ticket_id"] == "1077" and ticket["handoff"]


def test_replaying_every_event_writes_nothing_twice(engine):
    events = conversation(2)
    for event in events:
        ingest(engine, event)
    before = counts(engine, events[0]["sender_id"])
    assert not any(ingest(engine, json.loads(json.dumps(event))) for event in events)
    assert counts(engine, events[0]["sender_id"]) == before


def test_same_content_at_another_time_is_another_event():
    first = {"event": "user", "timestamp": T0, "sender_id": "x", "text": "hi"}
    assert event_key(first) == event_key(dict(reversed(list(first.items()))))
    assert event_key(first) != event_key({**first, "timestamp": T0 + 1})


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"event": "user"}', b'{"sender_id": "x", "event": "user"}', b"\xff\xfe"])
def test_unreadable_messages_are_refused_with_a_reason(body):
    with pytest.raises(Unreadable):
        parse(body)


def test_two_consumers_starting_one_conversation_at_once_lose_nothing(engine):
    """Found with two Rasa instances: the first events of a conversation, written concurrently,
    collided on the new conversation row and one was taken for a duplicate and dropped."""
    from concurrent.futures import ThreadPoolExecutor

    events = conversation(3)
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(lambda e: ingest(engine, e), events))
    stored = counts(engine, events[0]["sender_id"])
    assert (stored["turns"], stored["actions"], stored["bot"]) == (4, 6, 2)


def test_what_the_customer_did_becomes_interactions_from_the_chat_and_the_site(engine):
    """Searches (the place the flight form settled on, a site search), bookings with their flight
    (in the chat, at the site's checkout), a look at their trips, a ticket opened, page views;
    other page activity is not history."""
    sender = f"{CONVERSATION}-interactions"
    e = lambda kind, offset, **fields: {"event": kind, "timestamp": T0 + offset, "sender_id": sender, **fields}  # noqa: E731
    site = lambda offset, **activity: e("site_activity", offset, activity={**activity, "at": T0 + offset})  # noqa: E731
    confirmation = {"type": "booking_confirmation", "booking_reference": "XYZ789",
                    "offer": {"slices": [{"from": "BOS", "to": "LIS", "depart": "2026-07-01T09:30:00"}]}}
    events = [
        site(0, type="page_view", page="/"), site(1, type="search", page="/", origin="boston", destination="Lisbon", results=4),
        site(2, type="idle", page="/", seconds=60),
        e("action", 3, name="flight_form"), e("slot", 3.1, name="destination", value="lisbon"), e("slot", 3.2, name="destination", value="LIS"),
        e("action", 4, name="action_book_flight"), e("bot", 4.1, text="Booked.", data={"custom": confirmation}),
        e("slot", 4.2, name="booking_reference", value="XYZ789"),
        e("action", 5, name="action_list_bookings"), e("action", 6, name="action_open_ticket"), e("slot", 6.1, name="ticket_id", value="88"),
        site(7, type="page_view", page="/trips"),
        site(8, type="booking", page="/checkout", booking_reference="QRS456", origin="BOS", destination="MIA", date="2026-08-02"),
    ]
    assert all(ingest(engine, event) for event in events)
    table = schema.interactions
    with engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.conversation_id == sender).order_by(table.c.at)).mappings().all()
        logged = conn.execute(select(func.count()).select_from(schema.event_log).where(schema.event_log.c.conversation_id == sender)).scalar_one()
    assert [(r["kind"], r["source"], r["origin"], r["destination"], r["page"]) for r in rows] == [
        ("page_view", "site", None, None, "/"), ("search", "site", "boston", "Lisbon", None), ("search", "chat", None, "LIS", None),
        ("booking", "chat", "BOS", "LIS", None), ("bookings_viewed", "chat", None, None, None), ("ticket_opened", "chat", None, None, None),
        ("page_view", "site", None, None, "/trips"), ("booking", "site", "BOS", "MIA", None),
    ]
    assert rows[3]["departs_at"].replace(tzinfo=None).isoformat() == "2026-07-01T09:30:00"
    assert rows[-1]["departs_at"].replace(tzinfo=None).isoformat() == "2026-08-02T00:00:00"
    assert logged == 9  # Rasa's own events only: site activity is not part of a conversation Rasa could replay
