"""The customer's bookings: list them, find the one a message is about, cancel one after the
customer has seen what it refunds and said yes. Changing a booking is in actions/changes.py.

A quote waits in a slot (pending_cancellation, pending_change) with `awaiting_confirmation`
saying which, so "yes, go ahead" confirms it even after the customer asked something else in
between; "no" drops it (action_keep_booking), and so does starting a new flight search
(action_forget_pending), so a later "yes" about flights can never cancel or change a trip.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import InvalidRequest, NotFound, VendorError
from .clients.crm import Deal
from .common import crm, customer_email, flights, latest_entities, log, money, position_said, refiled, say_vendor_problem, today
from .dates import describe
from .places import resolve_place
from .reading import read_trip

NEXT_TRIP = re.compile(r"\b(next|upcoming|soonest|first|nearest|coming)\b")
# "do i get a refund if i cancel", "what if the airline cancels": the rules, not a booking of theirs.
HYPOTHETICAL = re.compile(r"\b(if|policy|policies|refundable)\b")
SOME_BOOKING = re.compile(r"\b(my|this|that|these|those|next|just|booked|it)\b")
THE_AIRLINE = re.compile(r"\b(airlines?|they)\b")
CODE = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{6}\b")
# What makes "cancel it" / "change it" said while its quote waits something other than the yes: a
# question about it, a no, or something new wanted ("a later one", "the other trip").
NOT_GO_AHEAD = re.compile(r"\?|\b(if|how|what|whats|why|when|would|will|should|does|can i|could i|is there|is it"
                          r"|don'?t|do not|keep|wait|later|earlier|different|another|other|instead|else)\b")


def drop_pending() -> List[EventType]:
    """Forgets any quote waiting for a yes, and any question of which booking."""
    return [SlotSet("pending_cancellation", None), SlotSet("pending_change", None), SlotSet("awaiting_confirmation", None),
            SlotSet("booking_choices", None)]


def ask_which(dispatcher: CollectingDispatcher, domain: DomainDict, matches: List[Deal], intent: str, **entities: str) -> List[EventType]:
    """Asks which of several bookings the customer means (`intent` is cancel_booking or
    change_booking) and remembers the choices, so that a typed answer ("the athens one", "the 2nd",
    "no, leave it") answers this question rather than starting something new."""
    kind = intent.split("_")[0]
    dispatcher.utter_message(response=f"utter_ask_which_booking_to_{kind}", buttons=which_buttons(matches, domain, intent, **entities))
    choices = {"references": [d.booking_reference for d in matches], **entities}
    return [SlotSet("pending_cancellation", None), SlotSet("pending_change", None),
            SlotSet("awaiting_confirmation", f"which_{kind}"), SlotSet("booking_choices", choices)]


def fill(domain: DomainDict, name: str, **values: Any) -> str:
    """A piece of a message worded in domain.yml (the first variant of response `name`)."""
    return domain["responses"][name][0]["text"].format(**values)


def active_bookings(contact_id: str) -> List[Deal]:
    """The contact's bookings that were not cancelled, latest departure first."""
    return [d for d in crm().purchase_history(contact_id) if d.stage != "closedlost"]


def customer_bookings(tracker: Tracker) -> List[Deal]:
    """The signed-in customer's bookings that were not cancelled; none for an unknown contact."""
    try:
        return active_bookings(crm().get_contact_by_email(customer_email(tracker)).id)
    except NotFound:
        return []


def upcoming(deals: List[Deal]) -> List[Deal]:
    return sorted((d for d in deals if d.departure_date and d.departure_date >= today()), key=lambda d: d.departure_date)


def trip_line(deal: Deal, domain: DomainDict) -> str:
    """'RM7Q2K: BOS → FCO, Mon 4 Jan, back Mon 11 Jan', worded by utter_trip_line(_return)."""
    values = {"reference": deal.booking_reference, "origin": deal.origin, "destination": deal.destination,
              "departure": describe(deal.departure_date, today()) if deal.departure_date else "?"}
    if deal.return_date:
        return fill(domain, "utter_trip_line_return", back=describe(deal.return_date, today()), **values)
    return fill(domain, "utter_trip_line", **values)


