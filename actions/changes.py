"""Changing a booking's dates: "move my rome trip to a week later", "can i change my flight to
the 20th". The new dates are read against the booked ones (actions/change_dates.py), the airline
is asked for change offers on Duffel's order-change contract, and the customer is told the fare
difference and the change fee; "yes" makes the change and records it in the CRM deal.
"""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .bookings import LISTEN, ActionQuoteCancellation, ask_which, city_of, customer_bookings, drop_pending, fill, find_bookings, goes_ahead, ours_first, upcoming
from .change_dates import read_new_dates
from .clients import InvalidRequest, NotFound, VendorError
from .clients.crm import Deal
from .clients.flights import ChangeOffer, Order, Slice, SliceRequest
from .common import crm, customer_email, flights, log, money, refiled, say_vendor_problem, today
from .dates import describe
from .trip import moves_the_search


def _trip(deal: Deal, domain: DomainDict) -> str:
    return fill(domain, "utter_trip_name", city=city_of(deal.destination) or deal.destination, reference=deal.booking_reference)


def _signed(amount: Decimal, currency: str) -> str:
    return ("−" if amount < 0 else "+") + money(abs(amount), currency)


def _dates(departures: List[datetime], domain: DomainDict) -> str:
    """'leave Mon 11 Jan at 19:20 and come back Mon 18 Jan at 20:10', worded in domain.yml."""
    out = {"departure": describe(departures[0].date(), today()), "time": f"{departures[0]:%H:%M}"}
    if len(departures) > 1:
        return fill(domain, "utter_trip_dates_return", back=describe(departures[1].date(), today()), back_time=f"{departures[1]:%H:%M}", **out)
    return fill(domain, "utter_trip_dates_one_way", **out)


def _minutes_apart(old: Slice, new: Slice) -> int:
    def minute(moment: datetime) -> int:
        return moment.hour * 60 + moment.minute

    return abs(minute(old.departing_at) - minute(new.departing_at))


def _best(offers: Tuple[ChangeOffer, ...], order: Order) -> Optional[ChangeOffer]:
    """The offer whose flights leave closest to the booked times of day, then the cheapest."""
    by_id = {s.id: s for s in order.slices}

    def distance(offer: ChangeOffer) -> int:
        return sum(_minutes_apart(by_id[old], new) for old, new in zip(offer.removed_slice_ids, offer.added) if old in by_id)

    usable = [o for o in offers if o.change_total_amount is not None]
    return min(usable, key=lambda o: (distance(o), o.change_total_amount)) if usable else None


def _itinerary(order: Order, offer: ChangeOffer) -> List[datetime]:
    """Departure times of the order's slices once the offer is taken."""
    added = list(offer.added)
    result = []
    for current in order.slices:
        if current.id in offer.removed_slice_ids:
            if added:
                result.append(added.pop(0).departing_at)
        else:
            result.append(current.departing_at)
    return result + [s.departing_at for s in added]


def _ask_date(dispatcher: CollectingDispatcher, deal: Deal, domain: DomainDict, response: str, **values: Any) -> List[EventType]:
    """Asks for (another) date; the customer's answer comes back to action_quote_change."""
    dispatcher.utter_message(response=response, trip=_trip(deal, domain), **values)
    waiting = {"deal_id": deal.id, "reference": deal.booking_reference}
    return [SlotSet("pending_change", waiting), SlotSet("pending_cancellation", None), SlotSet("awaiting_confirmation", "change_date")]


def _quote_waits(tracker: Tracker) -> bool:
    return tracker.get_slot("awaiting_confirmation") == "change" and bool((tracker.get_slot("pending_change") or {}).get("change_offer_id"))


def _confirms_the_quote(tracker: Tracker, waiting: Dict[str, Any], matches: List[Deal], text: str) -> bool:
    """"Ok change it" while a change quote for that booking waits, with no new date: the yes."""
    if not _quote_waits(tracker):
        return False
    if not goes_ahead(tracker, "change_booking", waiting.get("reference"), matches):
        return False
    return read_new_dates(text, _entities(tracker), matches[0].departure_date, matches[0].return_date, today()) is None


