"""The help desk's ticket-status webhook (Zendesk's `ticket.status_changed` event), received by
the channel at POST /webhooks/socket/tickets and turned into a message to the customer.

Zendesk signs each delivery: X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(secret,
X-Zendesk-Webhook-Signature-Timestamp + body)). The secret is TICKET_WEBHOOK_SECRET (the sandbox's
SANDBOX_WEBHOOK_SECRET). A delivery that fails is answered 5xx so the help desk retries it, and an
event seen before is acknowledged without a second message.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Dict

STATUS_CHANGED = "zen:event-type:ticket.status_changed"


class BadEvent(ValueError):
    """The body is not a status-change event we understand; the reason is safe to send back."""


@dataclass(frozen=True)
class TicketChange:
    event_id: str
    ticket_id: int
    status: str
    previous: str
    requester_id: int


def signature_ok(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()).decode()
    return bool(timestamp) and hmac.compare_digest(expected, signature or "")


def parse(payload: Any) -> TicketChange:
    if not isinstance(payload, dict) or payload.get("type") != STATUS_CHANGED:
        raise BadEvent(f"expected an event of type {STATUS_CHANGED}")
    detail: Dict[str, Any] = payload.get("detail") or {}
    change: Dict[str, Any] = payload.get("event") or {}
    try:
        return TicketChange(
            event_id=str(payload["id"]), ticket_id=int(detail["id"]), status=str(change["current"]).lower(),
            previous=str(change.get("previous") or "").lower(), requester_id=int(detail["requester_id"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadEvent(f"incomplete event: {exc}") from None