@lru_cache(maxsize=256)
def _city(code: str) -> str:
    exact = [p for p in flights().suggest_places(code) if p.iata_code == code]
    return (exact[0].city_name or exact[0].name) if exact else ""


def city_of(code: Optional[str]) -> str:
    """The city of an airport code ("FCO" -> "Rome"); empty when unknown or not reachable."""
    try:
        return _city(code) if code else ""
    except VendorError:
        return ""


def _by_destination(deals: List[Deal], destination: str) -> List[Deal]:
    found = resolve_place(destination, flights())
    codes = set(found.place.airports or (found.place.iata_code,)) if found.place else set()
    named = destination.strip().lower()
    return [d for d in deals if d.destination in codes or (named and named == city_of(d.destination).lower())]


def find_bookings(tracker: Tracker, deals: List[Deal], waiting: Optional[str] = None) -> List[Deal]:
    """The bookings the latest message is about: one named by its reference (said, or picked from
    buttons), the upcoming trips to a place it names ("the lisbon trip", "rome"); else the booking
    a quote or question is `waiting` on (its reference), the one just booked in this conversation
    ("cancel that", "move it to the 31st"), the next trip ("my next flight"), or every upcoming
    trip."""
    entities = latest_entities(tracker, "booking_reference", "destination")
    text = (tracker.latest_message.get("text") or "").lower()
    said = {w.upper() for w in re.findall(r"\b[a-z0-9]{6}\b", text)} | {entities.get("booking_reference", "").strip().upper().lstrip("#")}
    named = [d for d in deals if (d.booking_reference or "").upper() in said - {""}]
    if named or entities.get("booking_reference"):
        return named
    ahead = upcoming(deals)
    choices = (tracker.get_slot("booking_choices") or {}).get("references") or []
    if choices and str(tracker.get_slot("awaiting_confirmation") or "").startswith("which"):
        position = position_said(text, len(choices))
        if position is not None:
            return [d for d in deals if d.booking_reference == choices[position]]
        dated = _by_date_said(text, [d for d in deals if d.booking_reference in choices])
        if dated:
            return dated
    if entities.get("destination"):
        return _by_destination(ahead, entities["destination"])
    mentioned = trips_named(ahead, text)
    if mentioned:
        return mentioned
    for reference in (waiting, tracker.get_slot("booking_reference")):
        pending = [d for d in ahead if reference and d.booking_reference == reference]
        if pending:
            return pending
    if ahead and NEXT_TRIP.search(text):
        return ahead[:1]
    return ahead


LATER_ONE = re.compile(r"\b(?:later|latest|last)\b")
EARLIER_ONE = re.compile(r"\b(?:earlier|earliest|sooner|soonest)\b")


def _by_date_said(text: str, choices: List[Deal]) -> List[Deal]:
    """Of the bookings asked about, the one leaving on the date said ("the one on the 25th"), or the
    later or earlier one."""
    day = read_trip(text, today(), asked="departure_date").departure_date
    on_day = [d for d in choices if day and d.departure_date == day]
    if len(on_day) == 1:
        return on_day
    dated = sorted((d for d in choices if d.departure_date), key=lambda d: d.departure_date)
    if dated and LATER_ONE.search(text) and not EARLIER_ONE.search(text):
        return dated[-1:]
    if dated and EARLIER_ONE.search(text) and not LATER_ONE.search(text):
        return dated[:1]
    return []