# "how do i change the date of my trip?" from a visitor: a question about how, not a booking to change.
HOW_TO = re.compile(r"^\W*(?:(?:hi|hello|hey)\W+)?(?:how\s+(?:do|can|would|could)\s+(?:i|we|one|you)|how\s+to|is\s+it\s+possible\s+to|"
                    r"what\s+(?:do|should)\s+(?:i|we)\s+do\s+to)\b", re.I)


class ActionQuoteChange(Action):
    """Finds the booking and the new dates, asks the airline for change offers and quotes the best."""

    def name(self) -> Text:
        return "action_quote_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if moves_the_search(tracker):
            return refiled(tracker, "refine_search")
        if not customer_email(tracker):
            if HOW_TO.search(tracker.latest_message.get("text") or ""):
                return [FollowupAction("action_answer_question")]  # the help center says how, sign-in included
            dispatcher.utter_message(response="utter_sign_in_for_bookings")
            return drop_pending()
        waiting = tracker.get_slot("pending_change") or {}
        try:
            found = find_bookings(tracker, customer_bookings(tracker), waiting.get("reference"))
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your bookings")
            return []
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("awaiting_confirmation") == "which_change":  # "the rome one": the date said before
            text = f"{text} {(tracker.get_slot('booking_choices') or {}).get('departure_date', '')}"
        matches = ours_first(upcoming(found))
        if not matches:
            dispatcher.utter_message(response="utter_booking_not_found")
            return drop_pending()
        if _confirms_the_quote(tracker, waiting, matches, text):
            return [FollowupAction("action_confirm_change")]
        if len(matches) > 1:
            phrase = read_new_dates(text, _entities(tracker), matches[0].departure_date, None, today())
            extra = {"departure_date": phrase.phrase} if phrase else {}
            return ask_which(dispatcher, domain, matches, "change_booking", **extra)
        return self._quote(dispatcher, tracker, domain, matches[0], text)

    def _quote(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, deal: Deal, text: str) -> List[EventType]:
        if not deal.order_id:
            dispatcher.utter_message(response="utter_change_made_elsewhere", reference=deal.booking_reference)
            return drop_pending()
        try:
            order = flights().get_order(deal.order_id)
        except NotFound:
            dispatcher.utter_message(response="utter_change_made_elsewhere", reference=deal.booking_reference)
            return drop_pending()
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up the booking")
            return []
        if not order.changeable:
            dispatcher.utter_message(response="utter_change_not_allowed", reference=deal.booking_reference)
            return drop_pending()
        booked = [s.departing_at.date() for s in order.slices]
        wanted = read_new_dates(text, _entities(tracker), booked[0], booked[1] if len(booked) > 1 else None, today())
        if wanted is None and _quote_waits(tracker):
            remind_pending(dispatcher, tracker, domain)  # "same airline, roughly the same time?": the quote, still waiting, says it
            return []
        if wanted is None:
            return _ask_date(dispatcher, deal, domain, "utter_ask_change_date")
        if min(wanted.dates) < today():
            return _ask_date(dispatcher, deal, domain, "utter_change_date_past", day=describe(min(wanted.dates), today()))
        moved = [(s, day) for s, day in zip(order.slices, wanted.dates) if s.departing_at.date() != day]
        if not moved:
            return _ask_date(dispatcher, deal, domain, "utter_change_same_date", day=describe(booked[0], today()))
        try:
            request = flights().request_change(
                order, [s.id for s, _ in moved], [SliceRequest(s.origin, s.destination, day) for s, day in moved])
        except InvalidRequest as exc:
            dispatcher.utter_message(response="utter_cannot_change", reference=deal.booking_reference, reason=exc.message)
            return drop_pending()
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "ask the airline about the change")
            return []
        offer = _best(request.offers, order)
        if offer is None:
            return _ask_date(dispatcher, deal, domain, "utter_no_change_offers", day=describe(moved[0][1], today()))
        return self._say_quote(dispatcher, domain, deal, order, offer)

    @staticmethod
    def _say_quote(dispatcher: CollectingDispatcher, domain: DomainDict, deal: Deal, order: Order, offer: ChangeOffer) -> List[EventType]:
        departures = _itinerary(order, offer)
        cost, currency = offer.change_total_amount, offer.currency or order.currency
        penalty = offer.penalty_amount or Decimal("0")
        values = {"trip": _trip(deal, domain), "dates": _dates(departures, domain), "penalty": money(penalty, currency),
                  "difference": _signed(cost - penalty, currency)}
        say_by_cost(dispatcher, cost, currency, ("utter_change_quote_cost", "utter_change_quote_refund", "utter_change_quote_free"), **values)
        pending: Dict[str, Any] = {
            "change_offer_id": offer.id, "order_id": order.id, "deal_id": deal.id, "reference": deal.booking_reference,
            "cost": f"{cost:.2f}", "currency": currency, "new_total": f"{offer.new_total_amount or order.total_amount:.2f}",
            "departures": [d.isoformat() for d in departures],
        }
        return [SlotSet("pending_change", pending), SlotSet("pending_cancellation", None), SlotSet("awaiting_confirmation", "change")]


