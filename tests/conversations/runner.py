"""Plays the conversation files through a running assistant and checks every turn.

Each conversation is one customer (its own sender id) talking to `rasa run` through the REST
channel, signed in through the message metadata as a trusted server does, or anonymous. After each
turn the runner reads the tracker through Rasa's HTTP API and checks the turn's expectations
against that turn's events and the slots (tests/conversations/checks.py). Conversations are played
a few at a time; two conversations of the same customer never at once, since they share her
bookings and tickets.

The files' format is described in suite.py; what the customer says and the dates expected back are
templates relative to the day the suite is played ("{+20:m/d}", "{fri}", "{next-fri}"), a language
of a few forms described in templates.py.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional

import requests

from actions.clients.crm import BookingRecord
from actions.clients.flights import SliceRequest, Traveller
from tests.support.credentials import API_PARAMS, REST_HEADERS

from .checks import Failure, Turn, expectations, invariants
from .suite import Booking, Conversation, expand_all

TURN_TIMEOUT_SECONDS = 60


@dataclass
class TurnResult:
    number: int
    user: str
    failures: List[Failure]
    bot: List[str]
    actions: List[str]
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: List[TurnResult] = field(default_factory=list)
    error: Optional[str] = None  # the set-up or the assistant failed outright

    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)


def book_given(sandbox: Any, email: str, bookings: List[Booking], today: date) -> Dict[str, str]:
    """Books the conversation's given trips for the customer through the flights API and records
    them in the CRM, as the assistant does; returns {"ref": ..., "ref2": ...}."""
    flights, crm = sandbox.flights(), sandbox.crm()
    contact = crm.get_contact_by_email(email)
    refs = {}
    for index, booking in enumerate(bookings):
        depart = date.fromisoformat(expand_all(booking.depart, today, {}))
        back = date.fromisoformat(expand_all(booking.back, today, {})) if booking.back else None
        slices = [SliceRequest(booking.origin, booking.destination, depart)]
        if back:
            slices.append(SliceRequest(booking.destination, booking.origin, back))
        offer = flights.search(slices).offers[0]
        traveller = Traveller(contact.first_name, contact.last_name, contact.date_of_birth, email=email)
        order = flights.book(offer, [traveller])
        crm.record_booking(contact.id, BookingRecord(
            booking_reference=order.booking_reference, order_id=order.id, origin=booking.origin, destination=booking.destination,
            departure_date=depart, return_date=back, cabin_class="economy", amount=order.total_amount, currency=order.currency))
        refs["ref" if index == 0 else f"ref{index + 1}"] = order.booking_reference
    return refs


class Player:
    """Plays conversations against one assistant (`rasa_url`) and its sandbox."""

    def __init__(self, rasa_url: str, sandbox: Any, today: date, run_id: str) -> None:
        self.rasa_url, self.sandbox, self.today, self.run_id = rasa_url, sandbox, today, run_id

    def _say(self, sender: str, text: str, metadata: Optional[Dict[str, Any]]) -> None:
        body: Dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        reply = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, headers=REST_HEADERS, timeout=TURN_TIMEOUT_SECONDS)
        reply.raise_for_status()

    def _tracker(self, sender: str) -> Dict[str, Any]:
        reply = requests.get(f"{self.rasa_url}/conversations/{sender}/tracker", params=API_PARAMS, timeout=TURN_TIMEOUT_SECONDS)
        reply.raise_for_status()
        return reply.json()

    def play(self, conversation: Conversation) -> ConversationResult:
        result = ConversationResult(conversation)
        try:
            refs = book_given(self.sandbox, conversation.customer, conversation.bookings, self.today) if conversation.bookings else {}
        except Exception as exc:  # noqa: BLE001 - any set-up failure is reported, not raised
            result.error = f"set-up failed: {exc!r}"
            return result
        sender = f"{self.run_id}-{conversation.id}"
        metadata = {"customer": {"email": conversation.customer}} if conversation.signed_in else None
        seen = 0
        for number, raw in enumerate(conversation.turns, 1):
            turn = expand_all(raw, self.today, refs)
            started = time.perf_counter()
            try:
                self._say(sender, turn["user"], metadata)
                seconds = time.perf_counter() - started
                tracker = self._tracker(sender)
            except requests.RequestException as exc:
                result.turns.append(TurnResult(number, turn["user"], [Failure("answered", "a reply", repr(exc))], [], [],
                                               time.perf_counter() - started))
                continue
            events = tracker.get("events") or []
            happened = Turn.from_events(events[seen:], tracker.get("slots") or {})
            seen = len(events)
            failures = invariants(happened, turn["user"]) + expectations(turn, happened)
            result.turns.append(TurnResult(number, turn["user"], failures, happened.texts, happened.actions, seconds))
        return result

    def play_all(self, conversations: List[Conversation], at_once: int = 3) -> List[ConversationResult]:
        """Every conversation, `at_once` at a time, never two of one customer together; results in
        the order given."""
        waiting = list(conversations)
        busy: set = set()
        ready = threading.Condition()
        results: Dict[str, ConversationResult] = {}

        def next_conversation() -> Optional[Conversation]:
            with ready:
                while waiting:
                    free = next((c for c in waiting if c.customer is None or c.customer not in busy), None)
                    if free is not None:
                        waiting.remove(free)
                        busy.add(free.customer)
                        return free
                    ready.wait()
                return None

        def worker() -> None:
            while (conversation := next_conversation()) is not None:
                try:
                    results[conversation.id] = self.play(conversation)
                finally:
                    with ready:
                        busy.discard(conversation.customer)
                        ready.notify_all()

        with ThreadPoolExecutor(max_workers=at_once) as pool:
            for done in [pool.submit(worker) for _ in range(at_once)]:
                done.result()
        return [results[c.id] for c in conversations]
