"""Flights in the shape of Duffel's API v2: offer requests, offers, orders, order cancellations,
order changes (sandbox/flight_changes.py), place suggestions. Seat inventory is checked and taken
atomically, so no flight is ever oversold, and an order repeated with the same Idempotency-Key is
made once.

Base URL in production: https://api.duffel.com. Auth: a Bearer access token and `Duffel-Version: v2`.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from . import flights_render as render
from .http import ApiError, Vendor, as_utc, bearer_token, booking_reference, iso, json_body, new_id, parse_date
from .models import FlightInventory, Offer, OfferRequest, Order, OrderCancellation, OrderChange, utcnow
from .reference import airports, metros, resolve_place
from .schedule import CABIN_MULTIPLIER, CURRENCY, Itinerary, itineraries, price
from .state import state

_slow_lock = threading.Lock()

API_VERSION = "v2"
MAX_PASSENGERS = 9
MAX_DAYS_AHEAD = 360
MAX_OFFERS = 50
PASSENGER_TYPES = ("adult", "child", "infant_without_seat")
TITLES = ("mr", "ms", "mrs", "miss", "dr")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STATE_ERRORS = {
    "offer_expired", "offer_request_already_booked", "already_cancelled",
    "cancellation_expired", "order_already_departed", "idempotency_key_reused",
    "order_not_changeable", "already_confirmed", "order_change_expired", "order_already_changed",
}
TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "invalid_request_error",
         405: "invalid_request_error", 413: "invalid_request_error", 429: "rate_limit_error"}


def authenticate(settings) -> str:
    token = bearer_token()
    if token is None:
        raise ApiError(401, "missing_authorization_header", "The Authorization header is missing; send 'Bearer <access token>'.")
    if token != settings.duffel_token:
        raise ApiError(401, "invalid_access_token", "The access token used is not valid.")
    version = request.headers.get("Duffel-Version")
    if version != API_VERSION:
        raise ApiError(400, "unsupported_version", f"Send the header 'Duffel-Version: {API_VERSION}' (got {version!r}).")
    return token


def render_error(err: ApiError) -> Response:
    if err.status == 422:
        kind = "airline_error" if err.code == "offer_no_longer_available" else (
            "invalid_state_error" if err.code in STATE_ERRORS else "validation_error")
    else:
        kind = TYPES.get(err.status, "api_error")
    error: Dict[str, Any] = {
        "type": kind,
        "title": err.code.replace("_", " ").capitalize(),
        "message": err.message,
        "code": err.code,
        "documentation_url": "https://duffel.com/docs/api/overview/errors",
    }
    if err.field:
        error["source"] = {"field": err.field.rsplit("/", 1)[-1], "pointer": err.field}
    response = jsonify({"meta": {"status": err.status, "request_id": uuid.uuid4().hex[:20]}, "errors": [error]})
    response.status_code = err.status
    return response


def _data() -> Dict[str, Any]:
    data = json_body().get("data")
    if not isinstance(data, dict):
        raise ApiError(422, "validation_required", "The request body needs a 'data' object.", field="/data")
    return data


def _required(obj: Dict[str, Any], key: str, pointer: str) -> Any:
    value = obj.get(key)
    if value in (None, "", []):
        raise ApiError(422, "validation_required", f"Field '{key}' is required.", field=f"{pointer}/{key}")
    return value


# --- offer requests ------------------------------------------------------------------------------


def _passengers(raw: Any) -> List[Dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ApiError(422, "validation_required", "At least one passenger is required.", field="/data/passengers")
    if len(raw) > MAX_PASSENGERS:
        raise ApiError(422, "validation_length", f"At most {MAX_PASSENGERS} passengers can travel on one order.", field="/data/passengers")
    passengers = []
    for index, item in enumerate(raw):
        pointer = f"/data/passengers/{index}"
        if not isinstance(item, dict):
            raise ApiError(422, "validation_format", "Each passenger must be an object with a type or an age.", field=pointer)
        age = item.get("age")
        kind = item.get("type")
        if age is not None:
            if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= 130:
                raise ApiError(422, "validation_format", "age must be a whole number of years.", field=f"{pointer}/age")
            kind = "adult" if age >= 18 else "child" if age >= 2 else "infant_without_seat"
        if kind not in PASSENGER_TYPES:
            raise ApiError(422, "validation_format", f"type must be one of {', '.join(PASSENGER_TYPES)}.", field=f"{pointer}/type")
        passengers.append({"id": new_id("pas"), "type": kind, "age": age})
    if not any(p["type"] == "adult" for p in passengers):
        raise ApiError(422, "validation_format", "At least one adult must travel.", field="/data/passengers")
    return passengers


def slice_searches(raw: Any, today: date, at: str = "/data/slices") -> List[Dict[str, Any]]:
    """Checked slice search criteria (origin, destination, departure_date); `at` is their JSON pointer."""
    if not isinstance(raw, list) or not raw:
        raise ApiError(422, "validation_required", "At least one slice is required.", field=at)
    if len(raw) > 2:
        raise ApiError(422, "validation_length", "This API supports one-way and return journeys (one or two slices).", field=at)
    slices = []
    for index, item in enumerate(raw):
        pointer = f"{at}/{index}"
        if not isinstance(item, dict):
            raise ApiError(422, "validation_format", "Each slice must be an object.", field=pointer)
        ends = {}
        for end in ("origin", "destination"):
            code = _required(item, end, pointer)
            if not isinstance(code, str) or resolve_place(code) is None:
                raise ApiError(422, "airport_not_found", f"{code!r} is not a known IATA airport or city code.", field=f"{pointer}/{end}")
            ends[end] = code.strip().upper()
        if set(resolve_place(ends["origin"])) & set(resolve_place(ends["destination"])):
            raise ApiError(422, "validation_format", "The origin and destination must be different places.", field=f"{pointer}/destination")
        raw_date = _required(item, "departure_date", pointer)
        day = parse_date(raw_date)
        if day is None:
            raise ApiError(422, "validation_format", f"departure_date {raw_date!r} is not a date in the form YYYY-MM-DD.", field=f"{pointer}/departure_date")
        if day < today:
            raise ApiError(422, "departure_date_in_past", f"departure_date {day} is in the past.", field=f"{pointer}/departure_date")
        if day > today + timedelta(days=MAX_DAYS_AHEAD):
            raise ApiError(422, "departure_date_too_far", f"Flights can be searched at most {MAX_DAYS_AHEAD} days ahead.", field=f"{pointer}/departure_date")
        if slices and day < date.fromisoformat(slices[-1]["departure_date"]):
            raise ApiError(422, "validation_format", "The return must not leave before the outbound flight.", field=f"{pointer}/departure_date")
        slices.append({"origin": ends["origin"], "destination": ends["destination"], "departure_date": day.isoformat()})
    return slices


def ensure_inventory(session, legs: List[Itinerary]) -> Dict[str, int]:
    """Seats left per flight, creating each flight's row on first sight."""
    initial = {s.flight_key: (s.capacity, s.initial_seats) for leg in legs for s in leg.segments}
    if not initial:
        return {}
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    rows = [{"flight_key": k, "capacity": c, "seats_available": a} for k, (c, a) in initial.items()]
    session.execute(insert(FlightInventory).values(rows).on_conflict_do_nothing(index_elements=["flight_key"]))
    found = session.execute(
        select(FlightInventory.flight_key, FlightInventory.seats_available).where(FlightInventory.flight_key.in_(list(initial)))
    )
    return dict(found.all())


