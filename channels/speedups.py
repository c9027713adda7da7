"""Fixes to Rasa 3.6's hot paths that our Rasa processes load with the channel, found with py-spy
on a Rasa process answering conversations:

- Rasa checks every answer of the action server with `jsonschema.validate(result, schema)`,
  which first checks the (constant) schema against its meta-schema: a quarter of the process's
  CPU time. Here the validator is built once; answers are checked exactly as before, and an
  invalid one raises the same ValidationError with the same message.
- Every event read from the tracker store finds its class by walking all Event subclasses
  (`Event.resolve_by_type`): 5 % of the CPU time. Here the classes are looked up in a table,
  rebuilt when a name is not in it (a class imported later)."""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_validator = None


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    global _validator
    if _validator is None:
        schema = self.action_response_format_spec()
        _validator = validator_for(schema)(schema)
    error = best_match(_validator.iter_errors(result))  # the error jsonschema.validate raises
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_event_types: Dict[str, type] = {}


def resolve_by_type(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    found = _event_types.get(type_name)
    if found is None:
        _event_types.clear()
        for cls in all_subclasses(Event):
            _event_types.setdefault(cls.type_name, cls)  # the first match, as Rasa's walk returns
        found = _event_types.get(type_name)
    if found is not None:
        return found
    return ORIGINAL_RESOLVE(type_name, default)  # Rasa's answer for unknown names (None or ValueError)


ORIGINAL_VALIDATE = RemoteAction._validate_action_result
ORIGINAL_RESOLVE = Event.resolve_by_type


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
