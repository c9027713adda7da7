"""What one turn of a conversation is checked against: the turn's expectations, read from the
tracker's events and slots after the turn, and the invariants every turn must keep.

Nothing here looks at the bot's wording except `says`/`not_says` (facts such as a booking reference
or a price) and the invariants (one question at most, no quoting the customer back)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Set

ANY = "*"  # a slot expectation meaning "set to something (not null, not empty)"
QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"), ("«", "»"))
QUOTED_TITLE = re.compile(r"“[^”]*”")
QUESTION = re.compile(r"\?+(?=[\s\"'”’)\]*_]|$)")
QUOTED_MIN_CHARS = 12


@dataclass
class Failure:
    expectation: str  # "slots.destination", "asks", "actions", "invariant: one question", ...
    expected: Any
    got: Any

    def as_dict(self) -> Dict[str, Any]:
        return {"expectation": self.expectation, "expected": self.expected, "got": self.got}


@dataclass
class Turn:
    """What the assistant did in one turn, from the tracker."""

    texts: List[str]
    actions: List[str]
    responses: Set[str]
    buttons: List[Dict[str, Any]]
    slots: Dict[str, Any]
    bot_messages: int = 0

    @classmethod
    def from_events(cls, events: List[Dict[str, Any]], slots: Dict[str, Any]) -> "Turn":
        bots = [e for e in events if e.get("event") == "bot"]
        actions = [e["name"] for e in events if e.get("event") == "action" and e.get("name") not in (None, "action_listen")]
        responses = {(b.get("metadata") or {}).get("utter_action") for b in bots} | {a for a in actions if a.startswith("utter_")}
        buttons = [button for b in bots for button in ((b.get("data") or {}).get("buttons") or [])]
        return cls(texts=[b.get("text") or "" for b in bots], actions=actions, responses={r for r in responses if r},
                   buttons=buttons, slots=slots, bot_messages=len(bots))


def slot_matches(expected: Any, actual: Any) -> bool:
    """`expected` is already expanded: None, "*", a number, a bool, or a string ("A|B" = either)."""
    if expected is None:
        return actual is None
    if expected == ANY:
        return actual not in (None, "", [], {})
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, (int, float)):
        try:
            return actual is not None and float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    return actual is not None and str(actual) in str(expected).split("|")


def question_count(texts: List[str]) -> int:
    """Questions the bot asks; a help article's title quoted as “How much does a bag cost?” is none."""
    return sum(len(QUESTION.findall(QUOTED_TITLE.sub("", text))) for text in texts)


def quotes_customer(texts: List[str], said: str) -> bool:
    """Whether a bot message holds the customer's message (12 characters or more) in quotes."""
    message = said.strip().lower()
    if len(message) < QUOTED_MIN_CHARS:
        return False
    variants = {message, message.rstrip(".!?")}
    return any(f"{open_}{variant}{close}" in text.lower() for text in texts for variant in variants for open_, close in QUOTES)


def invariants(turn: Turn, said: str) -> List[Failure]:
    failures = []
    if turn.bot_messages == 0:
        failures.append(Failure("invariant: every turn answered", "at least one bot message", "none"))
    if question_count(turn.texts) > 1:
        failures.append(Failure("invariant: one question at most", "<= 1 question", turn.texts))
    if quotes_customer(turn.texts, said):
        failures.append(Failure("invariant: never quotes the customer", "no quote of the message", turn.texts))
    return failures


def _matches_any(pattern: str, texts: List[str]) -> bool:
    return any(re.search(pattern, text, re.IGNORECASE) for text in texts)


def expectations(expect: Dict[str, Any], turn: Turn) -> List[Failure]:
    """The turn's own expectations (already expanded); an absent key is not checked."""
    failures: List[Failure] = []
    for name, wanted in (expect.get("slots") or {}).items():
        if not slot_matches(wanted, turn.slots.get(name)):
            failures.append(Failure(f"slots.{name}", wanted, turn.slots.get(name)))
    if "asks" in expect:
        asked: Optional[str] = turn.slots.get("requested_slot")
        if asked != expect["asks"]:
            failures.append(Failure("asks", expect["asks"], asked))
    missing = [a for a in expect.get("actions") or [] if a not in turn.actions]
    if missing:
        failures.append(Failure("actions", missing, turn.actions))
    unwanted = [a for a in expect.get("not_actions") or [] if a in turn.actions]
    if unwanted:
        failures.append(Failure("not_actions", unwanted, turn.actions))
    missing = [r for r in expect.get("responses") or [] if r not in turn.responses]
    if missing:
        failures.append(Failure("responses", missing, sorted(turn.responses)))
    labels = [f"{b.get('payload', '')} {b.get('title', '')}" for b in turn.buttons]
    missing = [p for p in expect.get("buttons") or [] if not _matches_any(p, labels)]
    if missing:
        failures.append(Failure("buttons", missing, labels))
    if "min_buttons" in expect and len(turn.buttons) < expect["min_buttons"]:
        failures.append(Failure("min_buttons", expect["min_buttons"], labels))
    missing = [p for p in expect.get("says") or [] if not _matches_any(p, turn.texts)]
    if missing:
        failures.append(Failure("says", missing, turn.texts))
    unwanted = [p for p in expect.get("not_says") or [] if _matches_any(p, turn.texts)]
    if unwanted:
        failures.append(Failure("not_says", unwanted, turn.texts))
    return failures
