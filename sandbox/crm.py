"""CRM in the shape of HubSpot CRM v3: contacts, contact search, deal associations, deals batch read.

Base URL in production: https://api.hubapi.com. Auth: a private-app token as a Bearer token.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from .http import ApiError, Vendor, bearer_token, iso, json_body
from .models import Contact, Deal, utcnow
from .state import state

CONTACT_DEFAULT_PROPERTIES = ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname")
DEAL_DEFAULT_PROPERTIES = (
    "amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate",
    "hs_object_id", "pipeline",
)
CONTACT_ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")
DEAL_ALWAYS = ("createdate", "hs_lastmodifieddate", "hs_object_id")
SEARCHABLE = ("email", "firstname", "lastname", "phone")
OPERATORS = {
    "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "HAS_PROPERTY", "NOT_HAS_PROPERTY",
    "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN", "IN", "NOT_IN",
}
CONTACT_TO_DEAL_TYPE_ID = 4
DEAL_TO_CONTACT_TYPE_ID = 3
DEAL_STAGES = ("appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
               "contractsent", "closedwon", "closedlost")
# Deal properties a client may write, with the parser for each (HubSpot sends every value as text).
WRITABLE_DEAL_PROPERTIES = {
    "dealname": str, "amount": Decimal, "deal_currency_code": str, "dealstage": str, "pipeline": str,
    "closedate": "datetime", "booking_reference": str, "order_id": str, "origin": str, "destination": str,
    "departure_date": "date", "return_date": "date", "cabin_class": str,
}

CATEGORIES = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    404: "OBJECT_NOT_FOUND",
    405: "VALIDATION_ERROR",
    413: "VALIDATION_ERROR",
    429: "RATE_LIMITS",
}


def authenticate(settings) -> str:
    token = bearer_token()
    if token is None:
        raise ApiError(
            401,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
            "private app access tokens.",
        )
    if token != settings.hubspot_token:
        raise ApiError(401, "INVALID_AUTHENTICATION", "The access token provided is not valid.")
    return token


def render_error(err: ApiError) -> Response:
    body: Dict[str, Any] = {
        "status": "error",
        "message": err.message,
        "correlationId": str(uuid.uuid4()),
        "category": CATEGORIES.get(err.status, "INTERNAL_ERROR" if err.status >= 500 else "VALIDATION_ERROR"),
    }
    if err.field:
        body["errors"] = [{"message": err.message, "in": err.field}]
    if err.status == 429:
        body.update(errorType="RATE_LIMIT", policyName="TEN_SECONDLY_ROLLING")
    response = jsonify(body)
    response.status_code = err.status
    return response


def _text(value: Any) -> Optional[str]:
    """HubSpot returns every property value as a string (or null)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def contact_properties(contact: Contact) -> Dict[str, Optional[str]]:
    values = {
        "email": contact.email,
        "firstname": contact.firstname,
        "lastname": contact.lastname,
        "phone": contact.phone,
        "date_of_birth": contact.date_of_birth,
        "city": contact.city,
        "country": contact.country,
        "home_airport": contact.home_airport,
        "loyalty_tier": contact.loyalty_tier,
        "lifecyclestage": contact.lifecyclestage,
        "createdate": contact.created_at,
        "lastmodifieddate": contact.updated_at,
        "hs_object_id": contact.id,
    }
    return {key: _text(value) for key, value in values.items()}


def deal_properties(deal: Deal) -> Dict[str, Optional[str]]:
    values = {
        "dealname": deal.dealname,
        "amount": deal.amount,
        "deal_currency_code": deal.currency,
        "dealstage": deal.dealstage,
        "pipeline": deal.pipeline,
        "closedate": deal.closedate,
        "booking_reference": deal.booking_reference,
        "order_id": deal.order_id,
        "origin": deal.origin,
        "destination": deal.destination,
        "departure_date": deal.departure_date,
        "return_date": deal.return_date,
        "cabin_class": deal.cabin_class,
        "createdate": deal.created_at,
        "hs_lastmodifieddate": deal.updated_at,
        "hs_object_id": deal.id,
    }
    return {key: _text(value) for key, value in values.items()}


def _requested_properties(raw: Any, defaults, always) -> List[str]:
    """Properties asked for (comma-separated string or list); unknown names are ignored, as HubSpot does."""
    if isinstance(raw, str):
        raw = [p for p in raw.split(",") if p.strip()]
    if not raw:
        return list(defaults)
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ApiError(400, "VALIDATION_ERROR", "properties must be a list of property names.", field="properties")
    return list(dict.fromkeys([p.strip() for p in raw] + list(always)))


