"""The customer's bookings: list them, cancel one after confirming the refund."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import InvalidRequest, NotFound, VendorError
from .clients.crm import Deal
from .common import crm, customer_email, flights, latest_entities, log, money, say_vendor_problem, today
from .dates import describe
from .places import resolve_place

SIGN_IN = "To see or change bookings I need to know it's you: please sign in on the site and ask me again."


def active_bookings(contact_id: str) -> List[Deal]:
    """The contact's bookings that were not cancelled, latest departure first."""
    return [d for d in crm().purchase_history(contact_id) if d.stage != "closedlost"]


def _bookings(tracker: Tracker) -> List[Deal]:
    return active_bookings(crm().get_contact_by_email(customer_email(tracker)).id)


def _line(deal: Deal) -> str:
    when = describe(deal.departure_date, today()) if deal.departure_date else "date unknown"
    back = f", back {describe(deal.return_date, today())}" if deal.return_date else ""
    return f"{deal.booking_reference}: {deal.origin} → {deal.destination}, {when}{back}"


class ActionListBookings(Action):
    def name(self) -> Text:
        return "action_list_bookings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return []
        try:
            deals = _bookings(tracker)
        except NotFound:
            deals = []
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your bookings")
            return []
        upcoming = sorted((d for d in deals if d.departure_date and d.departure_date >= today()), key=lambda d: d.departure_date)
        past = [d for d in deals if d.departure_date and d.departure_date < today()][:3]
        if not upcoming and not past:
            dispatcher.utter_message(text="You have no bookings with us yet. Would you like to search for a flight?")
            return []
        parts = []
        if upcoming:
            parts.append("Your upcoming trips:\n" + "\n".join(f"- {_line(d)}" for d in upcoming))
        else:
            parts.append("You have no upcoming trips.")
        if past:
            parts.append("Recent trips:\n" + "\n".join(f"- {_line(d)}" for d in past))
        dispatcher.utter_message(text="\n\n".join(parts))
        return []


def _which_booking(deals: List[Deal], reference: Optional[str], destination: Optional[str]) -> List[Deal]:
    upcoming = [d for d in deals if d.departure_date and d.departure_date >= today()]
    if reference:
        return [d for d in deals if (d.booking_reference or "").upper() == reference.strip().upper().lstrip("#")]
    if destination:
        found = resolve_place(destination, flights())
        codes = set(found.place.airports or (found.place.iata_code,)) if found.place else set()
        return [d for d in upcoming if d.destination in codes]
    return upcoming


class ActionQuoteCancellation(Action):
    """Finds the booking, asks the airline what cancelling would refund, and asks to confirm."""

    def name(self) -> Text:
        return "action_quote_cancellation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return []
        entities = latest_entities(tracker, "booking_reference", "destination")
        try:
            matches = _which_booking(_bookings(tracker), entities.get("booking_reference"), entities.get("destination"))
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look up your bookings")
            return []
        if not matches:
            dispatcher.utter_message(text="I couldn't find that booking among your upcoming trips. Say \"my bookings\" to see them.")
            return [SlotSet("pending_cancellation", None)]
        if len(matches) > 1:
            dispatcher.utter_message(
                text="Which booking would you like to cancel?",
                buttons=[{"title": _line(d), "payload": f'/cancel_booking{{"booking_reference": "{d.booking_reference}"}}'} for d in matches],
            )
            return [SlotSet("pending_cancellation", None)]
        deal = matches[0]
        if not deal.order_id:
            dispatcher.utter_message(text=f"Booking {deal.booking_reference} was made outside this assistant, so I can't cancel it here. Say \"talk to an agent\" and our team will do it for you.")
            return [SlotSet("pending_cancellation", None)]
        try:
            quote = flights().quote_cancellation(deal.order_id)
        except InvalidRequest as exc:
            dispatcher.utter_message(text=f"Booking {deal.booking_reference} can't be cancelled: {exc.message}")
            return [SlotSet("pending_cancellation", None)]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "check the cancellation terms")
            return [SlotSet("pending_cancellation", None)]
        dispatcher.utter_message(
            text=f"Cancelling {_line(deal)} refunds {money(quote.refund_amount, quote.currency)}. Shall I cancel it?",
            buttons=[{"title": "Yes, cancel it", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}],
        )
        pending: Dict[str, Any] = {"cancellation_id": quote.id, "deal_id": deal.id, "reference": deal.booking_reference,
                                   "refund": f"{quote.refund_amount:.2f}", "currency": quote.currency}
        return [SlotSet("pending_cancellation", pending)]


class ActionConfirmCancellation(Action):
    def name(self) -> Text:
        return "action_confirm_cancellation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending = tracker.get_slot("pending_cancellation")
        if not pending:
            dispatcher.utter_message(text="There's no cancellation waiting for your confirmation.")
            return []
        if not customer_email(tracker):
            dispatcher.utter_message(text=SIGN_IN)
            return [SlotSet("pending_cancellation", None)]
        # The quote was for one of the customer's bookings; a slot set any other way (the HTTP API) was not.
        try:
            mine = any(d.id == pending.get("deal_id") for d in _bookings(tracker))
        except NotFound:
            mine = False
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "cancel the booking")
            return []
        if not mine:
            dispatcher.utter_message(text="There's no cancellation waiting for your confirmation.")
            return [SlotSet("pending_cancellation", None)]
        try:
            flights().confirm_cancellation(pending["cancellation_id"])
        except InvalidRequest as exc:
            if exc.code != "already_cancelled":
                dispatcher.utter_message(text=f"The airline didn't accept the cancellation: {exc.message} Nothing was cancelled.")
                return [SlotSet("pending_cancellation", None)]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "cancel the booking")
            return []
        try:
            crm().set_deal_stage(pending["deal_id"], "closedlost")
        except VendorError as exc:  # the airline has cancelled it; only our records lag behind
            log.error("booking %s cancelled but not marked in the CRM: %s", pending["reference"], exc)
        dispatcher.utter_message(text=f"Done: booking {pending['reference']} is cancelled, and {money(float(pending['refund']), pending['currency'])} will be refunded.")
        return [SlotSet("pending_cancellation", None)]