# "I wrote already two times about my refund ... nobody answers", "where is my refund??": a refund
# asked for before and still not seen, which is a complaint about that request, not a new quote.
CHASING = re.compile(
    r"\b(?:wrote|written|emailed|e-mailed|called|phoned|messaged|contacted|asked)\b[^.?!]{0,40}?\b(?:times|twice|already|again)\b|"
    r"\b(?:no\s*(?:one|body)|nobody)\s+(?:answers?|answered|replies|replied|responds?|responded|gets?\s+back|got\s+back)\b|"
    r"\bstill\s+(?:no\s+(?:answer|reply|response|news|word|refund|money)|waiting\s+(?:for|on)\s+(?:my|the)\s+(?:refund|money))\b|"
    r"\bwhere(?:'s|\s+is)\s+my\s+(?:refund|money)\b|"
    r"\b(?:been\s+)?waiting\s+(?:for\s+)?(?:nearly|almost|over|more\s+than|about)?\s*(?:a|an|\d+|two|three|four|five|six)\s+"
    r"(?:days?|weeks?|fortnights?|months?)\b|"
    r"\b(?:haven'?t|have\s+not|hasn'?t|never)\s+heard\s+(?:a\s+thing|anything|back|a\s+word)\b|\bheard\s+nothing\b", re.I)


def chases_a_refund(tracker: Tracker) -> bool:
    """Whether the latest message chases a refund or an answer asked for before."""
    return bool(CHASING.search(tracker.latest_message.get("text") or ""))


def about_the_rules(tracker: Tracker) -> bool:
    """Whether a cancellation or refund message asks about the rules in general rather than about a
    booking: hypothetical, no booking named (reference, place, "my trip", "it"), no quote waiting.
    What the airline does is always the rules."""
    text = (tracker.latest_message.get("text") or "").lower()
    if tracker.get_slot("awaiting_confirmation") == "cancellation" or latest_entities(tracker, "booking_reference", "destination"):
        return False
    if CODE.search(text) or not HYPOTHETICAL.search(text):
        return False
    return bool(THE_AIRLINE.search(text)) or not SOME_BOOKING.search(text)


def trips_named(deals: List[Deal], text: str) -> List[Deal]:
    """The trips whose destination's city the (lower-case) text names ("the lisbon trip")."""
    return [d for d in deals if city_of(d.destination) and re.search(rf"\b{re.escape(city_of(d.destination).lower())}\b", text)]


def names_a_trip(tracker: Tracker, deals: List[Deal]) -> bool:
    """Whether the latest message names the city or the reference of one of these upcoming trips."""
    text = tracker.latest_message.get("text") or ""
    ahead = upcoming(deals)
    return bool(trips_named(ahead, text.lower())) or any(re.search(rf"\b{re.escape(d.booking_reference)}\b", text, re.I)
                                                         for d in ahead if d.booking_reference)


def ours_first(matches: List[Deal]) -> List[Deal]:
    """Of several bookings, the only one booked through us when there is just one: the others were
    booked elsewhere and cannot be cancelled or changed here anyway."""
    ours = [d for d in matches if d.order_id]
    return ours if len(matches) > 1 and len(ours) == 1 else matches


def goes_ahead(tracker: Tracker, intent: str, reference: Optional[str], matches: List[Deal]) -> bool:
    """Whether the latest message asks again for what the quote waiting on booking `reference`
    would do ("fine, cancel it", "ok change it"): that `intent`, about that booking alone, neither a
    question nor a no nor something new. It is then the customer's yes to the quote."""
    text = (tracker.latest_message.get("text") or "").lower()
    last = re.split(r"[.!;]+\s+", text.strip(" .!;"))[-1]  # "ok cancel it. no wait. hmm. yes, cancel it": the last word counts
    same = bool(reference) and [d.booking_reference for d in matches] == [reference]
    return same and (tracker.latest_message.get("intent") or {}).get("name") == intent and not NOT_GO_AHEAD.search(last)