def _crm_object(obj_id: int, properties: Dict[str, Optional[str]], wanted: List[str], created, updated) -> Dict[str, Any]:
    return {
        "id": str(obj_id),
        "properties": {name: properties[name] for name in wanted if name in properties},
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "archived": False,
    }


def contact_json(contact: Contact, wanted: List[str]) -> Dict[str, Any]:
    return _crm_object(contact.id, contact_properties(contact), wanted, contact.created_at, contact.updated_at)


def deal_json(deal: Deal, wanted: List[str]) -> Dict[str, Any]:
    return _crm_object(deal.id, deal_properties(deal), wanted, deal.created_at, deal.updated_at)


def _find_contact(session, contact_id: str, id_property: Optional[str]) -> Contact:
    if id_property in (None, "", "hs_object_id"):
        contact = session.get(Contact, int(contact_id)) if contact_id.isdigit() else None
    elif id_property == "email":
        contact = session.execute(
            select(Contact).where(func.lower(Contact.email) == contact_id.strip().lower())
        ).scalar_one_or_none()
    else:
        raise ApiError(400, "VALIDATION_ERROR", f"Property {id_property} is not a unique identifier property.", field="idProperty")
    if contact is None:
        raise ApiError(404, "OBJECT_NOT_FOUND", f"Object not found. objectId are usually numeric. ({contact_id})")
    return contact


def _deal_ids(session, contact_id: int) -> List[int]:
    return list(session.execute(select(Deal.id).where(Deal.contact_id == contact_id).order_by(Deal.id)).scalars())


# --- search --------------------------------------------------------------------------------------


def _matches(props: Dict[str, Optional[str]], flt: Dict[str, Any]) -> bool:
    name, operator = flt.get("propertyName"), flt.get("operator", "EQ")
    if not isinstance(name, str) or operator not in OPERATORS:
        raise ApiError(400, "VALIDATION_ERROR", f"Invalid filter: {flt!r}", field="filterGroups")
    actual = props.get(name)
    if operator == "HAS_PROPERTY":
        return actual not in (None, "")
    if operator == "NOT_HAS_PROPERTY":
        return actual in (None, "")
    if operator in ("IN", "NOT_IN"):
        values = flt.get("values")
        if not isinstance(values, list):
            raise ApiError(400, "VALIDATION_ERROR", f"Operator {operator} needs 'values'.", field="filterGroups")
        found = (actual or "").lower() in {str(v).lower() for v in values}
        return found if operator == "IN" else not found
    if "value" not in flt:
        raise ApiError(400, "VALIDATION_ERROR", f"Operator {operator} needs a 'value'.", field="filterGroups")
    expected = str(flt["value"]).lower()
    have = (actual or "").lower()
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        token = expected.strip("*")
        found = token in have
        return found if operator == "CONTAINS_TOKEN" else not found
    comparisons: Dict[str, Callable[[str, str], bool]] = {
        "EQ": lambda a, b: a == b, "NEQ": lambda a, b: a != b,
        "LT": lambda a, b: a < b, "LTE": lambda a, b: a <= b,
        "GT": lambda a, b: a > b, "GTE": lambda a, b: a >= b,
    }
    return comparisons[operator](have, expected)


