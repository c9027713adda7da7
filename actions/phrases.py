"""Phrases: the parts of the bot's sentences that an action picks or orders at run time, kept in
domain.yml with every other word the bot says.

A phrase is a response named `utter_phrase_<name>` that is never sent on its own: an action puts
its text into a variable of another response (the two likeliest things the fallback suggests, what
a ticket's status means, the task a failed system call was for) or its buttons into a list it
orders for this customer (the greeting's quick replies). Designers change them like any response.

Phrases are read from the domain.yml this package ships with, not from the domain Rasa sends with
each call, so helpers without that domain at hand (the questions the forms ask, the greeting's
buttons) read them too; the action server is restarted with every new model (`make run`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"
PREFIX = "utter_phrase_"


@lru_cache(maxsize=1)
def phrases() -> Dict[str, Dict[str, Any]]:
    """Every phrase by name (without the prefix): its first variation."""
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")).get("responses") or {}
    return {name[len(PREFIX):]: variations[0] for name, variations in responses.items() if name.startswith(PREFIX) and variations}


def _variation(name: str) -> Dict[str, Any]:
    try:
        return phrases()[name]
    except KeyError:
        raise LookupError(f"domain.yml has no response {PREFIX}{name}") from None


def has_phrase(name: str) -> bool:
    return name in phrases()


def phrase(name: str, **values: Any) -> str:
    """The text of `utter_phrase_<name>`, its {variables} filled from `values`."""
    return str(_variation(name).get("text") or "").format_map(values)


def phrase_buttons(name: str) -> List[Dict[str, str]]:
    """The buttons of `utter_phrase_<name>`, copied so the caller may change them."""
    return [dict(button) for button in _variation(name).get("buttons") or []]
