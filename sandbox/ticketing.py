"""Ticketing in the shape of Zendesk Support API v2: tickets, public comments, a user's requested
tickets, user search. A status change sends a ticket.status_changed webhook (see webhooks.py).

Base URL in production: https://<subdomain>.zendesk.com. Auth: "{email}/token:{api_token}" as
HTTP basic auth, or an OAuth access token as a Bearer token.
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Dict, List, Optional

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from .http import ApiError, Vendor, bearer_token, iso, json_body
from .models import HelpdeskUser, Ticket, TicketComment, utcnow
from .state import state

STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
TYPES = ("problem", "incident", "question", "task")
MAX_SUBJECT = 255
MAX_COMMENT = 65536
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

ERRORS = {
    400: "InvalidValue",
    404: "RecordNotFound",
    405: "InvalidEndpoint",
    413: "RequestEntityTooLarge",
    422: "RecordInvalid",
    429: "APIRateLimitExceeded",
}


def authenticate(settings) -> str:
    token = bearer_token()
    if token is not None:
        if token == settings.zendesk_token:
            return token
        raise ApiError(401, "Couldn't authenticate you", "Couldn't authenticate you")
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, secret = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, secret = "", ""
        if user == f"{settings.zendesk_email}/token" and secret == settings.zendesk_token:
            return user
    raise ApiError(401, "Couldn't authenticate you", "Couldn't authenticate you")


def render_error(err: ApiError) -> Response:
    if err.status == 401:
        body: Dict[str, Any] = {"error": "Couldn't authenticate you"}
    elif err.status == 422:
        field = err.field or "base"
        body = {
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {field: [{"description": err.message, "error": err.code}]},
        }
    else:
        body = {"error": ERRORS.get(err.status, "InternalServerError"), "description": err.message}
    response = jsonify(body)
    response.status_code = err.status
    return response


def _base() -> str:
    return request.host_url.rstrip("/") + "/zendesk"


def _ts(value) -> Optional[str]:
    return iso(value, millis=False)


def user_json(user: HelpdeskUser) -> Dict[str, Any]:
    return {
        "id": user.id,
        "url": f"{_base()}/api/v2/users/{user.id}.json",
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "external_id": user.external_id,
        "active": True,
        "verified": True,
        "created_at": _ts(user.created_at),
        "updated_at": _ts(user.updated_at),
    }


def ticket_json(ticket: Ticket) -> Dict[str, Any]:
    return {
        "id": ticket.id,
        "url": f"{_base()}/api/v2/tickets/{ticket.id}.json",
        "external_id": ticket.external_id,
        "via": {"channel": "api"},
        "type": ticket.type,
        "subject": ticket.subject,
        "raw_subject": ticket.subject,
        "description": ticket.description,
        "priority": ticket.priority,
        "status": ticket.status,
        "requester_id": ticket.requester_id,
        "submitter_id": ticket.requester_id,
        "assignee_id": ticket.assignee_id,
        "tags": list(ticket.tags or []),
        "is_public": True,
        "created_at": _ts(ticket.created_at),
        "updated_at": _ts(ticket.updated_at),
    }


def comment_json(comment: TicketComment) -> Dict[str, Any]:
    return {
        "id": comment.id,
        "type": "Comment",
        "author_id": comment.author_id,
        "body": comment.body,
        "plain_body": comment.body,
        "public": comment.public,
        "created_at": _ts(comment.created_at),
    }


def _assistant_user(session) -> HelpdeskUser:
    """The agent account the API credentials belong to (the author of comments made through it)."""
    email = state().settings.zendesk_email
    user = session.execute(select(HelpdeskUser).where(HelpdeskUser.email == email)).scalar_one_or_none()
    if user is None:
        user = HelpdeskUser(name="Travel Assistant", email=email, role="agent")
        session.add(user)
        session.flush()
    return user


def _choice(payload: Dict[str, Any], name: str, allowed, label: str) -> Optional[str]:
    value = payload.get(name)
    if value is not None and value not in allowed:
        raise ApiError(422, "InvalidValue", f"{label}: {value!r} is not valid", field=name)
    return value


def _comment_body(payload: Dict[str, Any]) -> Optional[str]:
    comment = payload.get("comment")
    if comment is None:
        return None
    if not isinstance(comment, dict):
        raise ApiError(422, "InvalidValue", "Comment: must be an object with a body", field="comment")
    body = comment.get("body", comment.get("html_body"))
    if not isinstance(body, str) or not body.strip():
        raise ApiError(422, "BlankValue", "Description: cannot be blank", field="description")
    if len(body) > MAX_COMMENT:
        raise ApiError(422, "TooLong", f"Comment: is too long (maximum is {MAX_COMMENT} characters)", field="comment")
    return body


def _tags(payload: Dict[str, Any]) -> Optional[List[str]]:
    tags = payload.get("tags")
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise ApiError(422, "InvalidValue", "Tags: must be a list of words", field="tags")
    return sorted({t.strip().lower().replace(" ", "_") for t in tags})


def _requester(session, payload: Dict[str, Any], default: HelpdeskUser) -> HelpdeskUser:
    if payload.get("requester_id") is not None:
        user = session.get(HelpdeskUser, payload["requester_id"]) if isinstance(payload["requester_id"], int) else None
        if user is None:
            raise ApiError(422, "InvalidValue", "Requester: is invalid", field="requester_id")
        return user
    requester = payload.get("requester")
    if requester is None:
        return default
    if not isinstance(requester, dict) or not isinstance(requester.get("email"), str) or not EMAIL.match(requester["email"]):
        raise ApiError(422, "InvalidValue", "Requester: email is invalid", field="requester")
    email = requester["email"].strip().lower()
    user = session.execute(select(HelpdeskUser).where(func.lower(HelpdeskUser.email) == email)).scalar_one_or_none()
    if user is None:  # Zendesk creates end users on first contact
        user = HelpdeskUser(name=str(requester.get("name") or email.split("@")[0]), email=email)
        session.add(user)
        session.flush()
    return user


def _ticket_payload() -> Dict[str, Any]:
    payload = json_body().get("ticket")
    if not isinstance(payload, dict):
        raise ApiError(400, "InvalidValue", "The request body needs a 'ticket' object.")
    return payload


def _get_ticket(session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise ApiError(404, "RecordNotFound", "Not found")
    return ticket


def _audit(ticket: Ticket, author_id: int, events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"ticket_id": ticket.id, "author_id": author_id, "created_at": _ts(utcnow()), "events": events}


def _paged(items: List[Any], key: str, render) -> Dict[str, Any]:
    try:
        per_page = min(100, max(1, int(request.args.get("per_page", 100))))
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        raise ApiError(400, "InvalidValue", "page and per_page must be whole numbers.") from None
    chunk = items[(page - 1) * per_page: page * per_page]

    def link(number: int) -> str:
        args = {**request.args.to_dict(), "page": str(number), "per_page": str(per_page)}
        return request.base_url + "?" + "&".join(f"{k}={v}" for k, v in args.items())

    return {
        key: [render(item) for item in chunk],
        "next_page": link(page + 1) if page * per_page < len(items) else None,
        "previous_page": link(page - 1) if page > 1 else None,
        "count": len(items),
    }


def create_blueprint() -> Blueprint:
    bp = Blueprint("zendesk", __name__)

    def route(rule: str, **options):
        """Zendesk answers each path with and without the .json suffix."""
        def decorator(view):
            bp.add_url_rule(rule, view_func=view, **options)
            bp.add_url_rule(rule + ".json", endpoint=view.__name__ + "_json", view_func=view, **options)
            return view
        return decorator

    @route("/api/v2/tickets", methods=["POST"])
    def create_ticket():
        payload = _ticket_payload()
        body = _comment_body(payload) or (payload.get("description") if isinstance(payload.get("description"), str) else None)
        if not body or not body.strip():
            raise ApiError(422, "BlankValue", "Description: cannot be blank", field="description")
        subject = payload.get("subject")
        if subject is not None and (not isinstance(subject, str) or len(subject) > MAX_SUBJECT):
            raise ApiError(422, "TooLong", f"Subject: must be text of at most {MAX_SUBJECT} characters", field="subject")
        status = _choice(payload, "status", STATUSES[:-1], "Status") or "new"
        priority = _choice(payload, "priority", PRIORITIES, "Priority")
        kind = _choice(payload, "type", TYPES, "Type")
        tags = _tags(payload) or []
        with state().db.transaction() as session:
            agent = _assistant_user(session)
            requester = _requester(session, payload, agent)
            now = utcnow()
            ticket = Ticket(
                subject=(subject or body.strip().splitlines()[0])[:MAX_SUBJECT],
                description=body,
                status=status,
                priority=priority,
                type=kind,
                tags=tags,
                requester_id=requester.id,
                external_id=payload.get("external_id") if isinstance(payload.get("external_id"), str) else None,
                created_at=now,
                updated_at=now,
            )
            session.add(ticket)
            session.flush()
            session.add(TicketComment(ticket_id=ticket.id, author_id=requester.id, body=body, public=True, created_at=now))
            result = {
                "ticket": ticket_json(ticket),
                "audit": _audit(ticket, agent.id, [{"type": "Create", "field_name": "status", "value": status}]),
            }
        response = jsonify(result)
        response.status_code = 201
        response.headers["Location"] = result["ticket"]["url"]
        return response

    @route("/api/v2/tickets/<int:ticket_id>", methods=["GET"])
    def get_ticket(ticket_id: int):
        with state().db.transaction() as session:
            return jsonify({"ticket": ticket_json(_get_ticket(session, ticket_id))})

    @route("/api/v2/tickets/<int:ticket_id>", methods=["PUT"])
    def update_ticket(ticket_id: int):
        payload = _ticket_payload()
        comment = _comment_body(payload)
        status = _choice(payload, "status", STATUSES, "Status")
        priority = _choice(payload, "priority", PRIORITIES, "Priority")
        tags = _tags(payload)
        public = True
        if isinstance(payload.get("comment"), dict) and payload["comment"].get("public") is False:
            public = False
        with state().db.transaction() as session:
            ticket = _get_ticket(session, ticket_id)
            if ticket.status == "closed":
                raise ApiError(422, "ClosedPreventsUpdate", "Status: closed prevents ticket update", field="status")
            agent = _assistant_user(session)
            events: List[Dict[str, Any]] = []
            now = utcnow()
            if comment is not None:
                author_id = payload["comment"].get("author_id")
                if author_id is not None and (not isinstance(author_id, int) or session.get(HelpdeskUser, author_id) is None):
                    raise ApiError(422, "InvalidValue", "Comment: author is invalid", field="author_id")
                session.add(TicketComment(ticket_id=ticket.id, author_id=author_id or agent.id, body=comment, public=public, created_at=now))
                events.append({"type": "Comment", "body": comment, "public": public})
            previous = ticket.status
            if status and status != previous:
                ticket.status = status
                events.append({"type": "Change", "field_name": "status", "value": status, "previous_value": previous})
            if priority:
                ticket.priority = priority
            if tags is not None:
                ticket.tags = tags
            ticket.updated_at = now
            session.flush()
            if status and status != previous:
                state().webhooks.ticket_status_changed(session, ticket, previous)
            result = {"ticket": ticket_json(ticket), "audit": _audit(ticket, agent.id, events)}
        return jsonify(result)

    @route("/api/v2/tickets/<int:ticket_id>/comments", methods=["GET"])
    def list_comments(ticket_id: int):
        with state().db.transaction() as session:
            _get_ticket(session, ticket_id)
            comments = list(session.execute(
                select(TicketComment).where(TicketComment.ticket_id == ticket_id).order_by(TicketComment.id)
            ).scalars())
            return jsonify(_paged(comments, "comments", comment_json))

    @route("/api/v2/users/<int:user_id>", methods=["GET"])
    def get_user(user_id: int):
        with state().db.transaction() as session:
            user = session.get(HelpdeskUser, user_id)
            if user is None:
                raise ApiError(404, "RecordNotFound", "Not found")
            return jsonify({"user": user_json(user)})

    @route("/api/v2/users/<int:user_id>/tickets/requested", methods=["GET"])
    def requested_tickets(user_id: int):
        sort_by = request.args.get("sort_by", "id")
        if sort_by not in ("id", "created_at", "updated_at", "status", "priority"):
            raise ApiError(400, "InvalidValue", f"sort_by {sort_by!r} is not supported.")
        descending = request.args.get("sort_order", "asc") == "desc"
        with state().db.transaction() as session:
            if session.get(HelpdeskUser, user_id) is None:
                raise ApiError(404, "RecordNotFound", "Not found")
            column = getattr(Ticket, sort_by)
            order = [column.desc() if descending else column.asc(), Ticket.id.desc() if descending else Ticket.id.asc()]
            tickets = list(session.execute(select(Ticket).where(Ticket.requester_id == user_id).order_by(*order)).scalars())
            return jsonify(_paged(tickets, "tickets", ticket_json))

    @route("/api/v2/users/search", methods=["GET"])
    def search_users():
        query = (request.args.get("query") or "").strip()
        external_id = request.args.get("external_id")
        if not query and not external_id:
            raise ApiError(400, "InvalidValue", "Supply a query or an external_id.")
        with state().db.transaction() as session:
            statement = select(HelpdeskUser).order_by(HelpdeskUser.id)
            if external_id:
                statement = statement.where(HelpdeskUser.external_id == external_id)
            elif query.lower().startswith("email:"):
                statement = statement.where(func.lower(HelpdeskUser.email) == query[6:].strip().lower())
            else:
                needle = f"%{query.lower()}%"
                statement = statement.where(func.lower(HelpdeskUser.email).like(needle) | func.lower(HelpdeskUser.name).like(needle))
            users = list(session.execute(statement).scalars())
            return jsonify(_paged(users, "users", user_json))

    return bp


VENDOR = Vendor("zendesk", create_blueprint, authenticate, render_error)
