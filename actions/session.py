"""Session start: who the customer is.

The channel verifies the customer (a signed token) and passes their identity in the message
metadata, with a proof bound to the conversation (common/identity.py). Only this action sets the
identity slots, and only when the proof holds: metadata written by anyone else (Rasa's HTTP API,
another conversation's copy) leaves the visitor anonymous.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from common.identity import identity_secret, proof_holds

from .profile import load_profile


def verified_customer(metadata: Any, conversation_id: str) -> Optional[Dict[str, str]]:
    """The metadata's `customer` ({"email", "name", "proof"}) when its proof holds for this
    conversation, with the email normalised; None otherwise."""
    customer = metadata.get("customer") if isinstance(metadata, dict) else None
    if not isinstance(customer, dict):
        return None
    email, proof = customer.get("email"), customer.get("proof")
    if not proof_holds(identity_secret(), conversation_id, email, proof):
        return None
    name = customer.get("name")
    return {"email": email.strip().lower(), "name": name if isinstance(name, str) else "", "proof": proof}


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        customer = verified_customer(tracker.get_slot("session_started_metadata"), tracker.sender_id)
        if customer:
            profile = load_profile(customer["email"], tracker.events)
            profile.setdefault("customer_name", customer["name"] or None)
            events += [SlotSet("customer_email", customer["email"]), SlotSet("customer_proof", customer["proof"])]
            events += [SlotSet(name, value) for name, value in profile.items()]
        events.append(ActionExecuted("action_listen"))
        return events
