"""Rasa's REST channel (POST /webhooks/rest/webhook) with our turn rules: size limit, never silence.
For scripted tests and server-to-server use; customers use the socket channel."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput

from .turns import guarded


class RestChannel(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(guarded(on_new_message, lambda message: len(getattr(message.output_channel, "messages", []))))
