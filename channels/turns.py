"""Rules every channel applies to a customer's turn: a message size limit, and never silence; a
turn that failed is taken back, so "please try again" really works."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, List

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered, UserUtteranceReverted
from sanic import Sanic

from .requests import split_requests

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
TOO_LONG = f"That message is too long for me (over {MAX_MESSAGE_CHARS} characters). Could you say it more briefly?"
NO_ANSWER = (
    "Sorry, something went wrong on my side and I couldn't finish that. Nothing was booked or changed. "
    "Please try again in a moment, or say \"talk to an agent\"."
)


def guarded(on_new_message: Callable[[UserMessage], Awaitable[Any]], sent: Callable[[UserMessage], int]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wraps Rasa's message handler. Oversized messages are answered without reaching the NLU; a turn
    that ends with no reply at all (the action server down, an action that crashed) gets an honest
    message instead of silence. `sent` counts the replies already sent for a message."""

    async def handle(message: UserMessage) -> None:
        if message.text and len(message.text) > MAX_MESSAGE_CHARS:
            await message.output_channel.send_text_message(message.sender_id, TOO_LONG)
            return
        for turn in await _turns(message):
            try:
                await on_new_message(turn)
            except Exception:  # Rasa already logged it; the customer must still get an answer
                log.exception("handling a message from %s failed", message.sender_id)
            message = turn
        if sent(message) == 0:
            await forget_turn(message)
            await message.output_channel.send_text_message(message.sender_id, NO_ANSWER)

    return handle


async def _turns(message: UserMessage) -> List[UserMessage]:
    """The message, its two requests as two turns, or the request left once a preface ("thanks,",
    "quick question:") is dropped (channels/requests.py)."""
    try:
        agent = Sanic.get_app().ctx.agent
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        parts = await split_requests(message.text or "", agent.parse_message, form_open=bool(tracker and tracker.active_loop_name))
    except Exception:  # reading it whole is always possible
        log.exception("could not look for two requests in a message from %s", message.sender_id)
        return [message]
    if parts == [message.text]:
        return [message]
    return [UserMessage(part, message.output_channel, message.sender_id, input_channel=message.input_channel, metadata=message.metadata)
            for part in parts]


async def forget_turn(message: UserMessage) -> None:
    """Takes the failed turn out of the conversation (UserUtteranceReverted), so the same message
    sent again is understood as it was the first time, not after an action that never ran."""
    try:
        agent = Sanic.get_app().ctx.agent
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.tracker_store.retrieve(message.sender_id)
            last = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None) if tracker else None
            if last is not None and last.message_id == message.message_id:
                # As Rasa's own rephrase does: rewind the turn, then listen (the rewind removes the
                # listen that came before the message).
                tracker.update(UserUtteranceReverted())
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await agent.tracker_store.save(tracker)
    except Exception:  # the stores themselves may be what failed; the honest answer still goes out
        log.exception("could not take back the failed turn of %s", message.sender_id)
