"""The intents that give or change the details of a trip: a flight request ("bos to mia friday"),
an answer to the search's questions ("from newark instead") and a change to shown results ("for 2
of us", "evening flights?"). Their words overlap by nature, and the classifier often splits its
confidence between two of them, though either leads to the same thing: the search reads every
detail of the message (actions/trip.py), whatever the intent. A split is therefore no doubt about
what the customer wants, and must not make the message "not understood": the likeliest of them
takes their joint confidence, and the others leave the ranking, before the FallbackClassifier judges.

A trip detail the entity extractor found (a place, a date, a cabin) is evidence too: with one, the trip
intents are joined whatever comes second ("hmm make that the 17th" split three ways with "stop"),
the message counts as understood, the trip intents together may outweigh another first intent, a greeting is a flight request ("hi, flying out of toronto"), and a "no" that gives a date is a
correction ("wait no, dec 22"), unless it keeps or cancels something ("no, keep the 22nd one"); so is a
"no" or a "stop" that puts a place right ("sorry, I've got that wrong, it should be Pittsburgh").

Exceptions the other way: a trip message that asks for money back, or that is about "my flight"
to be changed or cancelled as the classifier half thought, is about a booked trip.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

TRIP_INTENTS = frozenset({"search_flight", "inform", "refine_search"})
TRIP_ENTITIES = frozenset({"origin", "destination", "departure_date", "return_date", "cabin"})
DATE_ENTITIES = frozenset({"departure_date", "return_date"})
# A trip intent first and a trip detail found: understood, however the classifier split the rest
# (above the FallbackClassifier's threshold in config.yml).
DETAIL_CONFIDENCE = 0.6
# Intents a trip detail turns into a trip intent: the one it becomes.
WITH_A_DETAIL = {"greet": "search_flight", "deny": "inform", "stop": "inform"}
PLACE_ENTITIES = frozenset({"origin", "destination"})
# "Oh no, I'm so sorry, I've got that wrong, it should be Pittsburgh, not Philadelphia": a place put right.
PUTS_RIGHT = re.compile(r"\b(?:should\s+(?:have\s+been|be)|i\s+mean|meant)\b", re.I)
KEEPS_OR_CANCELS = re.compile(r"\b(keep|leave|cancel|don'?t|do not|stay)\b", re.I)


def _as(name: str, confidence: float, ranking: List[Dict[str, Any]]) -> Dict[str, Any]:
    """{intent, ranking}: the message taken as `name` with `confidence`, first in a ranking without
    the trip intents, whose confidence it holds."""
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    return {"intent": top, "ranking": [top] + [r for r in ranking if r.get(INTENT_NAME_KEY) not in TRIP_INTENTS | {name}]}


# "i want the money back for the flight to nice": a trip named to get money back for is a booked
# one, whatever its words share with a flight request; the cancellation flow quotes the refund.
MONEY_BACK = re.compile(r"\b(?:money\s+back|refund(?:ed)?(?!\s*able)\b(?!\s+(?:polic|rules?))|reimburs\w*)", re.I)
FOR_A_BOOKING = "cancel_booking"


def money_back(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str) -> Optional[Dict[str, Any]]:
    """{intent, ranking} with a trip intent that asks for money back made a cancellation; else None."""
    if not intent or intent.get(INTENT_NAME_KEY) not in TRIP_INTENTS or not MONEY_BACK.search(text):
        return None
    return _as(FOR_A_BOOKING, intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0, ranking)


# "need to shift my flight on the 21st to the 22nd", "my flight to barcelona, is possible to change
# it": a trip that is "my flight" and is to be changed is a booked one, when the classifier thought
# so too (its second guess); "for my flight to paris" when it thought so with some confidence.
BOOKED = re.compile(r"\b(?:my|our)\s+(?:[\w'-]+\s+){0,2}?(?:flights?|trips?|bookings?|reservations?)\b|"  # "our orlando trip"
                    r"\b(?:booking|confirmation)\s+(?:ref(?:erence)?|code|number)\s*[:#]?\s*[a-z0-9]{6}\b", re.I)  # pasted from the e-mail
CHANGE = re.compile(r"\b(?:chang\w*|mov(?:e|ed|ing)|shift\w*|reschedul\w*|postpon\w*|push\w*|prepone|bring\s+forward|switch\w*|amend\w*|"
                    r"rebook\w*|updat\w*|modif\w*|alter\w*)\b", re.I)
ABOUT_A_BOOKING = ("change_booking", "cancel_booking")
BOOKING_ONE = re.compile(r"\bbook(?:ing)?\s+(?:my|our)\b", re.I)  # "book my trip to rome": not booked yet
SECOND_THOUGHT = 0.3


def booked_trip(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str) -> Optional[Dict[str, Any]]:
    """{intent, ranking} with a trip intent about the customer's own booked trip made the change or
    cancellation the classifier ranked next; else None."""
    if not intent or not BOOKED.search(text) or BOOKING_ONE.search(text):
        return None
    trip = [r for r in ranking if r.get(INTENT_NAME_KEY) in TRIP_INTENTS]
    if intent.get(INTENT_NAME_KEY) in TRIP_INTENTS:
        other = next((r for r in ranking if r.get(INTENT_NAME_KEY) in ABOUT_A_BOOKING), None)
    elif intent.get(INTENT_NAME_KEY) in ABOUT_A_BOOKING and len(ranking) > 1 and ranking[1].get(INTENT_NAME_KEY) in TRIP_INTENTS:
        other = intent  # a split between the booking and a flight request: no doubt about which
    else:
        return None
    if other is None:
        return None
    changed = other[INTENT_NAME_KEY] == "change_booking" and CHANGE.search(text)
    if not changed and (other.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < SECOND_THOUGHT:
        return None
    joint = min(1.0, sum(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0 for r in trip + [other]))
    return _as(other[INTENT_NAME_KEY], joint, ranking)


def merged(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], details: frozenset = frozenset(),
           text: str = "") -> Optional[Dict[str, Any]]:
    """{intent, ranking} with the trip intents' confidence joined in the likeliest; None when the
    two likeliest intents are not both trip intents and no trip detail (the entity types in
    `details`) says it is one, or the message was judged vague."""
    if not intent or not intent.get(PREDICTED_CONFIDENCE_KEY):
        return None
    trip = [r for r in ranking if r.get(INTENT_NAME_KEY) in TRIP_INTENTS]
    trip_confidence = sum(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0 for r in trip)
    if intent.get(INTENT_NAME_KEY) in WITH_A_DETAIL and _detail_makes_it_a_trip(intent[INTENT_NAME_KEY], details, text):
        without = [r for r in ranking if r.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]]
        return _as(WITH_A_DETAIL[intent[INTENT_NAME_KEY]], min(1.0, intent[PREDICTED_CONFIDENCE_KEY] + trip_confidence), without)
    if intent.get(INTENT_NAME_KEY) not in TRIP_INTENTS:
        if not (details & TRIP_ENTITIES and trip and trip_confidence > intent[PREDICTED_CONFIDENCE_KEY]):
            return None
        intent = trip[0]  # "hmm make that the 17th": the trip intents together outweigh the likeliest other one
    if not details & TRIP_ENTITIES and (len(ranking) < 2 or ranking[1].get(INTENT_NAME_KEY) not in TRIP_INTENTS):
        return None  # no split between trip intents: gibberish the classifier half reads as an answer stays unsure
    joint = min(1.0, max(trip_confidence, intent[PREDICTED_CONFIDENCE_KEY], DETAIL_CONFIDENCE if details & TRIP_ENTITIES else 0.0))
    top = {**intent, PREDICTED_CONFIDENCE_KEY: joint}
    rest = [r for r in ranking if r.get(INTENT_NAME_KEY) not in TRIP_INTENTS]
    return {"intent": top, "ranking": [top] + rest}


def _detail_makes_it_a_trip(name: str, details: frozenset, text: str) -> bool:
    if name == "greet":
        return bool(details & TRIP_ENTITIES)
    if KEEPS_OR_CANCELS.search(text):
        return False
    if details & PLACE_ENTITIES and PUTS_RIGHT.search(text):
        return True
    return name == "deny" and bool(details & DATE_ENTITIES)


# "imogen.castellanos@example.net", "email: ana@example.org": an address given, the answer the
# traveller form asked for, however the classifier read its dots and words.
EMAIL_ALONE = re.compile(r"^\W*(?:(?:my\s+)?e-?mail(?:\s+is)?\s*:?\s*|it'?s\s+)?[^@\s:;,<>()]+@[^@\s;,<>()]+\.[a-z]{2,}\W*$", re.I)


def an_email_given(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str) -> Optional[Dict[str, Any]]:
    if not EMAIL_ALONE.match(text) or (intent or {}).get(INTENT_NAME_KEY) == "inform":
        return None
    return _as("inform", 1.0, ranking)


# "how many stops is that one", "any with one stop?": stops of a flight, not "stop" the task.
LAYOVER = re.compile(r"\bstops\b|\bnon-?stop\b|\b(?:one|1|two|2|a|no|many|any)\s+stop\b|\bstop\s*-?\s*overs?\b|\blayovers?\b", re.I)


def a_layover(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str) -> Optional[Dict[str, Any]]:
    """The next likeliest intent, for a message about a flight's stops the classifier took for "stop"."""
    if (intent or {}).get(INTENT_NAME_KEY) != "stop" or not LAYOVER.search(text):
        return None
    rest = [r for r in ranking if r.get(INTENT_NAME_KEY) != "stop"]
    return {"intent": rest[0], "ranking": rest} if rest else None


