"""What arrives on the socket before the channel's handlers see it.

python-socketio drops a packet it cannot decode (not JSON, or nested deeper than Python's
recursion limit) with a traceback in the log, and engine.io closes a websocket whose frame is over
its size limit, both without a word to the client. Here both become an event, `MALFORMED`, that
the channel answers with an `error` carrying the reason, before any disconnect.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from engineio.async_drivers.sanic import WebSocket
from socketio import packet

MALFORMED = "__malformed__"
MAX_FRAME_BYTES = 64 * 1024
# Frames up to this size reach the check above and get a reason; larger ones are closed by the
# websocket layer itself (close code 1009, "message too big"), before anything is buffered.
WEBSOCKET_MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 8


def malformed_frame(reason: str) -> str:
    """An engine.io MESSAGE carrying a socket.io EVENT named MALFORMED, as if the client sent it."""
    return "4" + f"{packet.EVENT}" + json.dumps([MALFORMED, reason])


# python-socketio would run the server's own connect/disconnect handlers for a client's event of
# that name (with the client's data as their arguments).
RESERVED_EVENTS = frozenset({"connect", "disconnect", "connect_error"})


class GuardedPacket(packet.Packet):
    """A socket.io packet whose decoding failure, or a client event with a reserved name, becomes a
    MALFORMED event instead of an exception or a call of a handler the client must not reach."""

    def __init__(self, *args: Any, encoded_packet: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, encoded_packet=encoded_packet, **kwargs)
        if encoded_packet is not None and not encoded_packet:  # the base class skips decoding it
            self._malformed("an empty packet")

    def decode(self, encoded_packet: Any) -> int:
        try:
            attachments = super().decode(encoded_packet)
        except RecursionError:
            return self._malformed("the payload is nested too deeply")
        except (ValueError, TypeError, IndexError):
            return self._malformed("the payload is not a valid socket.io packet with JSON data")
        if self.packet_type in (packet.EVENT, packet.BINARY_EVENT):
            if not isinstance(self.data, list) or not self.data or not isinstance(self.data[0], str):
                return self._malformed("an event needs a name")
            if self.data[0] in RESERVED_EVENTS:
                return self._malformed(f"{self.data[0]!r} is not an event a client may send")
        return attachments

    def _malformed(self, reason: str) -> int:
        self.packet_type, self.namespace = packet.EVENT, None
        self.id = getattr(self, "id", None)  # a client waiting for an answer gets one
        self.data = [MALFORMED, reason]
        return 0


WEBSOCKET_KEY = "travel.websocket"  # where the connection's GuardedWebSocket is kept in its environ


class GuardedWebSocket(WebSocket):
    """engine.io's Sanic websocket, with frames over MAX_FRAME_BYTES turned into a MALFORMED event.
    It is kept in the connection's environ, so the channel can close a connection it refused."""

    async def __call__(self, environ: dict) -> None:
        environ[WEBSOCKET_KEY] = self
        await super().__call__(environ)

    async def wait(self) -> Any:
        data = await super().wait()
        if len(data) > MAX_FRAME_BYTES:
            return malformed_frame(f"the message is {len(data)} bytes; the limit is {MAX_FRAME_BYTES}")
        return data


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when a JSON value nests lists/objects deeper than `limit` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def json_size(value: Any) -> Optional[int]:
    """The size of a JSON value in bytes, or None when it cannot be written as JSON."""
    try:
        return len(json.dumps(value, default=str))
    except (ValueError, TypeError, RecursionError):
        return None
