"""Booking the chosen flight: the travellers' details, then the order with the airline."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import InvalidRequest, NotFound, VendorError, VendorUnavailable
from .clients.crm import BookingRecord
from .clients.flights import Traveller
from .common import crm, customer_email, flights, log, money, say_vendor_problem, today
from .dates import MONTHS, DateNotUnderstood, describe, parse_date


def _birthdate(text: str) -> Optional[date]:
    """A date of birth: it must name a year and lie in the past."""
    if not re.search(r"\b(19|20)\d\d\b", text or ""):
        return None
    try:
        born = parse_date(text, today())
    except DateNotUnderstood:
        return None
    return born if date(1900, 1, 1) <= born < today() else None


# "book my mother on a flight", "yes, book it for her": the signed-in customer is not the one flying.
FOR_SOMEONE_ELSE = re.compile(
    r"\b(?:book|booking|for|it'?s\s+for)\s+(?:it\s+for\s+)?(?:my\s+(?:\w+\s+)?(?:mother|mum|mom|dad|father|wife|husband|partner|son|daughter|"
    r"friend|colleague|boss|sister|brother|grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|niece|nephew|guest|client)|"
    r"her|him|them|someone\s+else|somebody\s+else|a\s+friend|a\s+colleague|a\s+guest)\b(?!\s*(?:and|&|\+)\s*(?:me|i|myself)\b)", re.I)
SEARCH_MESSAGES = 10  # how far back the request for this booking is looked for


def _for_someone_else(tracker: Tracker) -> bool:
    """Whether the customer said, since their last booking, that this one is for someone else."""
    said = []
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_book_flight" or len(said) >= SEARCH_MESSAGES:
            break
        text = event.get("text") or ""
        if event.get("event") == "user" and (((event.get("parse_data") or {}).get("intent") or {}).get("name") != "ask_question"
                                             or re.search(r"\bbook", text, re.I)):
            said.append(text)  # not "can I bring maple syrup in my carry-on? it's for my aunt"; "can I book it for my mother?" is
    return (tracker.get_slot("selected_offer") or {}).get("passengers", 1) == 1 and any(FOR_SOMEONE_ELSE.search(t) for t in said)


def _lead_traveller(tracker: Tracker) -> Optional[Dict[str, str]]:
    """The signed-in customer as the first traveller, from the CRM."""
    email = customer_email(tracker)
    if not email:
        return None
    try:
        contact = crm().get_contact_by_email(email)
    except VendorError as exc:
        log.warning("could not read the customer's details: %s", exc)
        return None
    if not (contact.first_name and contact.last_name and contact.date_of_birth):
        return None
    return {"given_name": contact.first_name, "family_name": contact.last_name, "born_on": contact.date_of_birth.isoformat(), "email": email}


# Where a date of birth said without its label may start: a digit or a month's name.
A_DATE_STARTS = re.compile(rf"\d|\b(?:{'|'.join(MONTHS)})\b", re.I)
BIRTH_LABEL = re.compile(r"\b(?:dob|d\.o\.b|date\s+of\s+birth|birth\s?date|born)\b\.?", re.I)
# Details as customers paste or say them: "Passenger name: Ana Ruiz", "DOB: 1987-11-02", "Email: ...",
# "yes please, it's for jordan ellis".
LABELS = {
    "traveller_name": re.compile(r"(?:^|[\n,;.!]\s*)\s*(?:(?:my|his|her|the)\s+)?(?:(?:passenger|traveller|traveler|full|first\s+and\s+last)(?:'?s)?\s+)?"
                                 r"name\s*(?::|=|-|\bis\b)\s*(?P<v>[^\n,;:]+)|\b(?:it'?s|its|it\s+is|tickets?\s+(?:is|are)|"
                                 r"booking\s+is)\s+for\s+(?!(?:my|our|his|her|the|a|an|me|us|him|them|two|three|four)\b)(?P<v2>[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*){1,2})\s*[.!]?\s*$|"
                                 r"\b(?:is|am|are)\s+(?:called|named)\s+(?P<v3>[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*){1,3}?)\s*(?=[,;.!]|\s+born\b|$)", re.I),
    "traveller_birthdate": re.compile(rf"{BIRTH_LABEL.pattern}(?:\s+on)?\s*(?::|=|-|\bis\b)?\s*(?P<v>[^\n;]*\d[^\n;]*)", re.I),
    "traveller_email": re.compile(r"(?P<v>[^@\s:;,<>()]+@[^@\s;,<>()]+\.[a-z]{2,})", re.I),
}


def labelled(slot: str, text: Any) -> Optional[str]:
    """The value a message gives for a traveller detail after its label; None without one."""
    match = LABELS[slot].search(str(text or ""))
    return next((v.strip() for v in match.groupdict().values() if v), "") if match else None


def person_name(value: Any) -> Optional[str]:
    """A first and last name as the airline needs it ("priyanka sharma" -> "Priyanka Sharma"); None
    when the words cannot be a person's name."""
    parts = [p for p in re.split(r"\s+", str(value or "").strip()) if p]
    if len(parts) < 2 or not all(re.fullmatch(r"[^\W\d_][\w'.-]*", p) for p in parts) or len(" ".join(parts)) > 60:
        return None
    return " ".join(p.capitalize() if p.islower() else p for p in parts)