def combine(outbound: List[Itinerary], inbound: Optional[List[Itinerary]]) -> List[List[Itinerary]]:
    if inbound is None:
        return [[leg] for leg in outbound]
    combos = []
    for out in outbound:
        # Back with the same airline between the same airports, as airlines price round trips.
        same_airports = [i for i in inbound if i.segments[0].origin == out.segments[-1].destination and i.segments[-1].destination == out.segments[0].origin]
        same_owner = [i for i in same_airports if i.owner == out.owner] or same_airports or inbound
        combos.extend([out, back] for back in same_owner[:3])
    return combos


PASSENGER_WEIGHT = {"adult": Decimal("1"), "child": Decimal("0.75"), "infant_without_seat": Decimal("0.1")}


def _create_offers(session, request_row: OfferRequest, today: date) -> List[Dict[str, Any]]:
    passengers = request_row.passengers
    seats_needed = sum(1 for p in passengers if p["type"] != "infant_without_seat")
    weight = sum(PASSENGER_WEIGHT[p["type"]] for p in passengers)
    per_slice = [
        itineraries(resolve_place(s["origin"]), resolve_place(s["destination"]), date.fromisoformat(s["departure_date"]), today)
        for s in request_row.slices
    ]
    seats = ensure_inventory(session, [leg for legs in per_slice for leg in legs])
    bookable = [[leg for leg in legs if all(seats[s.flight_key] >= seats_needed for s in leg.segments)] for legs in per_slice]
    combos = combine(bookable[0], bookable[1] if len(bookable) > 1 else None)
    created, expires = utcnow(), utcnow() + timedelta(seconds=state().settings.offer_ttl_seconds)
    priced = []
    for legs in combos:
        base, tax = price([leg.fare for leg in legs], sum(len(leg.segments) for leg in legs), request_row.cabin_class, 1)
        priced.append((base * weight, tax * weight, legs))
    priced.sort(key=lambda item: item[0] + item[1])
    offers = []
    for base, tax, legs in priced[:MAX_OFFERS]:
        base, tax = base.quantize(Decimal("0.01")), tax.quantize(Decimal("0.01"))
        offer_id = new_id("off")
        body = render.offer_json(offer_id, request_row.id, legs, passengers, request_row.cabin_class, base, tax, CURRENCY, created, expires)
        session.add(Offer(
            id=offer_id, offer_request_id=request_row.id, total_amount=base + tax, total_currency=CURRENCY,
            flight_keys=[s.flight_key for leg in legs for s in leg.segments], body=body,
            expires_at=expires, created_at=created,
        ))
        offers.append(body)
    return offers