def which_buttons(deals: List[Deal], domain: DomainDict, intent: str, **entities: str) -> List[Dict[str, str]]:
    """One button per booking, sending `intent` again with its reference (and `entities`)."""
    def payload(deal: Deal) -> str:
        values = ", ".join(f'"{k}": "{v}"' for k, v in {"booking_reference": deal.booking_reference, **entities}.items())
        return f"/{intent}{{{values}}}"

    return [{"title": trip_line(d, domain), "payload": payload(d)} for d in deals]


class ActionListBookings(Action):
    def name(self) -> Text:
        return "action_list_bookings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_bookings")
            return []
        try:
            deals = customer_bookings(tracker)
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your bookings")
            return []
        ahead = upcoming(deals)
        past = [d for d in deals if d.departure_date and d.departure_date < today()][:3]
        lines = {"upcoming": "\n".join(f"- {trip_line(d, domain)}" for d in ahead),
                 "recent": "\n".join(f"- {trip_line(d, domain)}" for d in past)}
        if ahead and past:
            dispatcher.utter_message(response="utter_bookings_upcoming_and_recent", **lines)
        elif ahead:
            dispatcher.utter_message(response="utter_bookings_upcoming", **lines)
        elif past:
            dispatcher.utter_message(response="utter_bookings_recent_only", **lines)
        else:
            dispatcher.utter_message(response="utter_no_bookings_yet")
        return []


class ActionQuoteCancellation(Action):
    """Finds the booking, asks the airline what cancelling would refund, and asks to confirm.
    Refund questions about a trip ("what would i get back if i cancel rome") come here too; one
    about the rules in general goes on to the help center's answer."""

    def name(self) -> Text:
        return "action_quote_cancellation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if customer_email(tracker) and chases_a_refund(tracker):
            # the complaint action: it says where the request stands (action_ticket_status), or takes the
            # message as the complaint that waits for its ticket
            return [FollowupAction("action_ticket_complaint")]
        general = about_the_rules(tracker)
        if general and not customer_email(tracker):
            return [FollowupAction("action_answer_question")]  # the help center answers it
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_bookings")
            return []
        try:
            deals = customer_bookings(tracker)
            if general and not names_a_trip(tracker, deals):
                return [FollowupAction("action_answer_question")]
            waiting = (tracker.get_slot("pending_cancellation") or {}).get("reference")
            matches = ours_first(find_bookings(tracker, deals, waiting))
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your bookings")
            return []
        if tracker.get_slot("awaiting_confirmation") == "cancellation" and goes_ahead(tracker, "cancel_booking", waiting, matches):
            return [FollowupAction("action_confirm_cancellation")]
        if not matches:
            dispatcher.utter_message(response="utter_booking_not_found")
            return drop_pending()
        if len(matches) > 1:
            return ask_which(dispatcher, domain, matches, "cancel_booking")
        deal = matches[0]
        if not deal.order_id:
            dispatcher.utter_message(response="utter_cancel_made_elsewhere", reference=deal.booking_reference)
            return drop_pending()
        try:
            quote = flights().quote_cancellation(deal.order_id)
        except InvalidRequest as exc:
            dispatcher.utter_message(response="utter_cannot_cancel", reference=deal.booking_reference, reason=exc.message)
            return drop_pending()
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "check the cancellation terms")
            return drop_pending()
        known = quote.refund_amount is not None and quote.currency is not None
        if known:
            dispatcher.utter_message(response="utter_cancellation_quote", trip=trip_line(deal, domain), refund=money(quote.refund_amount, quote.currency))
        else:
            dispatcher.utter_message(response="utter_cancellation_quote_refund_unknown", trip=trip_line(deal, domain))
        pending: Dict[str, Any] = {"cancellation_id": quote.id, "deal_id": deal.id, "reference": deal.booking_reference,
                                   "refund": f"{quote.refund_amount:.2f}" if known else None, "currency": quote.currency}
        return [SlotSet("pending_cancellation", pending), SlotSet("pending_change", None), SlotSet("awaiting_confirmation", "cancellation")]


LISTEN = FollowupAction("action_listen")


