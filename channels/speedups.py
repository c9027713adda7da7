"""A fix to Rasa 3.6 that our Rasa processes load with the channel.

Rasa checks every answer of the action server with `jsonschema.validate(result, schema)`, which
first checks the (constant) schema against its meta-schema: measured with py-spy, a quarter of
the Rasa process's CPU time went there. Here the validator is built once and reused; the answer
is checked exactly as before, and an invalid one raises the same ValidationError with the same
message."""
from __future__ import annotations

from typing import Any, Dict, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

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


ORIGINAL = RemoteAction._validate_action_result


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
