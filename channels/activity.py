"""Page activity from the travel site (page views, searches and their result counts, form errors,
idle time): checked against a small schema, limited in size, and handed to whoever listens (the
proactive engine)."""
from __future__ import annotations

import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, List

log = logging.getLogger(__name__)

MAX_EVENT_BYTES = 2048
# For each activity type, its fields and their types (all optional but `type`).
SCHEMA: Dict[str, Dict[str, type]] = {
    "page_view": {"page": str},
    "search": {"page": str, "origin": str, "destination": str, "date": str, "results": int},
    "form_error": {"page": str, "form": str, "field": str, "error": str},
    "idle": {"page": str, "seconds": int},
    # The widget's switch for unsolicited offers of help.
    "proactive": {"enabled": bool},
}

Listener = Callable[[str, Dict[str, Any]], Awaitable[None]]
_listeners: List[Listener] = []


class ActivityRejected(ValueError):
    """The event does not fit the schema; the reason is safe to send back."""


def validate(data: Any) -> Dict[str, Any]:
    if not isinstance(data, dict):
        raise ActivityRejected("activity must be an object")
    if len(json.dumps(data, default=str)) > MAX_EVENT_BYTES:
        raise ActivityRejected(f"activity is larger than {MAX_EVENT_BYTES} bytes")
    kind = data.get("type")
    if kind not in SCHEMA:
        raise ActivityRejected(f"unknown activity type {kind!r}; known: {', '.join(SCHEMA)}")
    clean: Dict[str, Any] = {"type": kind, "at": time.time()}
    for field, expected in SCHEMA[kind].items():
        if field not in data:
            continue
        value = data[field]
        if expected is bool and not isinstance(value, bool):
            raise ActivityRejected(f"{field} must be true or false")
        if expected is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ActivityRejected(f"{field} must be a whole number")
        if expected is str and (not isinstance(value, str) or len(value) > 200):
            raise ActivityRejected(f"{field} must be text of at most 200 characters")
        clean[field] = value
    return clean


def subscribe(listener: Listener) -> None:
    """Registers a coroutine called with (conversation id, activity) for every accepted event."""
    _listeners.append(listener)


async def publish(conversation_id: str, activity: Dict[str, Any]) -> None:
    for listener in list(_listeners):
        try:
            await listener(conversation_id, activity)
        except Exception:  # one listener failing must not cost the others their event
            log.exception("activity listener failed")
