"""Running actions in-process, their clients talking over real HTTP to a sandbox (or to a server
that fails on purpose)."""
from __future__ import annotations

import asyncio
import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import pytest
import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import articles, common
from common.identity import SECRET_ENV, customer_proof
from tests.conftest import DEFAULTS

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())
MAYA = "maya.chen@example.com"
PROOF_SECRET = "test-identity-proof-secret"
NLG = TemplatedNaturalLanguageGenerator(DOMAIN["responses"])
NO_VALUE = "<None>"  # what a variable whose value is None would show, so a test can see it


def point_clients_at(monkeypatch, base_url: str, timeout_seconds: float = 30) -> None:
    """Points every client at `base_url` (the sandbox or a failing server), with quick retries. The
    timeout is ample for the sandbox on a busy machine; a test of a server too slow to wait for
    passes one shorter than that server's delay."""
    monkeypatch.setenv("HUBSPOT_BASE_URL", f"{base_url}/hubspot")
    monkeypatch.setenv("ZENDESK_BASE_URL", f"{base_url}/zendesk")
    monkeypatch.setenv("DUFFEL_BASE_URL", f"{base_url}/duffel")
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", DEFAULTS.hubspot_token)
    monkeypatch.setenv("ZENDESK_API_TOKEN", DEFAULTS.zendesk_token)
    monkeypatch.setenv("DUFFEL_ACCESS_TOKEN", DEFAULTS.duffel_token)
    monkeypatch.setenv("VENDOR_TIMEOUT_SECONDS", str(timeout_seconds))
    monkeypatch.setenv("VENDOR_MAX_RETRY_WAIT_SECONDS", "1")
    for client in (common.crm, common.ticketing, common.flights, articles.helpcenter, articles.library):
        client.cache_clear()


@pytest.fixture
def vendors(sqlite_sandbox, monkeypatch):
    """Clients pointed at the seeded SQLite sandbox."""
    point_clients_at(monkeypatch, sqlite_sandbox.url)
    yield sqlite_sandbox
    for client in (common.crm, common.ticketing, common.flights, articles.helpcenter, articles.library):
        client.cache_clear()


@pytest.fixture(autouse=True)
def proof_secret(monkeypatch) -> str:
    """The action server's IDENTITY_PROOF_SECRET, shared with the channel that signs identities."""
    monkeypatch.setenv(SECRET_ENV, PROOF_SECRET)
    return PROOF_SECRET


def signed_in(email: str, sender: str = "test-conversation") -> Dict[str, str]:
    """The identity slots the session start sets for a customer the channel verified."""
    return {"customer_email": email, "customer_proof": customer_proof(PROOF_SECRET, sender, email)}


def seeded_customer(sandbox, *, with_tickets: bool = False, with_bookings: bool = False, other_than: Iterable[str] = ()) -> str:
    """The email of a customer the sandbox was seeded with: a CRM contact who also has a help desk
    account (and tickets, and bookings that were not cancelled, when asked)."""
    crm, desk = sandbox.crm(), sandbox.ticketing()
    for contact in crm.search_contacts(limit=100):
        if contact.email in other_than:
            continue
        user = desk.find_user_by_email(contact.email)
        if user is None or (with_tickets and not desk.requested_tickets(user.id)):
            continue
        if with_bookings and not [d for d in crm.purchase_history(contact.id) if d.stage != "closedlost"]:
            continue
        return contact.email
    raise AssertionError("the seed has no such customer")


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: Optional[str] = None,
    entities: Iterable[Tuple[str, str]] = (),
    events: Optional[List[Dict[str, Any]]] = None,
    sender: str = "test-conversation",
    active_loop: Optional[str] = None,
    customer: Optional[str] = None,
) -> Tracker:
    """A tracker; `customer` signs that customer in as the session start would."""
    all_slots = {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}
    all_slots["requested_slot"] = None
    all_slots.update(signed_in(customer, sender) if customer else {})
    all_slots.update(slots or {})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": [{"entity": name, "value": value} for name, value in entities],
        "intent_ranking": [],
    }
    history = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender, all_slots, latest, history, False, None, {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, tracker: Tracker) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Runs an action; returns its events and the messages it sent."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