class ActionConfirmCancellation(Action):
    """"Yes" to a cancellation quote, or "cancel it" again while it waits (handed over by
    action_quote_cancellation). Either way the turn ends here: waiting for the customer is the
    only thing that can follow, whatever led to it."""

    def name(self) -> Text:
        return "action_confirm_cancellation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return self._confirm(dispatcher, tracker) + [LISTEN]

    @staticmethod
    def _confirm(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        pending = tracker.get_slot("pending_cancellation")
        if not pending:
            dispatcher.utter_message(response="utter_no_cancellation_waiting")
            return drop_pending()
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_bookings")
            return drop_pending()
        # The quote was for one of the customer's bookings; a slot set any other way (the HTTP API) was not.
        try:
            mine = any(d.id == pending.get("deal_id") for d in customer_bookings(tracker))
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "cancel the booking")
            return []
        if not mine:
            dispatcher.utter_message(response="utter_no_cancellation_waiting")
            return drop_pending()
        try:
            flights().confirm_cancellation(pending["cancellation_id"])
        except InvalidRequest as exc:
            if exc.code != "already_cancelled":
                dispatcher.utter_message(response="utter_cancellation_refused", reason=exc.message)
                return drop_pending()
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "cancel the booking")
            return []
        try:
            crm().set_deal_stage(pending["deal_id"], "closedlost")
        except VendorError as exc:  # the airline has cancelled it; only our records lag behind
            log.error("booking %s cancelled but not marked in the CRM: %s", pending["reference"], exc)
        if pending.get("refund") is None:
            dispatcher.utter_message(response="utter_cancelled_refund_unknown", reference=pending["reference"])
        else:
            dispatcher.utter_message(response="utter_cancelled", reference=pending["reference"],
                                     refund=money(float(pending["refund"]), pending["currency"]))
        return drop_pending()


class ActionKeepBooking(Action):
    """"No" to a cancellation or change quote: nothing happens, and the quote is forgotten. After a
    change quote, the trip stays the one asked about, so another date said next is quoted for it."""

    def name(self) -> Text:
        return "action_keep_booking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        change = tracker.get_slot("pending_change") or {}
        said_no = (tracker.latest_message.get("intent") or {}).get("name") == "deny"
        if said_no and tracker.get_slot("awaiting_confirmation") == "change" and change.get("reference"):
            # "too much. no thanks" to a change: nothing waits for a yes, but "what about just 1 day
            # later then" is for the same trip (the booking talked about), quoted again
            dispatcher.utter_message(response="utter_keep_booking_other_date")
            return [SlotSet("pending_cancellation", None), SlotSet("pending_change", None), SlotSet("booking_choices", None),
                    SlotSet("booking_reference", change["reference"]), SlotSet("awaiting_confirmation", "change_date")]
        dispatcher.utter_message(response="utter_keep_booking")
        return drop_pending()


class ActionForgetPending(Action):
    """A new task started while a quote waited: the quote is dropped without a word, so the new
    task's own "yes" cannot confirm it. A "search" that names only a date while a change of date
    waits ("to the 28th") is no new search but the date: it is filed again as that answer."""

    def name(self) -> Text:
        return "action_forget_pending"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("awaiting_confirmation") in ("change", "change_date") and only_a_date(tracker.latest_message.get("text")):
            return refiled(tracker, "inform")
        return drop_pending()


def only_a_date(text: Any) -> bool:
    said = read_trip(str(text or ""), today()).fields()
    return bool(said) and set(said) <= {"departure_date", "return_date", "one_way"}


class ActionResumePending(Action):
    """After small talk or a question about the bot while search results, the offers or a picked
    flight wait for the customer ("Shall I show you?", "Shall I book it?"): the message is taken
    back out of the dialogue state (as action_answer_question does), so what follows ("ok show me",
    "the first one", "yes") still answers that question."""

    def name(self) -> Text:
        return "action_resume_pending"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return [UserUtteranceReverted()]
