"""Flights client for the Duffel API v2: search offers, book, read and cancel orders.

Booking is never repeated blindly: Duffel has no idempotency key and asks not to retry a 500 or 502
on order creation, since the order may have been made. Each order carries a booking attempt id in
its metadata; after an answer that leaves it unknown whether the order was made (a timeout, a lost
connection, a 5xx), the client looks for an order with that id before saying anything, and callers
look again (find_booking) before any new attempt.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .convert import to_datetime, to_decimal
from .errors import VendorError, VendorUnavailable
from .http import RetryPolicy, VendorHttp, env_timeout

API_VERSION = "v2"
CABIN_CLASSES = ("economy", "premium_economy", "business", "first")
ATTEMPT_KEY = "booking_attempt"  # metadata key of the booking attempt id
# Duffel waits for airlines up to `supplier_timeout` (2 to 60 s, default 20 s) and recommends a client
# timeout above it; any request may take up to 120 s, so it recommends about 130 s for those
# (https://duffel.com/docs/api/overview/response-times).
SUPPLIER_MARGIN_SECONDS = 5.0
SEARCH_TIMEOUT_SECONDS = 25.0
ORDER_TIMEOUT_SECONDS = 130.0
log = logging.getLogger(__name__)


class BookingUnconfirmed(VendorUnavailable):
    """Order creation failed in a way that leaves it unknown whether the order was made, and no
    order with this booking attempt id could be found yet. Look again (find_booking) before any new
    attempt."""

    def __init__(self, attempt_id: str, cause: VendorError) -> None:
        super().__init__(cause.vendor, f"booking {attempt_id} unconfirmed: {cause.message}", status=cause.status,
                         code="booking_unconfirmed", request_id=cause.request_id)
        self.attempt_id = attempt_id


class MissingTravellerDetails(ValueError):
    """Details Duffel requires of a passenger that we do not have: nothing was sent."""

    def __init__(self, missing: List[Tuple[int, List[str]]]) -> None:
        super().__init__("; ".join(f"traveller {i + 1} lacks {', '.join(fields)}" for i, fields in missing))
        self.missing = missing


@dataclass(frozen=True)
class Place:
    iata_code: str
    name: str
    type: str  # "airport" or "city"
    city_name: Optional[str]
    country: Optional[str]
    time_zone: Optional[str]
    airports: Tuple[str, ...] = ()  # for a city: its airports' codes
    city_code: Optional[str] = None  # for an airport in a metropolitan area: the city's IATA code
    country_name: Optional[str] = None


@dataclass(frozen=True)
class Segment:
    origin: str
    destination: str
    departing_at: datetime  # local time at the origin
    arriving_at: datetime  # local time at the destination
    carrier_code: str
    carrier_name: str
    flight_number: str
    duration_minutes: int


@dataclass(frozen=True)
class Slice:
    origin: str
    destination: str
    duration_minutes: int
    segments: Tuple[Segment, ...]

    @property
    def stops(self) -> int:
        return len(self.segments) - 1

    @property
    def departing_at(self) -> datetime:
        return self.segments[0].departing_at

    @property
    def arriving_at(self) -> datetime:
        return self.segments[-1].arriving_at


@dataclass(frozen=True)
class Offer:
    id: str
    total_amount: Decimal
    currency: str
    owner_code: str
    owner_name: str
    expires_at: Optional[datetime]
    slices: Tuple[Slice, ...]
    passenger_ids: Tuple[str, ...]
    identity_documents_required: bool = False  # a passport for every traveller, to book it


@dataclass(frozen=True)
class SliceRequest:
    origin: str  # IATA airport or city code
    destination: str
    departure_date: date


@dataclass(frozen=True)
class Passport:
    number: str
    issuing_country_code: str  # ISO 3166-1 alpha-2
    expires_on: date


@dataclass(frozen=True)
class Traveller:
    """A passenger as Duffel's orders need them: all but `passport` are required, and the passport
    too when the offer's identity_documents_required is set."""

    given_name: str
    family_name: str
    born_on: date
    email: Optional[str] = None
    phone_number: Optional[str] = None  # E.164, e.g. +442080160509
    title: Optional[str] = None  # mr, ms, mrs, miss or dr
    gender: Optional[str] = None  # m or f, as on the passport
    passport: Optional[Passport] = None