# "can you also sort out travel insurance and a pick-up from the airport?": another service than
# flights, which the classifier may take for a flight request for its travel words.
OTHER_SERVICE = re.compile(r"\b(?:insurance|taxis?|cabs?|uber|lyft|car\s+(?:hire|rental)|rental\s+cars?|hotels?|hostels?|airbnb|"
                           r"pick-?\s?ups?|airport\s+transfers?|shuttles?|trains?|buses|coach\s+tickets?|ferry|ferries|cruises?|visas?)\b", re.I)
FLIGHT_WORD = re.compile(r"\b(?:flights?|fly|flying|plane|planes|airfare|air\s+tickets?)\b", re.I)


def another_service(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str, details: frozenset) -> Optional[Dict[str, Any]]:
    """Out of scope, for a "flight request" naming no trip detail and no flight, but another service."""
    if (intent or {}).get(INTENT_NAME_KEY) not in TRIP_INTENTS or details & TRIP_ENTITIES or FLIGHT_WORD.search(text) \
            or not OTHER_SERVICE.search(text):
        return None
    return _as("out_of_scope", (intent or {}).get(PREDICTED_CONFIDENCE_KEY) or 1.0, ranking)


# "I'm coming back on the 13th, but first things first, I'm heading up to Brisbane on the 9th": a
# trip with its place and dates that names no booking and no change is a new one.
MOVED = re.compile(r"\b(?:later|earlier|instead|sooner|another\s+day|different\s+(?:day|date)|not\s+the|rather\s+than|the\s+(?:booking|reservation))\b", re.I)