class ActionQuoteNewDate(ActionQuoteChange):
    """A date given while a quote or a question about the date waits ("actually the 21st"): quoted
    for the same booking (pending_change)."""

    def name(self) -> Text:
        return "action_quote_new_date"


def say_by_cost(dispatcher: CollectingDispatcher, cost: Decimal, currency: str, responses: Tuple[str, str, str], **values: Any) -> None:
    """One of three responses (the change costs, refunds, or is free) for a change's fare difference."""
    costs, refunds, free = responses
    if cost > 0:
        dispatcher.utter_message(response=costs, cost=money(cost, currency), **values)
    elif cost < 0:
        dispatcher.utter_message(response=refunds, refund=money(-cost, currency), **values)
    else:
        dispatcher.utter_message(response=free, **values)


# A question about the amount of the quote that waits ("how much extra is that?", "how much do i
# get back?"): the quote itself answers it. Questions about the rules in general go to the help center.
ABOUT_THE_AMOUNT = re.compile(r"\b(how much|extra|difference|price|cost|get back|pay|expensive|cheaper)\b")
GENERAL = re.compile(r"\b(policy|policies|usually|normally|in general|always|rules?)\b")


def asks_about_the_quote(tracker: Tracker) -> bool:
    """Whether the latest message asks what the quote waiting for a yes costs or refunds."""
    text = (tracker.latest_message.get("text") or "").lower()
    waiting = tracker.get_slot("awaiting_confirmation") in ("cancellation", "change")
    return waiting and bool(ABOUT_THE_AMOUNT.search(text)) and not GENERAL.search(text)


