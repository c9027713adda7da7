"""Our faster check of the action server's answers accepts and refuses exactly what Rasa's does."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import channels  # noqa: F401 (installs the speedups)
from channels import speedups

ACTION = RemoteAction("action_anything", None)
ANSWERS = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "origin", "value": "BOS"}], "responses": [{"text": "hi", "buttons": [{"title": "a", "payload": "/b"}]}]},
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"responses": [{"text": 5}]},
]


def test_installed():
    assert RemoteAction._validate_action_result is speedups._validate_action_result


@pytest.mark.parametrize("answer", ANSWERS)
def test_same_verdict_and_message_as_rasa(answer):
    def verdict(check):
        try:
            return check(ACTION, answer)
        except ValidationError as error:
            return error.message

    assert verdict(speedups._validate_action_result) == verdict(speedups.ORIGINAL)
