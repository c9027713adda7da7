"""The greeting when the customer opens the chat, before they type anything.

The channel runs this action (channels/greeting.py) when the panel opens and nothing has been said
in the conversation's session yet, so it greets once per session: a reload or a second tab finds
the greeting already there. A signed-in customer is greeted as a hello is answered
(actions/profile.py: by name, with a ticket waiting for them or their next trip, and the tasks the
preference model thinks they are likely to want as quick replies); an anonymous visitor gets a
short welcome (utter_greet_anonymous_on_open). The name comes only from the verified identity the
session start loaded.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType
from rasa_sdk.executor import CollectingDispatcher

from .common import customer_email
from .profile import greeting, greeting_buttons


class ActionGreetOnOpen(Action):
    def name(self) -> Text:
        return "action_greet_on_open"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if customer_email(tracker):
            dispatcher.utter_message(**greeting(tracker), buttons=greeting_buttons(tracker))
        else:
            dispatcher.utter_message(response="utter_greet_anonymous_on_open")
        # The conversation waits for the customer, as after any turn: their first message is read
        # after an action_listen, as the rules expect.
        return [ActionExecuted("action_listen")]
