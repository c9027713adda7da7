"""The flight search: the form that gathers the trip in any order, the search, and refinements of
the shown results ("anything earlier?", "only nonstop", "what about for four of us")."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import InvalidRequest, VendorError
from .clients.flights import SliceRequest
from .common import action_before_this_turn, flights, latest_entities, money, profile_slot, refiled, say_vendor_problem, today
from .dates import describe
from .flights import person_name
from .offers import asks_about_the_picked_flight, duration_text, offer_summary, say_chosen_again
from .phrases import has_phrase, phrase
from .search_slots import ONE_WAY, cabin_class, check_departure, check_place, check_return, iso_date, passenger_count
from .reading import AIRLINE_NAMES, read_trip
from .trip import PLACE_SLOTS, home_origin, trip_updates

SEARCH_SLOTS = ("destination", "departure_date", "return_date", "origin")
# Departure hours each time of day covers, [from, to).
HOURS = {"morning": (5, 12), "afternoon": (12, 17), "evening": (17, 22), "night": (21, 29)}
MAX_AGE_CHILD = 17


class ValidateFlightForm(FormValidationAction):
    """Takes any detail of the trip at any turn, whatever was asked, and corrections of any of them;
    asks only for what is still missing, one question a turn."""

    def name(self) -> Text:
        return "validate_flight_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        needed = list(SEARCH_SLOTS)
        if (tracker.get_slot("children") or 0) > 0:
            needed.append("child_ages")
        choosing = (tracker.get_slot("place_choices") or {}).get("slot")
        if choosing in needed:  # "which Manchester?" is asked right after the choices are listed
            needed.insert(0, needed.pop(needed.index(choosing)))
        return needed

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        updates = trip_updates(tracker)
        starting = tracker.get_slot("requested_slot") is None
        # the NLU's origin counts unless the reader moved it ("sfo sat back sun": sfo is where to)
        said_origin = updates["origin"] if "origin" in updates else latest_entities(tracker, "origin").get("origin")
        if starting and not said_origin:
            updates.update(home_origin(tracker))
        read = [SlotSet(name, value) for name, value in updates.items()]
        tracker.add_slots(read)
        events = await super().run(dispatcher, tracker, domain)
        validated = {e["name"] for e in events if e.get("event") == "slot"}
        return [e for e in read if e["name"] not in validated] + events

    async def extract_child_ages(self, dispatcher, tracker, domain) -> Dict[str, Any]:
        if tracker.get_slot("requested_slot") != "child_ages":
            return {}
        ages = [int(n) for n in re.findall(r"\b\d{1,2}\b", tracker.latest_message.get("text") or "")]
        return {"child_ages": ages} if ages else {}

    def validate_origin(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        if value == profile_slot(tracker, "home_airport") and "origin" not in latest_entities(tracker, "origin"):
            # The default, not the customer's words: if it does not fit (flying home), just ask.
            return _settled(tracker, check_place("origin", value, CollectingDispatcher(), other=tracker.get_slot("destination")))
        return _settled(tracker, check_place("origin", value, dispatcher, other=tracker.get_slot("destination")))

    def validate_destination(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _settled(tracker, check_place("destination", value, dispatcher, other=tracker.get_slot("origin")))

    def validate_departure_date(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        result = check_departure(value, dispatcher, today())
        ret = tracker.get_slot("return_date")
        if result["departure_date"] and ret and ret != ONE_WAY and iso_date(ret) and ret < result["departure_date"]:
            result["return_date"] = None  # a new departure after the old return: ask again
        return result

    def validate_return_date(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        if value == ONE_WAY:
            return {"return_date": ONE_WAY}
        return check_return(value, tracker.get_slot("departure_date"), dispatcher, today())

    def validate_child_ages(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        if not value:
            return {"child_ages": None}  # other children this turn: the form asks their ages
        children = int(tracker.get_slot("children") or 0)
        ages = [int(a) for a in value if str(a).isdigit()]
        if len(ages) != children or any(a > MAX_AGE_CHILD for a in ages):
            dispatcher.utter_message(response="utter_child_ages_unclear", children=children)
            return {"child_ages": None}
        infants = [a for a in ages if a < 2]  # under two travels as an infant, on a lap
        if infants:
            return {"child_ages": [a for a in ages if a >= 2] or None, "children": float(children - len(infants)),
                    "infants": float((tracker.get_slot("infants") or 0) + len(infants))}
        return {"child_ages": ages}


def _settled(tracker: Tracker, result: Dict[str, Any]) -> Dict[str, Any]:
    """A place now known ends the "which one?" question about that slot, and only that one."""
    pending = (tracker.get_slot("place_choices") or {}).get("slot")
    if pending and result.get(pending):
        return {**result, "place_choices": None}
    return result


def _checked(tracker: Tracker, dispatcher: CollectingDispatcher, values: Dict[str, Any]) -> Dict[str, Any]:
    """Checks values changed outside the form (a correction after the results) before searching."""
    updates: Dict[str, Any] = {}
    for slot in PLACE_SLOTS:
        if values[slot] and not _is_code(values[slot]):
            other = values["destination" if slot == "origin" else "origin"]
            updates.update(check_place(slot, values[slot], dispatcher, other=other if _is_code(other) else None))
    if values["departure_date"] and not iso_date(values["departure_date"]):
        updates.update(check_departure(values["departure_date"], dispatcher, today()))
    departure = updates.get("departure_date", values["departure_date"])
    ret = values["return_date"]
    if ret and ret != ONE_WAY and (not iso_date(ret) or (departure and iso_date(departure) and ret < departure)):
        updates.update(check_return(ret, departure if iso_date(departure) else None, dispatcher, today()))
    return updates


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 3 and value.isupper()


def _departure_hour(offer: Dict[str, Any]) -> int:
    return datetime.fromisoformat(offer["slices"][0]["depart"]).hour


def _matches(offer: Dict[str, Any], prefs: Dict[str, Any]) -> bool:
    if prefs.get("max_stops") is not None and any(s["stops"] > prefs["max_stops"] for s in offer["slices"]):
        return False
    if prefs.get("airline") and offer["airline_code"] != prefs["airline"]:
        return False
    if prefs.get("time_of_day") in HOURS:
        start, end = HOURS[prefs["time_of_day"]]
        hour = _departure_hour(offer)
        if not (start <= hour < end or start <= hour + 24 < end):
            return False
    return True


SORT_KEYS = {
    "cheapest": lambda o: float(o["price"]),
    "fastest": lambda o: sum(s["minutes"] for s in o["slices"]),
    "earliest": lambda o: o["slices"][0]["depart"],
    "latest": lambda o: -datetime.fromisoformat(o["slices"][0]["depart"]).timestamp(),
}


def arrange(offers: List[Dict[str, Any]], prefs: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The offers that fit the customer's preferences, in the order they asked for."""
    fitting = [o for o in offers if _matches(o, prefs)]
    return sorted(fitting, key=SORT_KEYS.get(prefs.get("sort") or "cheapest", SORT_KEYS["cheapest"]))