def _search(contacts: List[Contact], body: Dict[str, Any]) -> Dict[str, Any]:
    groups = body.get("filterGroups") or []
    if not isinstance(groups, list) or len(groups) > 5:
        raise ApiError(400, "VALIDATION_ERROR", "filterGroups must be a list of at most 5 groups.", field="filterGroups")
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("filters"), list) or len(group["filters"]) > 6:
            raise ApiError(400, "VALIDATION_ERROR", "Each filter group needs a list of at most 6 filters.", field="filterGroups")
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 200:
        raise ApiError(400, "VALIDATION_ERROR", "limit must be a whole number between 1 and 200.", field="limit")
    after = str(body.get("after") or "0")
    if not after.isdigit():
        raise ApiError(400, "VALIDATION_ERROR", "after must be a paging cursor from a previous page.", field="after")
    query = body.get("query")
    if query is not None and not isinstance(query, str):
        raise ApiError(400, "VALIDATION_ERROR", "query must be a string.", field="query")
    wanted = _requested_properties(body.get("properties"), CONTACT_DEFAULT_PROPERTIES, CONTACT_ALWAYS)

    rows = [(c, contact_properties(c)) for c in contacts]
    if groups:  # groups are ORed, filters inside a group ANDed
        rows = [r for r in rows if any(all(_matches(r[1], f) for f in g["filters"]) for g in groups)]
    if query:
        needle = query.strip().lower()
        rows = [r for r in rows if any(needle in (r[1].get(p) or "").lower() for p in SEARCHABLE)]
    for sort in reversed(body.get("sorts") or []):
        if isinstance(sort, str):
            sort = {"propertyName": sort, "direction": "ASCENDING"}
        if not isinstance(sort, dict) or not isinstance(sort.get("propertyName"), str):
            raise ApiError(400, "VALIDATION_ERROR", "Each sort needs a propertyName.", field="sorts")
        name = sort["propertyName"]
        rows.sort(key=lambda r: r[1].get(name) or "", reverse=sort.get("direction") == "DESCENDING")

    start = int(after)
    page = rows[start:start + limit]
    result: Dict[str, Any] = {"total": len(rows), "results": [contact_json(c, wanted) for c, _ in page]}
    if start + limit < len(rows):
        result["paging"] = {"next": {"after": str(start + limit)}}
    return result


def _apply_deal_properties(deal: Deal, raw: Any) -> None:
    """Writes HubSpot-style string properties onto a deal, or raises a 400 naming the bad one."""
    if not isinstance(raw, dict):
        raise ApiError(400, "VALIDATION_ERROR", "properties must be an object.", field="properties")
    columns = {"deal_currency_code": "currency", "closedate": "closedate"}
    for name, value in raw.items():
        kind = WRITABLE_DEAL_PROPERTIES.get(name)
        if kind is None:
            raise ApiError(400, "VALIDATION_ERROR", f'Property "{name}" does not exist', field=name)
        if value in (None, ""):
            setattr(deal, columns.get(name, name), None)
            continue
        try:
            if kind == "date":
                parsed: Any = date.fromisoformat(str(value)[:10])
            elif kind == "datetime":
                parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            elif kind is Decimal:
                parsed = Decimal(str(value))
            else:
                parsed = str(value)
        except (ValueError, ArithmeticError):
            raise ApiError(400, "VALIDATION_ERROR", f'{value!r} is not a valid value for "{name}".', field=name) from None
        if name == "dealstage" and parsed not in DEAL_STAGES:
            raise ApiError(400, "VALIDATION_ERROR", f'{value!r} is not a valid deal stage.', field=name)
        setattr(deal, columns.get(name, name), parsed)


# --- routes --------------------------------------------------------------------------------------


