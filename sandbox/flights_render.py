"""JSON in Duffel's v2 shapes: places, airlines, segments, slices, offers, orders, cancellations."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from typing import Any, Dict, List, Optional

from .http import iso, new_id
from .models import Order, OrderCancellation, OrderChange, OrderChangeOffer, OrderChangeRequest
from .reference import Airline, Airport, Metro, airports, metros
from .schedule import CABIN_NAMES, Itinerary, Segment


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def iso_duration(delta: timedelta) -> str:
    """ISO 8601 duration as Duffel writes it: PT07H30M, P1DT02H15M."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return f"P{days}DT{hours:02d}H{mins:02d}M" if days else f"PT{hours:02d}H{mins:02d}M"


def airport_json(airport: Airport) -> Dict[str, Any]:
    return {
        "type": "airport",
        "id": f"arp_{airport.iata_code.lower()}_{airport.country.lower()}",
        "iata_code": airport.iata_code,
        "icao_code": airport.icao_code or None,
        "name": airport.name,
        "city_name": airport.city_name,
        "iata_country_code": airport.country,
        "latitude": airport.latitude,
        "longitude": airport.longitude,
        "time_zone": airport.time_zone,
    }


def metro_json(metro: Metro) -> Dict[str, Any]:
    return {
        "type": "city",
        "id": f"cit_{metro.iata_code.lower()}_{metro.country.lower()}",
        "iata_code": metro.iata_code,
        "name": metro.name,
        "iata_country_code": metro.country,
        "airports": [airport_json(airports()[code]) for code in metro.airports],
    }


def airline_json(airline: Airline) -> Dict[str, Any]:
    return {
        "id": f"arl_{airline.iata_code.lower()}",
        "iata_code": airline.iata_code,
        "name": airline.name,
        "logo_symbol_url": None,
        "conditions_of_carriage_url": None,
    }


def segment_json(segment: Segment, passengers: List[Dict[str, Any]], cabin: str) -> Dict[str, Any]:
    return {
        "id": new_id("seg"),
        "origin": airport_json(segment.origin),
        "destination": airport_json(segment.destination),
        "origin_terminal": None,
        "destination_terminal": None,
        "departing_at": segment.departing_at.isoformat(),
        "arriving_at": segment.arriving_at.isoformat(),
        "duration": iso_duration(segment.duration),
        "distance": f"{segment.distance_km:.1f}",
        "marketing_carrier": airline_json(segment.carrier),
        "operating_carrier": airline_json(segment.carrier),
        "marketing_carrier_flight_number": segment.flight_number,
        "operating_carrier_flight_number": segment.flight_number,
        "aircraft": None,
        "passengers": [
            {
                "passenger_id": p["id"],
                "cabin_class": cabin,
                "cabin_class_marketing_name": CABIN_NAMES[cabin],
                "baggages": [{"type": "checked", "quantity": 0 if cabin == "economy" else 2}, {"type": "carry_on", "quantity": 1}],
            }
            for p in passengers
        ],
    }


def slice_json(itinerary: Itinerary, passengers: List[Dict[str, Any]], cabin: str) -> Dict[str, Any]:
    first, last = itinerary.segments[0], itinerary.segments[-1]
    return {
        "id": new_id("sli"),
        "origin_type": "airport",
        "origin": airport_json(first.origin),
        "destination_type": "airport",
        "destination": airport_json(last.destination),
        "duration": iso_duration(itinerary.duration),
        "fare_brand_name": CABIN_NAMES[cabin],
        "segments": [segment_json(s, passengers, cabin) for s in itinerary.segments],
    }


def conditions(cabin: str, passenger_count: int, currency: str) -> Dict[str, Any]:
    penalty = Decimal("0") if cabin in ("business", "first") else Decimal("75") * passenger_count
    return {
        "refund_before_departure": {"allowed": True, "penalty_amount": money(penalty), "penalty_currency": currency},
        "change_before_departure": {"allowed": True, "penalty_amount": money(penalty / 2), "penalty_currency": currency},
    }


def offer_json(
    offer_id: str,
    request_id: str,
    legs: List[Itinerary],
    passengers: List[Dict[str, Any]],
    cabin: str,
    base: Decimal,
    tax: Decimal,
    currency: str,
    created_at,
    expires_at,
) -> Dict[str, Any]:
    return {
        "id": offer_id,
        "offer_request_id": request_id,
        "live_mode": False,
        "created_at": iso(created_at),
        "updated_at": iso(created_at),
        "expires_at": iso(expires_at),
        "total_amount": money(base + tax),
        "total_currency": currency,
        "base_amount": money(base),
        "base_currency": currency,
        "tax_amount": money(tax),
        "tax_currency": currency,
        "total_emissions_kg": str(int(sum(s.distance_km for leg in legs for s in leg.segments) * 0.09 * len(passengers))),
        "owner": airline_json(legs[0].owner),
        "slices": [slice_json(leg, passengers, cabin) for leg in legs],
        "passengers": passengers,
        "passenger_identity_documents_required": False,
        "payment_requirements": {
            "requires_instant_payment": False,
            "price_guarantee_expires_at": iso(expires_at),
            "payment_required_by": iso(expires_at),
        },
        "conditions": conditions(cabin, len(passengers), currency),
        "available_services": None,
    }


