"""Flights client for the Duffel API v2: search offers, book, read, change and cancel orders."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .convert import to_datetime, to_decimal
from .http import RetryPolicy, VendorHttp, env_timeout

API_VERSION = "v2"
CABIN_CLASSES = ("economy", "premium_economy", "business", "first")


@dataclass(frozen=True)
class Place:
    iata_code: str
    name: str
    type: str  # "airport" or "city"
    city_name: Optional[str]
    country: Optional[str]
    time_zone: Optional[str]
    airports: Tuple[str, ...] = ()  # for a city: its airports' codes


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
    id: str = ""  # on an order: what a change request removes

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


@dataclass(frozen=True)
class SliceRequest:
    origin: str  # IATA airport or city code
    destination: str
    departure_date: date


@dataclass(frozen=True)
class Traveller:
    given_name: str
    family_name: str
    born_on: date
    email: Optional[str] = None
    phone_number: Optional[str] = None
    title: Optional[str] = None
    gender: Optional[str] = None


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
    available_actions: Tuple[str, ...] = ()  # of "cancel", "change", "update"
    cabin_class: Optional[str] = None

    @property
    def changeable(self) -> bool:
        return "change" in self.available_actions


@dataclass(frozen=True)
class Cancellation:
    id: str
    order_id: str
    refund_amount: Optional[Decimal]  # None: the airline gave no refund quote
    currency: Optional[str]
    expires_at: Optional[datetime]
    confirmed_at: Optional[datetime]


@dataclass(frozen=True)
class ChangeOffer:
    """New slices the airline offers for an order, and what changing to them costs: the change
    total (fare difference plus penalty; negative means money back), of which the penalty, and the
    order's new total. Amounts are None when the airline does not say."""

    id: str
    change_total_amount: Optional[Decimal]
    penalty_amount: Optional[Decimal]
    new_total_amount: Optional[Decimal]
    currency: Optional[str]
    added: Tuple[Slice, ...]
    removed_slice_ids: Tuple[str, ...]
    expires_at: Optional[datetime]


@dataclass(frozen=True)
class ChangeRequest:
    id: str
    order_id: str
    offers: Tuple[ChangeOffer, ...]


@dataclass(frozen=True)
class OrderChange:
    """A change made from an offer: pending until confirmed."""

    id: str
    order_id: str
    offer: ChangeOffer  # its amounts and slices
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
    return Slice(obj["origin"]["iata_code"], obj["destination"]["iata_code"], _minutes(obj.get("duration")), segments, obj.get("id") or "")


def _offer(obj: Dict[str, Any]) -> Offer:
    return Offer(
        id=obj["id"], total_amount=to_decimal(obj["total_amount"]), currency=obj["total_currency"],
        owner_code=obj["owner"]["iata_code"], owner_name=obj["owner"]["name"], expires_at=to_datetime(obj.get("expires_at")),
        slices=tuple(_slice(s) for s in obj["slices"]), passenger_ids=tuple(p["id"] for p in obj["passengers"]),
    )


def _order(obj: Dict[str, Any]) -> Order:
    return Order(
        id=obj["id"], booking_reference=obj["booking_reference"], total_amount=to_decimal(obj["total_amount"]),
        currency=obj["total_currency"], owner_name=obj["owner"]["name"], slices=tuple(_slice(s) for s in obj["slices"]),
        passenger_names=tuple(f"{p.get('given_name', '')} {p.get('family_name', '')}".strip() for p in obj["passengers"]),
        created_at=to_datetime(obj.get("created_at")), cancelled_at=to_datetime(obj.get("cancelled_at")),
        metadata=obj.get("metadata") or {}, available_actions=tuple(obj.get("available_actions") or ()),
        cabin_class=next((p.get("cabin_class") for s in obj["slices"] for seg in s["segments"] for p in seg.get("passengers") or ()), None),
    )


def _cancellation(obj: Dict[str, Any]) -> Cancellation:
    return Cancellation(
        id=obj["id"], order_id=obj["order_id"], refund_amount=to_decimal(obj.get("refund_amount")),
        currency=obj.get("refund_currency"), expires_at=to_datetime(obj.get("expires_at")),
        confirmed_at=to_datetime(obj.get("confirmed_at")),
    )


