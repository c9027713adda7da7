"""The greeting when a customer opens the chat panel (the site's `chat_opened` activity).

The action server's `action_greet_on_open` (actions/welcome.py) runs in the conversation when
nothing has been said in its current session yet, so a customer is greeted once per session
whatever the reloads and tabs (every tab of a customer joins one conversation). The session starts
with the customer's verified identity from the channel's signed metadata, as a message would start
it, so the name the greeting uses is the one the channel verified. No intent is put in the
conversation: the first thing the customer says is read as if the greeting had been a reply.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.events import BotUttered, Restarted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

GREETING_ACTION = "action_greet_on_open"


def said_anything(tracker: DialogueStateTracker) -> bool:
    """Whether the customer or the assistant said anything since the session started."""
    for event in reversed(tracker.events):
        if isinstance(event, (SessionStarted, Restarted)):
            return False
        if isinstance(event, (UserUttered, BotUttered)):
            return True
    return False


async def greet_on_open(agent: Agent, conversation_id: str, output: OutputChannel, metadata: Optional[Dict[str, Any]]) -> bool:
    """Greets unless something was said this session; True when it greeted."""
    async with agent.lock_store.lock(conversation_id):
        tracker = await agent.processor.fetch_tracker_and_update_session(conversation_id, output, metadata)
        if said_anything(tracker):
            return False
        await agent.processor.save_tracker(tracker)  # the session start, with the identity, before the greeting reads it
        await agent.execute_action(conversation_id, GREETING_ACTION, output, None, None)
    return True