def slots_set(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages, tracker: Optional[Tracker] = None) -> str:
    """What the messages say, responses rendered from domain.yml (see `rendered`)."""
    return "\n".join(m.get("text") or "" for m in rendered(messages, tracker))


def rendered(messages, tracker: Optional[Tracker] = None) -> List[Dict[str, Any]]:
    """The messages as Rasa sends them. A message naming a `response` is generated by Rasa's own
    TemplatedNaturalLanguageGenerator from domain.yml, with `tracker`'s slots (which choose
    conditional variations and fill slot variables) and the values the action passed; the action's
    buttons then follow the response's and its other fields win, as RemoteAction._utter_responses
    merges them. Fails the test where Rasa would show a customer something broken: a variable that
    was neither passed nor a slot (Rasa sends the response with its {placeholders} unfilled) or
    whose value is None (Rasa writes "None")."""
    slots = {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}
    slots.update({"requested_slot": None, **(tracker.slots if tracker else {})})
    return [_render(copy.deepcopy(message), slots) for message in messages]


def _render(message: Dict[str, Any], slots: Dict[str, Any]) -> Dict[str, Any]:
    name = message.pop("response", None)
    draft: Dict[str, Any] = {}
    if name:
        assert name in DOMAIN["responses"], f"domain.yml has no response {name}"
        # Values win over slots in the interpolation only, so None can be shown as NO_VALUE while the
        # slots still choose the variation.
        values = {**{k: NO_VALUE for k, v in slots.items() if v is None}, **{k: NO_VALUE if v is None else v for k, v in message.items()}}
        draft = NLG.generate_from_slots(name, slots, "rest", **values)
        said = [draft.get("text") or ""] + [v for b in draft.get("buttons") or [] for v in b.values()]
        templates = [variation.get("text") for variation in DOMAIN["responses"][name]]
        templates += [v for variation in DOMAIN["responses"][name] for b in variation.get("buttons") or [] for v in b.values()]
        unfilled = [part for part in said if part in templates and "{" in part]
        assert not unfilled, f"{name}: a variable was not passed, Rasa would send {unfilled}"
        assert not any(NO_VALUE in part for part in said), f"{name}: a variable is None, Rasa would send {said}"
    buttons = message.pop("buttons", []) or []
    if buttons:
        draft.setdefault("buttons", []).extend(buttons)
    draft.update({k: v for k, v in message.items() if v and k != "template"})
    return draft


@pytest.fixture
def failing_desk(monkeypatch):
    """Every vendor answers 503."""
    from tests.support.receiver import Receiver

    server = Receiver(respond=lambda n: (503, {}, b'{"error": "ServiceUnavailable", "description": "down"}', 0)).start()
    point_clients_at(monkeypatch, server.url)
    yield server
    server.stop()


@pytest.fixture
def failing():
    """Starts servers that answer every request with the given status, headers and delay."""
    servers = []

    def start(status, headers=None, delay=0):
        from tests.support.receiver import Receiver

        server = Receiver(respond=lambda n: (status, headers or {}, b'{"errors": [{"code": "x", "message": "down"}]}', delay)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def iso(days: int) -> str:
    """The date `days` from today, as the search slots hold it."""
    return (date.today() + timedelta(days=days)).isoformat()


def searched(days: int = 21, ret: str = "one-way", origin: str = "BOS", destination: str = "NYC", **extra):
    """Runs a flight search from a filled form; returns the slots it set and what it said."""
    from actions.search import ActionSearchFlights

    slots = {"origin": origin, "destination": destination, "departure_date": iso(days), "return_date": ret,
             "origin_label": "Boston (BOS)", "destination_label": "New York (all airports: JFK, LGA, EWR)", **extra}
    events, messages = run(ActionSearchFlights(), make_tracker(slots))
    return slots_set(events), messages
