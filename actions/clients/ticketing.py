"""Ticketing client for the Zendesk Support API v2: open, read and follow support tickets."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from requests.auth import HTTPBasicAuth

from .convert import to_datetime
from .http import RetryPolicy, VendorHttp, env_timeout

STATUSES = ("new", "open", "pending", "hold", "solved", "closed")


@dataclass(frozen=True)
class Ticket:
    id: int
    subject: str
    description: str
    status: str
    priority: Optional[str]
    type: Optional[str]
    requester_id: int
    tags: Tuple[str, ...]
    created_at: Optional[datetime]
    updated_at: Optional[datetime]

    @property
    def is_open(self) -> bool:
        return self.status in ("new", "open", "pending", "hold")


@dataclass(frozen=True)
class Comment:
    id: int
    author_id: int
    body: str
    public: bool
    created_at: Optional[datetime]


@dataclass(frozen=True)
class User:
    id: int
    name: str
    email: str
    external_id: Optional[str]


def parse_error(body: Dict[str, Any]):
    details = body.get("details") or {}
    if details:
        field, problems = next(iter(details.items()))
        return problems[0].get("error"), problems[0].get("description"), field
    error = body.get("error")
    if isinstance(error, dict):  # some endpoints nest it: {"error": {"title", "message"}}
        return error.get("title"), error.get("message"), None
    return error, body.get("description") or error, None


def _ticket(obj: Dict[str, Any]) -> Ticket:
    return Ticket(
        id=obj["id"], subject=obj.get("subject") or "", description=obj.get("description") or "", status=obj["status"],
        priority=obj.get("priority"), type=obj.get("type"), requester_id=obj["requester_id"], tags=tuple(obj.get("tags") or ()),
        created_at=to_datetime(obj.get("created_at")), updated_at=to_datetime(obj.get("updated_at")),
    )


def _user(obj: Dict[str, Any]) -> User:
    return User(id=obj["id"], name=obj.get("name") or "", email=obj.get("email") or "", external_id=obj.get("external_id"))


def zendesk_account() -> Tuple[str, str, str]:
    """Base URL, agent email and API token of the Zendesk account (Support and Help Center alike):
    ZENDESK_BASE_URL (https://<subdomain>.zendesk.com in production), ZENDESK_EMAIL, ZENDESK_API_TOKEN."""
    return (
        os.environ.get("ZENDESK_BASE_URL", "http://127.0.0.1:8010/zendesk"),
        os.environ.get("ZENDESK_EMAIL", "assistant@example.com"),
        os.environ.get("ZENDESK_API_TOKEN", "sandbox-zendesk-token"),
    )


class TicketingClient:
    def __init__(
        self, base_url: str, email: str, api_token: str, *, timeout: float = 10.0, retry: RetryPolicy = RetryPolicy()
    ) -> None:
        self.email = email  # the assistant's own agent account
        self.http = VendorHttp(
            "ticketing", base_url, parse_error, auth=HTTPBasicAuth(f"{email}/token", api_token), timeout=timeout, retry=retry
        )

    @classmethod
    def from_env(cls) -> "TicketingClient":
        return cls(*zendesk_account(), timeout=env_timeout(), retry=RetryPolicy.from_env())

    def create_ticket(
        self,
        subject: str,
        description: str,
        *,
        requester_email: Optional[str],
        requester_name: Optional[str] = None,
        priority: Optional[str] = None,
        ticket_type: Optional[str] = None,
        tags: Sequence[str] = (),
    ) -> Ticket:
        """Opens a ticket. Not retried on a timeout: Zendesk has no idempotency key, and a retry
        could open the ticket twice.

        Zendesk attaches the ticket to the user with `requester_email` (creating one if none
        exists) and emails them about it. Without a requester email the ticket is requested by
        the account these credentials belong to, and nobody outside is told."""
        ticket: Dict[str, Any] = {"subject": subject, "comment": {"body": description}, "tags": list(tags)}
        if requester_email:
            ticket["requester"] = {"email": requester_email, **({"name": requester_name} if requester_name else {})}
        if priority:
            ticket["priority"] = priority
        if ticket_type:
            ticket["type"] = ticket_type
        return _ticket(self.http.request("POST", "/api/v2/tickets.json", json={"ticket": ticket}).json()["ticket"])

    def get_ticket(self, ticket_id: int) -> Ticket:
        return _ticket(self.http.request("GET", f"/api/v2/tickets/{int(ticket_id)}.json").json()["ticket"])

    def add_comment(self, ticket_id: int, body: str, *, public: bool = True) -> Ticket:
        # A PUT, but not idempotent: repeating it would post the comment twice.
        payload = {"ticket": {"comment": {"body": body, "public": public}}}
        return _ticket(self.http.request("PUT", f"/api/v2/tickets/{int(ticket_id)}.json", json=payload, idempotent=False).json()["ticket"])

    def set_status(self, ticket_id: int, status: str) -> Ticket:
        payload = {"ticket": {"status": status}}
        return _ticket(self.http.request("PUT", f"/api/v2/tickets/{int(ticket_id)}.json", json=payload).json()["ticket"])

    def comments(self, ticket_id: int) -> List[Comment]:
        items = self._all_pages(f"/api/v2/tickets/{int(ticket_id)}/comments.json", "comments")
        return [
            Comment(id=c["id"], author_id=c["author_id"], body=c.get("plain_body") or c.get("body") or "",
                    public=bool(c.get("public")), created_at=to_datetime(c.get("created_at")))
            for c in items
        ]

    def requested_tickets(self, user_id: int) -> List[Ticket]:
        """Tickets the user asked for, most recently updated first."""
        items = self._all_pages(f"/api/v2/users/{int(user_id)}/tickets/requested.json", "tickets", {"sort_by": "updated_at", "sort_order": "desc"})
        return [_ticket(t) for t in items]

    def get_user(self, user_id: int) -> User:
        return _user(self.http.request("GET", f"/api/v2/users/{int(user_id)}.json").json()["user"])

    def find_user_by_email(self, email: str) -> Optional[User]:
        users = self.http.request("GET", "/api/v2/users/search.json", params={"query": f"email:{email}"}).json()["users"]
        return _user(users[0]) if users else None

    def _all_pages(self, path: str, key: str, params: Optional[Dict[str, str]] = None) -> List[Dict[str, Any]]:
        items: List[Dict[str, Any]] = []
        page = self.http.request("GET", path, params=params).json()
        items.extend(page[key])
        while page.get("next_page"):
            # next_page is an absolute URL on the vendor's host; keep our base URL and take its path and query
            parts = urlsplit(page["next_page"])
            path_from_base = parts.path[len(urlsplit(self.http.base_url).path):]
            page = self.http.request("GET", f"{path_from_base}?{parts.query}").json()
            items.extend(page[key])
        return items
