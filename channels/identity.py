"""Who is on the other end of a socket.

A signed-in customer presents a JWT that the travel site signed (claims: `sub` = email, `name`,
`exp`). An anonymous visitor gets a random conversation id and a token the channel signs for it,
so a reload or another tab can come back to the same conversation and nobody else can. The
conversation id is always derived here, never taken from what the client sends.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional

import jwt

ANONYMOUS_TTL_SECONDS = 30 * 24 * 3600


class IdentityRefused(Exception):
    """The credentials are expired, forged or malformed; the reason is safe to show the client."""


@dataclass(frozen=True)
class Identity:
    conversation_id: str
    customer: Optional[Dict[str, str]]  # {"email", "name"} for a signed-in customer
    session_token: Optional[str] = None  # for an anonymous visitor: present it again to resume


class IdentityVerifier:
    def __init__(self, key: str, algorithm: str = "HS256", leeway_seconds: int = 30) -> None:
        self.key = key
        self.algorithm = algorithm
        self.leeway = leeway_seconds

    def conversation_for(self, email: str) -> str:
        """A customer's conversation id: stable, and not their email in the clear."""
        digest = hmac.new(self.key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()
        return f"c-{digest[:32]}"

    def customer_token(self, email: str, name: Optional[str] = None, ttl_seconds: int = 3600) -> str:
        """What the travel site gives a signed-in customer's browser (also used by tests)."""
        now = int(time.time())
        claims: Dict[str, Any] = {"sub": email, "iat": now, "exp": now + ttl_seconds}
        if name:
            claims["name"] = name
        return jwt.encode(claims, self.key, algorithm=self.algorithm)

    def _decode(self, token: Any, required) -> Dict[str, Any]:
        if not isinstance(token, str) or len(token) > 4096:
            raise IdentityRefused("malformed token")
        try:
            return jwt.decode(token, self.key, algorithms=[self.algorithm], leeway=self.leeway, options={"require": required})
        except jwt.ExpiredSignatureError:
            raise IdentityRefused("token expired") from None
        except jwt.InvalidTokenError as exc:
            raise IdentityRefused(f"invalid token ({type(exc).__name__})") from None

    def identify(self, auth: Optional[Dict[str, Any]]) -> Identity:
        """The identity for a connection's auth payload: {"token": customer JWT},
        {"session_token": anonymous token}, or nothing for a new anonymous visitor."""
        auth = auth if isinstance(auth, dict) else {}
        if auth.get("token"):
            claims = self._decode(auth["token"], ["sub", "exp"])
            email = str(claims["sub"]).strip().lower()
            if "@" not in email:
                raise IdentityRefused("token subject is not an email")
            customer = {"email": email, "name": str(claims.get("name") or "")}
            return Identity(self.conversation_for(email), customer)
        if auth.get("session_token"):
            claims = self._decode(auth["session_token"], ["anon", "exp"])
            return Identity(str(claims["anon"]), None, auth["session_token"])
        conversation_id = f"a-{secrets.token_hex(16)}"
        now = int(time.time())
        token = jwt.encode({"anon": conversation_id, "iat": now, "exp": now + ANONYMOUS_TTL_SECONDS}, self.key, algorithm=self.algorithm)
        return Identity(conversation_id, None, token)