def _offer_request_json(row: OfferRequest, offers: Optional[List[Dict[str, Any]]]) -> Dict[str, Any]:
    body = {
        "id": row.id,
        "live_mode": False,
        "created_at": iso(row.created_at),
        "cabin_class": row.cabin_class,
        "passengers": row.passengers,
        "slices": [
            {
                "origin_type": "city" if s["origin"] in metros() else "airport",
                "origin": render.place_json(s["origin"]),
                "destination_type": "city" if s["destination"] in metros() else "airport",
                "destination": render.place_json(s["destination"]),
                "departure_date": s["departure_date"],
            }
            for s in row.slices
        ],
    }
    if offers is not None:
        body["offers"] = offers
    return body


# --- orders --------------------------------------------------------------------------------------


def _order_passengers(raw: Any, expected: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ApiError(422, "validation_required", "passengers are required.", field="/data/passengers")
    by_id = {p["id"]: p for p in expected}
    given_ids = [p.get("id") if isinstance(p, dict) else None for p in raw]
    if sorted(map(str, given_ids)) != sorted(by_id):
        raise ApiError(422, "validation_format", "passengers must list exactly the offer's passenger ids.", field="/data/passengers")
    result = []
    for index, item in enumerate(raw):
        pointer = f"/data/passengers/{index}"
        for key in ("given_name", "family_name"):
            value = _required(item, key, pointer)
            if not isinstance(value, str) or len(value.strip()) > 50:
                raise ApiError(422, "validation_format", f"{key} must be a name of at most 50 characters.", field=f"{pointer}/{key}")
        born_on = parse_date(_required(item, "born_on", pointer))
        if born_on is None or born_on >= date.today():
            raise ApiError(422, "validation_format", "born_on must be a past date in the form YYYY-MM-DD.", field=f"{pointer}/born_on")
        email = item.get("email")
        if email is not None and (not isinstance(email, str) or not EMAIL.match(email)):
            raise ApiError(422, "validation_format", "email is not a valid email address.", field=f"{pointer}/email")
        title = item.get("title")
        if title is not None and title not in TITLES:
            raise ApiError(422, "validation_format", f"title must be one of {', '.join(TITLES)}.", field=f"{pointer}/title")
        gender = item.get("gender")
        if gender is not None and gender not in ("m", "f"):
            raise ApiError(422, "validation_format", "gender must be 'm' or 'f'.", field=f"{pointer}/gender")
        result.append({
            "id": item["id"],
            "type": by_id[item["id"]]["type"],
            "given_name": item["given_name"].strip(),
            "family_name": item["family_name"].strip(),
            "born_on": born_on.isoformat(),
            "title": title,
            "gender": gender,
            "email": email,
            "phone_number": item.get("phone_number"),
        })
    return result


def _check_payment(raw: Any, offer: Offer) -> None:
    if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], dict):
        raise ApiError(422, "validation_required", "An instant order needs exactly one payment.", field="/data/payments")
    payment = raw[0]
    if payment.get("type") not in ("balance", "arc_bsp_cash"):
        raise ApiError(422, "validation_format", "payment type must be 'balance' or 'arc_bsp_cash'.", field="/data/payments/0/type")
    try:
        amount = Decimal(str(payment.get("amount")))
    except ArithmeticError:
        amount = None
    if amount != offer.total_amount or payment.get("currency") != offer.total_currency:
        raise ApiError(
            422, "payment_amount_mismatch",
            f"The payment must be {render.money(offer.total_amount)} {offer.total_currency}, the offer's total.",
            field="/data/payments/0/amount",
        )


