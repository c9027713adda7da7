"""Session start: who the customer is.

The channel verifies the customer (a signed token) and passes their identity in the message
metadata; the assistant never takes a customer's word for who they are.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .profile import load_profile


def verified_customer(metadata: Dict[str, Any]) -> Dict[str, str]:
    customer = metadata.get("customer") if isinstance(metadata, dict) else None
    return customer if isinstance(customer, dict) and isinstance(customer.get("email"), str) else {}


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        customer = verified_customer(tracker.get_slot("session_started_metadata") or {})
        if customer:
            email = customer["email"].strip().lower()
            profile = load_profile(email, tracker.events)
            profile.setdefault("customer_name", customer.get("name") or None)
            events += [SlotSet("customer_email", email)] + [SlotSet(name, value) for name, value in profile.items()]
        events.append(ActionExecuted("action_listen"))
        return events