def describe_preferences(prefs: Dict[str, Any]) -> str:
    """' (nonstop, in the morning, with United)' for the summary sentence."""
    parts = []
    if prefs.get("max_stops") == 0:
        parts.append("nonstop")
    if prefs.get("time_of_day"):
        parts.append(f"in the {prefs['time_of_day']}")
    if prefs.get("airline"):
        names = {code: name for name, code in AIRLINE_NAMES.items()}
        parts.append(f"with {names.get(prefs['airline'], prefs['airline']).title()}")
    return f" ({', '.join(parts)})" if parts else ""


def lead_flight(offers: List[Dict[str, Any]], sort: Optional[str]) -> str:
    """ " The earliest leaves at 07:20 (Japan Airlines).": the first flight in the order the customer
    asked for ("which one leaves earliest?"); "" for the cheapest, which the summary's price names."""
    if not offers or not has_phrase(f"lead_{sort}"):
        return ""
    first = offers[0]
    return phrase(f"lead_{sort}", airline=first["airline"], time=first["slices"][0]["depart"][11:16],
                  duration=duration_text(first["slices"][0]["minutes"]))


def describe_party(adults: int, children: int, infants: int) -> str:
    """'' for one adult, else ' for 2 adults and 2 children'."""
    if adults == 1 and not children and not infants:
        return ""
    parts = [f"{adults} adult{'s' if adults > 1 else ''}" if children or infants else f"{adults} travellers"]
    if children:
        parts.append(f"{children} child{'ren' if children > 1 else ''}")
    if infants:
        parts.append(f"{infants} infant{'s' if infants > 1 else ''}")
    return " for " + (" and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}")


def _asks_to_see_them(tracker: Tracker) -> bool:
    """ "ok show me the flights" once results are there: the same search again would only repeat
    its summary; the customer wants the offers."""
    if not tracker.get_slot("offers") or (tracker.latest_message.get("intent") or {}).get("name") != "search_flight":
        return False
    text = tracker.latest_message.get("text") or ""
    return not read_trip(text, today()).fields() and not tracker.latest_message.get("entities")


# "the earliest flight, if you please", "i'll take the cheapest": one of the shown offers, not the
# whole list in another order ("show me the cheapest flights", "sort by earliest").
ONE_OF_THEM = re.compile(r"\b(?:the|that|take|want|book)\s+(?:very\s+)?(?:earliest|cheapest|fastest|quickest|shortest|latest)"
                         r"(?:\s+(?:one|flight|option|offer|fare))?\b(?!\s*(?:flights|ones|options|offers|fares|first|on\b))")
LISTING = re.compile(r"\b(?:show|sort|order|list|see|give\s+me\s+all|any|what'?s|whats|what\s+is|which)\b")


def _picks_one(tracker: Tracker) -> bool:
    """Whether a change of order to shown results is a pick of one of them."""
    if not tracker.get_slot("offers") or (tracker.latest_message.get("intent") or {}).get("name") != "refine_search":
        return False
    text = (tracker.latest_message.get("text") or "").lower()
    return bool(ONE_OF_THEM.search(text)) and not LISTING.search(text) and set(read_trip(text, today()).fields()) <= {"sort"}


