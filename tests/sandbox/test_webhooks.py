"""A ticket's status change reaches the configured URL as a signed Zendesk-style webhook, retried
until delivered, once per change."""
import json
import time
from typing import List

import pytest
from sqlalchemy import select

from sandbox.db import Database
from sandbox.models import WebhookDelivery
from sandbox.webhooks import sign
from tests.conftest import DEFAULTS
from tests.support.receiver import Receiver


@pytest.fixture
def receiver():
    # The first delivery attempt fails, as a receiver that is briefly down would.
    running = Receiver(respond=lambda n: (503, {}, b"{}", 0) if n == 1 else (200, {}, b"{}", 0)).start()
    yield running
    running.stop()


def deliveries_once_done(db: Database, patience: float = 60) -> List[WebhookDelivery]:
    """The delivery rows once each is marked delivered: the sender marks one only after the receiver
    has answered, so a receiver holding every request can still be ahead of the database."""
    deadline = time.monotonic() + patience
    while True:
        with db.transaction() as session:
            rows = list(session.execute(select(WebhookDelivery).order_by(WebhookDelivery.id)).scalars())
        if all(r.delivered_at for r in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def test_status_change_is_delivered_signed_and_retried(make_sandbox, receiver):
    box = make_sandbox(SANDBOX_WEBHOOK_URL=f"{receiver.url}/webhooks/tickets", SANDBOX_WEBHOOK_SECRET="s3cret")
    desk = box.ticketing()
    ticket = desk.create_ticket("Refund", "Please refund booking ABC123", requester_email="maya.chen@example.com")
    desk.add_comment(ticket.id, "Only a comment: no status change, no webhook")
    desk.set_status(ticket.id, "open")
    desk.set_status(ticket.id, "open")  # unchanged: no event
    desk.set_status(ticket.id, "pending")

    received = receiver.wait_for(3, timeout=60)  # the failed first try, then both events (the retry comes 2 s later)
    assert len(received) == 3
    first_try, *delivered = received
    assert first_try.json()["id"] == delivered[0].json()["id"]  # the retry resends the same event
    events = [r.json() for r in delivered]
    assert [(e["event"]["previous"], e["event"]["current"]) for e in events] == [("NEW", "OPEN"), ("OPEN", "PENDING")]
    event = events[1]
    assert event["type"] == "zen:event-type:ticket.status_changed" and event["subject"] == f"zen:ticket:{ticket.id}"
    assert event["detail"]["id"] == str(ticket.id) and event["detail"]["status"] == "PENDING"
    assert event["detail"]["requester_id"] == str(ticket.requester_id)

    for request in delivered:
        timestamp = request.headers["X-Zendesk-Webhook-Signature-Timestamp"]
        assert request.path == "/webhooks/tickets"
        assert request.headers["X-Zendesk-Webhook-Signature"] == sign("s3cret", timestamp, request.body)
        assert sign("wrong", timestamp, request.body) != request.headers["X-Zendesk-Webhook-Signature"]

    rows = deliveries_once_done(box.db)
    assert [r.attempts for r in rows] == [2, 1] and all(r.delivered_at for r in rows)
    assert rows[0].delivered_at <= rows[1].delivered_at


def test_no_webhook_url_means_no_events(sandbox):
    desk = sandbox.ticketing()
    ticket = desk.create_ticket("Receipt", "Send me a receipt", requester_email="maya.chen@example.com")
    desk.set_status(ticket.id, "solved")
    with sandbox.db.transaction() as session:
        assert session.execute(select(WebhookDelivery)).first() is None


def test_signature_matches_zendesk_recipe():
    # base64(HMAC-SHA256(secret, timestamp + body))
    import base64
    import hashlib
    import hmac

    body = json.dumps({"a": 1}).encode()
    expected = base64.b64encode(hmac.new(b"k", b"2026-01-01T00:00:00Z" + body, hashlib.sha256).digest()).decode()
    assert sign("k", "2026-01-01T00:00:00Z", body) == expected
    assert DEFAULTS.webhook_secret