def remind_pending(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> None:
    """What is still waiting for a yes and how to answer it, without asking a question of its own."""
    cancellation = tracker.get_slot("pending_cancellation") or {}
    change = tracker.get_slot("pending_change") or {}
    waiting = tracker.get_slot("awaiting_confirmation")
    if waiting == "cancellation" and cancellation.get("reference"):
        if cancellation.get("refund") is None:
            dispatcher.utter_message(response="utter_cancellation_still_waiting_refund_unknown", reference=cancellation["reference"])
        else:
            refund = money(Decimal(cancellation["refund"]), cancellation["currency"])
            dispatcher.utter_message(response="utter_cancellation_still_waiting", reference=cancellation["reference"], refund=refund)
    elif waiting == "change" and change.get("change_offer_id"):
        cost, currency = Decimal(change["cost"]), change["currency"]
        values = {"reference": change["reference"], "dates": _dates([datetime.fromisoformat(d) for d in change["departures"]], domain)}
        say_by_cost(dispatcher, cost, currency,
                    ("utter_change_still_waiting", "utter_change_still_waiting_refund", "utter_change_still_waiting_free"), **values)


class ActionRemindPending(Action):
    """After a question answered while a quote waits: what is still waiting and how to answer it,
    without asking a question of its own."""

    def name(self) -> Text:
        return "action_remind_pending"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        remind_pending(dispatcher, tracker, domain)
        return []


def _entities(tracker: Tracker) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") in ("departure_date", "return_date") and entity["entity"] not in found:
            found[entity["entity"]] = str(entity.get("value"))
    return found


class ActionConfirmChange(Action):
    """"Yes" to a change quote, or "change it" again while it waits (handed over by
    action_quote_change): the airline makes the change, the CRM deal gets the new dates, and the
    turn ends here whatever led to it."""

    def name(self) -> Text:
        return "action_confirm_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return self._confirm(dispatcher, tracker, domain) + [LISTEN]

    def _confirm(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending = tracker.get_slot("pending_change") or {}
        if not pending.get("change_offer_id"):
            dispatcher.utter_message(response="utter_no_change_waiting")
            return drop_pending()
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_bookings")
            return drop_pending()
        try:  # the quote was for one of this customer's bookings, not one named through the HTTP API
            deal = next((d for d in customer_bookings(tracker) if d.id == pending.get("deal_id") and d.order_id == pending.get("order_id")), None)
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "change the booking")
            return []
        if deal is None:
            dispatcher.utter_message(response="utter_no_change_waiting")
            return drop_pending()
        try:
            change = flights().create_change(pending["change_offer_id"])
            cost = change.offer.change_total_amount
            if cost is None or f"{cost:.2f}" != pending["cost"]:
                dispatcher.utter_message(response="utter_change_price_moved", cost=money(cost or 0, pending["currency"]))
                return [SlotSet("pending_change", {**pending, "cost": f"{cost or 0:.2f}"})]
            flights().confirm_change(change)
        except InvalidRequest as exc:
            if exc.code != "already_confirmed":
                response = "utter_change_expired" if exc.code in ("offer_expired", "order_change_expired") else "utter_change_refused"
                dispatcher.utter_message(response=response, reason=exc.message)
                return drop_pending()
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "change the booking", nothing_changed=False)
            return []
        self._record(deal, pending)
        self._say_done(dispatcher, domain, pending)
        return drop_pending()

    @staticmethod
    def _record(deal: Deal, pending: Dict[str, Any]) -> None:
        departures = [datetime.fromisoformat(d).date() for d in pending["departures"]]
        try:
            crm().record_change(deal, departures[0], departures[1] if len(departures) > 1 else None, Decimal(pending["new_total"]))
        except VendorError as exc:  # the airline has changed it; only our records lag behind
            log.error("booking %s changed but not updated in the CRM: %s", pending["reference"], exc)

    @staticmethod
    def _say_done(dispatcher: CollectingDispatcher, domain: DomainDict, pending: Dict[str, Any]) -> None:
        cost = Decimal(pending["cost"])
        values = {"reference": pending["reference"], "dates": _dates([datetime.fromisoformat(d) for d in pending["departures"]], domain)}
        if cost > 0:
            dispatcher.utter_message(response="utter_change_done_charged", cost=money(cost, pending["currency"]), **values)
        elif cost < 0:
            dispatcher.utter_message(response="utter_change_done_refund", refund=money(-cost, pending["currency"]), **values)
        else:
            dispatcher.utter_message(response="utter_change_done", **values)



class ActionPickBooking(Action):
    """The answer to "Which booking?" ("the athens one", "the 2nd"): quoted as the cancellation or
    change it was asked for. An action of its own, so the rules that call it can say what it leaves
    waiting (a quote, a date question, the same question) without every other rule that quotes
    having to say the same (Rasa's rule completeness check), and the next turn is listened for."""

    def name(self) -> Text:
        return "action_pick_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        asked = ActionQuoteChange() if tracker.get_slot("awaiting_confirmation") == "which_change" else ActionQuoteCancellation()
        return await asked.run(dispatcher, tracker, domain)
