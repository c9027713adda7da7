"""Changing a paid order, in the shape of Duffel's order change API (v2):

1. `POST /air/order_change_requests` {order_id, slices: {remove: [{slice_id}], add: [{origin,
   destination, departure_date, cabin_class}]}} searches the airline that sold the order (and its
   partners already on the itinerary) for new slices and answers with the request and its
   `order_change_offers`;
2. `GET /air/order_change_requests/{id}`, `GET /air/order_change_offers?order_change_request_id=`
   (paged) and `GET /air/order_change_offers/{id}` read them again;
3. `POST /air/order_changes` {selected_order_change_offer} makes a pending order change;
4. `POST /air/order_changes/{id}/actions/confirm` {payment: {type, amount, currency}} (a payment
   only when `change_total_amount` is above zero) makes it: the order then holds the new slices,
   its total is `new_total_amount`, and seats move from the old flights to the new ones.

An offer's price: the new slices as sold today, minus what the removed slices were worth (their
share of what the order cost), plus the fare's change penalty (`conditions.change_before_departure`).
Orders whose fare does not allow changes, that are cancelled or that have left cannot be changed;
`available_actions` on the order says so beforehand. Shapes follow Duffel's API reference and its
official clients' types and fixtures (duffel-api-javascript src/booking/OrderChange*,
duffel-api-ruby spec/fixtures/order_change*). Error codes for refused changes are this sandbox's
own names (Duffel does not publish a list); types and body shape are Duffel's.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from flask import Blueprint, jsonify, request
from sqlalchemy import select, update

from . import flights_render as render
from .flights import PASSENGER_WEIGHT, combine, current_slices, ensure_inventory, find_order, has_left, slice_searches
from .http import ApiError, as_utc, json_body, new_id
from .models import FlightInventory, Offer, Order, OrderChange, OrderChangeOffer, OrderChangeRequest, utcnow
from .reference import resolve_place
from .schedule import CABIN_MULTIPLIER, Itinerary, itineraries, price
from .state import state

MAX_CHANGE_OFFERS = 20
CENT = Decimal("0.01")


def _data() -> Dict[str, Any]:
    data = json_body().get("data")
    if not isinstance(data, dict):
        raise ApiError(422, "validation_required", "The request body needs a 'data' object.", field="/data")
    return data


def _changeable(session, order: Order) -> List[Dict[str, Any]]:
    """The order's current slices, or the reason it cannot be changed."""
    if order.cancelled_at is not None:
        raise ApiError(422, "already_cancelled", "This order has been cancelled.", field="/data/order_id")
    slices = current_slices(session, order)
    if has_left(slices):
        raise ApiError(422, "order_already_departed", "This order's first flight has already left.", field="/data/order_id")
    if not render.change_allowed(session.get(Offer, order.offer_id).body):
        raise ApiError(422, "order_not_changeable", "The airline does not allow changes to this order's fare.", field="/data/order_id")
    return slices


def _cabin(slices: List[Dict[str, Any]]) -> str:
    return slices[0]["segments"][0]["passengers"][0]["cabin_class"]


def _removals(raw: Any, slices: List[Dict[str, Any]]) -> List[str]:
    if not isinstance(raw, list) or not raw:
        raise ApiError(422, "validation_required", "slices.remove must list at least one slice to remove.", field="/data/slices/remove")
    ids = {s["id"] for s in slices}
    removed = []
    for index, item in enumerate(raw):
        slice_id = item.get("slice_id") if isinstance(item, dict) else None
        if slice_id not in ids or slice_id in removed:
            raise ApiError(422, "validation_format", f"slice_id {slice_id!r} is not a slice of this order.", field=f"/data/slices/remove/{index}/slice_id")
        removed.append(slice_id)
    return removed


def _additions(raw: Any, slices: List[Dict[str, Any]], removed: List[str]) -> List[Dict[str, Any]]:
    """The add criteria, checked like an offer request's slices, all in one cabin (the order's
    unless given); the new itinerary must still be one or two slices in date order."""
    added = slice_searches(raw, date.today(), at="/data/slices/add")
    cabins = {item.get("cabin_class") or _cabin(slices) for item in raw}
    if len(cabins) > 1 or not cabins <= set(CABIN_MULTIPLIER):
        raise ApiError(422, "validation_format", f"cabin_class must be one of {', '.join(CABIN_MULTIPLIER)}, the same for every new slice.", field="/data/slices/add/0/cabin_class")
    cabin = cabins.pop()
    for item in added:
        item["cabin_class"] = cabin
    itinerary = replace_slices(slices, removed, added)
    if len(itinerary) > 2:
        raise ApiError(422, "validation_length", "An order holds one or two slices.", field="/data/slices/add")
    days = [_day(s) for s in itinerary]
    if days != sorted(days):
        raise ApiError(422, "validation_format", "The new slices must keep the journey in date order (out before back).", field="/data/slices/add/0/departure_date")
    return added


