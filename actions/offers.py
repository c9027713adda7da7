"""The offers of a search: what the conversation keeps of each, showing them, and picking one by
what customers say ("the second", "the united one", "the 9am one", "the cheapest")."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients.flights import Offer
from .common import action_before_this_turn, latest_entities, money, position_said, refiled, today
from .flights import travellers_cleared
from .reading import AIRLINE_NAMES, read_trip
from .trip import PARTY, changes_the_trip, says_where_or_when

SHOWN_OFFERS = 5


def duration_text(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def offer_summary(offer: Offer) -> Dict[str, Any]:
    """What the conversation keeps of an offer: enough to describe it, pick it and book it."""
    return {
        "id": offer.id,
        "airline": offer.owner_name,
        "airline_code": offer.owner_code,
        "price": f"{offer.total_amount:.2f}",
        "currency": offer.currency,
        "passengers": len(offer.passenger_ids),
        "slices": [
            {
                "from": s.origin,
                "to": s.destination,
                "depart": s.departing_at.isoformat(),
                "arrive": s.arriving_at.isoformat(),
                "stops": s.stops,
                "minutes": s.duration_minutes,
                "flights": " / ".join(f"{seg.carrier_code}{seg.flight_number}" for seg in s.segments),
            }
            for s in offer.slices
        ],
    }


def _slice_line(s: Dict[str, Any]) -> str:
    depart, arrive = datetime.fromisoformat(s["depart"]), datetime.fromisoformat(s["arrive"])
    stops = "nonstop" if s["stops"] == 0 else f"{s['stops']} stop" + ("s" if s["stops"] > 1 else "")
    next_day = " (+1)" if arrive.date() > depart.date() else ""
    return f"{s['from']} {depart:%a %d %b %H:%M} → {s['to']} {arrive:%H:%M}{next_day}, {stops}, {duration_text(s['minutes'])}, {s['flights']}"


def offer_text(number: int, offer: Dict[str, Any]) -> str:
    lines = [f"{number}. {offer['airline']}, {money(float(offer['price']), offer['currency'])}"]
    lines += [f"   {_slice_line(s)}" for s in offer["slices"]]
    return "\n".join(lines)




class ActionShowOffers(Action):
    def name(self) -> Text:
        return "action_show_offers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        offers = (tracker.get_slot("offers") or [])[:SHOWN_OFFERS]
        if not offers:
            dispatcher.utter_message(response="utter_no_offers_yet")
            return []
        if tracker.latest_action_name == "action_listen" and changes_the_trip(tracker):
            return refiled(tracker, "refine_search")  # "make it Y class please", "yes but in business": another search
        if tracker.get_latest_input_channel() == "socket":  # the widget shows the offers as cards
            dispatcher.utter_message(response="utter_best_options", options="")
        else:
            dispatcher.utter_message(response="utter_best_options", options="\n" + "\n".join(offer_text(i, o) for i, o in enumerate(offers, 1)))
        dispatcher.utter_message(
            response="utter_which_offer",
            buttons=[{"title": f"{i}. {o['airline']} {o['slices'][0]['depart'][11:16]} {money(float(o['price']), o['currency'])}", "payload": f'/select_offer{{"choice": "{i}"}}'} for i, o in enumerate(offers, 1)],
            json_message={"type": "flight_offers", "offers": offers},
        )
        return []


TIME = re.compile(r"\b(?:at\s+)?(\d{1,2})(?::(\d\d))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\s|$|\b)")


def _time_said(words: str) -> Optional[int]:
    """Minutes after midnight of "the 9am one", "the 7:45", "the one at 6pm", "leaving at 10"."""
    for match in TIME.finditer(words):
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").replace(".", "")
        said_as_time = half or match.group(2) or match.group(0).strip().startswith("at")
        if not said_as_time or hour > 23 or minute > 59:
            continue
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        return hour * 60 + minute
    return None


def _minutes(iso: str) -> int:
    moment = datetime.fromisoformat(iso)
    return moment.hour * 60 + moment.minute


# "the cheapest, doesn't need to be direct", "nonstop or not": stops do not narrow the pick.
NOT_NONSTOP = re.compile(r"(?:\bnot|\bno|n't|\bnever\s+mind)\b[^.,;]{0,20}\b(?:nonstop|non-stop|non stop|direct)\b|"
                         r"\b(?:nonstop|non-stop|direct)\s+or\s+not\b")


def pick_offer(offers: List[Dict[str, Any]], choice: Optional[str], airline: Optional[str], text: str) -> Optional[Dict[str, Any]]:
    """The offer meant by 'the second one', 'the Delta one', 'the cheapest', 'option 3'."""
    shown = offers[:SHOWN_OFFERS]
    if not shown:
        return None
    if airline:
        wanted = airline.strip().lower()
        code = AIRLINE_NAMES.get(wanted, wanted.upper())
        matching = [o for o in shown if o["airline_code"] == code or wanted in o["airline"].lower()]
        return matching[0] if matching else None
    words = f"{choice or ''} {text}".lower()
    if not airline:
        named = [code for name, code in AIRLINE_NAMES.items() if re.search(rf"\b{name}\b", words)]
        if named:
            return next((o for o in shown if o["airline_code"] == named[0]), None)
    at = _time_said(words)
    if at is not None:
        timed = [o for o in shown if _minutes(o["slices"][0]["depart"]) == at]
        timed = timed or [o for o in shown if _minutes(o["slices"][0]["depart"]) // 60 == at // 60]
        return timed[0] if len(timed) == 1 else None
    position = position_said(words, len(shown))
    if position is not None:
        return shown[position]
    nonstop = re.search(r"\b(nonstop|non-stop|non stop|direct)\b", words) and not NOT_NONSTOP.search(words)
    if nonstop:  # "the cheapest nonstop": the cheapest of the nonstop ones
        shown = [o for o in shown if all(s["stops"] == 0 for s in o["slices"])]
        if not shown:
            return None
    if re.search(r"\b(cheapest|cheaper|ch[ea]{1,3}pe?st|cheapes|barato|sasta|lowest|lower|least expensive|best price|cheap one)\b", words):
        return min(shown, key=lambda o: float(o["price"]))
    if re.search(r"\b(earliest|earlier|first flight|morning)\b", words):
        return min(shown, key=lambda o: o["slices"][0]["depart"])
    if re.search(r"\b(latest|later|evening|night)\b", words):
        return max(shown, key=lambda o: o["slices"][0]["depart"])
    if re.search(r"\b(fastest|faster|shortest|shorter|quickest|quicker)\b", words):
        return min(shown, key=lambda o: sum(s["minutes"] for s in o["slices"]))
    return shown[0] if nonstop else None


def _narrows(text: str) -> bool:
    """Whether the words ask for an airline, a time of day, fewer stops, another cabin or party ("one of
    them has dropped out, so three travellers"): a change to the search."""
    reading = read_trip(text, today())
    return any(value is not None for value in (reading.airline, reading.time_of_day, reading.max_stops, reading.cabin,
                                               reading.adults, reading.children, reading.infants))


def say_chosen(dispatcher: CollectingDispatcher, offers: List[Dict[str, Any]], offer: Dict[str, Any]) -> None:
    """The picked flight, its total and the question whether to book it."""
    count = offer["passengers"]
    position = offers.index(offer) + 1 if offer in offers else 1
    dispatcher.utter_message(
        response="utter_offer_chosen", details=offer_text(position, offer).split("\n", 1)[1],
        total=money(float(offer["price"]), offer["currency"]), travellers=f"{count} traveller{'s' if count > 1 else ''}",
    )


ABOUT_THE_FLIGHT = re.compile(r"\b(?:how\s+much|total|price|cost|costs|which\s+airline|what\s+airline|who\s+flies|what\s+time|"
                              r"when\s+does\s+it|how\s+long|stops?|layovers?|direct|nonstop)\b", re.I)
A_QUESTION = re.compile(r"\?\s*$|^\W*(?:\w+\s+){0,2}(?:is|does|how|which|what|when|who)\b", re.I)


def asks_about_the_picked_flight(tracker: Tracker) -> bool:
    """Whether a question right after a flight was picked asks about that flight ("is that one
    nonstop?", "hmm how much is it in total?"): its details and total answer it. One that changes
    the trip ("how much is it for 2 ppl tho") asks for another search."""
    text = tracker.latest_message.get("text") or ""
    return action_before_this_turn(tracker) == "action_select_offer" and bool(tracker.get_slot("selected_offer")) \
        and bool(ABOUT_THE_FLIGHT.search(text)) and bool(A_QUESTION.search(text)) and not changes_the_trip(tracker, only=PARTY)


def say_chosen_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The picked flight said again; the question is taken back out, so a "yes" next books it."""
    say_chosen(dispatcher, tracker.get_slot("offers") or [], tracker.get_slot("selected_offer"))
    return [UserUtteranceReverted(), FollowupAction("action_listen")]


SORT_QUESTION = re.compile(r"\bwhich\b|\bwhat(?:'s|s|\s+is)\s+the\s+(?:cheapest|earliest|latest|fastest|quickest|shortest)\b|"
                           r"^\W*(?:\w+\W+){0,2}\w+\s*\?\s*$", re.I)  # "which one is fastest", "whats the cheapest", "cheapest?"


def asks_for_an_order(text: str) -> bool:
    """ "cheapest?", "which one is fastest": a question for the flights in an order, not a pick ("the
    cheapest", "the first one")."""
    return bool(SORT_QUESTION.search(text)) and read_trip(text, today()).sort is not None and position_said(text.lower(), SHOWN_OFFERS) is None


class ActionSelectOffer(Action):
    def name(self) -> Text:
        return "action_select_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        offers = tracker.get_slot("offers") or []
        if not offers and not tracker.active_loop and says_where_or_when(tracker):
            return refiled(tracker, "search_flight")  # "for the back flight I take 16 december": a search, not a pick
        if not offers:
            if not tracker.active_loop:  # inside the search form, its own question follows
                dispatcher.utter_message(response="utter_search_first")
            return [SlotSet("choice", None), SlotSet("airline", None)]
        if not tracker.active_loop and changes_the_trip(tracker, only=PARTY):
            return refiled(tracker, "refine_search")  # "1 of them cant come anymore so 3 ppl": no pick, another search
        if not tracker.active_loop and asks_for_an_order(tracker.latest_message.get("text") or ""):
            return refiled(tracker, "refine_search")  # "cheapest?", "ok whats the cheapest then": the list in that order
        entities = latest_entities(tracker, "choice", "airline")
        offer = pick_offer(offers, entities.get("choice"), entities.get("airline"), tracker.latest_message.get("text") or "")
        if offer is None and not tracker.active_loop and _narrows(tracker.latest_message.get("text") or ""):
            return refiled(tracker, "refine_search")  # "delta if they have one": no offer of theirs picked, the search narrowed
        if offer is None:
            dispatcher.utter_message(response="utter_offer_unclear", count=min(len(offers), SHOWN_OFFERS))
            return [SlotSet("choice", None), SlotSet("airline", None)]
        say_chosen(dispatcher, offers, offer)
        return [SlotSet("selected_offer", offer), SlotSet("choice", None), SlotSet("airline", None)] + travellers_cleared()


class ActionDeclineOffer(Action):
    def name(self) -> Text:
        return "action_decline_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_offer_declined")
        return [SlotSet("selected_offer", None)]
