"""The channel's two doors for servers: POST /webhooks/socket/notify (our backends push an intent
into a customer's conversation) and POST /webhooks/socket/tickets (the help desk says a ticket
changed). Both are signed with a secret only the sender and the channel hold, carry a timestamp
checked against a window, and are accepted once: a signature (notify) or an event id (tickets)
seen before is refused, across instances, because the record of it is in the shared channel store.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from sanic import response
from sanic.request import Request

from actions.common import ticketing
from proactive import tickets

if TYPE_CHECKING:
    from .socket import SocketChannel

log = logging.getLogger(__name__)

NOTIFY_MAX_AGE_SECONDS = 300
TICKET_MAX_AGE_SECONDS = 900  # Zendesk retries a failed delivery within minutes
CONVERSATION_ID = re.compile(r"^[ac]-[0-9a-f]{32}$")
MAX_BODY_BYTES = 16 * 1024


def notify_signature(secret: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256 of "<timestamp>." + body: what a backend sends as X-Signature."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _error(message: str, status: int):
    return response.json({"error": message}, status=status)


def _unusable(secret: Optional[str], setting: str, body: bytes):
    """The error for a webhook that is not configured or a body that is too large, else None."""
    if not secret:
        return _error(f"this webhook is not configured ({setting})", 503)
    if len(body) > MAX_BODY_BYTES:
        return _error(f"body is larger than {MAX_BODY_BYTES} bytes", 413)
    return None


def _json_object(body: bytes) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    try:
        data = json.loads(body or b"")
    except (ValueError, RecursionError):
        return None, "body is not JSON"
    return (data, None) if isinstance(data, dict) else (None, "body must be a JSON object")


async def notify(channel: "SocketChannel", request: Request):
    """A backend triggers an intent in a customer's conversation.
    Signed: X-Timestamp (unix seconds) and X-Signature = notify_signature(secret, timestamp, body)."""
    body = request.body or b""
    refused = _unusable(channel.notify_secret, "CHANNEL_NOTIFY_SECRET", body)
    if refused:
        return refused
    timestamp = request.headers.get("X-Timestamp", "")
    signature = request.headers.get("X-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > NOTIFY_MAX_AGE_SECONDS:
        return _error("missing or stale X-Timestamp", 401)
    if not hmac.compare_digest(signature, notify_signature(channel.notify_secret, timestamp, body)):
        return _error("bad signature", 401)
    data, problem = _json_object(body)
    if problem:
        return _error(problem, 400)
    email, conversation_id = data.get("customer_email"), data.get("conversation_id")
    email = email.strip().lower() if isinstance(email, str) and "@" in email else None
    if email:
        conversation_id = channel.verifier.conversation_for(email)
    if not isinstance(conversation_id, str) or not CONVERSATION_ID.match(conversation_id):
        return _error("give customer_email or a conversation_id", 400)
    intent = data.get("intent")
    if intent not in channel.app.ctx.agent.domain.intents:
        return _error(f"unknown intent {intent!r}", 400)
    entities = data.get("entities") or {}
    if not isinstance(entities, dict):
        return _error("entities must be an object", 400)
    if not await channel.store.first_time(f"notify:{signature}"):
        return _error("this signed request was already used", 409)
    delivered = await channel.trigger(conversation_id, intent, entities, email)
    return response.json({"conversation_id": conversation_id, "delivered": delivered}, status=202)


def _fresh(timestamp: str) -> bool:
    try:
        sent = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return False
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=timezone.utc)
    return abs((datetime.now(timezone.utc) - sent).total_seconds()) <= TICKET_MAX_AGE_SECONDS


async def ticket_changed(channel: "SocketChannel", request: Request):
    """The help desk says a ticket's status changed (Zendesk's signed webhook)."""
    body = request.body or b""
    refused = _unusable(channel.ticket_webhook_secret, "TICKET_WEBHOOK_SECRET", body)
    if refused:
        return refused
    timestamp = request.headers.get("X-Zendesk-Webhook-Signature-Timestamp", "")
    if not tickets.signature_ok(channel.ticket_webhook_secret, timestamp, body, request.headers.get("X-Zendesk-Webhook-Signature", "")):
        return _error("bad signature", 401)
    if not _fresh(timestamp):
        return _error("stale X-Zendesk-Webhook-Signature-Timestamp", 401)
    data, problem = _json_object(body)
    if problem:
        return _error(problem, 400)
    try:
        change = tickets.parse(data)
    except tickets.BadEvent as exc:
        return _error(str(exc), 400)
    if not await channel.store.first_time(change.event_id):
        return response.json({"event": change.event_id, "status": "already handled"})
    try:
        desk = ticketing()
        user = await asyncio.to_thread(desk.get_user, change.requester_id)
        if not user.email:
            return response.json({"event": change.event_id, "status": "requester has no email; nobody to tell"})
        if user.email.strip().lower() == desk.email.strip().lower():  # an unverified visitor's ticket
            return response.json({"event": change.event_id, "status": "the help desk's own ticket; nobody to tell"})
        delivered = await channel.trigger(channel.verifier.conversation_for(user.email), "ticket_status",
                                          {"ticket_id": str(change.ticket_id)}, user.email)
    except Exception as exc:  # the help desk or the assistant failing alike
        await channel.store.forget(change.event_id)  # answered 5xx: the help desk sends it again
        log.exception("ticket event %s could not be handled", change.event_id)
        return _error(f"could not handle the event: {type(exc).__name__}", 503)
    return response.json({"event": change.event_id, "delivered": delivered})
