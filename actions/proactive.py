"""Stepping in when the customer struggles: acknowledge, offer concrete help, and take "no thanks"
for an answer.

Two doors lead here with the same intent, `express_difficulty`: the NLU's difficulty component
(the customer wrote it: "this is useless") and the struggle detector in the channel (the customer
did it: two empty searches for Lisbon), which triggers the intent with a `reason` entity and the
context it saw. One action answers both, so the offers read alike and obey the same opt-out.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .common import flights, profile_slot
from .places import name_of

EXTERNAL_PREFIX = "EXTERNAL: "  # how Rasa marks a message that trigger_intent put in the conversation
DECLINED_SLOT = "proactive_declined"


def difficulty_of(tracker: Tracker) -> Optional[str]:
    """'frustration', 'confusion' or None for the customer's latest message."""
    return ((tracker.latest_message or {}).get("difficulty") or {}).get("kind")


def acknowledgement(tracker: Tracker) -> str:
    """A few words that show the difficulty was heard, to put before the next question."""
    return {
        "frustration": "Sorry it's been hard going. I can help with that: I'll do the searching and show you the best prices first. ",
        "confusion": "No problem, let's take it one step at a time. ",
    }.get(difficulty_of(tracker) or "", "")


def is_triggered(tracker: Tracker) -> bool:
    """True when the latest 'message' came from a backend (trigger_intent), not the customer."""
    return str((tracker.latest_message or {}).get("text") or "").startswith(EXTERNAL_PREFIX)


def _entities(tracker: Tracker) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for entity in (tracker.latest_message or {}).get("entities") or []:
        found.setdefault(str(entity.get("entity")), str(entity.get("value")))
    return found


def _search_button(title: str, origin: Optional[str], destination: Optional[str]) -> Dict[str, str]:
    entities = {k: v for k, v in (("origin", origin), ("destination", destination)) if v}
    return {"title": title, "payload": f"/search_flight{json.dumps(entities)}" if entities else "/search_flight"}


COMMON_BUTTONS = [
    {"title": "Talk to a person", "payload": "/human_handoff"},
    {"title": "Open a ticket", "payload": "/open_ticket"},
    {"title": "No thanks", "payload": "/deny"},
]


def offer(tracker: Tracker) -> Dict[str, Any]:
    """The text and buttons of an offer of help, from what the customer wrote or did."""
    seen = _entities(tracker)
    reason = seen.get("reason")
    origin = seen.get("origin") or tracker.get_slot("origin") or profile_slot(tracker, "home_airport")
    destination = seen.get("destination") or tracker.get_slot("destination")
    where = name_of(destination, flights()) if destination else None
    if reason == "empty_searches":
        text = (f"I see the searches for {where} came back empty. Shall I look at other dates, or nearby airports?" if where
                else "I see your searches came back empty. Shall I look for you, with other dates or nearby airports?")
        return {"text": text, "buttons": [_search_button("Try other dates", origin, destination), *COMMON_BUTTONS]}
    if reason == "form_errors":
        field = seen.get("field", "").replace("_", " ")
        text = f"The {field or 'form'} seems to be giving you trouble. I can book it with you here in the chat, step by step, or get a person to help."
        return {"text": text, "buttons": [_search_button("Book it in the chat", origin, destination), *COMMON_BUTTONS]}
    if reason == "idle_checkout":
        return {"text": "Still deciding? If something at checkout is unclear (fares, bags, the total), just ask me. I can also finish the booking with you here.",
                "buttons": [_search_button("Book it in the chat", origin, destination), *COMMON_BUTTONS]}
    if reason == "back_and_forth":
        return {"text": "Looking for something in particular? Tell me what you need and I'll find it for you.",
                "buttons": [{"title": "My trips", "payload": "/list_bookings"}, {"title": "My tickets", "payload": "/list_tickets"}, *COMMON_BUTTONS]}
    # The customer wrote it.
    opening = {"confusion": "Sorry, I haven't been clear."}.get(difficulty_of(tracker) or "", "I'm sorry this has been frustrating.")
    if where:
        text = f"{opening} I can search flights to {where} for you right now, hand you to a person, or open a ticket. What would help most?"
        return {"text": text, "buttons": [_search_button(f"Search flights to {where}", origin, destination), *COMMON_BUTTONS]}
    text = f"{opening} I can find flights for you, show your trips and tickets, hand you to a person, or open a ticket. What would help most?"
    return {"text": text, "buttons": [_search_button("Find me a flight", origin, None), *COMMON_BUTTONS]}


class ActionOfferHelp(Action):
    def name(self) -> Text:
        return "action_offer_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if is_triggered(tracker) and tracker.get_slot(DECLINED_SLOT):
            return []  # the detector checks this too; a race between two tabs must not nag either
        dispatcher.utter_message(**offer(tracker))
        return []


class ActionDeclineHelp(Action):
    """'No thanks' to an offer: say so once, and make no unsolicited offer again this session."""

    def name(self) -> Text:
        return "action_decline_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text="No problem. I won't interrupt again; I'm here if you need me.")
        return [SlotSet(DECLINED_SLOT, True)]
