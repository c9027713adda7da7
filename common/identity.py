"""Proof that a conversation's customer was verified by a channel, for the action server.

The socket channel verifies who a customer is (a JWT the site signed) and passes the identity in
the message metadata; Rasa keeps it in the `session_started_metadata` slot. Slots can also be
written by whoever holds Rasa's API token, so the action server does not take the metadata's word
either: the channel adds `proof`, an HMAC of the conversation id and the email under
IDENTITY_PROOF_SECRET (shared by Rasa and the action server only). A proof is bound to its
conversation: copied into another conversation it proves nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any, Dict, Optional

SECRET_ENV = "IDENTITY_PROOF_SECRET"


def identity_secret() -> Optional[str]:
    return os.environ.get(SECRET_ENV) or None


def customer_proof(secret: str, conversation_id: str, email: str) -> str:
    message = f"{conversation_id}\n{email.strip().lower()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def proof_holds(secret: Optional[str], conversation_id: str, email: Any, proof: Any) -> bool:
    """True when `proof` was made for this email in this conversation with `secret`."""
    if not secret or not isinstance(email, str) or not isinstance(proof, str) or "@" not in email:
        return False
    return hmac.compare_digest(proof, customer_proof(secret, conversation_id, email))


def signed_customer(secret: str, conversation_id: str, email: str, name: str = "") -> Dict[str, str]:
    """The `customer` metadata a channel passes for a customer it verified."""
    email = email.strip().lower()
    return {"email": email, "name": name, "proof": customer_proof(secret, conversation_id, email)}
