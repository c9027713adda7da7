"""python-socketio clients talking to real `rasa run` processes with our socket channel (the
session's `rasa` in tests/conftest.py, or instances a test module starts)."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Dict, List, Optional

import pytest
import socketio

from channels.identity import IdentityVerifier
from tests.conftest import NOTIFY_SECRET, SECRET  # the session's `rasa` (tests/conftest.py) is started with them

VERIFIER = IdentityVerifier(SECRET)
MAYA = "maya.chen@example.com"
DANIEL = "daniel.okafor@example.com"


class Tab:
    """One browser tab: a socket.io client that records what it receives. Like our widget it asks
    for the rich protocol and acknowledges the messages that ask for it; `rich=False` behaves as a
    stock Rasa widget, `ack=False` as a tab that shows nothing (a dead connection)."""

    def __init__(self, url: str, auth: Optional[Dict[str, Any]] = None, rich: bool = True, ack: bool = True, **client: Any) -> None:
        self.url, self.auth, self.rich, self.ack = url, auth, rich, ack
        self.client = socketio.AsyncClient(reconnection=False, **client)
        self.bot: List[Dict[str, Any]] = []
        self.errors: List[Dict[str, Any]] = []
        self.confirmed: List[Any] = []
        self.client.on("bot_uttered", self._bot)
        self.client.on("error", self.errors.append)
        self.client.on("session_confirm", self.confirmed.append)
        self.session: Dict[str, Any] = {}

    async def _bot(self, message: Dict[str, Any]) -> None:
        self.bot.append(message)
        if self.ack and isinstance(message, dict) and message.get("ack"):
            await self.client.emit("received", {"ids": [message["id"]]})

    async def open(self, session_id: Optional[str] = None) -> "Tab":
        await self.client.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=10)
        request = {"session_id": session_id, **({"rich": True} if self.rich else {})}
        self.session = await self.client.call("session_request", request, timeout=10)
        return self

    async def say(self, text: str, replies: int = 1, timeout: float = 20) -> List[Dict[str, Any]]:
        before = len(self.bot)
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session.get("session_id")})
        return await self.wait_for(before + replies, timeout)

    async def wait_for(self, count: int, timeout: float = 20) -> List[Dict[str, Any]]:
        for _ in range(int(timeout / 0.05)):
            if len(self.bot) >= count:
                break
            await asyncio.sleep(0.05)
        return self.bot

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()


async def until(condition: Callable[[], bool], patience: float = 60) -> None:
    """Returns once `condition()` holds, however busy the machine; gives up after `patience` seconds
    (the assertion that follows then says what was missing)."""
    deadline = time.monotonic() + patience
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def customer(email: str) -> Dict[str, str]:
    return {"token": VERIFIER.customer_token(email)}


def texts(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)
