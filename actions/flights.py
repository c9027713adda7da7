"""The flight-booking flow: the search form, the search, showing and picking offers, the
travellers' details, booking."""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import InvalidRequest, NotFound, VendorError, VendorUnavailable
from .clients.crm import BookingRecord
from .clients.flights import Offer, SliceRequest, Traveller
from .common import crm, customer_email, flights, latest_entities, log, money, profile_slot, say_vendor_problem, slot_before_this_turn, today
from .dates import DateNotUnderstood, describe, parse_date
from .search_slots import ONE_WAY, ONE_WAY_TEXT, cabin_class, check_departure, check_place, check_return, iso_date, passenger_count

SHOWN_OFFERS = 5
PLACE_SLOTS = ("origin", "destination")
DATE_SLOTS = ("departure_date", "return_date")
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
AIRLINE_NAMES = {
    "delta": "DL", "united": "UA", "american": "AA", "jetblue": "B6", "jet blue": "B6", "southwest": "WN", "alaska": "AS",
    "british airways": "BA", "british": "BA", "lufthansa": "LH", "air france": "AF", "klm": "KL", "tap": "TP",
    "iberia": "IB", "swiss": "LX", "aer lingus": "EI", "virgin": "VS", "air canada": "AC", "emirates": "EK",
    "qatar": "QR", "turkish": "TK", "easyjet": "U2", "ryanair": "FR", "finnair": "AY", "sas": "SK", "ita": "AZ",
}


def _duration(minutes: int) -> str:
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
    return f"{s['from']} {depart:%a %d %b %H:%M} → {s['to']} {arrive:%H:%M}{next_day}, {stops}, {_duration(s['minutes'])}, {s['flights']}"


def offer_text(number: int, offer: Dict[str, Any]) -> str:
    lines = [f"{number}. {offer['airline']}, {money(float(offer['price']), offer['currency'])}"]
    lines += [f"   {_slice_line(s)}" for s in offer["slices"]]
    return "\n".join(lines)