def create_blueprint() -> Blueprint:
    bp = Blueprint("hubspot", __name__)

    @bp.get("/crm/v3/objects/contacts/<contact_id>")
    def get_contact(contact_id: str):
        wanted = _requested_properties(request.args.get("properties"), CONTACT_DEFAULT_PROPERTIES, CONTACT_ALWAYS)
        with state().db.transaction() as session:
            contact = _find_contact(session, contact_id, request.args.get("idProperty"))
            body = contact_json(contact, wanted)
            if "deals" in (request.args.get("associations") or "").split(","):
                ids = _deal_ids(session, contact.id)
                if ids:
                    body["associations"] = {
                        "deals": {"results": [{"id": str(i), "type": "contact_to_deal"} for i in ids]}
                    }
        return jsonify(body)

    @bp.post("/crm/v3/objects/contacts/search")
    def search_contacts():
        body = json_body()
        with state().db.transaction() as session:
            contacts = list(session.execute(select(Contact).order_by(Contact.id)).scalars())
            return jsonify(_search(contacts, body))

    @bp.get("/crm/v3/objects/contacts/<contact_id>/associations/deals")
    def contact_deals_v3(contact_id: str):
        with state().db.transaction() as session:
            contact = _find_contact(session, contact_id, None)
            ids = _deal_ids(session, contact.id)
        return jsonify({"results": [{"id": str(i), "type": "contact_to_deal"} for i in ids]})

    @bp.get("/crm/v4/objects/contacts/<contact_id>/associations/deals")
    def contact_deals_v4(contact_id: str):
        with state().db.transaction() as session:
            contact = _find_contact(session, contact_id, None)
            ids = _deal_ids(session, contact.id)
        association = {"category": "HUBSPOT_DEFINED", "typeId": CONTACT_TO_DEAL_TYPE_ID, "label": None}
        return jsonify({"results": [{"toObjectId": i, "associationTypes": [association]} for i in ids]})

    @bp.get("/crm/v3/objects/deals/<deal_id>")
    def get_deal(deal_id: str):
        wanted = _requested_properties(request.args.get("properties"), DEAL_DEFAULT_PROPERTIES, DEAL_ALWAYS)
        with state().db.transaction() as session:
            deal = session.get(Deal, int(deal_id)) if deal_id.isdigit() else None
            if deal is None:
                raise ApiError(404, "OBJECT_NOT_FOUND", f"Object not found. objectId are usually numeric. ({deal_id})")
            return jsonify(deal_json(deal, wanted))

    @bp.post("/crm/v3/objects/deals")
    def create_deal():
        body = json_body()
        associations = body.get("associations") or []
        contact_ids = []
        for association in associations if isinstance(associations, list) else [None]:
            target = (association or {}).get("to", {}).get("id") if isinstance(association, dict) else None
            if not str(target or "").isdigit():
                raise ApiError(400, "VALIDATION_ERROR", "Each association needs to.id of a contact.", field="associations")
            contact_ids.append(int(target))
        with state().db.transaction() as session:
            deal = Deal(amount=Decimal("0"), dealname="")
            _apply_deal_properties(deal, body.get("properties"))
            if not deal.dealname:
                raise ApiError(400, "VALIDATION_ERROR", 'Property "dealname" is required.', field="dealname")
            for contact_id in contact_ids[:1]:
                if session.get(Contact, contact_id) is None:
                    raise ApiError(400, "VALIDATION_ERROR", f"Contact {contact_id} does not exist.", field="associations")
                deal.contact_id = contact_id
            if deal.contact_id is None:
                raise ApiError(400, "VALIDATION_ERROR", "A deal must be associated with a contact.", field="associations")
            deal.closedate = deal.closedate or utcnow()
            deal.dealstage = deal.dealstage or "closedwon"
            deal.pipeline = deal.pipeline or "default"
            deal.currency = deal.currency or "USD"
            session.add(deal)
            session.flush()
            result = deal_json(deal, list(DEAL_DEFAULT_PROPERTIES) + [p for p in WRITABLE_DEAL_PROPERTIES])
        response = jsonify(result)
        response.status_code = 201
        return response

    @bp.patch("/crm/v3/objects/deals/<deal_id>")
    def update_deal(deal_id: str):
        body = json_body()
        with state().db.transaction() as session:
            deal = session.get(Deal, int(deal_id)) if deal_id.isdigit() else None
            if deal is None:
                raise ApiError(404, "OBJECT_NOT_FOUND", f"Object not found. objectId are usually numeric. ({deal_id})")
            _apply_deal_properties(deal, body.get("properties"))
            session.flush()
            return jsonify(deal_json(deal, list(DEAL_DEFAULT_PROPERTIES) + [p for p in WRITABLE_DEAL_PROPERTIES]))

    @bp.post("/crm/v3/objects/deals/batch/read")
    def batch_read_deals():
        body = json_body()
        inputs = body.get("inputs")
        if not isinstance(inputs, list) or not inputs or len(inputs) > 100:
            raise ApiError(400, "VALIDATION_ERROR", "inputs must be a list of 1 to 100 objects with an id.", field="inputs")
        ids = []
        for item in inputs:
            if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)):
                raise ApiError(400, "VALIDATION_ERROR", "Each input needs an id.", field="inputs")
            ids.append(str(item["id"]))
        wanted = _requested_properties(body.get("properties"), DEAL_DEFAULT_PROPERTIES, DEAL_ALWAYS)
        started = datetime.utcnow()
        with state().db.transaction() as session:
            numeric = [int(i) for i in ids if i.isdigit()]
            found = {d.id: d for d in session.execute(select(Deal).where(Deal.id.in_(numeric))).scalars()}
            results = [deal_json(found[int(i)], wanted) for i in dict.fromkeys(ids) if i.isdigit() and int(i) in found]
        missing = [i for i in dict.fromkeys(ids) if not (i.isdigit() and int(i) in found)]
        payload: Dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": iso(started),
            "completedAt": iso(datetime.utcnow()),
        }
        if missing:
            payload["numErrors"] = 1
            payload["errors"] = [{
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": "Could not get some DEAL objects, they may be deleted or not exist. Check that ids are valid.",
                "context": {"ids": missing},
            }]
        response = jsonify(payload)
        response.status_code = 207 if missing else 200
        return response

    return bp


VENDOR = Vendor("hubspot", create_blueprint, authenticate, render_error)
