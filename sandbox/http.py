"""Request plumbing shared by the three vendor APIs: errors, JSON bodies, ids, rate limits."""
from __future__ import annotations

import math
import secrets
import string
import threading
import time
from datetime import date, datetime, timezone
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Tuple

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge


class ApiError(Exception):
    """An error a vendor API answers with. Each vendor renders it in its own body shape.

    `code` is the vendor's machine-readable code where it has one; `field` names the offending
    input (a JSON pointer for Duffel, a property for HubSpot and Zendesk).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def json_body() -> Dict[str, Any]:
    """The request's JSON object, or an ApiError (400 malformed, 413 too large)."""
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise ApiError(413, "request_too_large", "The request body is too large.") from None
    if not raw:
        raise ApiError(400, "invalid_json", "The request body is empty; a JSON object is required.")
    try:
        body = request.get_json(force=True, silent=False)
    except Exception:  # werkzeug raises BadRequest with an HTML body; we want the vendor's shape
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "The request body must be a JSON object.")
    return body


def iso(dt: Optional[datetime], *, millis: bool = True) -> Optional[str]:
    """UTC timestamp as the vendors write it: 2026-11-25T09:00:00.000Z."""
    if dt is None:
        return None
    if dt.tzinfo is None:  # SQLite hands back naive datetimes; we store UTC
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.astimezone(timezone.utc)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{dt.microsecond // 1000:03d}Z" if millis else f"{text}Z"


def as_utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def parse_date(value: Any) -> Optional[date]:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


_ALPHABET = string.digits + string.ascii_uppercase


def new_id(prefix: str) -> str:
    """Duffel-style ids: a type prefix and 26 random base-36 characters (off_..., ord_...)."""
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(26)).lower()


def booking_reference() -> str:
    return "".join(secrets.choice(string.ascii_uppercase + "23456789") for _ in range(6))


class RateLimiter:
    """Fixed-window request counter per credential, as vendors' per-token limits work."""

    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window = max(1, window_seconds)
        self._lock = threading.Lock()
        self._windows: Dict[str, Tuple[float, int]] = {}

    def hit(self, key: str) -> Optional[int]:
        """Counts one request; returns the seconds to wait when the limit is exceeded, else None."""
        if self.limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.limit:
                return max(1, math.ceil(start + self.window - now))
            self._windows[key] = (start, count + 1)
            return None


def bearer_token() -> Optional[str]:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@dataclass(frozen=True)
class Vendor:
    """One stand-in vendor API: mounted under /<name>, with its own auth and error body shape."""

    name: str
    create_blueprint: Callable[[], Blueprint]
    # Returns the credential the request was made with (the rate-limit key), or raises a 401.
    authenticate: Callable[[Any], str]
    render_error: Callable[[ApiError], Response]