def _fingerprint(data: Dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _replay(session, key: Optional[str], fingerprint: str) -> Optional[Response]:
    if not key:
        return None
    order = session.execute(select(Order).where(Order.idempotency_key == key)).scalar_one_or_none()
    if order is None:
        return None
    if order.request_fingerprint != fingerprint:
        raise ApiError(422, "idempotency_key_reused", "This Idempotency-Key was already used with a different request.")
    response = jsonify({"data": order_json(session, order)})
    response.status_code = 201
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _create_order(data: Dict[str, Any], key: Optional[str], fingerprint: str) -> Response:
    if data.get("type", "instant") != "instant":
        raise ApiError(422, "validation_format", "Only instant orders are supported.", field="/data/type")
    selected = _required(data, "selected_offers", "/data")
    if not isinstance(selected, list) or len(selected) != 1 or not isinstance(selected[0], str):
        raise ApiError(422, "validation_format", "selected_offers must hold exactly one offer id.", field="/data/selected_offers")
    metadata = data.get("metadata")
    if metadata is not None and (not isinstance(metadata, dict) or len(metadata) > 50):
        raise ApiError(422, "validation_format", "metadata must be an object of at most 50 keys.", field="/data/metadata")
    with state().db.transaction() as session:
        replay = _replay(session, key, fingerprint)
        if replay is not None:
            return replay
        offer = session.get(Offer, selected[0])
        if offer is None:
            raise ApiError(404, "not_found", f"Offer {selected[0]} was not found.")
        if as_utc(offer.expires_at) <= utcnow():
            raise ApiError(422, "offer_expired", "The offer has expired. Search again for current prices.", field="/data/selected_offers")
        passengers = _order_passengers(data.get("passengers"), offer.body["passengers"])
        _check_payment(data.get("payments"), offer)

        order_id = new_id("ord")
        claimed = session.execute(
            update(OfferRequest)
            .where(OfferRequest.id == offer.offer_request_id, OfferRequest.booked_order_id.is_(None))
            .values(booked_order_id=order_id)
        ).rowcount
        if not claimed:
            raise ApiError(422, "offer_request_already_booked", "An order was already made from this search; search again.")
        seats = sum(1 for p in passengers if p["type"] != "infant_without_seat")
        for flight_key in offer.flight_keys:
            taken = session.execute(
                update(FlightInventory)
                .where(FlightInventory.flight_key == flight_key, FlightInventory.seats_available >= seats)
                .values(seats_available=FlightInventory.seats_available - seats)
            ).rowcount
            if not taken:  # the transaction rolls back: no seat is taken, no order made
                raise ApiError(422, "offer_no_longer_available", "There are not enough seats left on this flight. Search again.")
        order = Order(
            id=order_id, booking_reference=booking_reference(), offer_id=offer.id, idempotency_key=key,
            request_fingerprint=fingerprint, total_amount=offer.total_amount, total_currency=offer.total_currency,
            passengers=passengers, metadata_=metadata, flight_keys=offer.flight_keys, passenger_count=seats,
            created_at=utcnow(),
        )
        session.add(order)
        session.flush()
        response = jsonify({"data": order_json(session, order)})
    response.status_code = 201
    return response


def find_order(session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise ApiError(404, "not_found", f"Order {order_id} was not found.")
    return order


def current_slices(session, order: Order) -> List[Dict[str, Any]]:
    """The order's itinerary: the booked offer's slices, or those of its latest confirmed change."""
    change = session.execute(
        select(OrderChange).where(OrderChange.order_id == order.id, OrderChange.confirmed_at.is_not(None))
        .order_by(OrderChange.confirmed_at.desc()).limit(1)
    ).scalar_one_or_none()
    return change.order_slices if change else session.get(Offer, order.offer_id).body["slices"]


def has_left(slices: List[Dict[str, Any]]) -> bool:
    return slices[0]["segments"][0]["departing_at"][:10] < date.today().isoformat()


def order_json(session, order: Order) -> Dict[str, Any]:
    slices = current_slices(session, order)
    return render.order_json(order, session.get(Offer, order.offer_id).body, slices, departed=has_left(slices))


def _refund(order: Order, conditions: Dict[str, Any]) -> Optional[Decimal]:
    """What cancelling refunds under the fare's refund condition: nothing when refunds are not
    allowed, and unknown (None) when the airline did not say."""
    condition = conditions.get("refund_before_departure")
    if condition is None or (condition.get("allowed") and condition.get("penalty_amount") is None):
        return None
    if not condition.get("allowed"):
        return Decimal("0")
    return max(Decimal("0"), order.total_amount - Decimal(condition["penalty_amount"]))


# --- routes --------------------------------------------------------------------------------------


def create_blueprint() -> Blueprint:
    bp = Blueprint("duffel", __name__)

    @bp.post("/air/offer_requests")
    def create_offer_request():
        data = _data()
        today = date.today()
        cabin = data.get("cabin_class") or "economy"
        if cabin not in CABIN_MULTIPLIER:
            raise ApiError(422, "validation_format", f"cabin_class must be one of {', '.join(CABIN_MULTIPLIER)}.", field="/data/cabin_class")
        passengers = _passengers(data.get("passengers"))
        slices = slice_searches(data.get("slices"), today)
        return_offers = request.args.get("return_offers", "true").lower() != "false"
        with state().db.transaction() as session:
            row = OfferRequest(id=new_id("orq"), cabin_class=cabin, slices=slices, passengers=passengers, created_at=utcnow())
            session.add(row)
            session.flush()
            offers = _create_offers(session, row, today)
            body = _offer_request_json(row, offers if return_offers else None)
        response = jsonify({"data": body})
        response.status_code = 201
        return response

    @bp.get("/air/offer_requests/<request_id>")
    def get_offer_request(request_id: str):
        with state().db.transaction() as session:
            row = session.get(OfferRequest, request_id)
            if row is None:
                raise ApiError(404, "not_found", f"Offer request {request_id} was not found.")
            offers = session.execute(select(Offer.body).where(Offer.offer_request_id == request_id)).scalars().all()
            return jsonify({"data": _offer_request_json(row, sorted(offers, key=lambda o: Decimal(o["total_amount"])))})

    @bp.get("/air/offers")
    def list_offers():
        request_id = request.args.get("offer_request_id")
        if not request_id:
            raise ApiError(422, "validation_required", "offer_request_id is required.", field="offer_request_id")
        sort = request.args.get("sort", "total_amount")
        if sort not in ("total_amount", "-total_amount", "total_duration", "-total_duration"):
            raise ApiError(422, "validation_format", "sort must be total_amount or total_duration (optionally with '-').", field="sort")
        try:
            limit = min(200, max(1, int(request.args.get("limit", 50))))
            max_connections = int(request.args["max_connections"]) if "max_connections" in request.args else None
            after = int(request.args.get("after") or 0)
        except ValueError:
            raise ApiError(422, "validation_format", "limit, after and max_connections must be whole numbers.") from None
        with state().db.transaction() as session:
            if session.get(OfferRequest, request_id) is None:
                raise ApiError(404, "not_found", f"Offer request {request_id} was not found.")
            offers = list(session.execute(select(Offer.body).where(Offer.offer_request_id == request_id)).scalars())
        if max_connections is not None:
            offers = [o for o in offers if all(len(s["segments"]) - 1 <= max_connections for s in o["slices"])]

        def duration(offer: Dict[str, Any]) -> int:
            return sum(render.duration_minutes(s["duration"]) for s in offer["slices"])

        key = (lambda o: Decimal(o["total_amount"])) if sort.endswith("total_amount") else duration
        offers.sort(key=key, reverse=sort.startswith("-"))
        page = offers[after: after + limit]
        meta = {"limit": limit, "before": str(after - limit) if after > 0 else None,
                "after": str(after + limit) if after + limit < len(offers) else None}
        return jsonify({"meta": meta, "data": page})

    @bp.get("/air/offers/<offer_id>")
    def get_offer(offer_id: str):
        with state().db.transaction() as session:
            offer = session.get(Offer, offer_id)
            if offer is None:
                raise ApiError(404, "not_found", f"Offer {offer_id} was not found.")
            return jsonify({"data": offer.body})

    slow: Dict[str, Optional[int]] = {"left": None}  # slow answers still to give (from the settings)

    def _maybe_answer_late() -> None:
        settings = state().settings
        with _slow_lock:
            if slow["left"] is None:
                slow["left"] = settings.slow_orders
            late = slow["left"] > 0
            slow["left"] -= late
        if late:
            time.sleep(settings.order_delay_seconds)

    @bp.post("/air/orders")
    def create_order():
        data = _data()
        key = request.headers.get("Idempotency-Key") or None
        if key is not None and len(key) > 255:
            raise ApiError(400, "validation_format", "Idempotency-Key must be at most 255 characters.")
        fingerprint = _fingerprint(data)
        try:
            created = _create_order(data, key, fingerprint)
            _maybe_answer_late()
            return created
        except (IntegrityError, ApiError) as exc:
            # A concurrent request with the same Idempotency-Key may have won: answer with its order.
            if key is None or (isinstance(exc, ApiError) and exc.code != "offer_request_already_booked"):
                raise
            with state().db.transaction() as session:
                replay = _replay(session, key, fingerprint)
            if replay is None:
                raise
            return replay

    @bp.get("/air/orders")
    def list_orders():
        reference = request.args.get("booking_reference")
        with state().db.transaction() as session:
            statement = select(Order).order_by(Order.created_at.desc())
            if reference:
                statement = statement.where(Order.booking_reference == reference.strip().upper())
            orders = list(session.execute(statement.limit(200)).scalars())
            data = [order_json(session, o) for o in orders]
        return jsonify({"meta": {"limit": 200, "after": None, "before": None}, "data": data})

    @bp.get("/air/orders/<order_id>")
    def get_order(order_id: str):
        with state().db.transaction() as session:
            order = find_order(session, order_id)
            return jsonify({"data": order_json(session, order)})

    @bp.post("/air/order_cancellations")
    def create_cancellation():
        data = _data()
        order_id = _required(data, "order_id", "/data")
        with state().db.transaction() as session:
            order = find_order(session, str(order_id))
            if order.cancelled_at is not None:
                raise ApiError(422, "already_cancelled", "This order has already been cancelled.", field="/data/order_id")
            if has_left(current_slices(session, order)):
                raise ApiError(422, "order_already_departed", "This order's first flight has already left.", field="/data/order_id")
            refund = _refund(order, session.get(Offer, order.offer_id).body["conditions"])
            cancellation = OrderCancellation(
                id=new_id("ore"), order_id=order.id, refund_amount=refund,
                refund_currency=None if refund is None else order.total_currency,
                expires_at=utcnow() + timedelta(minutes=15), created_at=utcnow(),
            )
            session.add(cancellation)
            session.flush()
            body = render.cancellation_json(cancellation)
        response = jsonify({"data": body})
        response.status_code = 201
        return response

    @bp.get("/air/order_cancellations/<cancellation_id>")
    def get_cancellation(cancellation_id: str):
        with state().db.transaction() as session:
            cancellation = session.get(OrderCancellation, cancellation_id)
            if cancellation is None:
                raise ApiError(404, "not_found", f"Order cancellation {cancellation_id} was not found.")
            return jsonify({"data": render.cancellation_json(cancellation)})

    @bp.post("/air/order_cancellations/<cancellation_id>/actions/confirm")
    def confirm_cancellation(cancellation_id: str):
        with state().db.transaction() as session:
            cancellation = session.get(OrderCancellation, cancellation_id)
            if cancellation is None:
                raise ApiError(404, "not_found", f"Order cancellation {cancellation_id} was not found.")
            if cancellation.confirmed_at is not None:
                raise ApiError(422, "already_cancelled", "This cancellation was already confirmed.")
            if as_utc(cancellation.expires_at) <= utcnow():
                raise ApiError(422, "cancellation_expired", "This cancellation quote has expired; ask for a new one.")
            cancelled = session.execute(
                update(Order).where(Order.id == cancellation.order_id, Order.cancelled_at.is_(None)).values(cancelled_at=utcnow())
            ).rowcount
            if not cancelled:
                raise ApiError(422, "already_cancelled", "This order has already been cancelled.")
            order = session.get(Order, cancellation.order_id)
            for flight_key in order.flight_keys:  # the seats go back on sale
                session.execute(
                    update(FlightInventory).where(FlightInventory.flight_key == flight_key)
                    .values(seats_available=FlightInventory.seats_available + order.passenger_count)
                )
            cancellation.confirmed_at = utcnow()
            session.flush()
            return jsonify({"data": render.cancellation_json(cancellation)})

    @bp.get("/places/suggestions")
    def place_suggestions():
        query = (request.args.get("query") or request.args.get("name") or "").strip().lower()
        if len(query) < 2:
            raise ApiError(422, "validation_required", "query must have at least 2 characters.", field="query")
        results: List[Tuple[int, Dict[str, Any]]] = []
        for metro in metros().values():
            if query == metro.iata_code.lower() or query in metro.name.lower():
                results.append((0 if query == metro.iata_code.lower() else 1, render.metro_json(metro)))
        for airport in airports().values():
            if query == airport.iata_code.lower():
                results.append((0, render.airport_json(airport)))
            elif query in airport.city_name.lower() or query in airport.name.lower():
                rank = 2 if airport.city_name.lower().startswith(query) else 3
                results.append((rank, render.airport_json(airport)))
        results.sort(key=lambda r: (r[0], r[1]["name"]))
        return jsonify({"data": [r[1] for r in results[:20]]})

    from .flight_changes import register_routes  # it builds on this module's helpers

    register_routes(bp)
    return bp


VENDOR = Vendor("duffel", create_blueprint, authenticate, render_error)