def a_new_trip_taken_for_a_change(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str,
                                  details: frozenset) -> Optional[Dict[str, Any]]:
    """A search, for a change with a place and a date that names no booking and no change."""
    if (intent or {}).get(INTENT_NAME_KEY) != "change_booking" or not details & PLACE_ENTITIES or not details & DATE_ENTITIES \
            or BOOKED.search(text) or CHANGE.search(text) or MOVED.search(text):
        return None
    return _as("search_flight", intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0, ranking)


# "We Will Be Leaving From Boston, logan Airport.": a place to fly from or to, with words of flying,
# that the classifier turned away; not a hotel in Boston or the weather there.
A_QUESTION = re.compile(r"\?|^\W*(?:do|does|is|are|can|could|what'?s|whats|what|where|when|how|any)\b", re.I)
FLYING = re.compile(r"\b(?:fly\w*|flights?|leav\w*|depart\w*|going\s+to|heading\s+to|coming\s+back|return\w*)\b", re.I)


def a_trip_turned_away(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str, details: frozenset) -> Optional[Dict[str, Any]]:
    """The likeliest trip intent, for a message taken as out of scope that names a place with words of flying."""
    if (intent or {}).get(INTENT_NAME_KEY) != "out_of_scope" or not details & PLACE_ENTITIES or not FLYING.search(text) \
            or OTHER_SERVICE.search(text) or A_QUESTION.search(text):
        return None
    trip = next((r for r in ranking if r.get(INTENT_NAME_KEY) in TRIP_INTENTS), None)
    return _as(trip[INTENT_NAME_KEY], max(DETAIL_CONFIDENCE, trip.get(PREDICTED_CONFIDENCE_KEY) or 0.0), ranking) if trip else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TripIntentMerger(GraphComponent):
    """Place after the intent classifier and before VagueMessageDetector and FallbackClassifier."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TripIntentMerger":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            details = frozenset(e.get(ENTITY_ATTRIBUTE_TYPE) for e in message.get(ENTITIES) or [])
            result = merged(message.get(INTENT), message.get(INTENT_RANKING_KEY) or [], details, message.get(TEXT) or "")
            base = result or {"intent": message.get(INTENT), "ranking": message.get(INTENT_RANKING_KEY) or []}
            text = message.get(TEXT) or ""
            result = money_back(base["intent"], base["ranking"], text) or booked_trip(base["intent"], base["ranking"], text) \
                or an_email_given(base["intent"], base["ranking"], text) or a_layover(base["intent"], base["ranking"], text) \
                or another_service(base["intent"], base["ranking"], text, details) \
                or a_trip_turned_away(base["intent"], base["ranking"], text, details) \
                or a_new_trip_taken_for_a_change(base["intent"], base["ranking"], text, details) or result
            if result:
                message.set(INTENT, result["intent"], add_to_output=True)
                message.set(INTENT_RANKING_KEY, result["ranking"], add_to_output=True)
        return messages