def missing_details(offer: "Offer", travellers: Sequence[Traveller]) -> List[Tuple[int, List[str]]]:
    """(index, missing fields) for each traveller Duffel would refuse for want of a detail."""
    missing = []
    for index, t in enumerate(travellers):
        fields = [name for name in ("title", "gender", "email", "phone_number") if not getattr(t, name)]
        if offer.identity_documents_required and t.passport is None:
            fields.append("passport")
        if fields:
            missing.append((index, fields))
    return missing


def _passenger(passenger_id: str, t: Traveller) -> Dict[str, Any]:
    entry: Dict[str, Any] = {
        "id": passenger_id, "title": t.title, "gender": t.gender, "given_name": t.given_name, "family_name": t.family_name,
        "born_on": t.born_on.isoformat(), "email": t.email, "phone_number": t.phone_number,
    }
    if t.passport:
        entry["identity_documents"] = [{"type": "passport", "unique_identifier": t.passport.number,
                                        "issuing_country_code": t.passport.issuing_country_code,
                                        "expires_on": t.passport.expires_on.isoformat()}]
    return entry


@dataclass(frozen=True)
class Order:
    id: str
    booking_reference: str
    total_amount: Decimal
    currency: str
    owner_name: str
    slices: Tuple[Slice, ...]
    passenger_names: Tuple[str, ...]
    created_at: Optional[datetime]
    cancelled_at: Optional[datetime]
    metadata: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cancellation:
    id: str
    order_id: str
    refund_amount: Optional[Decimal]  # None when the airline gave no refund quote
    currency: Optional[str]
    expires_at: Optional[datetime]
    confirmed_at: Optional[datetime]


@dataclass(frozen=True)
class OfferSearch:
    request_id: str
    offers: Tuple[Offer, ...]


def parse_error(body: Dict[str, Any]):
    error = body["errors"][0]
    return error.get("code"), error.get("message"), (error.get("source") or {}).get("pointer")


def _minutes(text: Optional[str]) -> int:
    """ISO 8601 duration (PT07H30M, P1DT02H15M) in minutes."""
    if not text:
        return 0
    days = hours = minutes = 0
    body = text[1:]
    if "D" in body:
        day_part, body = body.split("D", 1)
        days = int(day_part)
    body = body.lstrip("T")
    if "H" in body:
        hour_part, body = body.split("H", 1)
        hours = int(hour_part)
    if "M" in body:
        minutes = int(body.split("M", 1)[0])
    return days * 1440 + hours * 60 + minutes


def _slice(obj: Dict[str, Any]) -> Slice:
    segments = tuple(
        Segment(
            origin=s["origin"]["iata_code"],
            destination=s["destination"]["iata_code"],
            departing_at=to_datetime(s["departing_at"]),
            arriving_at=to_datetime(s["arriving_at"]),
            carrier_code=s["marketing_carrier"]["iata_code"],
            carrier_name=s["marketing_carrier"]["name"],
            flight_number=s["marketing_carrier_flight_number"],
            duration_minutes=_minutes(s.get("duration")),
        )
        for s in obj["segments"]
    )
    return Slice(obj["origin"]["iata_code"], obj["destination"]["iata_code"], _minutes(obj.get("duration")), segments)


def _offer(obj: Dict[str, Any]) -> Offer:
    return Offer(
        id=obj["id"], total_amount=to_decimal(obj["total_amount"]), currency=obj["total_currency"],
        owner_code=obj["owner"]["iata_code"], owner_name=obj["owner"]["name"], expires_at=to_datetime(obj.get("expires_at")),
        slices=tuple(_slice(s) for s in obj["slices"]), passenger_ids=tuple(p["id"] for p in obj["passengers"]),
        identity_documents_required=bool(obj.get("passenger_identity_documents_required")),
    )


