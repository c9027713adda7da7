"""Conversation repair: stopping a task, and the fallback when the assistant did not understand.

The fallback never quotes the customer's message back. A first miss suggests the two likeliest
things in one question, as buttons; a second miss in a row (no successful turn between them)
offers a person instead of asking again. Every word is in domain.yml: the suggestions are the
phrases `utter_phrase_suggest_<intent>` (the words and the button), so designers choose which
intents may be suggested by giving them a phrase.
"""
from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .bookings import drop_pending, only_a_date
from .changes import asks_about_the_quote, remind_pending
from .common import answers_the_flights_shown, refiled
from .offers import A_QUESTION, asks_about_the_picked_flight, pick_offer, say_chosen_again
from .phrases import has_phrase, phrase, phrase_buttons, phrases
from .questions import about_a_booked_trip
from .trip import gives_trip_details, latest_reading, says_where_or_when

TASK_SLOTS = {
    "flight_form": ("origin", "destination", "departure_date", "return_date", "origin_label", "destination_label"),
    "traveller_form": ("traveller_name", "traveller_birthdate", "traveller_email", "travellers", "selected_offer"),
    "ticket_form": ("ticket_subject", "ticket_description", "contact_email"),
    "comment_form": ("ticket_id", "comment_text"),
}
# The actions of a turn that did not give the customer what they wanted: the fallbacks (the
# two-stage fallback runs the affirmation, rephrase and give-up actions inside itself, so only its
# own name is recorded) and the out-of-scope answer, which is also what much gibberish gets.
MISSES = {"action_two_stage_fallback", "action_default_fallback"}
# A form's answer it could not read at all is a miss too (an unknown place, an unreadable date).
NOT_UNDERSTOOD = {"utter_place_unknown", "utter_date_unreadable", "utter_out_of_scope"}
# The bot's turns after which shown flights are what a trip detail changes ("lol ok, economy then").
SUGGEST = "suggest_"
SOMETHING_ELSE = "suggest_something_else"


def missed_last_turn(tracker: Tracker) -> bool:
    """True when the assistant's previous turn was a miss too (a fallback, "that's not something I
    can help with", or a form's "I couldn't read that as a date")."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) < 2:
        return False
    previous_turn = tracker.events[users[-2] + 1:users[-1]]
    return any(e.get("event") == "action" and e.get("name") in MISSES
               or e.get("event") == "bot" and (e.get("metadata") or {}).get("utter_action") in NOT_UNDERSTOOD for e in previous_turn)


def suggestions(tracker: Tracker, limit: int = 2) -> List[str]:
    """The likeliest intents of the latest message that have a suggestion phrase, best first; when
    the ranking holds fewer (gibberish ranks small talk highest), the first phrases in domain.yml's
    order make up the number."""
    ranked = [str(i.get("name")) for i in tracker.latest_message.get("intent_ranking") or []]
    usual = [name[len(SUGGEST):] for name in phrases() if name.startswith(SUGGEST) and name != SOMETHING_ELSE]
    likely = [name for name in ranked if has_phrase(SUGGEST + name)]
    return list(dict.fromkeys(likely + usual))[:limit]


def forget_waiting() -> List[EventType]:
    """Forgets everything that waits for a yes: a picked flight ("Shall I book it?") and any
    cancellation or change quote, so a later "yes" cannot book, cancel or change anything."""
    return [SlotSet("selected_offer", None)] + drop_pending()


def waiting_response(tracker: Tracker) -> Text:
    """What stopping outside a form says: the booking stays when a quote waited, the flight is not
    booked when one was picked, else just what else."""
    if tracker.get_slot("pending_cancellation") or tracker.get_slot("pending_change"):
        return "utter_keep_booking"
    if tracker.get_slot("selected_offer"):
        return "utter_offer_declined"
    return "utter_nothing_to_stop"


class ActionStopTask(Action):
    """"Stop", "forget it": ends the form in progress and forgets whatever waited for a yes."""

    def name(self) -> Text:
        return "action_stop_task"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        loop = (tracker.active_loop or {}).get("name")
        if not loop:
            dispatcher.utter_message(response=waiting_response(tracker))
            return forget_waiting()
        task = phrase(f"form_{loop}" if has_phrase(f"form_{loop}") else "form_other")
        dispatcher.utter_message(response="utter_stopped", task=task)
        stopped = [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(s, None) for s in TASK_SLOTS.get(loop, ())]
        return stopped + forget_waiting()


def trip_intent(tracker: Tracker) -> Optional[Text]:
    """The intent a message the classifier could not place is taken as, when a flight search is open
    and the message gives a trip detail: an answer to the form, or a change to the shown flights;
    while a booking's new date is asked, a date is the answer."""
    if tracker.get_slot("awaiting_confirmation") in ("change", "change_date") and not tracker.active_loop.get("name"):
        return "inform" if only_a_date(tracker.latest_message.get("text")) else None  # "a week from tomorrow": the new date
    if (tracker.active_loop or {}).get("name") == "flight_form":
        intent = "inform"
    elif answers_the_flights_shown(tracker):
        intent = "refine_search"
    elif not (tracker.active_loop or {}).get("name") and not tracker.get_slot("awaiting_confirmation") and says_where_or_when(tracker):
        return "search_flight"  # "Good day, for the back flight I take 16 december": a search, in words of its own
    else:
        return None
    return intent if gives_trip_details(tracker) else None


