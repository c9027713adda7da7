"""The conversation files (tests/conversations/data/<kind>.yml): loading and checking their shape.

A file holds one kind of conversation:

    kind: compact
    conversations:
      - id: compact-maya-bos-mia            # unique in the suite
        customer: maya.chen@example.com     # signed in as this seeded customer; absent = anonymous
        given:                              # optional, made through the vendors' APIs beforehand
          bookings:                         # upcoming trips booked for the customer ({ref}, {ref2})
            - {origin: BOS, destination: FCO, depart: "{+40}", back: "{+47}"}
        turns:                              # 3 to 8 customer messages
          - user: "bos-mia {+20:m/d} rt back {+26:m/d}"
            slots: {origin: BOS, destination: MIA, departure_date: "{+20}", return_date: "{+26}"}
            asks: null                      # requested_slot after the turn (key absent: not checked)
            actions: [action_search_flights]   # must run this turn
            not_actions: [action_greet]        # must not run this turn
            responses: [utter_iamabot]         # utter_* sent this turn (bot message metadata)
            buttons: ["human_handoff"]         # regexes, each matching some button's payload or title
            min_buttons: 2
            says: ["\\d+\\.\\d\\d"]            # regexes (any case), each found in some bot message
            not_says: ["pending"]

Slot expectations: null = unset, "*" = set to something, a number compares numerically, a string
may list alternatives ("MIA|QMI"). Strings are templates (tests/conversations/templates.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from .templates import TemplateError, expand

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("out_of_order", "compact", "correction", "refinement", "party_cabin", "clarification", "digression", "two_requests",
         "confirmation", "change_booking", "refund", "complaint", "fallback", "happy_path")
EXPECTATIONS = ("slots", "asks", "actions", "not_actions", "responses", "buttons", "min_buttons", "says", "not_says")
MIN_TURNS, MAX_TURNS = 3, 8


@dataclass(frozen=True)
class Booking:
    origin: str
    destination: str
    depart: str  # template
    back: Optional[str] = None  # template; None for one way


@dataclass
class Conversation:
    id: str
    kind: str
    turns: List[Dict[str, Any]]
    customer: Optional[str] = None
    bookings: List[Booking] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        return self.customer is not None


def expand_all(value: Any, today: date, refs: Dict[str, str]) -> Any:
    """Every string inside `value` expanded (dict keys stay as written)."""
    if isinstance(value, str):
        return expand(value, today, refs)
    if isinstance(value, list):
        return [expand_all(v, today, refs) for v in value]
    if isinstance(value, dict):
        return {k: expand_all(v, today, refs) for k, v in value.items()}
    return value


def _conversation(raw: Dict[str, Any], kind: str) -> Conversation:
    given = raw.get("given") or {}
    bookings = [Booking(**b) for b in given.get("bookings") or []]
    return Conversation(id=raw["id"], kind=kind, turns=raw["turns"], customer=raw.get("customer"), bookings=bookings)


def load(folder: Path = DATA) -> List[Conversation]:
    conversations = []
    for path in sorted(folder.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        conversations += [_conversation(raw, document["kind"]) for raw in document["conversations"]]
    return conversations


def problems(conversations: List[Conversation], today: date) -> List[str]:
    """What is wrong with the files' shape: unknown kinds or keys, turn counts, duplicate ids,
    templates that do not expand."""
    found: List[str] = []
    seen = set()
    for conversation in conversations:
        where = conversation.id
        if where in seen:
            found.append(f"{where}: duplicate id")
        seen.add(where)
        if conversation.kind not in KINDS:
            found.append(f"{where}: unknown kind {conversation.kind!r}")
        if not MIN_TURNS <= len(conversation.turns) <= MAX_TURNS:
            found.append(f"{where}: {len(conversation.turns)} turns (want {MIN_TURNS} to {MAX_TURNS})")
        if conversation.bookings and not conversation.signed_in:
            found.append(f"{where}: given bookings need a customer")
        refs = {name: "ABC123" for name in ("ref", "ref2")[: len(conversation.bookings)]}
        for number, turn in enumerate(conversation.turns, 1):
            if not isinstance(turn.get("user"), str) or not turn["user"].strip():
                found.append(f"{where} turn {number}: no user message")
            unknown = set(turn) - {"user", *EXPECTATIONS}
            if unknown:
                found.append(f"{where} turn {number}: unknown keys {sorted(unknown)}")
            try:
                expand_all(turn, today, refs)
            except TemplateError as exc:
                found.append(f"{where} turn {number}: {exc}")
    return found