def _order(obj: Dict[str, Any]) -> Order:
    return Order(
        id=obj["id"], booking_reference=obj["booking_reference"], total_amount=to_decimal(obj["total_amount"]),
        currency=obj["total_currency"], owner_name=obj["owner"]["name"], slices=tuple(_slice(s) for s in obj["slices"]),
        passenger_names=tuple(f"{p.get('given_name', '')} {p.get('family_name', '')}".strip() for p in obj["passengers"]),
        created_at=to_datetime(obj.get("created_at")), cancelled_at=to_datetime(obj.get("cancelled_at")),
        metadata=obj.get("metadata") or {},
    )


def _cancellation(obj: Dict[str, Any]) -> Cancellation:
    return Cancellation(
        id=obj["id"], order_id=obj["order_id"],
        refund_amount=to_decimal(obj["refund_amount"]) if obj.get("refund_amount") is not None else None,
        currency=obj.get("refund_currency"), expires_at=to_datetime(obj.get("expires_at")),
        confirmed_at=to_datetime(obj.get("confirmed_at")),
    )


def _place(obj: Dict[str, Any]) -> Place:
    return Place(
        iata_code=obj["iata_code"], name=obj["name"], type=obj["type"], city_name=obj.get("city_name") or obj.get("name"),
        country=obj.get("iata_country_code"), time_zone=obj.get("time_zone"),
        airports=tuple(a["iata_code"] for a in obj.get("airports") or ()),
        city_code=obj.get("iata_city_code"), country_name=obj.get("country_name"),
    )


