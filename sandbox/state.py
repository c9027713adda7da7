"""What a running sandbox holds: settings, database, rate limiter and webhook sender."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from .config import Settings
from .db import Database
from .http import RateLimiter


@dataclass
class SandboxState:
    settings: Settings
    db: Database
    limiter: RateLimiter
    webhooks: "WebhookSender"  # noqa: F821  (sandbox.webhooks imports this module)


def state() -> SandboxState:
    return current_app.extensions["sandbox"]
