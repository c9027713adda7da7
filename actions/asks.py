"""The questions forms ask, one action per slot (`action_ask_<slot>`), worded by the domain's
`utter_ask_<slot>` responses. The action adds what only it knows: `{lead}`, a few words that show a
difficulty was heard (or the `utter_phrase_search_start` phrase when a search starts), `{traveller}` for the
traveller a question is about, and suggested destinations as buttons."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .phrases import phrase
from .proactive import acknowledgement
from .profile import destination_buttons

SLOTS = (
    "destination", "departure_date", "return_date", "origin", "child_ages",
    "traveller_name", "traveller_birthdate", "traveller_email",
    "ticket_subject", "ticket_description", "contact_email", "ticket_id", "comment_text",
)


def _traveller_number(tracker: Tracker) -> str:
    """'' for a lone traveller, else ' for traveller 2' and so on."""
    offer = tracker.get_slot("selected_offer") or {}
    if offer.get("passengers", 1) <= 1:
        return ""
    return f" for traveller {len(tracker.get_slot('travellers') or []) + 1}"


def _lead(tracker: Tracker, slot: str) -> str:
    heard = acknowledgement(tracker)
    if heard:
        return heard
    starting = (tracker.latest_message.get("intent") or {}).get("name") == "search_flight"
    return phrase("search_start") + " " if slot == "departure_date" and starting else ""


def _pending_choice(tracker: Tracker, slot: str) -> bool:
    """True while the customer is to pick one of several places of that name ("which Springfield?")."""
    return (tracker.get_slot("place_choices") or {}).get("slot") == slot


def _ask_action(slot: str) -> type:
    class AskAction(Action):
        def name(self) -> Text:
            return f"action_ask_{slot}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
            if _pending_choice(tracker, slot):
                dispatcher.utter_message(response="utter_ask_place_choice")  # the places are the buttons just shown
                return []
            buttons: Optional[List[Dict[str, Any]]] = destination_buttons(tracker) if slot == "destination" else None
            extra = {"traveller": _traveller_number(tracker)} if slot.startswith("traveller_") else {}
            dispatcher.utter_message(response=f"utter_ask_{slot}", lead=_lead(tracker, slot), buttons=buttons or [], **extra)
            return []

    AskAction.__name__ = f"AskFor{''.join(part.title() for part in slot.split('_'))}"
    return AskAction


ASK_ACTIONS = [_ask_action(slot) for slot in SLOTS]