class FlightsClient:
    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        timeout: float = 15.0,
        search_timeout: float = SEARCH_TIMEOUT_SECONDS,
        order_timeout: float = ORDER_TIMEOUT_SECONDS,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        """`timeout` for reads; `search_timeout` for searches, of which all but a margin is Duffel's
        supplier_timeout; `order_timeout` for making an order."""
        self.http = VendorHttp(
            "flights", base_url, parse_error,
            headers={"Authorization": f"Bearer {access_token}", "Duffel-Version": API_VERSION},
            timeout=timeout, retry=retry,
        )
        self.search_timeout = search_timeout
        self.order_timeout = order_timeout

    @classmethod
    def from_env(cls) -> "FlightsClient":
        """DUFFEL_BASE_URL (https://api.duffel.com in production), DUFFEL_ACCESS_TOKEN, and the
        timeouts DUFFEL_SEARCH_TIMEOUT_SECONDS and DUFFEL_ORDER_TIMEOUT_SECONDS."""
        return cls(
            os.environ.get("DUFFEL_BASE_URL", "http://127.0.0.1:8010/duffel"),
            os.environ.get("DUFFEL_ACCESS_TOKEN", "duffel_test_sandbox"),
            timeout=env_timeout(),
            search_timeout=float(os.environ.get("DUFFEL_SEARCH_TIMEOUT_SECONDS", SEARCH_TIMEOUT_SECONDS)),
            order_timeout=float(os.environ.get("DUFFEL_ORDER_TIMEOUT_SECONDS", ORDER_TIMEOUT_SECONDS)),
            retry=RetryPolicy.from_env(),
        )

    def search(self, slices: Sequence[SliceRequest], *, adults: int = 1, cabin_class: str = "economy") -> OfferSearch:
        """Offers for a one-way (one slice) or return (two slices) trip, cheapest first. Duffel
        answers with the airlines that answered within supplier_timeout, before we give up.
        Searching changes nothing, so it is retried like a read."""
        body = {
            "data": {
                "slices": [
                    {"origin": s.origin, "destination": s.destination, "departure_date": s.departure_date.isoformat()}
                    for s in slices
                ],
                "passengers": [{"type": "adult"} for _ in range(adults)],
                "cabin_class": cabin_class,
            }
        }
        params: Dict[str, Any] = {"return_offers": "true"}
        supplier = min(60.0, self.search_timeout - SUPPLIER_MARGIN_SECONDS)
        if supplier >= 2:  # Duffel ignores values outside 2 to 60 s
            params["supplier_timeout"] = int(supplier * 1000)
        response = self.http.request("POST", "/air/offer_requests", params=params, json=body, idempotent=True, timeout=self.search_timeout)
        data = response.json()["data"]
        offers = sorted((_offer(o) for o in data.get("offers") or ()), key=lambda o: o.total_amount)
        return OfferSearch(request_id=data["id"], offers=tuple(offers))

    def get_offer(self, offer_id: str) -> Offer:
        return _offer(self.http.request("GET", f"/air/offers/{offer_id}").json()["data"])

    def book(self, offer: Offer, travellers: Sequence[Traveller], *, attempt_id: str, metadata: Optional[Dict[str, str]] = None) -> Order:
        """Books an offer and pays from the account balance, once: the request is never repeated
        after it may have reached Duffel. `attempt_id` (at most 500 characters, unique to this
        booking) goes in the order's metadata; when the answer is lost or a 5xx, the order is looked
        for by it and returned if found, else BookingUnconfirmed is raised."""
        if len(travellers) != len(offer.passenger_ids):
            raise ValueError(f"the offer is for {len(offer.passenger_ids)} passenger(s), got {len(travellers)} traveller(s)")
        missing = missing_details(offer, travellers)
        if missing:
            raise MissingTravellerDetails(missing)
        body = {
            "data": {
                "type": "instant",
                "selected_offers": [offer.id],
                "passengers": [_passenger(pid, t) for pid, t in zip(offer.passenger_ids, travellers)],
                "payments": [{"type": "balance", "currency": offer.currency, "amount": f"{offer.total_amount:.2f}"}],
                "metadata": {**(metadata or {}), ATTEMPT_KEY: attempt_id},
            }
        }
        try:
            response = self.http.request("POST", "/air/orders", json=body, idempotent=False, timeout=self.order_timeout)
        except VendorUnavailable as exc:
            log.warning("order for booking %s: outcome unknown (%s); looking for it", attempt_id, exc)
            try:
                found = self.find_booking(attempt_id, travellers[0].family_name)
            except VendorError as lookup:
                log.error("booking %s: could not look for the order: %s", attempt_id, lookup)
                found = None
            if found is None:
                raise BookingUnconfirmed(attempt_id, exc) from exc
            return found
        return _order(response.json()["data"])

    def find_booking(self, attempt_id: str, family_name: str) -> Optional[Order]:
        """The order made by booking attempt `attempt_id`, if any. Duffel cannot filter orders by
        metadata, so this pages through the orders of passengers with that family name."""
        params: Dict[str, Any] = {"passenger_name[]": family_name, "limit": 200}
        while True:
            page = self.http.request("GET", "/air/orders", params=params).json()
            for obj in page["data"]:
                if (obj.get("metadata") or {}).get(ATTEMPT_KEY) == attempt_id:
                    return _order(obj)
            after = (page.get("meta") or {}).get("after")
            if not after:
                return None
            params["after"] = after

    def get_order(self, order_id: str) -> Order:
        return _order(self.http.request("GET", f"/air/orders/{order_id}").json()["data"])

    def find_orders(self, booking_reference: str) -> List[Order]:
        data = self.http.request("GET", "/air/orders", params={"booking_reference": booking_reference}).json()["data"]
        return [_order(o) for o in data]

    def quote_cancellation(self, order_id: str) -> Cancellation:
        """What cancelling would refund; nothing is cancelled until confirm_cancellation."""
        body = {"data": {"order_id": order_id}}
        return _cancellation(self.http.request("POST", "/air/order_cancellations", json=body).json()["data"])

    def confirm_cancellation(self, cancellation_id: str) -> Cancellation:
        # Confirming twice is refused by the vendor (already_cancelled), so a retry is harmless.
        path = f"/air/order_cancellations/{cancellation_id}/actions/confirm"
        return _cancellation(self.http.request("POST", path, idempotent=True, timeout=self.order_timeout).json()["data"])

    def suggest_places(self, name: str) -> List[Place]:
        return [_place(p) for p in self.http.request("GET", "/places/suggestions", params={"name": name}).json()["data"]]