def order_json(order: Order, offer_body: Dict[str, Any], slices: Optional[List[Dict[str, Any]]] = None, departed: bool = False) -> Dict[str, Any]:
    """`slices`: the order's itinerary after a confirmed change (else the booked offer's).
    `available_actions` and each slice's `changeable` say what the API will accept: a change
    needs a paid order that is not cancelled, has not left, and whose fare allows changes."""
    actions = [] if order.cancelled_at is not None or departed else ["cancel"] + (["change"] if change_allowed(offer_body) else [])
    return {
        "id": order.id,
        "type": "instant",
        "live_mode": False,
        "booking_reference": order.booking_reference,
        "offer_id": order.offer_id,
        "created_at": iso(order.created_at),
        "synced_at": iso(order.created_at),
        "cancelled_at": iso(order.cancelled_at),
        "total_amount": money(order.total_amount),
        "total_currency": order.total_currency,
        "base_amount": offer_body["base_amount"],
        "base_currency": offer_body["base_currency"],
        "tax_amount": offer_body["tax_amount"],
        "tax_currency": offer_body["tax_currency"],
        "owner": offer_body["owner"],
        "slices": [{**s, "changeable": "change" in actions} for s in (slices or offer_body["slices"])],
        "passengers": order.passengers,
        "conditions": offer_body["conditions"],
        "available_actions": actions,
        "documents": [
            {"type": "electronic_ticket", "unique_identifier": ticket_number(order.id, p["id"]), "passenger_ids": [p["id"]]}
            for p in order.passengers
        ],
        "payment_status": {"awaiting_payment": False, "paid_at": iso(order.created_at), "price_guarantee_expires_at": None},
        "metadata": order.metadata_,
        "services": [],
    }


def change_allowed(offer_body: Dict[str, Any]) -> bool:
    condition = (offer_body.get("conditions") or {}).get("change_before_departure")
    return bool(condition and condition.get("allowed"))


def ticket_number(order_id: str, passenger_id: str) -> str:
    """A 13-digit e-ticket number, stable for the same order and passenger."""
    digest = hashlib.sha256(f"{order_id}:{passenger_id}".encode()).hexdigest()
    return f"{int(digest[:12], 16) % 10**13:013d}"


def cancellation_json(cancellation: OrderCancellation) -> Dict[str, Any]:
    """refund_amount and refund_currency are null when the airline gave no refund quote."""
    return {
        "id": cancellation.id,
        "live_mode": False,
        "order_id": cancellation.order_id,
        "refund_amount": None if cancellation.refund_amount is None else money(cancellation.refund_amount),
        "refund_currency": cancellation.refund_currency,
        "refund_to": "balance",
        "created_at": iso(cancellation.created_at),
        "expires_at": iso(cancellation.expires_at),
        "confirmed_at": iso(cancellation.confirmed_at),
    }


def place_json(code: str) -> Optional[Dict[str, Any]]:
    if code in metros():
        return metro_json(metros()[code])
    airport = airports().get(code)
    return airport_json(airport) if airport else None


def duration_minutes(text: str) -> int:
    """Minutes in a duration written by iso_duration."""
    days = int(text[1:text.index("D")]) if "D" in text else 0
    hours = int(text[text.index("T") + 1:text.index("H")])
    minutes = int(text[text.index("H") + 1:text.index("M")])
    return days * 1440 + hours * 60 + minutes


# --- order changes -------------------------------------------------------------------------------


def change_request_json(row: OrderChangeRequest, offers: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {
        "id": row.id,
        "live_mode": False,
        "order_id": row.order_id,
        "slices": {
            "remove": row.slices["remove"],
            "add": [
                {**s, "origin": place_json(s["origin"]), "destination": place_json(s["destination"])}
                for s in row.slices["add"]
            ],
        },
        "order_change_offers": offers,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.created_at),
    }


def _amounts(offer: OrderChangeOffer) -> Dict[str, Any]:
    return {
        "change_total_amount": money(offer.change_total_amount),
        "change_total_currency": offer.currency,
        "penalty_total_amount": money(offer.penalty_total_amount),
        "penalty_total_currency": offer.currency,
        "new_total_amount": money(offer.new_total_amount),
        "new_total_currency": offer.currency,
        # Money back (a negative change total) goes to the balance the order was paid from.
        "refund_to": "balance" if offer.change_total_amount < 0 else None,
    }


def change_offer_json(offer: OrderChangeOffer, removed: List[Dict[str, Any]], order_change_id: Optional[str]) -> Dict[str, Any]:
    """`removed`: the order's slices this offer takes out."""
    return {
        "id": offer.id,
        "live_mode": False,
        "order_change_id": order_change_id,
        **_amounts(offer),
        "slices": {"add": offer.added_slices, "remove": removed},
        "expires_at": iso(offer.expires_at),
        "created_at": iso(offer.created_at),
        "updated_at": iso(offer.created_at),
    }


def order_change_json(change: OrderChange, offer: OrderChangeOffer, removed: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {
        "id": change.id,
        "live_mode": False,
        "order_id": change.order_id,
        **_amounts(offer),
        "slices": {"add": offer.added_slices, "remove": removed},
        "available_payment_types": ["balance", "arc_bsp_cash"],
        "expires_at": iso(change.expires_at),
        "created_at": iso(change.created_at),
        "updated_at": iso(change.confirmed_at or change.created_at),
        "confirmed_at": iso(change.confirmed_at),
    }


def slice_flight_keys(body: Dict[str, Any]) -> List[str]:
    """The flights (units of seat inventory) of a rendered slice, as Segment.flight_key names them."""
    return [
        f"{s['marketing_carrier']['iata_code']}{s['marketing_carrier_flight_number']}-"
        f"{s['origin']['iata_code']}{s['destination']['iata_code']}-{s['departing_at'][:10].replace('-', '')}"
        for s in body["segments"]
    ]
