"""Help questions answered from the help center's articles, matched by meaning (actions/articles.py).

The reply quotes the best article's opening paragraph and links it, when the match is confident;
a near article or two are offered as a maybe; otherwise the customer is told so and offered a
person or a ticket.
"""
from __future__ import annotations

import logging
import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import articles
from .bookings import customer_bookings, names_a_trip
from .changes import asks_about_the_quote, remind_pending
from .clients import VendorError
from .clients.helpcenter import Article
from .common import answers_the_flights_shown, customer_email, refiled
from .offers import asks_about_the_picked_flight, say_chosen_again
from .trip import changes_the_trip, latest_reading, place_choice
from .topics import topic_words

log = logging.getLogger(__name__)

PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=[A-Z0-9$€£])")
SHORT_ANSWER_CHARS = 320


def short_answer(body_html: str) -> str:
    """The article's opening paragraph (the articles answer the question there), as plain text,
    cut after the sentence that passes SHORT_ANSWER_CHARS."""
    opening = PARAGRAPH.search(body_html)
    text = articles.plain(opening.group(1) if opening else body_html)
    kept = ""
    for sentence in SENTENCE_END.split(text):
        kept = f"{kept} {sentence}".strip()
        if len(kept) >= SHORT_ANSWER_CHARS:
            break
    return kept


def say_article(dispatcher: CollectingDispatcher, article: Article) -> None:
    """The article's short answer and its link."""
    dispatcher.utter_message(response="utter_help_answer", answer=short_answer(article.body), title=article.title, link=article.html_url)


# "is there a fee for that?" while a change or a cancellation is being arranged: "that" is it.
WAITING_TASK = {"change": "changing my flight", "change_date": "changing my flight", "which_change": "changing my flight",
                "cancellation": "cancelling my booking", "which_cancel": "cancelling my booking"}
POINTS_BACK = re.compile(r"\b(?:that|it|this)\b", re.I)


def _question(tracker: Tracker) -> str:
    """The latest message as a question to the help center, with the task it points back to."""
    question = tracker.latest_message.get("text") or ""
    task = WAITING_TASK.get(tracker.get_slot("awaiting_confirmation") or "")
    return f"{question} ({task})" if task and POINTS_BACK.search(question) else question


def answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Answers the help question in the customer's latest message, from the help center.

    Every reply is a statement (the offers are buttons), so a form can ask its question after it."""
    question = _question(tracker)
    if not topic_words(question):
        dispatcher.utter_message(response="utter_help_ask_away")
        return
    try:
        matches = articles.find(question)
    except VendorError as exc:
        log.warning("help center articles could not be read: %s", exc)
        dispatcher.utter_message(response="utter_help_unavailable")
        return
    near = articles.maybe(matches)
    if articles.confident(matches):
        say_article(dispatcher, matches[0].article)
    elif len(near) == 2:
        dispatcher.utter_message(response="utter_help_maybe_two", title=near[0].title, link=near[0].html_url,
                                 other_title=near[1].title, other_link=near[1].html_url)
    elif near:
        dispatcher.utter_message(response="utter_help_maybe", title=near[0].title, link=near[0].html_url)
    else:
        dispatcher.utter_message(response="utter_help_no_answer")


ABOUT_CANCELLING = re.compile(r"\b(?:cancel\w*|refund\w*|money\s+back|get\s+back)\b", re.I)


def about_a_booked_trip(tracker: Tracker) -> bool:
    """Whether a question about cancelling or a refund names one of the customer's upcoming trips:
    then what they would get back is that booking's quote, not the help center's rules."""
    if not customer_email(tracker) or not ABOUT_CANCELLING.search(tracker.latest_message.get("text") or ""):
        return False
    try:
        return names_a_trip(tracker, customer_bookings(tracker))
    except VendorError:
        return False


def _changes_the_shown_flights(tracker: Tracker) -> bool:
    """Whether a "question" right after flights were shown gives a trip detail ("can you check first
    class if they have it", "what about for 3 adults") that no help article answers for sure: then
    it asks for other flights."""
    if not answers_the_flights_shown(tracker) or not changes_the_trip(tracker):
        return False
    try:
        return not articles.confident(articles.find(_question(tracker)))
    except VendorError:
        return True


class ActionAnswerQuestion(Action):
    """Answers a help question. Outside a form the question is then taken back out of the dialogue
    state (as Rasa's fallback does), so the conversation goes on from where it was: after flight
    results "yes" still shows the offers, after a quote "yes" still confirms it. Inside a form the
    rules go on to the form, which asks its question again."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.active_loop.get("name"):
            answer(dispatcher, tracker)
            return []
        if about_a_booked_trip(tracker):
            return refiled(tracker, "cancel_booking")  # "how much would i get back if i cancel cancun": its quote
        if asks_about_the_picked_flight(tracker):  # "hmm how much is it in total?", "wait which airline is that"
            return say_chosen_again(dispatcher, tracker)
        if _changes_the_shown_flights(tracker):
            return refiled(tracker, "refine_search")  # "can you check first class if they have it"
        # A cancellation or change quote waiting for a yes is recalled after the answer; a question
        # about its amount ("how much extra is that?") is answered by the quote alone.
        if not asks_about_the_quote(tracker):
            answer(dispatcher, tracker)
        remind_pending(dispatcher, tracker, domain)
        # Taken back out, the question leaves no rule to follow: listen, rather than let a policy
        # guess on from the state before it (which once searched again after "Shall I book it?").
        return [UserUtteranceReverted(), FollowupAction("action_listen")]


# Things the assistant does not book: a place said beside them is where they are, not the trip.
NOT_FLIGHTS = re.compile(r"\b(?:hotels?|rooms?|car|cars|rental|taxi|cab|uber|train|bus|restaurant|show|tickets?\s+to\s+a)\b", re.I)


A_QUESTION_ABOUT = re.compile(r"\?\s*$|^\W*(?:do|does|can|could|is|are|will|would|how|what|which|when|where|why)\b", re.I)


def answers_the_form(tracker: Tracker) -> bool:
    """ "one way please, I come back with the train", "Athens in Greece of course!" (to "which
    Athens?"), "Delhi bhai" (to "where to?"): what the classifier turned away answers the search's question."""
    reading, text = latest_reading(tracker), tracker.latest_message.get("text") or ""
    asked = tracker.get_slot("requested_slot")
    if reading.one_way is True or place_choice(tracker, text):
        return True
    return asked in ("origin", "destination") and getattr(reading, asked) is not None and not NOT_FLIGHTS.search(text) \
        and not A_QUESTION_ABOUT.search(text)  # "do i need a passport for cancun?" is a question, for the help center


class ActionOutOfScope(Action):
    """What the classifier takes for out of scope may still be a question the help center answers
    ("visa for japan?", "do i need a passport for mexico": the countries read like the weather or
    hotel questions it was taught to turn away). When an article answers it for sure, that is the
    reply; otherwise the customer hears what the assistant can do. While the flight search asks its
    questions, a message saying one way is the answer, whatever else it mentions."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if (tracker.active_loop or {}).get("name") == "flight_form" and answers_the_form(tracker):
            return refiled(tracker, "inform")  # "Only one way please, I come back with the train": the trip, not a train
        question = tracker.latest_message.get("text") or ""
        best = articles.sure_answer(question) if topic_words(question) else None
        if best:
            say_article(dispatcher, best)
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
