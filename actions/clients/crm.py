"""CRM client for the HubSpot CRM v3 API: who the customer is and what they have bought."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence

from .convert import to_date, to_datetime, to_decimal
from .http import RetryPolicy, VendorHttp, env_timeout

CONTACT_PROPERTIES = (
    "email", "firstname", "lastname", "phone", "date_of_birth", "city", "country", "home_airport", "loyalty_tier",
)
DEAL_PROPERTIES = (
    "dealname", "amount", "deal_currency_code", "dealstage", "closedate", "booking_reference", "order_id",
    "origin", "destination", "departure_date", "return_date", "cabin_class",
)


@dataclass(frozen=True)
class Contact:
    id: str
    email: str
    first_name: Optional[str]
    last_name: Optional[str]
    phone: Optional[str]
    date_of_birth: Optional[date]
    city: Optional[str]
    country: Optional[str]
    home_airport: Optional[str]
    loyalty_tier: Optional[str]
    created_at: Optional[datetime]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.email


@dataclass(frozen=True)
class Deal:
    """A purchase; for this business, a booked trip."""

    id: str
    name: str
    amount: Optional[Decimal]
    currency: Optional[str]
    stage: Optional[str]
    closed_at: Optional[datetime]
    booking_reference: Optional[str]
    order_id: Optional[str]  # the flights vendor's order, for bookings made through us
    origin: Optional[str]
    destination: Optional[str]
    departure_date: Optional[date]
    return_date: Optional[date]
    cabin_class: Optional[str]


@dataclass(frozen=True)
class BookingRecord:
    """What the CRM keeps of a booking made through the assistant."""

    booking_reference: str
    order_id: str
    origin: str
    destination: str
    departure_date: date
    return_date: Optional[date]
    cabin_class: str
    amount: Decimal
    currency: str


def parse_error(body: Dict[str, Any]):
    field = (body.get("errors") or [{}])[0].get("in")
    return body.get("category"), body.get("message"), field


def _contact(obj: Dict[str, Any]) -> Contact:
    p = obj["properties"]
    return Contact(
        id=obj["id"], email=p.get("email") or "", first_name=p.get("firstname"), last_name=p.get("lastname"),
        phone=p.get("phone"), date_of_birth=to_date(p.get("date_of_birth")), city=p.get("city"), country=p.get("country"), home_airport=p.get("home_airport"),
        loyalty_tier=p.get("loyalty_tier"), created_at=to_datetime(p.get("createdate")),
    )


def _deal(obj: Dict[str, Any]) -> Deal:
    p = obj["properties"]
    return Deal(
        id=obj["id"], name=p.get("dealname") or "", amount=to_decimal(p.get("amount")), currency=p.get("deal_currency_code"),
        stage=p.get("dealstage"), closed_at=to_datetime(p.get("closedate")), booking_reference=p.get("booking_reference"),
        order_id=p.get("order_id"), origin=p.get("origin"), destination=p.get("destination"), departure_date=to_date(p.get("departure_date")),
        return_date=to_date(p.get("return_date")), cabin_class=p.get("cabin_class"),
    )


class CrmClient:
    def __init__(self, base_url: str, access_token: str, *, timeout: float = 10.0, retry: RetryPolicy = RetryPolicy()) -> None:
        self.http = VendorHttp(
            "crm", base_url, parse_error, headers={"Authorization": f"Bearer {access_token}"}, timeout=timeout, retry=retry
        )

    @classmethod
    def from_env(cls) -> "CrmClient":
        """HUBSPOT_BASE_URL (https://api.hubapi.com in production) and HUBSPOT_ACCESS_TOKEN."""
        return cls(
            os.environ.get("HUBSPOT_BASE_URL", "http://127.0.0.1:8010/hubspot"),
            os.environ.get("HUBSPOT_ACCESS_TOKEN", "pat-sandbox-hubspot"),
            timeout=env_timeout(),
            retry=RetryPolicy.from_env(),
        )

    def get_contact(self, contact_id: str) -> Contact:
        params = {"properties": ",".join(CONTACT_PROPERTIES)}
        return _contact(self.http.request("GET", f"/crm/v3/objects/contacts/{contact_id}", params=params).json())

    def get_contact_by_email(self, email: str) -> Contact:
        params = {"properties": ",".join(CONTACT_PROPERTIES), "idProperty": "email"}
        return _contact(self.http.request("GET", f"/crm/v3/objects/contacts/{email}", params=params).json())

    def search_contacts(self, *, query: Optional[str] = None, equals: Optional[Dict[str, str]] = None, limit: int = 100) -> List[Contact]:
        """Contacts matching free text and/or exact property values, following pages up to `limit`."""
        body: Dict[str, Any] = {"properties": list(CONTACT_PROPERTIES), "limit": min(limit, 100)}
        if query:
            body["query"] = query
        if equals:
            body["filterGroups"] = [{"filters": [{"propertyName": k, "operator": "EQ", "value": v} for k, v in equals.items()]}]
        found: List[Contact] = []
        while len(found) < limit:
            page = self.http.request("POST", "/crm/v3/objects/contacts/search", json=body, idempotent=True).json()
            found.extend(_contact(obj) for obj in page["results"])
            after = (page.get("paging") or {}).get("next", {}).get("after")
            if not after:
                break
            body["after"] = after
        return found[:limit]

    def deal_ids(self, contact_id: str) -> List[str]:
        """The contact's deals, through the v4 associations API."""
        page = self.http.request("GET", f"/crm/v4/objects/contacts/{contact_id}/associations/deals").json()
        return [str(item["toObjectId"]) for item in page["results"]]

    def get_deals(self, deal_ids: Sequence[str]) -> List[Deal]:
        """Deals by id, 100 per batch call; ids that do not exist are left out."""
        deals: List[Deal] = []
        for start in range(0, len(deal_ids), 100):
            body = {"properties": list(DEAL_PROPERTIES), "inputs": [{"id": i} for i in deal_ids[start:start + 100]]}
            result = self.http.request("POST", "/crm/v3/objects/deals/batch/read", json=body, idempotent=True).json()
            deals.extend(_deal(obj) for obj in result["results"])
        return deals

    def record_booking(self, contact_id: str, booking: "BookingRecord") -> Deal:
        """Adds a booking to the contact's purchase history as a closed-won deal."""
        properties = {
            "dealname": f"{booking.origin} → {booking.destination} {booking.departure_date.isoformat()}",
            "amount": str(booking.amount),
            "deal_currency_code": booking.currency,
            "dealstage": "closedwon",
            "booking_reference": booking.booking_reference,
            "order_id": booking.order_id,
            "origin": booking.origin,
            "destination": booking.destination,
            "departure_date": booking.departure_date.isoformat(),
            "return_date": booking.return_date.isoformat() if booking.return_date else "",
            "cabin_class": booking.cabin_class,
        }
        body = {
            "properties": properties,
            "associations": [{"to": {"id": contact_id}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}],
        }
        return _deal(self.http.request("POST", "/crm/v3/objects/deals", json=body).json())

    def set_deal_stage(self, deal_id: str, stage: str) -> Deal:
        body = {"properties": {"dealstage": stage}}
        return _deal(self.http.request("PATCH", f"/crm/v3/objects/deals/{deal_id}", json=body, idempotent=True).json())

    def record_change(self, deal: Deal, departure_date: date, return_date: Optional[date], amount: Decimal) -> Deal:
        """A booking's new dates and price after the airline changed it."""
        properties = {
            "dealname": f"{deal.origin} → {deal.destination} {departure_date.isoformat()}",
            "departure_date": departure_date.isoformat(),
            "return_date": return_date.isoformat() if return_date else "",
            "amount": str(amount),
        }
        body = {"properties": properties}
        return _deal(self.http.request("PATCH", f"/crm/v3/objects/deals/{deal.id}", json=body, idempotent=True).json())

    def purchase_history(self, contact_id: str) -> List[Deal]:
        """The contact's bookings, latest departure first."""
        deals = self.get_deals(self.deal_ids(contact_id))
        return sorted(deals, key=lambda d: d.departure_date or date.min, reverse=True)
