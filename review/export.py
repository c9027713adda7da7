"""A real conversation as a test story that `rasa test` accepts: the events as Rasa sent them,
replayed into a tracker (so undone turns stay undone) and written by Rasa's own story writer."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter
from rasa.shared.core.training_data.structures import Story

EXTERNAL_PREFIX = "EXTERNAL: "
# Run by the channel, not predicted by the policies (the greeting when the chat opens,
# channels/greeting.py): no story could expect it, so a test story leaves it out.
CHANNEL_ACTIONS = {"action_greet_on_open"}


def test_story(events: List[Dict[str, Any]], domain: Domain, name: str) -> str:
    """YAML with one test story: the latest session of the conversation, turn by turn."""
    replayed = []
    for event in events:
        if event.get("event") == "action" and event.get("name") in CHANNEL_ACTIONS:
            continue
        if event.get("event") == "user" and str(event.get("text") or "").startswith(EXTERNAL_PREFIX):
            # Put in by a backend (trigger_intent), not typed: the story keeps the intent, not words.
            event = {**event, "text": None}
        replayed.append(event)
    tracker = DialogueStateTracker.from_dict(name, replayed, domain.slots)
    story = Story.from_events(tracker.applied_events(), name)
    return YAMLStoryWriter().dumps(story.story_steps, is_test_story=True)