def _change_offer(obj: Dict[str, Any]) -> ChangeOffer:
    slices = obj.get("slices") or {}
    return ChangeOffer(
        id=obj["id"], change_total_amount=to_decimal(obj.get("change_total_amount")),
        # penalty_total_amount in the API's answers (duffel-api-ruby fixtures); older client types say penalty_amount
        penalty_amount=to_decimal(obj.get("penalty_total_amount", obj.get("penalty_amount"))), new_total_amount=to_decimal(obj.get("new_total_amount")),
        currency=obj.get("change_total_currency") or obj.get("new_total_currency"),
        added=tuple(_slice(s) for s in slices.get("add") or ()),
        removed_slice_ids=tuple(s["id"] for s in slices.get("remove") or ()), expires_at=to_datetime(obj.get("expires_at")),
    )


def _order_change(obj: Dict[str, Any]) -> OrderChange:
    return OrderChange(
        id=obj["id"], order_id=obj["order_id"], offer=_change_offer(obj),
        expires_at=to_datetime(obj.get("expires_at")), confirmed_at=to_datetime(obj.get("confirmed_at")),
    )


def _place(obj: Dict[str, Any]) -> Place:
    return Place(
        iata_code=obj["iata_code"], name=obj["name"], type=obj["type"], city_name=obj.get("city_name") or obj.get("name"),
        country=obj.get("iata_country_code"), time_zone=obj.get("time_zone"),
        airports=tuple(a["iata_code"] for a in obj.get("airports") or ()),
    )


