"""The assistant's messages as each kind of client reads them.

Our widget asks for the rich form (`session_request` with `{"rich": true}`): one `bot_uttered`
per message with its text, buttons and card together, an `id` and a `timestamp`. The id is made
from the conversation and the tracker event's timestamp, so the same message has the same id live,
from the outbox and in the restored history: the widget shows each id once and acknowledges it.

Every other client gets the shapes of Rasa's own socketio channel, which stock widgets such as
rasa-webchat accept: `{text}`, `{text, quick_replies}`, `{attachment}` or the custom payload,
a text split into one message per paragraph, no extra keys.
"""
from __future__ import annotations

import hashlib
import uuid
from typing import Any, Dict, List, Optional

from rasa.core.channels.channel import OutputChannel


def message_id(conversation_id: str, timestamp: Optional[float], part: int = 0) -> str:
    """The id of a message made from one tracker event (a random one for messages that are not)."""
    if timestamp is None:
        return uuid.uuid4().hex[:24]
    return hashlib.sha256(f"{conversation_id}|{timestamp!r}|{part}".encode()).hexdigest()[:24]


def rich(conversation_id: str, message: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Our widget's messages for one of Rasa's bot messages (BotUttered.message())."""
    payload = {key: message[key] for key in ("text", "custom", "attachment") if message.get(key)}
    buttons = message.get("buttons") or message.get("quick_replies")
    if buttons:
        payload["buttons"] = buttons
        payload["quick_replies"] = quick_replies(buttons)
    if message.get("image"):
        payload["attachment"] = {"type": "image", "payload": {"src": message["image"]}}
    parts = [payload] if payload else []
    parts += [{"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": element}}}
              for element in message.get("elements") or ()]
    stamp = message.get("timestamp")
    return [{**part, "id": message_id(conversation_id, stamp, i), "timestamp": stamp} for i, part in enumerate(parts)]


def basic(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Rasa socketio's messages for one bot message, as stock widgets expect them."""
    out: List[Dict[str, Any]] = []
    text = message.get("text")
    buttons = message.get("buttons") or message.get("quick_replies")
    if text:
        out += [{"text": part} for part in text.strip().split("\n\n") if part] or [{"text": text}]
    if buttons:
        if not out:
            out.append({"text": ""})
        out[-1]["quick_replies"] = quick_replies(buttons)
    if message.get("image"):
        out.append({"attachment": {"type": "image", "payload": {"src": message["image"]}}})
    if message.get("attachment"):
        out.append({"attachment": message["attachment"]})
    out += [{"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": element}}}
            for element in message.get("elements") or ()]
    if isinstance(message.get("custom"), dict):
        out.append(message["custom"])
    return out


def quick_replies(buttons: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{"content_type": "text", "title": b.get("title"), "payload": b.get("payload")} for b in buttons if isinstance(b, dict)]


class SocketOutput(OutputChannel):
    """Sends the assistant's messages to a conversation, wherever and whenever its tabs are.
    `push` marks messages nobody asked for in this turn (trigger_intent, notify, the help desk's
    webhook, proactive offers): those are kept until a tab acknowledges them."""

    @classmethod
    def name(cls) -> str:
        return "socket"

    def __init__(self, channel: Any, push: bool = False) -> None:
        self.channel = channel
        self.push = push
        self.sent = 0
        self.ids: List[str] = []

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        parts = rich(recipient_id, message)
        self.ids += [p["id"] for p in parts]
        await self.channel.deliver(recipient_id, parts, basic(message), push=self.push)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})
