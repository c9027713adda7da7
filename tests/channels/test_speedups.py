"""Our fixes to Rasa's hot paths give exactly Rasa's answers."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

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
    assert Event.resolve_by_type is speedups.resolve_by_type


@pytest.mark.parametrize("answer", ANSWERS)
def test_same_verdict_and_message_as_rasa(answer):
    def verdict(check):
        try:
            return check(ACTION, answer)
        except ValidationError as error:
            return error.message

    assert verdict(speedups._validate_action_result) == verdict(speedups.ORIGINAL_VALIDATE)


def test_events_resolve_to_the_same_classes():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is speedups.ORIGINAL_RESOLVE(name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no such event")
