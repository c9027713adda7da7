"""The review service as a real process over an analytics database (SQLite here; PostgreSQL in the
browser tests): staff only, filters, transcript order, tags and notes, the test-story export."""
import re
import sys
import time
from typing import Dict, List

import pytest
import requests
from sqlalchemy import func, select

from analytics import schema
from analytics.ingest import ingest
from common.sql import sql_engine
from review import schema as review_schema
from tests.analytics.test_ingest import T0, conversation
from tests.support.credentials import SECRETS
from tests.support.processes import ServerProcess, free_port

STAFF = ("maria", "correct horse battery staple")


def events_of(sender: str, turns: List[Dict], start: float) -> List[Dict]:
    """A conversation of customer turns, each answered by one action and one message."""
    events = [{"event": "action", "timestamp": start, "sender_id": sender, "name": "action_session_start"},
              {"event": "session_started", "timestamp": start + 0.1, "sender_id": sender},
              {"event": "action", "timestamp": start + 0.2, "sender_id": sender, "name": "action_listen"}]
    for i, turn in enumerate(turns, 1):
        at = start + i
        events += [
            {"event": "user", "timestamp": at, "sender_id": sender, "text": turn["text"], "input_channel": "rest",
             "parse_data": {"intent": {"name": turn["intent"], "confidence": turn.get("confidence", 0.97)}, "entities": []}},
            {"event": "action", "timestamp": at + 0.1, "sender_id": sender, "name": turn["action"], "policy": "RulePolicy", "confidence": 1.0},
            {"event": "bot", "timestamp": at + 0.2, "sender_id": sender, "text": turn.get("reply", "ok"), "data": {}},
            {"event": "action", "timestamp": at + 0.3, "sender_id": sender, "name": "action_listen"},
        ]
    return events


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('review') / 'analytics.db'}"
    engine = sql_engine(url)
    schema.metadata.create_all(engine)
    for event in conversation(1):  # frustration, a fallback, a booking and a handoff
        ingest(engine, event)
    for event in events_of("searcher", [{"text": "flights to lisbon tomorrow", "intent": "search_flight", "action": "action_search_flights"},
                                        {"text": "no", "intent": "deny", "action": "utter_anything_else"}], T0 + 86400 * 3):
        ingest(engine, event)
    for event in events_of("unsure", [{"text": "hmm tuesday maybe", "intent": "inform", "confidence": 0.41, "action": "action_listen"}], T0 + 86400 * 6):
        ingest(engine, event)
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "review", "--port", str(port)], port, "/health",
                           {"ANALYTICS_DATABASE_URL": url, "REVIEW_STAFF": ":".join(STAFF) + ",other:other-password",
                            "REVIEW_SECRET_KEY": SECRETS["REVIEW_SECRET_KEY"]}).start()
    yield server, engine
    server.stop()
    engine.dispose()


def signed_in(server) -> requests.Session:
    session = requests.Session()
    reply = session.post(f"{server.url}/login", data={"username": STAFF[0], "password": STAFF[1]}, timeout=5)
    assert reply.status_code == 200 and "Conversations" in reply.text
    return session


def csrf(session: requests.Session, server, conversation_id: str) -> str:
    page = session.get(f"{server.url}/conversations/{conversation_id}", timeout=5).text
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def listed(session, server, **params) -> List[str]:
    page = session.get(f"{server.url}/", params=params, timeout=5).text
    return re.findall(r'href="/conversations/([^"]+)"', page)


def test_everything_needs_the_staff_login(review):
    server, _ = review
    for path in ("/", "/conversations/searcher", "/conversations/searcher/story.yml"):
        reply = requests.get(server.url + path, allow_redirects=False, timeout=5)
        assert reply.status_code == 302 and "/login" in reply.headers["Location"]
    assert requests.post(f"{server.url}/conversations/searcher/notes", data={"text": "x"}, timeout=5).status_code == 401
    wrong = requests.post(f"{server.url}/login", data={"username": STAFF[0], "password": "nope"}, timeout=5)
    assert wrong.status_code == 401 and "Wrong name or password" in wrong.text