class ValidateFlightForm(FormValidationAction):
    """Asks only for what is missing; reads a lone answer as the slot that was asked for."""

    def name(self) -> Text:
        return "validate_flight_form"

    async def _lone_answer(self, slot: str, group, tracker: Tracker) -> Dict[str, Any]:
        """When the customer answers the question for `slot` with one value that the NLU labelled as
        its sibling (a destination when asked for the origin, a return date when asked for the
        departure), use it for `slot` and keep the sibling as it was."""
        if tracker.get_slot("requested_slot") != slot:
            return {}
        entities = latest_entities(tracker, *group)
        if slot in entities:
            return {}
        sibling = next(name for name in group if name != slot)
        if sibling in entities and not ONE_WAY_TEXT.search(entities[sibling]):
            return {slot: entities[sibling], sibling: slot_before_this_turn(tracker, sibling)}
        text = (tracker.latest_message.get("text") or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if slot == "return_date" and ONE_WAY_TEXT.search(text):
            return {slot: ONE_WAY}
        if text and not text.startswith("/") and intent in ("inform", "nlu_fallback", "search_flight") and len(text.split()) <= 5:
            return {slot: text}  # a short answer with no entity: let validation judge it
        return {}

    async def extract_origin(self, dispatcher, tracker, domain) -> Dict[str, Any]:
        home = profile_slot(tracker, "home_airport")
        if home and not tracker.get_slot("origin") and "origin" not in latest_entities(tracker, "origin"):
            return {"origin": home}  # a signed-in customer starts from home; they can say otherwise
        return await self._lone_answer("origin", PLACE_SLOTS, tracker)

    async def extract_destination(self, dispatcher, tracker, domain) -> Dict[str, Any]:
        return await self._lone_answer("destination", PLACE_SLOTS, tracker)

    async def extract_departure_date(self, dispatcher, tracker, domain) -> Dict[str, Any]:
        return await self._lone_answer("departure_date", DATE_SLOTS, tracker)

    async def extract_return_date(self, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if not tracker.get_slot("return_date") and "return_date" not in latest_entities(tracker, "return_date") and ONE_WAY_TEXT.search(text):
            return {"return_date": ONE_WAY}  # "one way" said anywhere, e.g. in the first request
        return await self._lone_answer("return_date", DATE_SLOTS, tracker)

    def validate_origin(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        if value == profile_slot(tracker, "home_airport") and "origin" not in latest_entities(tracker, "origin"):
            # The default, not the customer's words: if it does not fit (flying home), just ask.
            return check_place("origin", value, CollectingDispatcher(), other=tracker.get_slot("destination"))
        return check_place("origin", value, dispatcher, other=tracker.get_slot("destination"))

    def validate_destination(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return check_place("destination", value, dispatcher, other=tracker.get_slot("origin"))

    def validate_departure_date(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        if ONE_WAY_TEXT.search(str(value or "")):
            # "the 15th, one way": the date is the departure, "one way" answers the return
            rest = ONE_WAY_TEXT.sub(" ", str(value)).strip(" ,.")
            others = [e["value"] for e in tracker.latest_message.get("entities") or []
                      if e.get("entity") in DATE_SLOTS and not ONE_WAY_TEXT.search(str(e.get("value")))]
            day = rest or (others[0] if others else "")
            result = check_departure(day, dispatcher, today()) if day else {"departure_date": None}
            return {**result, "return_date": ONE_WAY}
        result = check_departure(value, dispatcher, today())
        ret = tracker.get_slot("return_date")
        if result["departure_date"] and ret and ret != ONE_WAY and ret < result["departure_date"]:
            result["return_date"] = None  # a new departure after the old return: ask again
        return result

    def validate_return_date(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return check_return(value, tracker.get_slot("departure_date"), dispatcher, today())


class ActionSearchFlights(Action):
    """Searches with the current slots; after a correction, checks the changed values first."""

    def name(self) -> Text:
        return "action_search_flights"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        values = {name: tracker.get_slot(name) for name in ("origin", "destination", "departure_date", "return_date")}
        updates: Dict[str, Any] = {}
        for slot in PLACE_SLOTS:
            if values[slot] and not _is_code(values[slot]):
                other = values["destination" if slot == "origin" else "origin"]
                updates.update(check_place(slot, values[slot], dispatcher, other=other if _is_code(other) else None))
        if values["departure_date"] and not _is_date(values["departure_date"]):
            updates.update(check_departure(values["departure_date"], dispatcher, today()))
        departure = updates.get("departure_date", values["departure_date"])
        if values["return_date"] and values["return_date"] != ONE_WAY and (not _is_date(values["return_date"]) or (departure and values["return_date"] < departure)):
            updates.update(check_return(values["return_date"], departure if _is_date(departure) else None, dispatcher, today()))
        values.update(updates)
        events: List[EventType] = [SlotSet(k, v) for k, v in updates.items()]
        if any(values[name] is None for name in values):
            return events + [FollowupAction("flight_form")]

        passengers = passenger_count(tracker.get_slot("passengers"))
        if passengers is None:
            dispatcher.utter_message(text="I can book 1 to 9 travellers at a time; I'll search for 1. Tell me another number if you need it.")
            passengers = 1
        cabin = cabin_class(tracker.get_slot("cabin"))
        slices = [SliceRequest(values["origin"], values["destination"], date.fromisoformat(values["departure_date"]))]
        if values["return_date"] != ONE_WAY:
            slices.append(SliceRequest(values["destination"], values["origin"], date.fromisoformat(values["return_date"])))
        try:
            search = flights().search(slices, adults=passengers, cabin_class=cabin)
        except InvalidRequest as exc:
            dispatcher.utter_message(text=f"The airline system didn't accept that search: {exc.message} Could you change it?")
            return events + [SlotSet("offers", None)]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "search for flights")
            return events + [SlotSet("offers", None)]

        offers = [offer_summary(o) for o in search.offers]
        labels = {name: tracker.get_slot(f"{name}_label") for name in PLACE_SLOTS}
        labels.update({name[:-6]: updates[name] for name in updates if name.endswith("_label")})
        trip = "one-way" if values["return_date"] == ONE_WAY else "round-trip"
        when = describe(date.fromisoformat(values["departure_date"]), today())
        if values["return_date"] != ONE_WAY:
            when += f" – {describe(date.fromisoformat(values['return_date']), today())}"
        who = "" if passengers == 1 else f" for {passengers} travellers"
        cabin_text = "" if cabin == "economy" else f" in {cabin.replace('_', ' ')}"
        route = f"from {labels['origin'] or values['origin']} to {labels['destination'] or values['destination']}"
        if not offers:
            dispatcher.utter_message(text=f"I couldn't find any {trip} flights {route} on {when}{who}{cabin_text}. Would you like to try other dates or a nearby airport?")
            return events + [SlotSet("offers", [])]
        cheapest = offers[0]
        dispatcher.utter_message(
            text=f"I found {len(offers)} {trip} flights {route} for {when}{who}{cabin_text}, starting at {money(float(cheapest['price']), cheapest['currency'])}. Would you like to see more details?",
            buttons=[{"title": "Yes, show me", "payload": "/affirm"}, {"title": "No thanks", "payload": "/deny"}],
        )
        return events + [SlotSet("offers", offers), SlotSet("selected_offer", None), SlotSet("passengers", passengers), SlotSet("cabin", cabin)]


def _is_date(value: Any) -> bool:
    return iso_date(value) is not None


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 3 and value.isupper()


class ActionShowOffers(Action):
    def name(self) -> Text:
        return "action_show_offers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        offers = (tracker.get_slot("offers") or [])[:SHOWN_OFFERS]
        if not offers:
            dispatcher.utter_message(text="I have no flights to show yet. Where would you like to fly, and when?")
            return []
        if tracker.get_latest_input_channel() == "socket":  # the widget shows the offers as cards
            dispatcher.utter_message(text="Here are the best options:")
        else:
            dispatcher.utter_message(text="Here are the best options:\n" + "\n".join(offer_text(i, o) for i, o in enumerate(offers, 1)))
        dispatcher.utter_message(
            text="Which flight would you like to book?",
            buttons=[{"title": f"{i}. {o['airline']} {o['slices'][0]['depart'][11:16]} {money(float(o['price']), o['currency'])}", "payload": f'/select_offer{{"choice": "{i}"}}'} for i, o in enumerate(offers, 1)],
            json_message={"type": "flight_offers", "offers": offers},
        )
        return []


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
    number = re.search(r"#?\b(\d)\b", words)
    if number and 1 <= int(number.group(1)) <= len(shown):
        return shown[int(number.group(1)) - 1]
    for word, position in ORDINALS.items():
        if re.search(rf"\b{word}\b", words) and position <= len(shown):
            return shown[position - 1]
    if re.search(r"\blast\b", words):
        return shown[-1]
    if re.search(r"\b(cheapest|lowest|least expensive|best price)\b", words):
        return min(shown, key=lambda o: float(o["price"]))
    if re.search(r"\b(earliest|first flight|morning)\b", words):
        return min(shown, key=lambda o: o["slices"][0]["depart"])
    if re.search(r"\b(latest|evening|night)\b", words):
        return max(shown, key=lambda o: o["slices"][0]["depart"])
    if re.search(r"\b(fastest|shortest|quickest)\b", words):
        return min(shown, key=lambda o: sum(s["minutes"] for s in o["slices"]))
    if re.search(r"\b(nonstop|non-stop|direct)\b", words):
        return next((o for o in shown if all(s["stops"] == 0 for s in o["slices"])), None)
    return None


class ActionSelectOffer(Action):
    def name(self) -> Text:
        return "action_select_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        offers = tracker.get_slot("offers") or []
        if not offers:
            dispatcher.utter_message(text="Let's find some flights first. Where would you like to go?")
            return [SlotSet("choice", None), SlotSet("airline", None)]
        entities = latest_entities(tracker, "choice", "airline")
        offer = pick_offer(offers, entities.get("choice"), entities.get("airline"), tracker.latest_message.get("text") or "")
        if offer is None:
            dispatcher.utter_message(text=f"Sorry, I couldn't tell which flight you mean. Say a number from 1 to {min(len(offers), SHOWN_OFFERS)}, or \"the cheapest\".")
            return [SlotSet("choice", None), SlotSet("airline", None)]
        dispatcher.utter_message(
            text="Here's your choice:\n" + offer_text(offers.index(offer) + 1, offer).split("\n", 1)[1]
            + f"\nTotal: {money(float(offer['price']), offer['currency'])} for {offer['passengers']} traveller{'s' if offer['passengers'] > 1 else ''}. Shall I book it?",
            buttons=[{"title": "Yes, book it", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
        )
        return [SlotSet("selected_offer", offer), SlotSet("choice", None), SlotSet("airline", None), SlotSet("travellers", [])]


class ActionDeclineOffer(Action):
    def name(self) -> Text:
        return "action_decline_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text="No problem, I won't book it. You can pick another flight from the list or change the search.")
        return [SlotSet("selected_offer", None)]


def _birthdate(text: str) -> Optional[date]:
    """A date of birth: it must name a year and lie in the past."""
    if not re.search(r"\b(19|20)\d\d\b", text or ""):
        return None
    try:
        born = parse_date(text, today())
    except DateNotUnderstood:
        return None
    return born if date(1900, 1, 1) <= born < today() else None


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
        if not travellers and tracker.get_slot("requested_slot") is None:  # the form is starting
            lead = _lead_traveller(tracker)
            if lead:
                tracker.slots["travellers"] = [lead]
                return [SlotSet("travellers", [lead])] + await super().run(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    def validate_traveller_name(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        parts = [p for p in re.split(r"\s+", str(value or "").strip()) if p]
        if len(parts) < 2 or not all(re.fullmatch(r"[^\W\d_][\w'.-]*", p) for p in parts) or len(" ".join(parts)) > 60:
            dispatcher.utter_message(text="Please give a first and last name, as written on the passport.")
            return {"traveller_name": None}
        return {"traveller_name": " ".join(p.capitalize() if p.islower() else p for p in parts)}

    def validate_traveller_birthdate(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        born = _birthdate(str(value or ""))
        if born is None:
            dispatcher.utter_message(text="Please give the date of birth with the year, like 2 April 1988 or 1988-04-02.")
            return {"traveller_birthdate": None}
        name = tracker.get_slot("traveller_name")
        if not name:
            return {"traveller_birthdate": born.isoformat()}
        given, family = name.rsplit(" ", 1)
        travellers = (tracker.get_slot("travellers") or []) + [{"given_name": given, "family_name": family, "born_on": born.isoformat()}]
        return {"travellers": travellers, "traveller_name": None, "traveller_birthdate": None}

    def validate_traveller_email(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        email = str(value or "").strip()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            dispatcher.utter_message(text="That doesn't look like an email address. Which email should the confirmation go to?")
            return {"traveller_email": None}
        return {"traveller_email": email.lower()}


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
            dispatcher.utter_message(text="Which flight should I book? Pick one from the list first.")
            return []
        email = customer_email(tracker) or tracker.get_slot("traveller_email")
        try:
            offer = flights().get_offer(chosen["id"])
            people = [Traveller(t["given_name"], t["family_name"], date.fromisoformat(t["born_on"]), email=t.get("email") or email) for t in travellers]
            order = flights().book(offer, people, idempotency_key=idempotency_key(tracker.sender_id, offer.id),
                                   metadata={"conversation_id": tracker.sender_id[:200], "customer_email": email or ""})
        except NotFound:
            dispatcher.utter_message(text="That offer is no longer available. Shall I search again?")
            return [SlotSet("selected_offer", None)]
        except InvalidRequest as exc:
            reasons = {
                "offer_expired": "The prices from that search have expired, so nothing was booked. Say \"search again\" and I'll get fresh ones.",
                "offer_no_longer_available": "That flight has just sold out, so nothing was booked. Would you like to pick another one?",
                "offer_request_already_booked": "A flight from this search is already booked. Check \"my bookings\", or start a new search for another trip.",
            }
            dispatcher.utter_message(text=reasons.get(exc.code, f"The airline refused the booking: {exc.message} Nothing was booked."))
            return [SlotSet("selected_offer", None)]
        except VendorUnavailable as exc:
            log.warning("booking failed: %s", exc)
            dispatcher.utter_message(
                text="The airline system didn't answer in time, so I can't confirm the booking yet. Say \"book it\" again in a minute: "
                     "I'll pick up the same booking, and you won't be charged twice."
            )
            return [SlotSet("booking_pending", True)]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "book the flight")
            return []

        if customer_email(tracker):
            self._record_in_crm(tracker, order, chosen)
        first = order.slices[0]
        dispatcher.utter_message(
            text=f"Booked! Your booking reference is {order.booking_reference}. {order.owner_name}, {first.origin} → {first.destination} "
                 f"on {describe(first.departing_at.date(), today())} at {first.departing_at:%H:%M}, total {money(order.total_amount, order.currency)}. "
                 f"The confirmation goes to {email}.",
            json_message={"type": "booking_confirmation", "booking_reference": order.booking_reference, "order_id": order.id, "offer": chosen},
        )
        done = [SlotSet(name, None) for name in ("selected_offer", "offers", "origin", "destination", "departure_date", "return_date", "origin_label", "destination_label")]
        return done + [SlotSet("travellers", []), SlotSet("booking_pending", None), SlotSet("booking_reference", order.booking_reference)]

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
