"""The passengers of a Duffel order (POST /air/orders `data.passengers`), checked as Duffel v2 does.

Duffel's create-order passenger (duffel-api-javascript src/booking/Orders/OrdersTypes.ts,
`CreateOrderPassenger`; https://duffel.com/docs/api/orders/create-order) requires `id`, `title`
(mr, ms, mrs, miss, dr), `gender` (m, f), `given_name`, `family_name`, `born_on`, `email` and
`phone_number` in E.164. `identity_documents` (at most one per passenger: `type`,
`unique_identifier`, `issuing_country_code`, `expires_on`) must be given for every passenger when the
offer's `passenger_identity_documents_required` is true, and its type must be one of the offer's
`supported_passenger_identity_document_types`.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List

from .http import ApiError, parse_date

TITLES = ("mr", "ms", "mrs", "miss", "dr")
GENDERS = ("m", "f")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


def _required(obj: Dict[str, Any], key: str, pointer: str) -> Any:
    value = obj.get(key)
    if value in (None, "", []):
        raise ApiError(422, "validation_required", f"Field '{key}' is required.", field=f"{pointer}/{key}")
    return value


def _choice(item: Dict[str, Any], key: str, allowed, pointer: str) -> str:
    value = _required(item, key, pointer)
    if value not in allowed:
        raise ApiError(422, "validation_format", f"{key} must be one of {', '.join(allowed)}.", field=f"{pointer}/{key}")
    return value


def _identity_document(raw: Any, supported: List[str], pointer: str) -> Dict[str, str]:
    if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], dict):
        raise ApiError(422, "validation_format", "Give exactly one identity document for the passenger.", field=pointer)
    document, pointer = raw[0], f"{pointer}/0"
    kind = _choice(document, "type", supported, pointer)
    number = _required(document, "unique_identifier", pointer)
    country = _required(document, "issuing_country_code", pointer)
    if not isinstance(country, str) or not COUNTRY.match(country):
        raise ApiError(422, "validation_format", "issuing_country_code must be an ISO 3166-1 alpha-2 code.", field=f"{pointer}/issuing_country_code")
    expires = parse_date(_required(document, "expires_on", pointer))
    if expires is None or expires <= date.today():
        raise ApiError(422, "validation_format", "expires_on must be a future date in the form YYYY-MM-DD.", field=f"{pointer}/expires_on")
    return {"type": kind, "unique_identifier": str(number), "issuing_country_code": country, "expires_on": expires.isoformat()}


def order_passengers(raw: Any, offer_body: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The order's passengers, or an ApiError naming the first field that is missing or wrong."""
    if not isinstance(raw, list) or not raw:
        raise ApiError(422, "validation_required", "passengers are required.", field="/data/passengers")
    by_id = {p["id"]: p for p in offer_body["passengers"]}
    given_ids = [p.get("id") if isinstance(p, dict) else None for p in raw]
    if sorted(map(str, given_ids)) != sorted(by_id):
        raise ApiError(422, "validation_format", "passengers must list exactly the offer's passenger ids.", field="/data/passengers")
    documents_required = offer_body["passenger_identity_documents_required"]
    supported = offer_body["supported_passenger_identity_document_types"]
    result = []
    for index, item in enumerate(raw):
        pointer = f"/data/passengers/{index}"
        title = _choice(item, "title", TITLES, pointer)
        gender = _choice(item, "gender", GENDERS, pointer)
        for key in ("given_name", "family_name"):
            value = _required(item, key, pointer)
            if not isinstance(value, str) or len(value.strip()) > 50:
                raise ApiError(422, "validation_format", f"{key} must be a name of at most 50 characters.", field=f"{pointer}/{key}")
        born_on = parse_date(_required(item, "born_on", pointer))
        if born_on is None or born_on >= date.today():
            raise ApiError(422, "validation_format", "born_on must be a past date in the form YYYY-MM-DD.", field=f"{pointer}/born_on")
        email = _required(item, "email", pointer)
        if not isinstance(email, str) or not EMAIL.match(email):
            raise ApiError(422, "validation_format", "email is not a valid email address.", field=f"{pointer}/email")
        phone = _required(item, "phone_number", pointer)
        if not isinstance(phone, str) or not E164.match(phone):
            raise ApiError(422, "validation_format", "phone_number must be in E.164 format, e.g. +442080160509.", field=f"{pointer}/phone_number")
        documents = item.get("identity_documents")
        if documents_required and not documents:
            raise ApiError(422, "validation_required", "This offer requires an identity document for every passenger.",
                           field=f"{pointer}/identity_documents")
        if documents:
            _identity_document(documents, supported, f"{pointer}/identity_documents")
        result.append({
            "id": item["id"], "type": by_id[item["id"]]["type"], "title": title, "gender": gender,
            "given_name": item["given_name"].strip(), "family_name": item["family_name"].strip(),
            "born_on": born_on.isoformat(), "email": email, "phone_number": phone,
        })
    return result