def test_guessing_passwords_is_slowed_down(review):
    server, _ = review
    statuses = [requests.post(f"{server.url}/login", data={"username": "other", "password": f"guess {i}"}, timeout=5).status_code for i in range(6)]
    assert 429 in statuses
    assert requests.post(f"{server.url}/login", data={"username": "other", "password": "other-password"}, timeout=5).status_code == 429


def test_filters_find_the_right_conversations(review):
    server, _ = review
    session = signed_in(server)
    booked = conversation(1)[0]["sender_id"]
    assert set(listed(session, server)) == {booked, "searcher", "unsure"}
    assert listed(session, server, fallback="1") == [booked]
    assert listed(session, server, handoff="1") == [booked]
    assert listed(session, server, difficulty="1") == [booked]
    assert listed(session, server, low_confidence="1") == ["unsure", booked]
    assert listed(session, server, search_no_booking="1") == ["searcher"]
    day = lambda offset: time.strftime("%Y-%m-%d", time.gmtime(T0 + 86400 * offset))  # noqa: E731
    assert listed(session, server, since=day(2), until=day(4)) == ["searcher"]
    assert listed(session, server, since="not a date") == listed(session, server)


def test_transcript_in_order_with_understanding(review):
    server, _ = review
    session = signed_in(server)
    page = session.get(f"{server.url}/conversations/searcher", timeout=5).text
    assert page.index("flights to lisbon tomorrow") < page.index("action_search_flights") < page.index("Customer:</strong> no")
    assert "search_flight</strong>" in page and "0.97" in page
    assert session.get(f"{server.url}/conversations/nobody", timeout=5).status_code == 404


def test_tags_and_notes(review):
    server, engine = review
    session = signed_in(server)
    token = csrf(session, server, "searcher")
    assert session.post(f"{server.url}/conversations/searcher/tags", data={"tag": "needs-dates", "csrf": token}, timeout=5).ok
    assert session.post(f"{server.url}/conversations/searcher/tags", data={"tag": "needs-dates", "csrf": token}, timeout=5).ok  # twice: once
    assert listed(session, server, tag="needs-dates") == ["searcher"]
    assert session.post(f"{server.url}/conversations/searcher/tags", data={"tag": "<script>", "csrf": token}, timeout=5).status_code == 400
    assert session.post(f"{server.url}/conversations/searcher/notes", data={"text": "asked for dates twice", "csrf": token}, timeout=5).ok
    assert session.post(f"{server.url}/conversations/searcher/notes", data={"text": "x" * 3000, "csrf": token}, timeout=5).status_code == 400
    assert session.post(f"{server.url}/conversations/searcher/notes", data={"text": "forged"}, timeout=5).status_code == 400  # no CSRF token
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(review_schema.tags)).scalar_one() == 1
        notes = conn.execute(select(review_schema.notes.c.text, review_schema.notes.c.author)).all()
    assert [tuple(n) for n in notes] == [("asked for dates twice", STAFF[0])]
    assert "asked for dates twice" in session.get(f"{server.url}/conversations/searcher", timeout=5).text
    session.post(f"{server.url}/conversations/searcher/tags/needs-dates/delete", data={"csrf": token}, timeout=5)
    assert listed(session, server, tag="needs-dates") == []


def test_export_is_a_test_story(review):
    server, _ = review
    session = signed_in(server)
    reply = session.get(f"{server.url}/conversations/searcher/story.yml", params={"name": "search, then no <b>"}, timeout=10)
    assert reply.status_code == 200 and "attachment" in reply.headers["Content-Disposition"]
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    steps = YAMLStoryReader().read_from_string(reply.text)
    assert [s.block_name for s in steps] == ["search then no b"]
    assert "user: |-\n      flights to lisbon tomorrow" in reply.text and "action: action_search_flights" in reply.text
    assert session.get(f"{server.url}/conversations/nobody/story.yml", timeout=5).status_code == 404