def replace_slices(slices: List[Dict[str, Any]], removed: List[str], added: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The itinerary after a change: each removed slice's place taken by the next added one."""
    result, waiting = [], list(added)
    for body in slices:
        if body["id"] not in removed:
            result.append(body)
        elif waiting:
            result.append(waiting.pop(0))
    return result + waiting


def _day(item: Dict[str, Any]) -> str:
    return item.get("departure_date") or item["segments"][0]["departing_at"][:10]


def _added_price(legs: List[Itinerary], cabin: str, passengers: List[Dict[str, Any]]) -> Decimal:
    weight = sum(PASSENGER_WEIGHT[p["type"]] for p in passengers)
    base, tax = price([leg.fare for leg in legs], sum(len(leg.segments) for leg in legs), cabin, 1)
    return ((base + tax) * weight).quantize(CENT)


def _penalty(offer_body: Dict[str, Any]) -> Decimal:
    condition = offer_body["conditions"]["change_before_departure"]
    return Decimal(condition.get("penalty_amount") or "0")


def _make_offers(session, order: Order, row: OrderChangeRequest, slices: List[Dict[str, Any]]) -> List[OrderChangeOffer]:
    """Flights for the new slices by the airline that sold the order (or one already flying part
    of it, as on an itinerary it sold with a partner), with seats for everyone on the order."""
    booked = session.get(Offer, order.offer_id).body
    carriers = {booked["owner"]["iata_code"]} | {seg["marketing_carrier"]["iata_code"] for s in slices for seg in s["segments"]}
    removed = row.slices["remove"]
    adds = row.slices["add"]
    cabin = adds[0]["cabin_class"]
    seats_needed = sum(1 for p in order.passengers if p["type"] != "infant_without_seat")
    today = date.today()
    per_slice = [
        [leg for leg in itineraries(resolve_place(a["origin"]), resolve_place(a["destination"]), date.fromisoformat(a["departure_date"]), today)
         if leg.owner.iata_code in carriers]
        for a in adds
    ]
    seats = ensure_inventory(session, [leg for legs in per_slice for leg in legs])
    bookable = [[leg for leg in legs if all(seats[s.flight_key] >= seats_needed for s in leg.segments)] for legs in per_slice]
    combos = combine(bookable[0], bookable[1] if len(bookable) > 1 else None)
    removed_ids = [r["slice_id"] for r in removed]
    worth = (order.total_amount * len(removed_ids) / len(slices)).quantize(CENT)
    penalty = _penalty(booked)
    created, expires = utcnow(), utcnow() + timedelta(seconds=state().settings.offer_ttl_seconds)
    offers = []
    for legs in combos:
        added_price = _added_price(legs, cabin, order.passengers)
        offers.append(OrderChangeOffer(
            id=new_id("oco"), order_change_request_id=row.id, order_id=order.id,
            change_total_amount=added_price - worth + penalty, penalty_total_amount=penalty,
            new_total_amount=order.total_amount - worth + added_price, currency=order.total_currency,
            removed_slice_ids=removed_ids, added_slices=[render.slice_json(leg, order.passengers, cabin) for leg in legs],
            flight_keys=[s.flight_key for leg in legs for s in leg.segments], expires_at=expires, created_at=created,
        ))
    offers.sort(key=lambda o: o.change_total_amount)
    return offers[:MAX_CHANGE_OFFERS]


def _removed(session, offer: OrderChangeOffer) -> List[Dict[str, Any]]:
    slices = current_slices(session, session.get(Order, offer.order_id))
    return [s for s in slices if s["id"] in offer.removed_slice_ids]


def _offer_json(session, offer: OrderChangeOffer) -> Dict[str, Any]:
    latest = session.execute(
        select(OrderChange.id).where(OrderChange.order_change_offer_id == offer.id).order_by(OrderChange.created_at.desc()).limit(1)
    ).scalar_one_or_none()
    return render.change_offer_json(offer, _removed(session, offer), latest)


def _offers_of(session, request_id: str) -> List[OrderChangeOffer]:
    return list(session.execute(select(OrderChangeOffer).where(OrderChangeOffer.order_change_request_id == request_id)).scalars())


def _page(items: List[Any]) -> Tuple[List[Any], Dict[str, Any]]:
    try:
        limit = min(200, max(1, int(request.args.get("limit", 50))))
        after = int(request.args.get("after") or 0)
    except ValueError:
        raise ApiError(422, "validation_format", "limit and after must be whole numbers.") from None
    meta = {"limit": limit, "before": str(max(0, after - limit)) if after > 0 else None,
            "after": str(after + limit) if after + limit < len(items) else None}
    return items[after: after + limit], meta


def _check_payment(raw: Any, offer: OrderChangeOffer) -> None:
    """A payment is needed when the change costs something, and must pay exactly that."""
    if offer.change_total_amount <= 0 and raw in (None, {}):
        return
    if not isinstance(raw, dict):
        raise ApiError(422, "validation_required", "This change costs money: a payment is required.", field="/data/payment")
    if raw.get("type") not in ("balance", "arc_bsp_cash"):
        raise ApiError(422, "validation_format", "payment type must be 'balance' or 'arc_bsp_cash'.", field="/data/payment/type")
    try:
        amount = Decimal(str(raw.get("amount")))
    except ArithmeticError:
        amount = None
    if amount != max(Decimal("0"), offer.change_total_amount) or raw.get("currency") != offer.currency:
        raise ApiError(
            422, "payment_amount_mismatch",
            f"The payment must be {render.money(max(Decimal('0'), offer.change_total_amount))} {offer.currency}, what the change costs.",
            field="/data/payment/amount",
        )


def _move_seats(session, order: Order, removed: List[Dict[str, Any]], offer: OrderChangeOffer) -> None:
    for flight_key in offer.flight_keys:
        taken = session.execute(
            update(FlightInventory)
            .where(FlightInventory.flight_key == flight_key, FlightInventory.seats_available >= order.passenger_count)
            .values(seats_available=FlightInventory.seats_available - order.passenger_count)
        ).rowcount
        if not taken:  # the transaction rolls back: nothing changes
            raise ApiError(422, "offer_no_longer_available", "There are not enough seats left on the new flights. Ask for new change offers.")
    for flight_key in (key for body in removed for key in render.slice_flight_keys(body)):
        session.execute(
            update(FlightInventory).where(FlightInventory.flight_key == flight_key)
            .values(seats_available=FlightInventory.seats_available + order.passenger_count)
        )


def _confirm(session, change: OrderChange, payment: Any) -> None:
    if change.confirmed_at is not None:
        raise ApiError(422, "already_confirmed", "This order change was already confirmed.")
    if as_utc(change.expires_at) <= utcnow():
        raise ApiError(422, "order_change_expired", "This order change has expired; ask for new change offers.")
    order = session.execute(select(Order).where(Order.id == change.order_id).with_for_update()).scalar_one()
    slices = _changeable(session, order)
    offer = session.get(OrderChangeOffer, change.order_change_offer_id)
    removed = [s for s in slices if s["id"] in offer.removed_slice_ids]
    if len(removed) != len(offer.removed_slice_ids):
        raise ApiError(422, "order_already_changed", "The order was changed since this offer was made; ask for new change offers.")
    _check_payment(payment, offer)
    claimed = session.execute(
        update(OrderChange).where(OrderChange.id == change.id, OrderChange.confirmed_at.is_(None)).values(confirmed_at=utcnow())
    ).rowcount
    if not claimed:
        raise ApiError(422, "already_confirmed", "This order change was already confirmed.")
    _move_seats(session, order, removed, offer)
    itinerary = replace_slices(slices, offer.removed_slice_ids, offer.added_slices)
    order.flight_keys = [key for body in itinerary for key in render.slice_flight_keys(body)]
    order.total_amount = offer.new_total_amount
    session.refresh(change)
    change.order_slices = itinerary
    session.flush()


def register_routes(bp: Blueprint) -> None:
    """Adds the order change endpoints to the Duffel blueprint."""

    @bp.post("/air/order_change_requests")
    def create_change_request():
        data = _data()
        order_id = data.get("order_id")
        if not isinstance(order_id, str) or not order_id:
            raise ApiError(422, "validation_required", "Field 'order_id' is required.", field="/data/order_id")
        wanted = data.get("slices")
        if not isinstance(wanted, dict):
            raise ApiError(422, "validation_required", "Field 'slices' (with 'remove' and 'add') is required.", field="/data/slices")
        with state().db.transaction() as session:
            order = find_order(session, order_id)
            slices = _changeable(session, order)
            removed = _removals(wanted.get("remove"), slices)
            added = _additions(wanted.get("add"), slices, removed)
            row = OrderChangeRequest(
                id=new_id("ocr"), order_id=order.id, created_at=utcnow(),
                slices={"remove": [{"slice_id": i} for i in removed], "add": added},
            )
            session.add(row)
            session.flush()
            offers = _make_offers(session, order, row, slices)
            session.add_all(offers)
            session.flush()
            body = render.change_request_json(row, [_offer_json(session, o) for o in offers])
        return jsonify({"data": body}), 201

    @bp.get("/air/order_change_requests/<request_id>")
    def get_change_request(request_id: str):
        with state().db.transaction() as session:
            row = session.get(OrderChangeRequest, request_id)
            if row is None:
                raise ApiError(404, "not_found", f"Order change request {request_id} was not found.")
            offers = sorted(_offers_of(session, row.id), key=lambda o: o.change_total_amount)
            return jsonify({"data": render.change_request_json(row, [_offer_json(session, o) for o in offers])})

    @bp.get("/air/order_change_offers")
    def list_change_offers():
        request_id = request.args.get("order_change_request_id")
        if not request_id:
            raise ApiError(422, "validation_required", "order_change_request_id is required.", field="order_change_request_id")
        sort = request.args.get("sort", "change_total_amount")
        if sort not in ("change_total_amount", "-change_total_amount", "total_duration", "-total_duration"):
            raise ApiError(422, "validation_format", "sort must be change_total_amount or total_duration (optionally with '-').", field="sort")
        with state().db.transaction() as session:
            if session.get(OrderChangeRequest, request_id) is None:
                raise ApiError(404, "not_found", f"Order change request {request_id} was not found.")
            offers = [_offer_json(session, o) for o in _offers_of(session, request_id)]

        def duration(offer: Dict[str, Any]) -> int:
            return sum(render.duration_minutes(s["duration"]) for s in offer["slices"]["add"])

        key = (lambda o: Decimal(o["change_total_amount"])) if sort.endswith("change_total_amount") else duration
        offers.sort(key=key, reverse=sort.startswith("-"))
        page, meta = _page(offers)
        return jsonify({"meta": meta, "data": page})

    @bp.get("/air/order_change_offers/<offer_id>")
    def get_change_offer(offer_id: str):
        with state().db.transaction() as session:
            offer = session.get(OrderChangeOffer, offer_id)
            if offer is None:
                raise ApiError(404, "not_found", f"Order change offer {offer_id} was not found.")
            return jsonify({"data": _offer_json(session, offer)})

    @bp.post("/air/order_changes")
    def create_order_change():
        data = _data()
        offer_id = data.get("selected_order_change_offer")
        if not isinstance(offer_id, str) or not offer_id:
            raise ApiError(422, "validation_required", "Field 'selected_order_change_offer' is required.", field="/data/selected_order_change_offer")
        with state().db.transaction() as session:
            offer = session.get(OrderChangeOffer, offer_id)
            if offer is None:
                raise ApiError(404, "not_found", f"Order change offer {offer_id} was not found.")
            if as_utc(offer.expires_at) <= utcnow():
                raise ApiError(422, "offer_expired", "The order change offer has expired; ask for new change offers.", field="/data/selected_order_change_offer")
            _changeable(session, session.get(Order, offer.order_id))
            change = OrderChange(id=new_id("oce"), order_change_offer_id=offer.id, order_id=offer.order_id,
                                 expires_at=offer.expires_at, created_at=utcnow())
            session.add(change)
            session.flush()
            body = render.order_change_json(change, offer, _removed(session, offer))
        return jsonify({"data": body}), 201

    @bp.get("/air/order_changes/<change_id>")
    def get_order_change(change_id: str):
        with state().db.transaction() as session:
            change = _get_change(session, change_id)
            offer = session.get(OrderChangeOffer, change.order_change_offer_id)
            return jsonify({"data": render.order_change_json(change, offer, _removed_for(session, change, offer))})

    @bp.post("/air/order_changes/<change_id>/actions/confirm")
    def confirm_order_change(change_id: str):
        body = json_body() if request.get_data(cache=True) else {}
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        with state().db.transaction() as session:
            change = _get_change(session, change_id)
            removed = _removed(session, session.get(OrderChangeOffer, change.order_change_offer_id))
            _confirm(session, change, data.get("payment"))
            offer = session.get(OrderChangeOffer, change.order_change_offer_id)
            return jsonify({"data": render.order_change_json(change, offer, removed)})


def _get_change(session, change_id: str) -> OrderChange:
    change = session.get(OrderChange, change_id)
    if change is None:
        raise ApiError(404, "not_found", f"Order change {change_id} was not found.")
    return change


def _removed_for(session, change: OrderChange, offer: OrderChangeOffer) -> List[Dict[str, Any]]:
    """The slices a change takes out: from the itinerary it replaced once it is confirmed."""
    if change.confirmed_at is None:
        return _removed(session, offer)
    before = session.execute(
        select(OrderChange).where(OrderChange.order_id == change.order_id, OrderChange.confirmed_at.is_not(None),
                                  OrderChange.confirmed_at < change.confirmed_at)
        .order_by(OrderChange.confirmed_at.desc()).limit(1)
    ).scalar_one_or_none()
    slices = before.order_slices if before else session.get(Offer, session.get(Order, change.order_id).offer_id).body["slices"]
    return [s for s in slices if s["id"] in offer.removed_slice_ids]