class FlightsClient:
    def __init__(self, base_url: str, access_token: str, *, timeout: float = 15.0, retry: RetryPolicy = RetryPolicy()) -> None:
        self.http = VendorHttp(
            "flights", base_url, parse_error,
            headers={"Authorization": f"Bearer {access_token}", "Duffel-Version": API_VERSION},
            timeout=timeout, retry=retry,
        )

    @classmethod
    def from_env(cls) -> "FlightsClient":
        """DUFFEL_BASE_URL (https://api.duffel.com in production) and DUFFEL_ACCESS_TOKEN."""
        return cls(
            os.environ.get("DUFFEL_BASE_URL", "http://127.0.0.1:8010/duffel"),
            os.environ.get("DUFFEL_ACCESS_TOKEN", "duffel_test_sandbox"),
            timeout=env_timeout(),
            retry=RetryPolicy.from_env(),
        )

    def search(
        self, slices: Sequence[SliceRequest], *, adults: int = 1, cabin_class: str = "economy",
        child_ages: Sequence[int] = (), infants: int = 0,
    ) -> OfferSearch:
        """Offers for a one-way (one slice) or return (two slices) trip, cheapest first. Children
        are sent by age, as Duffel asks for passengers under 18; infants on a lap by type.
        Searching changes nothing, so it is retried like a read."""
        body = {
            "data": {
                "slices": [
                    {"origin": s.origin, "destination": s.destination, "departure_date": s.departure_date.isoformat()}
                    for s in slices
                ],
                "passengers": [{"type": "adult"} for _ in range(adults)] + [{"age": int(age)} for age in child_ages]
                + [{"type": "infant_without_seat"} for _ in range(infants)],
                "cabin_class": cabin_class,
            }
        }
        data = self.http.request("POST", "/air/offer_requests", params={"return_offers": "true"}, json=body, idempotent=True).json()["data"]
        offers = sorted((_offer(o) for o in data.get("offers") or ()), key=lambda o: o.total_amount)
        return OfferSearch(request_id=data["id"], offers=tuple(offers))

    def get_offer(self, offer_id: str) -> Offer:
        return _offer(self.http.request("GET", f"/air/offers/{offer_id}").json()["data"])

    def book(
        self,
        offer: Offer,
        travellers: Sequence[Traveller],
        *,
        idempotency_key: Optional[str] = None,
        metadata: Optional[Dict[str, str]] = None,
    ) -> Order:
        """Books an offer and pays from the account balance. Every try carries the same
        Idempotency-Key, so a retry after a timeout can never book twice. Pass your own key to
        make a booking safe to repeat across processes (e.g. derived from the conversation)."""
        if len(travellers) != len(offer.passenger_ids):
            raise ValueError(f"the offer is for {len(offer.passenger_ids)} passenger(s), got {len(travellers)} traveller(s)")
        passengers = []
        for passenger_id, t in zip(offer.passenger_ids, travellers):
            entry: Dict[str, Any] = {"id": passenger_id, "given_name": t.given_name, "family_name": t.family_name, "born_on": t.born_on.isoformat()}
            entry.update({k: v for k, v in (("email", t.email), ("phone_number", t.phone_number), ("title", t.title), ("gender", t.gender)) if v})
            passengers.append(entry)
        body = {
            "data": {
                "type": "instant",
                "selected_offers": [offer.id],
                "passengers": passengers,
                "payments": [{"type": "balance", "currency": offer.currency, "amount": f"{offer.total_amount:.2f}"}],
                "metadata": metadata or {},
            }
        }
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        return _order(self.http.request("POST", "/air/orders", json=body, headers=headers, idempotent=True).json()["data"])

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
        return _cancellation(self.http.request("POST", path, idempotent=True).json()["data"])

    def request_change(self, order: Order, remove: Sequence[str], add: Sequence[SliceRequest], *, cabin_class: Optional[str] = None) -> ChangeRequest:
        """Asks the airline for new slices to replace the order's slices `remove` (slice ids).
        Nothing changes until an order change made from one of the offers is confirmed, so
        repeating the request is harmless."""
        body = {
            "data": {
                "order_id": order.id,
                "slices": {
                    "remove": [{"slice_id": slice_id} for slice_id in remove],
                    "add": [
                        {"origin": s.origin, "destination": s.destination, "departure_date": s.departure_date.isoformat(),
                         "cabin_class": cabin_class or order.cabin_class or "economy"}
                        for s in add
                    ],
                },
            }
        }
        data = self.http.request("POST", "/air/order_change_requests", json=body, idempotent=True).json()["data"]
        offers = tuple(_change_offer(o) for o in data.get("order_change_offers") or ())
        return ChangeRequest(id=data["id"], order_id=data["order_id"], offers=offers)

    def change_offers(self, change_request_id: str, *, page_size: int = 50) -> List[ChangeOffer]:
        """Every offer of a change request, following the pages."""
        offers: List[ChangeOffer] = []
        params: Dict[str, Any] = {"order_change_request_id": change_request_id, "limit": page_size}
        while True:
            page = self.http.request("GET", "/air/order_change_offers", params=params).json()
            offers.extend(_change_offer(o) for o in page["data"])
            after = (page.get("meta") or {}).get("after")
            if not after:
                return offers
            params["after"] = after

    def create_change(self, change_offer_id: str) -> OrderChange:
        """A pending order change from an offer; it changes nothing until confirm_change."""
        body = {"data": {"selected_order_change_offer": change_offer_id}}
        return _order_change(self.http.request("POST", "/air/order_changes", json=body, idempotent=True).json()["data"])

    def confirm_change(self, change: OrderChange) -> OrderChange:
        """Makes the change, paying what it costs from the balance (nothing is sent when it costs
        nothing). Confirming twice is refused by the vendor, so a retry cannot pay twice."""
        cost = change.offer.change_total_amount or Decimal("0")
        payment = {"type": "balance", "amount": f"{cost:.2f}", "currency": change.offer.currency} if cost > 0 else None
        body = {"data": {"payment": payment} if payment else {}}
        path = f"/air/order_changes/{change.id}/actions/confirm"
        return _order_change(self.http.request("POST", path, json=body, idempotent=True).json()["data"])

    def suggest_places(self, query: str) -> List[Place]:
        return [_place(p) for p in self.http.request("GET", "/places/suggestions", params={"query": query}).json()["data"]]