def _picks_a_flight(tracker: Tracker) -> bool:
    """ "the 10am one", "the delta one": a shown flight picked by what sets it apart. Not when the
    message changes the trip ("leave a day later, 12/14") or asks for other flights ("is there a
    morning flight?")."""
    text = tracker.latest_message.get("text") or ""
    if not answers_the_flights_shown(tracker) or not pick_offer(tracker.get_slot("offers") or [], None, None, text):
        return False
    return not set(latest_reading(tracker).fields()) - {"time_of_day", "sort", "airline", "max_stops"} and not A_QUESTION.search(text) \
        and not ONLY_THESE.search(text)


# "Only direct flight. I no like change plane": which flights to show, not one of those shown.
ONLY_THESE = re.compile(r"\b(?:only|just)\s+(?!(?:the|that|this|one)\b)(?:\w+\s+)?(?:flights?|ones|options)\b|"
                        r"\bno\s+(?:like\s+)?(?:change|connection|stop)s?\s+(?:flights?|planes?)\b|"
                        r"\b(?:nonstop|non-stop|direct)\s+only\b|(?<!\bthe\s)\bonly\s+(?:nonstop|non-stop|direct)\b(?!\s+one\b)", re.I)  # "Nonstop only please"


class ActionNotUnderstood(Action):
    """What a message the classifier could not place (nlu_fallback) gets. While a flight search is
    open it may still change the trip in words the reader knows ("lol ok no, economy", "back to 2",
    "ugh it WAS denver"): the message is then filed again as that trip detail, the way the two-stage
    fallback re-files a message the customer affirmed, and the form or the search goes on with it.
    Anything else gets the two-stage fallback."""

    def name(self) -> Text:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if asks_about_the_picked_flight(tracker):  # "is that one nonstop?"
            return say_chosen_again(dispatcher, tracker)
        if asks_about_the_quote(tracker):  # "how much do i get back exactly": the quote that waits says it
            remind_pending(dispatcher, tracker, domain)
            return [UserUtteranceReverted(), FollowupAction("action_listen")]
        if about_a_booked_trip(tracker):  # "How much would I get back if I cancelled my Nice return?"
            return refiled(tracker, "cancel_booking")
        if _picks_a_flight(tracker):
            return refiled(tracker, "select_offer")  # "the 10am one"
        intent = trip_intent(tracker)
        if intent is None:
            return [FollowupAction("action_two_stage_fallback")]
        return refiled(tracker, intent)


class ActionNoToTheFlights(Action):
    """A "no" to the shown flights or to a picked one. When it changes the trip ("no wait, back to
    2", "nah, business"), the search goes on with it; otherwise the rules go on (data/flights.yml):
    to the results it asks what else, and a picked flight stays unbooked."""

    def name(self) -> Text:
        return "action_no_to_the_flights"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return refiled(tracker, "refine_search") if trip_intent(tracker) else []


class ActionDefaultAskAffirmation(Action):
    """The first step of the two-stage fallback: the two likeliest meanings, as one question with
    buttons; after a miss in the turn before, a person instead."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if missed_last_turn(tracker):
            dispatcher.utter_message(response="utter_offer_person")
            return []
        first, second = suggestions(tracker)
        buttons = phrase_buttons(SUGGEST + first) + phrase_buttons(SUGGEST + second) + phrase_buttons(SOMETHING_ELSE)
        dispatcher.utter_message(response="utter_did_you_mean", first=phrase(SUGGEST + first), second=phrase(SUGGEST + second), buttons=buttons)
        return []


class ActionDefaultAskRephrase(Action):
    """The second step of the two-stage fallback, after another miss or "something else": rather
    than asking a second time, offer a person. Rasa files a typed out-of-scope request under
    "something else" too (that button's payload is /out_of_scope); one the customer typed ("can u
    book me a hotel") ends the fallback and gets its own answer."""

    def name(self) -> Text:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        typed = not (tracker.latest_message.get("text") or "").startswith("/")
        if typed and (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope":
            return [ActiveLoop(None), *refiled(tracker, "out_of_scope")]
        dispatcher.utter_message(response="utter_offer_person")
        return []


class ActionDefaultFallback(Action):
    """When nothing fits (or the two-stage fallback gives up): say so, say what I can do, offer a
    person, and leave the conversation where it was."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_cannot_help")
        return [UserUtteranceReverted()]
