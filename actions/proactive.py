"""Stepping in when the customer struggles: acknowledge, offer concrete help, and take "no thanks"
for an answer.

Two doors lead here with the same intent, `express_difficulty`: the NLU's difficulty component
(the customer wrote it: "this is useless") and the struggle detector in the channel (the customer
did it: two empty searches for Lisbon), which triggers the intent with a `reason` entity and the
context it saw. One action answers both, so the offers read alike and obey the same opt-out. The
offers are worded by the domain's `utter_offer_help_*` responses, buttons included. An offer for
what the customer did carries the help article that fits it (offer_topics.yml says what each kind
of struggle is about; actions/articles.py finds the article by meaning), in a line of its own.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any, Dict, List, Optional, Text

import yaml

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import articles
from .clients.helpcenter import Article
from .common import flights, profile_slot, refiled
from .conversation import trip_intent
from .phrases import has_phrase, phrase
from .places import name_of
from .reading import says_a_correction
from .trip import changes_the_trip

TOPICS = Path(__file__).with_name("offer_topics.yml")
EXTERNAL_PREFIX = "EXTERNAL: "  # how Rasa marks a message that trigger_intent put in the conversation
DECLINED_SLOT = "proactive_declined"


def difficulty_of(tracker: Tracker) -> Optional[str]:
    """'frustration', 'confusion' or None for the customer's latest message."""
    return ((tracker.latest_message or {}).get("difficulty") or {}).get("kind")


def acknowledgement(tracker: Tracker) -> str:
    """A few words that show the difficulty was heard, to put before the next question (the
    phrase `utter_phrase_heard_<kind>`, then a space); "" when there was none, or when an offer of
    help already answered it this turn."""
    kind = difficulty_of(tracker)
    if not kind or not has_phrase(f"heard_{kind}") or _offered_this_turn(tracker):
        return ""
    return phrase(f"heard_{kind}") + " "


def _offered_this_turn(tracker: Tracker) -> bool:
    this_turn = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        this_turn.append(event)
    return any(e.get("event") == "action" and e.get("name") == "action_offer_help" for e in this_turn)


def is_triggered(tracker: Tracker) -> bool:
    """True when the latest 'message' came from a backend (trigger_intent), not the customer."""
    return str((tracker.latest_message or {}).get("text") or "").startswith(EXTERNAL_PREFIX)


def _entities(tracker: Tracker) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for entity in (tracker.latest_message or {}).get("entities") or []:
        found.setdefault(str(entity.get("entity")), str(entity.get("value")))
    return found


def _search_payload(origin: Optional[str], destination: Optional[str]) -> str:
    """The payload of the offer's first button: a flight search with what is already known."""
    entities = {k: v for k, v in (("origin", origin), ("destination", destination)) if v}
    return f"/search_flight{json.dumps(entities)}" if entities else "/search_flight"


def offer(tracker: Tracker) -> Dict[str, Any]:
    """The response (utter_offer_help_<reason>) and its variables for an offer of help, from what
    the customer wrote or did. Each such response has a variation for when no form question is
    open (it may end with a question) and one for inside a form, whose question follows it."""
    seen = _entities(tracker)
    reason = seen.get("reason")
    origin = seen.get("origin") or tracker.get_slot("origin") or profile_slot(tracker, "home_airport")
    destination = seen.get("destination") or tracker.get_slot("destination")
    place = {"place": name_of(destination, flights())} if destination else {}
    search = {"search_payload": _search_payload(origin, destination)}
    if reason == "empty_searches":
        return {"response": "utter_offer_help_empty_searches_to" if place else "utter_offer_help_empty_searches", **place, **search}
    if reason == "form_errors":
        field = seen.get("field", "").replace("_", " ")
        return {"response": "utter_offer_help_form_field", "field": field, **search} if field else {"response": "utter_offer_help_form", **search}
    if reason == "idle_checkout":
        return {"response": "utter_offer_help_idle_checkout", **search}
    if reason in ("back_and_forth", "rage_clicks", "dead_clicks", "quick_backs", "help_browsing"):
        return {"response": f"utter_offer_help_{reason}"}
    if reason == "empty_help_search":
        return {"response": "utter_offer_help_empty_help_search_for", "query": seen["query"]} if seen.get("query") else {"response": "utter_offer_help_empty_help_search"}
    # The customer wrote it.
    confused = difficulty_of(tracker) == "confusion"
    if place:
        return {"response": "utter_offer_help_confused_to" if confused else "utter_offer_help_frustrated_to", **place, **search}
    return {"response": "utter_offer_help_confused" if confused else "utter_offer_help_frustrated", "search_payload": _search_payload(origin, None)}


@lru_cache(maxsize=1)
def _topics() -> Dict[str, str]:
    return yaml.safe_load(TOPICS.read_text(encoding="utf-8"))


def topic(reason: str, seen: Dict[str, str]) -> str:
    """What the struggle is about, in a customer's words (offer_topics.yml filled in); "" when
    offer_topics.yml has nothing for it."""
    template = _topics().get(reason) or ""
    values = {name: seen.get(name, "").replace("_", " ") for _, name, _, _ in Formatter().parse(template) if name}
    return template.format(**values).strip(" :")


def offer_article(tracker: Tracker) -> Optional[Article]:
    """The help article that fits what the customer struggled with on the site, when one does for sure."""
    seen = _entities(tracker)
    about = topic(seen.get("reason", ""), seen)
    return articles.sure_answer(about) if about else None


class ActionOfferHelp(Action):
    def name(self) -> Text:
        return "action_offer_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if is_triggered(tracker) and tracker.get_slot(DECLINED_SLOT):
            return []  # the detector checks this too; a race between two tabs must not nag either
        intent = None if is_triggered(tracker) else trip_intent(tracker)
        if intent and (says_a_correction(tracker.latest_message.get("text")) or changes_the_trip(tracker)):
            return refiled(tracker, intent)  # "ugh sorry, orlando after all", "spokane not seattle, im at my moms": the trip goes on
        dispatcher.utter_message(**offer(tracker))
        article = offer_article(tracker) if is_triggered(tracker) else None
        if article:
            dispatcher.utter_message(response="utter_offer_help_article", title=article.title, link=article.html_url)
        return []


class ActionDeclineHelp(Action):
    """'No thanks' to an offer: say so once, and make no unsolicited offer again this session."""

    def name(self) -> Text:
        return "action_decline_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_help_declined")
        return [SlotSet(DECLINED_SLOT, True)]
