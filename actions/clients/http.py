"""HTTP core shared by the clients: a timeout on every call, retries with backoff on 429 and 5xx
that honour Retry-After, and every failure turned into one of the exceptions in errors.py."""
from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, Optional, Tuple

import requests
from urllib3.exceptions import NewConnectionError

from .errors import AuthenticationFailed, InvalidRequest, NotFound, RateLimited, VendorError, VendorUnavailable

# (code, message, field) read from a vendor's error body.
ErrorParser = Callable[[Any], Tuple[Optional[str], Optional[str], Optional[str]]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # tries in all, the first included
    backoff_seconds: float = 0.3  # before the 2nd try; doubled each time, with jitter
    max_wait_seconds: float = 8.0  # a Retry-After longer than this is not waited for

    @classmethod
    def from_env(cls) -> "RetryPolicy":
        return cls(
            attempts=max(1, int(os.environ.get("VENDOR_RETRY_ATTEMPTS", cls.attempts))),
            max_wait_seconds=float(os.environ.get("VENDOR_MAX_RETRY_WAIT_SECONDS", cls.max_wait_seconds)),
        )


def env_timeout() -> float:
    return float(os.environ.get("VENDOR_TIMEOUT_SECONDS", "10"))


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server, so repeating it is always safe."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


class VendorHttp:
    def __init__(
        self,
        vendor: str,
        base_url: str,
        parse_error: ErrorParser,
        *,
        auth: Any = None,
        headers: Optional[Dict[str, str]] = None,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.vendor = vendor
        self.base_url = base_url.rstrip("/")
        self.parse_error = parse_error
        self.timeout = timeout
        self.retry = retry
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers.update({"Accept": "application/json", **(headers or {})})

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Dict[str, Any]] = None,
        json: Any = None,
        headers: Optional[Dict[str, str]] = None,
        idempotent: Optional[bool] = None,
    ) -> requests.Response:
        """Sends one logical request. 5xx and timeouts are retried only when repeating the request
        cannot do anything twice (`idempotent`, by default the safe HTTP methods); a 429 is always
        retried, since the vendor did nothing with the refused request."""
        method = method.upper()
        repeatable = idempotent if idempotent is not None else method in SAFE_METHODS
        url = f"{self.base_url}{path}"
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            backoff = self.retry.backoff_seconds * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
            try:
                response = self.session.request(method, url, params=params, json=json, headers=headers, timeout=self.timeout)
            except requests.Timeout as exc:
                if last or not (repeatable or _never_sent(exc)):
                    raise VendorUnavailable(self.vendor, f"no answer within {self.timeout:g} s ({method} {path})", code="timeout") from exc
                time.sleep(backoff)
                continue
            except requests.RequestException as exc:
                if last or not (repeatable or _never_sent(exc)):
                    raise VendorUnavailable(self.vendor, f"could not be reached ({type(exc).__name__})", code="unreachable") from exc
                time.sleep(backoff)
                continue

            status = response.status_code
            if status < 400:
                return response
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if status == 429:
                wait = backoff if wait is None else wait
                if last or wait > self.retry.max_wait_seconds:
                    raise self._error(RateLimited, response, retry_after=wait)
                time.sleep(wait)
                continue
            if status >= 500:
                if last or not repeatable:
                    raise self._error(VendorUnavailable, response)
                time.sleep(min(wait if wait is not None else backoff, self.retry.max_wait_seconds))
                continue
            kind = AuthenticationFailed if status in (401, 403) else NotFound if status == 404 else InvalidRequest
            raise self._error(kind, response)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _error(self, kind, response: requests.Response, **extra) -> VendorError:
        try:
            body = response.json()
        except ValueError:
            body = None
        code, message, field = (None, None, None)
        if body is not None:
            try:
                code, message, field = self.parse_error(body)
            except (KeyError, IndexError, TypeError, AttributeError):
                pass
        message = message or f"HTTP {response.status_code} {response.reason}"
        return kind(self.vendor, message, status=response.status_code, code=code, field=field, **extra)

    def close(self) -> None:
        self.session.close()
