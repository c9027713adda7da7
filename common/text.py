"""Text as customers' browsers can send it: JSON may carry a lone UTF-16 surrogate ("\\ud800"),
which Python keeps in a str but UTF-8 cannot encode, so tokenizers, databases and loggers fail on
it. Every process that takes text from outside passes it through `well_formed` first."""
from __future__ import annotations

from typing import Any

REPLACEMENT = "\ufffd"


def well_formed(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD; valid text comes back unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def well_formed_json(value: Any) -> Any:
    """The same for every string (keys too) inside a JSON value."""
    if isinstance(value, str):
        return well_formed(value)
    if isinstance(value, list):
        return [well_formed_json(v) for v in value]
    if isinstance(value, dict):
        return {well_formed(str(k)): well_formed_json(v) for k, v in value.items()}
    return value
