"""Sandbox settings, all from the environment so tests and deployments start it without code changes."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'sandbox.db'}"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"error: {name} must be a whole number, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Credentials the stand-in vendors accept. The assistant's clients use the same defaults.
    hubspot_token: str
    zendesk_email: str
    zendesk_token: str
    duffel_token: str
    # Requests allowed per credential in each window; past that, 429 with Retry-After.
    rate_limit: int
    rate_window_seconds: int
    offer_ttl_seconds: int
    max_body_bytes: int
    webhook_url: Optional[str]
    webhook_secret: str
    admin_token: str
    # Fault injection: the first `slow_orders` order responses come `order_delay_seconds` late,
    # after the order is made (a vendor that books but answers after the client gave up).
    slow_orders: int = 0
    order_delay_seconds: int = 0

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            hubspot_token=os.environ.get("SANDBOX_HUBSPOT_TOKEN", "pat-sandbox-hubspot"),
            zendesk_email=os.environ.get("SANDBOX_ZENDESK_EMAIL", "assistant@example.com"),
            zendesk_token=os.environ.get("SANDBOX_ZENDESK_TOKEN", "sandbox-zendesk-token"),
            duffel_token=os.environ.get("SANDBOX_DUFFEL_TOKEN", "duffel_test_sandbox"),
            rate_limit=_int("SANDBOX_RATE_LIMIT", 600),
            rate_window_seconds=_int("SANDBOX_RATE_WINDOW_SECONDS", 60),
            offer_ttl_seconds=_int("SANDBOX_OFFER_TTL_SECONDS", 1800),
            max_body_bytes=_int("SANDBOX_MAX_BODY_BYTES", 1024 * 1024),
            webhook_url=os.environ.get("SANDBOX_WEBHOOK_URL") or None,
            webhook_secret=os.environ.get("SANDBOX_WEBHOOK_SECRET", "sandbox-webhook-secret"),
            admin_token=os.environ.get("SANDBOX_ADMIN_TOKEN", "sandbox-admin"),
            slow_orders=_int("SANDBOX_SLOW_ORDERS", 0),
            order_delay_seconds=_int("SANDBOX_ORDER_DELAY_SECONDS", 0),
        )
