"""The test-story export leaves out what the channel ran by itself (the greeting on open)."""
from pathlib import Path

from rasa.shared.core.domain import Domain

from review.export import test_story as export_story

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def test_the_greeting_on_open_is_not_part_of_the_story():
    events = [
        {"event": "action", "name": "action_session_start", "timestamp": 1},
        {"event": "session_started", "timestamp": 1},
        {"event": "action", "name": "action_listen", "timestamp": 1},
        {"event": "action", "name": "action_greet_on_open", "timestamp": 2},
        {"event": "bot", "text": "Hi! I'm the travel assistant.", "timestamp": 2},
        {"event": "action", "name": "action_listen", "timestamp": 2},
        {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}, "timestamp": 3},
        {"event": "action", "name": "action_greet", "timestamp": 3},
        {"event": "action", "name": "action_listen", "timestamp": 3},
    ]
    story = export_story(events, DOMAIN, "opened, then hi")
    assert "action_greet_on_open" not in story and "- intent: greet" in story and "- action: action_greet" in story
