"""Outgoing webhooks in the shape of Zendesk's ticket events, signed the way Zendesk signs them.

Events are written to the database in the same transaction as the change that caused them and sent
by a background thread with retries, so neither a slow receiver nor a sandbox restart loses one.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import uuid
from datetime import timedelta
from typing import Any, Dict, Optional

import requests
from sqlalchemy import select, update

from .db import Database
from .http import as_utc, iso
from .models import Ticket, WebhookDelivery, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SEND_TIMEOUT_SECONDS = 5


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, timestamp + body)), Zendesk's X-Zendesk-Webhook-Signature."""
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class WebhookSender:
    def __init__(self, db: Database, url: Optional[str], secret: str, poll_seconds: float = 0.2) -> None:
        self.db = db
        self.url = url
        self.secret = secret
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._http = requests.Session()

    def configure(self, url: Optional[str], secret: Optional[str]) -> None:
        self.url = url or None
        if secret:
            self.secret = secret

    def ticket_status_changed(self, session, ticket: Ticket, previous: str) -> None:
        if not self.url:
            return
        event_id = str(uuid.uuid4())
        payload: Dict[str, Any] = {
            "account_id": 1,
            "detail": {
                "id": str(ticket.id),
                "subject": ticket.subject,
                "status": ticket.status.upper(),
                "priority": (ticket.priority or "").upper() or None,
                "type": (ticket.type or "").upper() or None,
                "requester_id": str(ticket.requester_id),
                "tags": list(ticket.tags or []),
                "created_at": iso(ticket.created_at, millis=False),
                "updated_at": iso(ticket.updated_at, millis=False),
            },
            "event": {"current": ticket.status.upper(), "previous": previous.upper()},
            "id": event_id,
            "subject": f"zen:ticket:{ticket.id}",
            "time": iso(utcnow(), millis=False),
            "type": "zen:event-type:ticket.status_changed",
            "zendesk_event_version": "2022-11-06",
        }
        session.add(WebhookDelivery(event_id=event_id, subject=payload["subject"], url=self.url, payload=payload))
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="webhook-sender", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
            except Exception:  # the database may be briefly unavailable; try again next round
                log.exception("webhook delivery round failed")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def deliver_due(self) -> None:
        """Sends what is due, oldest first; a subject whose earlier event is still waiting for a
        retry gets nothing newer until that one is through, so each ticket's events stay in order."""
        now = utcnow()
        with self.db.transaction() as session:
            pending = list(session.execute(
                select(WebhookDelivery.id, WebhookDelivery.subject, WebhookDelivery.attempts, WebhookDelivery.next_attempt_at)
                .where(WebhookDelivery.delivered_at.is_(None))
                .where(WebhookDelivery.attempts < MAX_ATTEMPTS)
                .order_by(WebhookDelivery.id)
                .limit(200)
            ))
        held = set()
        for delivery_id, subject, attempts, next_attempt_at in pending:
            if subject in held:
                continue
            if as_utc(next_attempt_at) > now or not self._attempt(delivery_id, attempts):
                held.add(subject)

    def _attempt(self, delivery_id: int, attempts: int) -> bool:
        """One try at sending; True when it was delivered."""
        # Claim the row first so two sandbox processes never send the same event twice at once.
        with self.db.transaction() as session:
            claimed = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempts)
                .values(attempts=attempts + 1, next_attempt_at=utcnow() + timedelta(seconds=60))
            ).rowcount
            delivery = session.get(WebhookDelivery, delivery_id) if claimed else None
            if delivery is None:
                return False
            url, payload = delivery.url, delivery.payload
        body = json.dumps(payload, separators=(",", ":")).encode()
        timestamp = iso(utcnow(), millis=False)
        error: Optional[str] = None
        try:
            response = self._http.post(
                url,
                data=body,
                timeout=SEND_TIMEOUT_SECONDS,
                headers={
                    "Content-Type": "application/json",
                    "X-Zendesk-Webhook-Id": "sandbox",
                    "X-Zendesk-Webhook-Invocation-Id": payload["id"],
                    "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
                    "X-Zendesk-Webhook-Signature": sign(self.secret, timestamp, body),
                },
            )
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        with self.db.transaction() as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            if error is None:
                delivery.delivered_at = utcnow()
                delivery.last_error = None
            else:
                delivery.last_error = error
                delivery.next_attempt_at = utcnow() + timedelta(seconds=min(300, 2 ** attempts))
        return error is None
