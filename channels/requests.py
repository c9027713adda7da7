"""Two requests in one message ("flight to rome next friday, can i bring my dog?"): the message is
taken as two turns, each understood and answered on its own, so the second half is never dropped.

A message is split only where customers end one request and start another (a sentence end, or "and"
/ "also" / "btw" before a question word), and only when the NLU reads the two halves as two
different requests, each with confidence. A question or a look-up (help, ticket status, bookings,
"are you a bot") is answered first; a task (a search, a cancellation, a new ticket) comes last, so
its question is the one the customer answers next. Two tasks at once are left whole: one form at a
time.
"""
from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Dict, List

CONFIDENT = 0.6
# Requests that start or continue a task with a question of its own: answered last.
TASKS = {"search_flight", "inform", "refine_search", "select_offer", "cancel_booking", "change_booking", "open_ticket", "add_comment", "human_handoff"}
# Answered in one turn, without a question of their own: answered first.
LOOKUPS = {"ask_question", "ticket_status", "list_tickets", "list_bookings", "bot_challenge", "ask_capabilities", "ticket_complaint"}
QUESTION_START = r"(?:can|could|do|does|did|is|are|will|would|should|how|what|when|where|which|who|why|whats|what's|may|am)"
REQUEST_START = rf"(?:{QUESTION_START}|show|tell|check|cancel|book|open|find|list|give|get|let\s+me|i\s+(?:also\s+)?(?:need|want|wanna))"
BOUNDARY = re.compile(
    r"(?<=[?!.;])\s+(?=\S)"  # a sentence ends and another starts
    r"|\s*,?\s+(?:and\s+also|also|plus|btw|oh\s+and|by\s+the\s+way)\s*,?\s+"  # words that add a request
    rf"|\s*,?\s+and\s+(?={REQUEST_START}\b)|,\s+(?={REQUEST_START}\b)",  # "and"/"," before a new request
    re.I,
)
MIN_WORDS = 2

Parse = Callable[[str], Awaitable[Dict[str, Any]]]


def candidates(text: str) -> List[List[str]]:
    """Ways to cut the message in two at a request boundary, first boundary first."""
    cuts = []
    for match in BOUNDARY.finditer(text):
        first, second = text[: match.start()].strip(" ,"), text[match.end():].strip(" ,")
        if len(first.split()) >= MIN_WORDS and len(second.split()) >= MIN_WORDS:
            cuts.append([first, second])
    return cuts


def _request(parsed: Dict[str, Any]) -> str:
    intent = parsed.get("intent") or {}
    if (intent.get("confidence") or 0) < CONFIDENT:
        return ""
    name = intent.get("name") or ""
    return name if name in TASKS | LOOKUPS else ""


async def split_requests(text: str, parse: Parse) -> List[str]:
    """The message as the turns to take, in the order to answer them: itself, or two halves."""
    if not text or text.startswith("/"):
        return [text]
    for first, second in candidates(text):
        kinds = [_request(await parse(first)), _request(await parse(second))]
        if not all(kinds) or kinds[0] == kinds[1]:
            continue
        if kinds[0] in TASKS and kinds[1] in TASKS:
            return [text]  # one form at a time: the message stays whole
        return [first, second] if kinds[1] in TASKS else [second, first] if kinds[0] in TASKS else [first, second]
    return [text]
