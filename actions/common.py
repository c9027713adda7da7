"""Helpers every flow uses: the clients, who the customer is, the transcript, honest failure
messages (worded in domain.yml)."""
from __future__ import annotations

import logging
import re
from datetime import date
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, UserUttered, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from common.identity import SECRET_ENV, identity_secret, proof_holds

from .clients import CrmClient, FlightsClient, RateLimited, TicketingClient, VendorError, VendorUnavailable
from .phrases import has_phrase, phrase

log = logging.getLogger(__name__)

if identity_secret() is None:
    log.warning("%s is not set: no customer can be verified, everyone is served as an anonymous visitor", SECRET_ENV)


@lru_cache(maxsize=1)
def crm() -> CrmClient:
    return CrmClient.from_env()


@lru_cache(maxsize=1)
def ticketing() -> TicketingClient:
    return TicketingClient.from_env()


@lru_cache(maxsize=1)
def flights() -> FlightsClient:
    return FlightsClient.from_env()


def today() -> date:
    return date.today()


def customer_email(tracker: Tracker) -> Optional[str]:
    """The signed-in customer's email: only when the `customer_proof` slot proves it for this
    conversation. Slots can be set through Rasa's HTTP API by whoever holds its token, so the
    `customer_email` slot alone proves nothing; the session start sets both from the channel's
    signed metadata (see actions/session.py)."""
    email, proof = tracker.get_slot("customer_email"), tracker.get_slot("customer_proof")
    return email if proof_holds(identity_secret(), tracker.sender_id, email, proof) else None


def profile_slot(tracker: Tracker, name: str) -> Any:
    """A slot the session start loads from the signed-in customer's profile (customer_name,
    home_airport, loyalty_tier, next_trip, open_tickets, likely): believed only alongside a
    verified email, since anyone with the API token can set it."""
    return tracker.get_slot(name) if customer_email(tracker) else None


def applied_events(tracker: Tracker) -> List[Dict[str, Any]]:
    """The conversation's events with each rewind applied, as Rasa applies them: a message filed
    again (`refiled`) leaves no trace of its first reading, such as the slots its entities set."""
    applied: List[Dict[str, Any]] = []
    for event in tracker.events:
        if event.get("event") == "rewind":
            while applied and applied[-1].get("event") != "user":
                applied.pop()
            if applied:
                applied.pop()
        else:
            applied.append(event)
    return applied


def slot_before_this_turn(tracker: Tracker, name: str) -> Any:
    """The value a slot had before the customer's latest message was processed."""
    seen_user = False
    for event in reversed(applied_events(tracker)):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def action_before_this_turn(tracker: Tracker) -> Optional[str]:
    """The bot's last action before the customer's latest message (what they are answering)."""
    seen_user = False
    for event in reversed(applied_events(tracker)):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


SEARCH_TURNS = {"action_search_flights", "action_show_offers", "action_select_offer"}


def answers_the_flights_shown(tracker: Tracker) -> bool:
    """Whether the latest message comes right after flights were shown or one was picked, outside
    any form and with no cancellation or change waiting: a trip detail then changes the search."""
    return not tracker.active_loop.get("name") and action_before_this_turn(tracker) in SEARCH_TURNS \
        and bool(tracker.get_slot("offers")) and not (tracker.get_slot("pending_cancellation") or tracker.get_slot("pending_change"))


def latest_entities(tracker: Tracker, *names: str) -> Dict[str, str]:
    """The latest message's entity values by entity name (the first of each)."""
    found: Dict[str, str] = {}
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") in names and entity["entity"] not in found:
            found[entity["entity"]] = str(entity.get("value"))
    return found


def transcript(tracker: Tracker, limit: int = 60) -> str:
    """The conversation so far, as a support agent would want to read it."""
    lines: List[str] = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text") and not str(event["text"]).startswith("/"):
            lines.append(f"Customer: {event['text']}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"Assistant: {event['text']}")
    return "\n".join(lines[-limit:])


def say_vendor_problem(dispatcher: CollectingDispatcher, exc: VendorError, task: str, *, nothing_changed: bool = True) -> None:
    """An honest message for a failed vendor call, with a way forward. `task` is what could not be
    done, the name of its phrase `utter_phrase_task_<task>` in domain.yml ("look_up_your_tickets";
    words separated by spaces name the same phrase); the system's name is `utter_phrase_system_<vendor>`."""
    log.warning("%s failed: %s", task, exc)
    doing = phrase("task_" + "_".join(task.split()))
    if isinstance(exc, (VendorUnavailable, RateLimited)):
        system = phrase(f"system_{exc.vendor}" if has_phrase(f"system_{exc.vendor}") else "system_other")
        response = "utter_vendor_unreachable" if nothing_changed else "utter_vendor_unreachable_maybe_changed"
        dispatcher.utter_message(response=response, system=system, task=doing)
    else:
        dispatcher.utter_message(response="utter_vendor_refused", task=doing, reason=exc.message)


def money(amount: Any, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5}
CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# A number word picks a position only on its own or after a word that numbers a choice ("two",
# "option one"): in "the athens one" or "the nonstop one", "one" stands for the thing named.
CARDINAL = re.compile(r"(?:^\W*(?:the\s+)?|\b(?:option|number|no\.?|choice)\s+)(one|two|three|four|five)\b(?!\s+(?:of|more|adults?|people|tickets?|seats?))")


def position_said(words: str, count: int) -> Optional[int]:
    """The place in a list of `count` shown choices that lower-case `words` point at ("the 2nd",
    "#3", "option two", "the last one"), from 0; None when they name none."""
    number = re.search(r"#?\b(\d)\b", words)
    if number and 1 <= int(number.group(1)) <= count:
        return int(number.group(1)) - 1
    for word, position in ORDINALS.items():
        if re.search(rf"\b{word}\b", words) and position <= count:
            return position - 1
    cardinal = CARDINAL.search(words.strip())
    if cardinal and CARDINALS[cardinal.group(1)] <= count:
        return CARDINALS[cardinal.group(1)] - 1
    if count and re.search(r"\blast\b", words):
        return count - 1
    return None


def refiled(tracker: Tracker, intent: Text) -> List[EventType]:
    """The latest message filed again under `intent`, the way Rasa's two-stage fallback re-files a
    message the customer affirmed: taken back, and said again, so the policies go on from it as if
    the classifier had read it so."""
    message = dict(tracker.latest_message)
    message["intent"] = {"name": intent, "confidence": 1.0}
    again = UserUttered(message.get("text"), parse_data=message, input_channel=tracker.get_latest_input_channel())
    again.update({"message_id": message.get("message_id"), "metadata": message.get("metadata") or {}})
    return [UserUtteranceReverted(), ActionExecuted("action_listen"), again]