NOT_IN_A_NAME = frozenset("the a an one it that this book please yes no ok okay sure me my for and to from show flight flights "
                          "cheapest first second third other different instead just only then thanks".split())


def _names_the_traveller(tracker: Tracker) -> bool:
    """ "Priyanka Sharma" in answer to "Shall I book it?": a yes, with the name of who flies."""
    if action_before_this_turn(tracker) != "action_select_offer" or not tracker.get_slot("selected_offer"):
        return False
    words = (tracker.latest_message.get("text") or "").lower().split()
    return (len(words) <= 4 and person_name(" ".join(words)) is not None and not NOT_IN_A_NAME.intersection(words)
            and not read_trip(" ".join(words), today()).fields())


class ActionSearchFlights(Action):
    """Searches with the current slots, after the form or after a change to shown results; checks
    the changed values first and filters and orders the offers by the customer's preferences."""

    def name(self) -> Text:
        return "action_search_flights"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if _asks_to_see_them(tracker):
            return [FollowupAction("action_show_offers")]
        if asks_about_the_picked_flight(tracker):  # "is that one nonstop?": about the flight picked, not a new search
            return say_chosen_again(dispatcher, tracker)
        if _picks_one(tracker):
            return refiled(tracker, "select_offer")
        if _names_the_traveller(tracker):
            return [SlotSet("traveller_name", person_name(tracker.latest_message["text"])), FollowupAction("traveller_form")]
        # Right after the customer spoke (a change to shown results), read what they changed; after
        # the form, the form has read it already.
        read = trip_updates(tracker) if tracker.latest_action_name == "action_listen" else {}
        tracker.slots.update(read)
        values = {name: tracker.get_slot(name) for name in SEARCH_SLOTS}
        updates = _checked(tracker, dispatcher, values)
        values.update(updates)
        events: List[EventType] = [SlotSet(k, v) for k, v in {**read, **updates}.items()]
        children = int(tracker.get_slot("children") or 0)
        if any(values[name] is None for name in SEARCH_SLOTS) or (children and not tracker.get_slot("child_ages")):
            return events + [FollowupAction("flight_form")]

        adults = passenger_count(tracker.get_slot("passengers"))
        if adults is None:
            dispatcher.utter_message(response="utter_party_too_big")
            adults = 1
        infants = int(tracker.get_slot("infants") or 0)
        ages = [int(a) for a in tracker.get_slot("child_ages") or []]
        cabin = cabin_class(tracker.get_slot("cabin"))
        slices = [SliceRequest(values["origin"], values["destination"], date.fromisoformat(values["departure_date"]))]
        if values["return_date"] != ONE_WAY:
            slices.append(SliceRequest(values["destination"], values["origin"], date.fromisoformat(values["return_date"])))
        try:
            search = flights().search(slices, adults=adults, cabin_class=cabin, child_ages=ages, infants=infants)
        except InvalidRequest as exc:
            dispatcher.utter_message(response="utter_search_refused", reason=exc.message)
            return events + [SlotSet("offers", None)]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "search for flights")
            return events + [SlotSet("offers", None)]

        prefs = {name: tracker.get_slot(name) for name in ("time_of_day", "max_stops", "airline", "sort")}
        everything = [offer_summary(o) for o in search.offers]
        offers = arrange(everything, prefs)
        labels = {name: tracker.get_slot(f"{name}_label") for name in PLACE_SLOTS}
        labels.update({name[:-6]: updates[name] for name in updates if name.endswith("_label")})
        when = describe(date.fromisoformat(values["departure_date"]), today())
        if values["return_date"] != ONE_WAY:
            when += f" – {describe(date.fromisoformat(values['return_date']), today())}"
        words = {
            "trip": "one-way" if values["return_date"] == ONE_WAY else "round-trip",
            "route": f"from {labels['origin'] or values['origin']} to {labels['destination'] or values['destination']}",
            "when": when,
            "party": describe_party(adults, len(ages), infants),
            "cabin_words": "" if cabin == "economy" else f" in {cabin.replace('_', ' ')}",
            "preferences": describe_preferences(prefs),
        }
        done = [SlotSet("selected_offer", None), SlotSet("passengers", float(adults)), SlotSet("cabin", cabin)]
        if not everything:
            dispatcher.utter_message(response="utter_no_flights", **words)
            return events + done + [SlotSet("offers", [])]
        if not offers:
            # Nothing fits the preferences: say so, and offer the rest rather than nothing.
            dispatcher.utter_message(response="utter_no_flights_fit", count=len(everything), **words)
            cleared = [SlotSet(name, None) for name in ("time_of_day", "max_stops", "airline")]
            return events + done + cleared + [SlotSet("offers", arrange(everything, {"sort": prefs.get("sort")}))]
        cheapest = min(offers, key=SORT_KEYS["cheapest"])
        dispatcher.utter_message(response="utter_flights_found", count=len(offers), price=money(float(cheapest["price"]), cheapest["currency"]),
                                 lead=lead_flight(offers, prefs.get("sort")), **words)
        return events + done + [SlotSet("offers", offers)]
