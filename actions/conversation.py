"""Conversation repair: stopping a task, and the fallback's "did you mean" question."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

TASK_SLOTS = {
    "flight_form": ("origin", "destination", "departure_date", "return_date", "origin_label", "destination_label"),
    "traveller_form": ("traveller_name", "traveller_birthdate", "traveller_email", "travellers", "selected_offer"),
    "ticket_form": ("ticket_subject", "ticket_description", "contact_email"),
    "comment_form": ("ticket_id", "comment_text"),
}
TASK_NAMES = {"flight_form": "flight search", "traveller_form": "booking", "ticket_form": "new ticket", "comment_form": "note"}
INTENT_WORDS = {
    "search_flight": "Search for a flight",
    "inform": "Give details for your trip",
    "select_offer": "Pick one of the flights",
    "list_bookings": "See your bookings",
    "cancel_booking": "Cancel a booking",
    "ticket_status": "Check a support ticket",
    "list_tickets": "See your open tickets",
    "open_ticket": "Report a problem (open a ticket)",
    "add_comment": "Add a note to a ticket",
    "human_handoff": "Talk to a person",
    "ask_capabilities": "Hear what I can do",
    "greet": "Say hello",
    "goodbye": "End the conversation",
    "thank": "Say thanks",
    "affirm": "Yes",
    "deny": "No",
    "stop": "Stop what we're doing",
    "bot_challenge": "Ask whether I'm a bot",
}


class ActionStopTask(Action):
    def name(self) -> Text:
        return "action_stop_task"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        loop = (tracker.active_loop or {}).get("name")
        if not loop:
            dispatcher.utter_message(text="Okay. What else can I do for you?")
            return []
        dispatcher.utter_message(text=f"Okay, I've stopped the {TASK_NAMES.get(loop, 'task')}. What else can I do for you?")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(s, None) for s in TASK_SLOTS.get(loop, ())]


class ActionDefaultAskAffirmation(Action):
    """The first step of the two-stage fallback: offer the likeliest meanings as buttons."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        ranking = [i for i in tracker.latest_message.get("intent_ranking") or [] if i.get("name") in INTENT_WORDS]
        text = tracker.latest_message.get("text") or ""
        buttons = [{"title": INTENT_WORDS[i["name"]], "payload": f"/{i['name']}"} for i in ranking[:2]]
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        dispatcher.utter_message(text=f"Sorry, I'm not sure what you mean by \"{text}\". Did you want to:", buttons=buttons)
        return []


class ActionDefaultAskRephrase(Action):
    """The second step of the two-stage fallback."""

    def name(self) -> Text:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text="Sorry, I still didn't get that. Could you say it another way?")
        return []


class ActionDefaultFallback(Action):
    """When nothing fits: say so, say what I can do, and leave the conversation where it was."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(
            text="Sorry, I can't help with that. I can book flights, manage your bookings and help with support tickets, "
                 "or put you in touch with a person (say \"talk to an agent\")."
        )
        return [UserUtteranceReverted()]
