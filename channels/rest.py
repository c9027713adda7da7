"""Rasa's REST channel (POST /webhooks/rest/webhook) with our turn rules: size limit, never silence.
For scripted tests and trusted servers; customers use the socket channel.

Whoever can post here speaks for any conversation, so every request must carry
`Authorization: Bearer <REST_CHANNEL_TOKEN>`; without the variable set the channel refuses all.
A trusted server may say who the customer is (`metadata.customer = {"email", "name"}`): the
channel signs it for the action server (common/identity.py) and drops any `proof` the caller sent.
"""
from __future__ import annotations

import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from common.identity import identity_secret, signed_customer

from .turns import guarded

TOKEN_ENV = "REST_CHANNEL_TOKEN"
log = logging.getLogger(__name__)


def bearer_token_matches(request: Request, expected: Optional[str]) -> bool:
    """Constant-time check of `Authorization: Bearer <token>`; never true without an expected token."""
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


def trusted_metadata(metadata: Any, sender_id: Any) -> Optional[Dict[str, Any]]:
    """The metadata a trusted caller sent, with its `customer` replaced by one the channel signed."""
    if not isinstance(metadata, dict):
        return None
    metadata = dict(metadata)
    customer = metadata.pop("customer", None)
    email = customer.get("email") if isinstance(customer, dict) else None
    if isinstance(email, str) and "@" in email and isinstance(sender_id, str):
        name = customer.get("name") if isinstance(customer.get("name"), str) else ""
        secret = identity_secret()
        if secret:
            metadata["customer"] = signed_customer(secret, sender_id, email, name)
        else:  # unsigned: the action server will not take it as proof of anyone
            metadata["customer"] = {"email": email.strip().lower(), "name": name}
    return metadata


class RestChannel(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return trusted_metadata(request.json.get("metadata"), request.json.get("sender"))

    def _extract_input_channel(self, request: Request) -> Text:
        return self.name()  # a caller must not pass its messages off as another channel's

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        token = os.environ.get(TOKEN_ENV)
        if not token:
            log.warning("%s is not set: the REST channel refuses every request", TOKEN_ENV)
        webhook = super().blueprint(guarded(on_new_message, lambda message: len(getattr(message.output_channel, "messages", []))))

        @webhook.middleware("request")
        async def require_token(request: Request):
            if not request.path.endswith("/webhook"):
                return None
            if not token:
                return response.json({"error": "the REST channel is disabled: REST_CHANNEL_TOKEN is not set on the server"}, status=403)
            if not bearer_token_matches(request, token):
                return response.json({"error": "the REST channel needs 'Authorization: Bearer <REST_CHANNEL_TOKEN>'"}, status=401,
                                     headers={"WWW-Authenticate": "Bearer"})
            return None

        return webhook
