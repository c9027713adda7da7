"""Faults under the production profile, with real processes and the machine's services: what a
customer sees, and what is lost (the goal: nothing)."""
from __future__ import annotations

import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import pytest
import requests
from sqlalchemy import create_engine, func, select

from analytics import schema
from sandbox.models import Order
from tests.support.assistant import Chat, action_server
from tests.support.credentials import API_PARAMS

MAYA = {"customer": {"email": "maya.chen@example.com"}}


def tracker_events(rasa, sender: str) -> List[Dict]:
    return requests.get(f"{rasa.url}/conversations/{sender}/tracker", params={"include_events": "ALL", **API_PARAMS}, timeout=30).json()["events"]


def test_a_rasa_instance_killed_mid_conversation_is_replaced_and_the_conversation_goes_on(production, pair):
    first = production.rasa(pair.actions.url).start(timeout=180)
    try:
        chat = Chat(first.url, "restart-maya", MAYA)
        assert chat.say("hello").startswith("Hi Maya!")
        assert "What dates are you travelling on?" in chat.say("I need a flight to Lisbon")
        first.kill()  # no shutdown code runs: only what the tracker store already has survives
        chat.url = pair.a.url  # another instance, which never saw this conversation, takes over
        found = chat.say("the 15th, one way")  # the dates question is answered where it was asked
        assert "one-way flights from Boston (BOS) to Lisbon (LIS)" in found
    finally:
        first.stop()


def test_action_server_stopped_mid_conversation_then_the_same_conversation_books(pair, sqlite_sandbox):
    actions = pair.actions
    try:
        chat = Chat(pair.a.url, "actions-down-maya", MAYA)
        chat.say("hello")
        chat.say("I'm trying to book a flight to New York City, but I'm having trouble finding a good deal.")
        assert "Would you like to see more details?" in chat.say("I'm leaving on the 15th and coming back on the 22nd.")
        actions.stop()
        honest = chat.say("Yes, please.")
        assert "something went wrong on my side" in honest.lower()
        actions.start()  # the same server again, on the same port
        assert "Which flight would you like to book?" in chat.say("Yes, please.")  # the same words, now answered
        assert "Shall I book it?" in chat.say("the second one")
        booked = chat.say("yes")
        reference = booked.split("booking reference is ")[1][:6]
        with sqlite_sandbox.db.transaction() as session:
            assert session.query(Order).filter_by(booking_reference=reference).count() == 1
    finally:
        if actions.process.poll() is not None:
            actions.start()  # up again for the tests that share it


def test_fifty_messages_at_once_through_two_instances_are_processed_one_at_a_time(pair):
    a, b = pair.a, pair.b
    sender = "fifty-at-once"
    texts = [f"hello {n}" for n in range(50)]

    def send(n: int) -> str:
        time.sleep(n * 0.1)  # in flight together (a turn takes longer); 0.2 s apart per instance defines "in order" on a busy machine
        return Chat((a, b)[n % 2].url, sender).say(texts[n], timeout=300)

    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(send, range(50)))
    assert all(replies), "a message went unanswered"
    events = tracker_events(a, sender)
    said = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(said) == sorted(texts)  # none dropped, none twice
    for instance in (0, 1):  # each instance's messages in the order it received them
        assert [t for t in said if int(t.split()[1]) % 2 == instance] == texts[instance::2]
    # One at a time: after each message, the assistant finished (action_listen) before the next.
    kinds = [e["event"] if e["event"] != "action" else e["name"] for e in events if e["event"] in ("user", "action")]
    turns = " ".join("U" if k == "user" else ("L" if k == "action_listen" else "A") for k in kinds)
    assert turns.count("U") == 50 and " U U" not in turns and all(t.strip().endswith("L") for t in turns.split("U")[1:])


def test_a_booking_retried_after_a_timeout_creates_exactly_one_order(pair, make_sandbox):
    """The airline books but answers after the action server gave up: the customer is told so,
    says "book it" again, and gets the one order that exists (same Idempotency-Key)."""
    # The order's answer comes a minute late: far past the action server's usual 5 s patience, which
    # every other call (profile, search) keeps however busy the machine.
    sandbox = make_sandbox(SANDBOX_SLOW_ORDERS="1", SANDBOX_ORDER_DELAY_SECONDS="60")
    # An action server on that airline takes the pair's port for this test, so the pair's rasa
    # instance talks to it; the pair's own action server is back afterwards.
    pair.actions.stop()
    actions = action_server(sandbox.url, pair.actions.port, VENDOR_RETRY_ATTEMPTS="1")
    rasa = pair.a
    try:
        actions.start()
        with sandbox.db.transaction() as session:
            before = session.query(Order).count()
        chat = Chat(rasa.url, "retry-maya", MAYA)
        chat.say("hello")
        chat.say("I'm trying to book a flight to New York City, but I'm having trouble finding a good deal.")
        chat.say("I'm leaving on the 15th and coming back on the 22nd.")
        chat.say("Yes, please.")
        assert "Shall I book it?" in chat.say("the second one")
        assert "didn't answer in time" in chat.say("yes")
        booked = chat.say("book it")  # the airline has made the order; its answer is still on the way
        reference = booked.split("booking reference is ")[1][:6]
        with sandbox.db.transaction() as session:
            assert session.query(Order).count() == before + 1
            assert session.query(Order).filter_by(booking_reference=reference).count() == 1
    finally:
        actions.stop()
        pair.actions.start()


def rabbitmq(command: str) -> None:
    subprocess.run(["rabbitmqctl", command], check=True, capture_output=True, timeout=120)


def test_rabbitmq_restarted_under_traffic_loses_no_reply_and_analytics_gets_every_event_once(production, pair):
    if subprocess.run(["which", "rabbitmqctl"], capture_output=True).returncode != 0:
        pytest.skip("rabbitmqctl is not on this machine: cannot restart RabbitMQ")
    rasa = pair.a
    consumer = production.consumer()
    replies: List[str] = []
    try:
        chat = Chat(rasa.url, "broker-restart", MAYA)

        def traffic() -> None:
            for n in range(30):
                replies.append(chat.say(["hello", "what can you do", "thanks"][n % 3]))
                time.sleep(0.1)

        sender = threading.Thread(target=traffic)
        sender.start()
        time.sleep(1)
        try:
            rabbitmq("stop_app")
            time.sleep(3)
        finally:
            rabbitmq("start_app")  # always: CI runs against this machine's services as we leave them
        sender.join(timeout=300)
        assert len(replies) == 30 and all(replies), "a reply was lost while RabbitMQ was away"

        events = tracker_events(rasa, chat.sender)
        expected = {"user": sum(e["event"] == "user" for e in events), "action": sum(e["event"] == "action" for e in events),
                    "bot": sum(e["event"] == "bot" for e in events)}
        engine = create_engine(production.database_url)
        tables = {"user": schema.turns, "action": schema.actions, "bot": schema.bot_messages}

        def stored() -> Dict[str, int]:
            with engine.connect() as conn:
                return {k: conn.execute(select(func.count()).select_from(t).where(t.c.conversation_id == chat.sender)).scalar_one()
                        for k, t in tables.items()}

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and stored() != expected:
            time.sleep(0.5)
        assert stored() == expected  # every event, exactly once
        engine.dispose()
    finally:
        consumer.terminate()
        consumer.wait(timeout=10)
