"""The questions forms ask, one action per slot (`action_ask_<slot>`), so a question can depend on
what the assistant already knows."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .proactive import acknowledgement
from .profile import destination_buttons


def _traveller_number(tracker: Tracker) -> str:
    """'' for a lone traveller, else ' for traveller 2' and so on."""
    offer = tracker.get_slot("selected_offer") or {}
    if offer.get("passengers", 1) <= 1:
        return ""
    return f" for traveller {len(tracker.get_slot('travellers') or []) + 1}"


QUESTIONS: Dict[str, Any] = {
    "destination": lambda t: ("Where would you like to fly to?", destination_buttons(t)),
    # An acknowledged difficulty already says the assistant will help (see _ask_action).
    "departure_date": lambda t: ("I can help you with that. " if not acknowledgement(t) and (t.latest_message.get("intent") or {}).get("name") == "search_flight" else "")
    + "What dates are you travelling on?",
    "return_date": ("And when are you coming back? (Or say \"one way\".)", [{"title": "One way", "payload": "one way"}]),
    "origin": "Where are you flying from?",
    "traveller_name": lambda t: f"What is the full name{_traveller_number(t)}, as on the passport?",
    "traveller_birthdate": lambda t: "And the date of birth?",
    "traveller_email": "Which email should the booking confirmation go to?",
    "ticket_subject": "In a few words, what is the problem about?",
    "ticket_description": "Please describe what happened, with any booking reference.",
    "contact_email": "Which email can our team reach you at?",
    "ticket_id": "Which ticket number is it?",
    "comment_text": "What would you like to add to the ticket?",
}


def _ask_action(slot: str) -> type:
    question = QUESTIONS[slot]

    class AskAction(Action):
        def name(self) -> Text:
            return f"action_ask_{slot}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
            text: Any = question(tracker) if callable(question) else question
            buttons: Optional[list] = None
            if isinstance(text, tuple):
                text, buttons = text
            dispatcher.utter_message(text=acknowledgement(tracker) + text, buttons=buttons or [])
            return []

    AskAction.__name__ = f"AskFor{''.join(part.title() for part in slot.split('_'))}"
    return AskAction


ASK_ACTIONS = [_ask_action(slot) for slot in QUESTIONS]