class ValidateTravellerForm(FormValidationAction):
    """Collects each traveller's name and date of birth; a signed-in customer travels as themselves."""

    def name(self) -> Text:
        return "validate_traveller_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        offer = tracker.get_slot("selected_offer") or {}
        travellers = tracker.get_slot("travellers") or []
        needed = []
        if len(travellers) < offer.get("passengers", 1):
            needed += ["traveller_name", "traveller_birthdate"]
        if not customer_email(tracker):
            needed.append("traveller_email")
        return needed

    async def run(self, dispatcher, tracker, domain):
        travellers = tracker.get_slot("travellers") or []
        started: List[EventType] = []
        if not travellers and tracker.get_slot("requested_slot") is None:  # the form is starting
            lead = None if _for_someone_else(tracker) else _lead_traveller(tracker)
            if lead:
                tracker.slots["travellers"] = [lead]
                started.append(SlotSet("travellers", [lead]))
            started += self._given_with_the_yes(dispatcher, tracker, domain)
        return started + await super().run(dispatcher, tracker, domain)

    def _given_with_the_yes(self, dispatcher, tracker, domain) -> List[EventType]:
        """Details said with the yes that starts the form ("Yes, proceed. Passenger name: Ana Ruiz")."""
        text = tracker.latest_message.get("text")
        checks = {"traveller_name": self.validate_traveller_name, "traveller_birthdate": self.validate_traveller_birthdate,
                  "traveller_email": self.validate_traveller_email}
        events: List[EventType] = []
        for slot, validate in checks.items():
            if labelled(slot, text) is not None and not tracker.get_slot(slot):
                for name, value in validate(text, dispatcher, tracker, domain).items():
                    tracker.slots[name] = value
                    events.append(SlotSet(name, value))
        return events

    def validate_traveller_name(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        said = str(value or "")
        email = labelled("traveller_email", said)
        more: Dict[str, Any] = {}
        if email and len(said.split()) > 1:  # "jamie torres, born march 14 1991, jamie.torres@example.com"
            said = said.replace(email, " ").strip(" ,;-")
            if not customer_email(tracker):
                more = self.validate_traveller_email(email, dispatcher, tracker, domain)
        if labelled("traveller_name", said) is None:  # "Sam Okoye, born april 11 1990", "marco bellini 22 april 1987"
            for start in [m.start() for m in BIRTH_LABEL.finditer(said)] + [m.start() for m in A_DATE_STARTS.finditer(said)]:
                name, born = person_name(said[:start].strip(" ,;-")), _birthdate(labelled("traveller_birthdate", said) or said[start:])
                if name and born:
                    tracker.slots["traveller_name"] = name
                    return {"traveller_name": name, **self.validate_traveller_birthdate(said[start:], dispatcher, tracker, domain), **more}
        name = person_name(labelled("traveller_name", said) or said)
        if name is None:
            dispatcher.utter_message(response="utter_traveller_name_invalid")
            return {"traveller_name": None}
        if _birthdate(labelled("traveller_birthdate", said) or ""):  # "She is called Anneke de Vries, born 12 May 1958"
            tracker.slots["traveller_name"] = name
            more = {**self.validate_traveller_birthdate(said, dispatcher, tracker, domain), **more}
        return {"traveller_name": name, **more}

    def validate_traveller_birthdate(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        born = _birthdate(labelled("traveller_birthdate", value) or str(value or ""))
        if born is None:
            dispatcher.utter_message(response="utter_traveller_birthdate_invalid")
            return {"traveller_birthdate": None}
        name = tracker.get_slot("traveller_name")
        if not name:
            return {"traveller_birthdate": born.isoformat()}
        given, family = name.rsplit(" ", 1)
        travellers = (tracker.get_slot("travellers") or []) + [{"given_name": given, "family_name": family, "born_on": born.isoformat()}]
        if len(travellers) >= (tracker.get_slot("selected_offer") or {}).get("passengers", 1):
            return {"travellers": travellers, "traveller_birthdate": born.isoformat()}  # the last one: kept until booked
        return {"travellers": travellers, "traveller_name": None, "traveller_birthdate": None}  # the next one is asked

    def validate_traveller_email(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        email = labelled("traveller_email", value) or str(value or "").strip()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            dispatcher.utter_message(response="utter_traveller_email_invalid")
            return {"traveller_email": None}
        return {"traveller_email": email.lower()}


TRIP_SLOTS = ("selected_offer", "offers", "origin", "destination", "departure_date", "return_date", "origin_label",
              "destination_label", "child_ages", "time_of_day", "max_stops", "airline", "sort", "place_choices")


def travellers_cleared() -> List[EventType]:
    """No traveller named yet: the traveller form asks for each again."""
    return [SlotSet("travellers", []), SlotSet("traveller_name", None), SlotSet("traveller_birthdate", None)]


def trip_cleared() -> List[EventType]:
    """The trip is booked: the next search starts afresh (one adult, economy, no preferences)."""
    defaults = [SlotSet("passengers", 1.0), SlotSet("children", 0.0), SlotSet("infants", 0.0), SlotSet("cabin", "economy")]
    return [SlotSet(name, None) for name in TRIP_SLOTS] + defaults + travellers_cleared()


def idempotency_key(sender_id: str, offer_id: str) -> str:
    """The same conversation booking the same offer always sends the same key, so however often
    the booking is retried (by the client, or by the customer after a timeout) it is made once."""
    return hashlib.sha256(f"{sender_id}:{offer_id}".encode()).hexdigest()


class ActionBookFlight(Action):
    def name(self) -> Text:
        return "action_book_flight"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        chosen = tracker.get_slot("selected_offer")
        travellers = tracker.get_slot("travellers") or []
        if not chosen:
            dispatcher.utter_message(response="utter_pick_offer_first")
            return []
        email = customer_email(tracker) or tracker.get_slot("traveller_email")
        try:
            offer = flights().get_offer(chosen["id"])
            people = [Traveller(t["given_name"], t["family_name"], date.fromisoformat(t["born_on"]), email=t.get("email") or email) for t in travellers]
            order = flights().book(offer, people, idempotency_key=idempotency_key(tracker.sender_id, offer.id),
                                   metadata={"conversation_id": tracker.sender_id[:200], "customer_email": email or ""})
        except NotFound:
            dispatcher.utter_message(response="utter_offer_gone")
            return [SlotSet("selected_offer", None)]
        except InvalidRequest as exc:
            responses = {
                "offer_expired": "utter_booking_offer_expired",
                "offer_no_longer_available": "utter_booking_sold_out",
                "offer_request_already_booked": "utter_booking_already_booked",
            }
            if exc.code in responses:
                dispatcher.utter_message(response=responses[exc.code])
            else:
                dispatcher.utter_message(response="utter_booking_refused", reason=exc.message)
            return [SlotSet("selected_offer", None)]
        except VendorUnavailable as exc:
            log.warning("booking failed: %s", exc)
            dispatcher.utter_message(response="utter_booking_pending")
            return [SlotSet("booking_pending", True)]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "book the flight")
            return []

        if customer_email(tracker):
            self._record_in_crm(tracker, order, chosen)
        first = order.slices[0]
        dispatcher.utter_message(
            response="utter_booked", reference=order.booking_reference, airline=order.owner_name, origin=first.origin,
            destination=first.destination, day=describe(first.departing_at.date(), today()), time=f"{first.departing_at:%H:%M}",
            total=money(order.total_amount, order.currency), email=email,
            json_message={"type": "booking_confirmation", "booking_reference": order.booking_reference, "order_id": order.id, "offer": chosen},
        )
        return trip_cleared() + [SlotSet("booking_pending", None), SlotSet("booking_reference", order.booking_reference)]

    @staticmethod
    def _record_in_crm(tracker: Tracker, order, chosen: Dict[str, Any]) -> None:
        """Keeps the customer's purchase history complete; the booking stands even if this fails."""
        try:
            contact = crm().get_contact_by_email(customer_email(tracker))
            slices = order.slices
            crm().record_booking(contact.id, BookingRecord(
                booking_reference=order.booking_reference, order_id=order.id, origin=slices[0].origin,
                destination=slices[0].destination, departure_date=slices[0].departing_at.date(),
                return_date=slices[1].departing_at.date() if len(slices) > 1 else None,
                cabin_class=tracker.get_slot("cabin") or "economy", amount=order.total_amount, currency=order.currency,
            ))
        except VendorError as exc:
            log.error("booking %s made but not recorded in the CRM: %s", order.booking_reference, exc)
