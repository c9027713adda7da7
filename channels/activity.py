"""Page activity from the travel site (page views, searches and their result counts, form errors,
idle time, help-center searches, and click and navigation behaviour as analytics tools define it):
checked against a small schema, limited in size, and handed to whoever listens (the proactive
engine)."""
from __future__ import annotations

import json
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Union

log = logging.getLogger(__name__)

MAX_EVENT_BYTES = 2048
MAX_TEXT = 200


class Page(str):
    """A path on the site ("/help/articles/360001"): starts with a slash, at most MAX_TEXT
    characters, no spaces or control characters."""


PATH = re.compile(r"/[^\s\x00-\x1f\x7f]*")

# Bounds of the click and navigation fields: a burst of clicks, a point on a page, a few seconds.
CLICKS = range(1, 101)
COORDINATE = range(0, 100_001)
SECONDS = range(0, 86_401)

# For each activity type, its fields and their types (all optional but `type`): a range is a
# whole number within it, Page a site path.
Field = Union[type, range]
SCHEMA: Dict[str, Dict[str, Field]] = {
    # A help article opened is a page view of its path (/help/articles/<id>).
    "page_view": {"page": Page},
    "search": {"page": Page, "origin": str, "destination": str, "date": str, "results": int},
    "form_error": {"page": Page, "form": str, "field": str, "error": str},
    "idle": {"page": Page, "seconds": int},
    # A search of the help center and how many articles it found.
    "help_search": {"page": Page, "query": str, "results": int},
    # Three or more clicks within a second on about the same spot (web/src/site/behaviour.js).
    "rage_click": {"page": Page, "clicks": CLICKS, "x": COORDINATE, "y": COORDINATE, "target": str},
    # A click on something clickable after which nothing changed: no navigation, no change to the
    # page, no request.
    "dead_click": {"page": Page, "x": COORDINATE, "y": COORDINATE, "target": str},
    # Back to the previous page within seconds of arriving on `page`.
    "quick_back": {"page": Page, "to": Page, "seconds": SECONDS},
    # A booking made at the site's checkout, with its first flight: history for the preferences,
    # like a booking made in the chat (as reported by the page: it acts for no one).
    "booking": {"page": Page, "booking_reference": str, "origin": str, "destination": str, "date": str},
    # The customer opened the chat panel: a greeting if nothing was said this session yet.
    "chat_opened": {"page": Page},
    # The widget's switch for unsolicited offers of help.
    "proactive": {"enabled": bool},
}

Listener = Callable[[str, Dict[str, Any]], Awaitable[None]]
_listeners: List[Listener] = []


class ActivityRejected(ValueError):
    """The event does not fit the schema; the reason is safe to send back."""


def _checked(field: str, value: Any, expected: Field) -> Any:
    if expected is bool:
        if not isinstance(value, bool):
            raise ActivityRejected(f"{field} must be true or false")
        return value
    if expected is int or isinstance(expected, range):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ActivityRejected(f"{field} must be a whole number")
        if isinstance(expected, range) and value not in expected:
            raise ActivityRejected(f"{field} must be from {expected.start} to {expected.stop - 1}")
        return value
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ActivityRejected(f"{field} must be text of at most {MAX_TEXT} characters")
    if expected is Page and not PATH.fullmatch(value):
        raise ActivityRejected(f"{field} must be a path on the site, starting with /")
    return value


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
        if field in data:
            clean[field] = _checked(field, data[field], expected)
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
