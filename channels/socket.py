"""Our socket.io channel for the web widget (registered in credentials.yml as
`channels.socket.SocketChannel`).

It speaks the protocol Rasa's widgets speak (`session_request`/`session_confirm`,
`user_uttered`/`bot_uttered`, quick replies, attachments, custom payloads) and adds what Rasa's
built-in socketio channel lacks:
- the conversation is bound to the verified customer (a JWT the site signs) or to a signed
  anonymous session, never to a session id the client claims;
- every tab and reload of a customer joins the same conversation, and can fetch its history;
- `trigger_intent?output_channel=socket` and the signed `/webhooks/socket/notify` push to every open
  tab, on any instance (Redis), and a push for a customer who is offline waits in the outbox until
  they connect;
- page activity, handed to the proactive engine (offers of help when the customer struggles);
- the help desk's signed ticket webhook at `/webhooks/socket/tickets`, told to the customer;
- size and rate limits, and clear errors for bad input.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import socket as socket_module
import time
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncRedisManager, AsyncServer
from socketio.exceptions import ConnectionRefusedError as RefuseConnection

from actions.common import ticketing
from common.buttons import button_titles
from proactive import tickets
from proactive.engine import ProactiveEngine

from . import activity
from .identity import IdentityRefused, IdentityVerifier
from .presence import make_presence
from .store import ChannelStore
from .turns import guarded

log = logging.getLogger(__name__)

DEV_KEY = "dev-only-socket-channel-key-change-me-in-production"
CONVERSATION_ID = re.compile(r"^[ac]-[0-9a-f]{32}$")
NOTIFY_MAX_AGE_SECONDS = 300
FLOOD_DISCONNECT_AFTER = 20


def _setting(credentials: Dict[str, Any], key: str, env: str, default: Any = None) -> Any:
    value = credentials.get(key)
    return value if value not in (None, "") else os.environ.get(env, default)


def notify_signature(secret: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256 of "<timestamp>." + body: what a backend sends as X-Signature."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class TokenBucket:
    """`capacity` events at once, refilled at `rate` per second."""

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity, self.rate = capacity, rate
        self.tokens, self.stamp = capacity, time.monotonic()
        self.refusals = 0

    def take(self) -> Optional[float]:
        """None when allowed, else the seconds until the next event would be."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.refusals = 0
            return None
        self.refusals += 1
        return (1 - self.tokens) / self.rate


class SocketOutput(OutputChannel):
    """Sends the assistant's messages to a conversation, wherever and whenever its tabs are."""

    @classmethod
    def name(cls) -> Text:
        return "socket"

    def __init__(self, channel: "SocketChannel") -> None:
        self.channel = channel
        self.sent = 0

    async def _send(self, recipient_id: Text, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self.channel.deliver(recipient_id, message)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """One bot_uttered per message, with its text, buttons and card together (Rasa's default
        splits them), so the widget shows a card's choices on the card, as the tracker keeps it."""
        payload = {key: message[key] for key in ("text", "custom", "attachment") if message.get(key)}
        buttons = message.get("buttons") or message.get("quick_replies")
        if buttons:
            payload["buttons"] = buttons
            payload["quick_replies"] = [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]
        if message.get("image"):
            payload["attachment"] = {"type": "image", "payload": {"src": message["image"]}}
        if payload:
            await self._send(recipient_id, payload)
        for element in message.get("elements") or ():
            await self._send(recipient_id, {"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": element}}})

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, {"text": text})


class SocketBlueprint(Blueprint):
    """Attaches the socket.io server to Rasa's Sanic app, and remembers the app (for the agent)."""

    def __init__(self, channel: "SocketChannel", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app, options) -> None:
        self.ctx.channel.app = app
        self.ctx.channel.sio.attach(app, self.ctx.channel.socketio_path)
        super().register(app, options)


class SocketChannel(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "socket"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        key = _setting(credentials, "jwt_key", "CHANNEL_JWT_SECRET")
        if not key:
            log.warning("No CHANNEL_JWT_SECRET set: using the development key. Set one in production.")
            key = DEV_KEY
        return cls(
            jwt_key=key,
            jwt_algorithm=credentials.get("jwt_algorithm", "HS256"),
            notify_secret=_setting(credentials, "notify_secret", "CHANNEL_NOTIFY_SECRET"),
            redis_url=_setting(credentials, "redis_url", "REDIS_URL"),
            database_url=_setting(credentials, "database_url", "CHANNEL_DATABASE_URL", "sqlite:///var/channel.db"),
            ticket_webhook_secret=_setting(credentials, "ticket_webhook_secret", "TICKET_WEBHOOK_SECRET"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            cors_allowed_origins=credentials.get("cors_allowed_origins", "*"),
            messages_per_minute=int(credentials.get("messages_per_minute", 30)),
        )

    def __init__(
        self,
        jwt_key: str,
        jwt_algorithm: str = "HS256",
        notify_secret: Optional[str] = None,
        redis_url: Optional[str] = None,
        database_url: str = "sqlite:///var/channel.db",
        ticket_webhook_secret: Optional[str] = None,
        socketio_path: str = "/socket.io",
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        cors_allowed_origins: Any = "*",
        messages_per_minute: int = 30,
    ) -> None:
        self.verifier = IdentityVerifier(jwt_key, jwt_algorithm)
        self.notify_secret = notify_secret
        self.redis_url = redis_url
        self.socketio_path = socketio_path
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.messages_per_minute = messages_per_minute
        self.instance = f"{socket_module.gethostname()}-{os.getpid()}"
        self.store = ChannelStore(database_url)
        self.ticket_webhook_secret = ticket_webhook_secret
        self.proactive = ProactiveEngine(self.store, self.trigger, self.slot)
        self.presence = make_presence(redis_url, self.instance)
        manager = AsyncRedisManager(redis_url) if redis_url else None
        self.sio = AsyncServer(async_mode="sanic", cors_allowed_origins=cors_allowed_origins, client_manager=manager,
                               max_http_buffer_size=64 * 1024)
        self.app = None
        self._limits: Dict[str, Dict[str, TokenBucket]] = {}
        self._refresher = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        """For `trigger_intent?output_channel=socket`: works on every instance, for any customer."""
        return SocketOutput(self)

    # --- delivery ---------------------------------------------------------------------------------

    async def deliver(self, conversation_id: str, message: Dict[str, Any]) -> None:
        """Emits to every open tab of the conversation; keeps the message for later if none is open."""
        message = {**message, "id": uuid.uuid4().hex, "timestamp": time.time()}
        if await self.presence.online(conversation_id):
            await self.sio.emit(self.bot_message_evt, message, room=conversation_id)
            return
        await self.store.put(conversation_id, message)
        if await self.presence.online(conversation_id):  # a tab opened while we were storing it
            await self.flush(conversation_id)

    async def flush(self, conversation_id: str) -> None:
        for message in await self.store.take(conversation_id):
            await self.sio.emit(self.bot_message_evt, message, room=conversation_id)

    async def history(self, conversation_id: str, limit: int) -> List[Dict[str, Any]]:
        tracker = await self.app.ctx.agent.tracker_store.retrieve(conversation_id) if self.app else None
        if tracker is None:
            return []
        items: List[Dict[str, Any]] = []
        titles: Dict[str, str] = {}  # a clicked button's payload → the title the customer saw
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text:
                text = titles.get(event.text) if event.text.startswith("/") else event.text
                if text:
                    items.append({"sender": "user", "text": text, "timestamp": event.timestamp})
            elif isinstance(event, BotUttered):
                titles = button_titles(event.data) or titles
                items.append({"sender": "bot", "text": event.text, "data": {k: v for k, v in (event.data or {}).items() if v},
                              "timestamp": event.timestamp})
        return items[-limit:]

    async def _keep_presence(self) -> None:
        """Keeps this instance's sockets marked online in the shared presence store."""
        while True:
            await self.sio.sleep(15)
            try:
                await self.presence.refresh()
            except Exception:  # Redis briefly away: entries live 45 s, the next round catches up
                log.exception("refreshing presence failed")

    # --- the socket.io protocol -------------------------------------------------------------------

    def _limit(self, sid: str, kind: str) -> Optional[float]:
        buckets = self._limits.setdefault(sid, {
            "message": TokenBucket(capacity=max(3, self.messages_per_minute // 3), rate=self.messages_per_minute / 60),
            "activity": TokenBucket(capacity=20, rate=2),
        })
        return buckets[kind].take()

    async def _refuse(self, sid: str, code: str, reason: str, kind: str = "message") -> None:
        await self.sio.emit("error", {"code": code, "reason": reason}, to=sid)
        bucket = self._limits.get(sid, {}).get(kind)
        if bucket and bucket.refusals >= FLOOD_DISCONNECT_AFTER:
            await self.sio.emit("error", {"code": "disconnected", "reason": "too many messages in a short time"}, to=sid)
            await self.sio.disconnect(sid)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = self.sio
        handle = guarded(on_new_message, lambda message: message.output_channel.sent)
        bp = SocketBlueprint(self, "socket_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @bp.route("/notify", methods=["POST"])
        async def notify(request: Request):
            return await self._notify(request)

        @bp.route("/tickets", methods=["POST"])
        async def ticket_webhook(request: Request):
            return await self._ticket_webhook(request)

        @sio.on("connect")
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> None:
            try:
                identity = self.verifier.identify(auth)
            except IdentityRefused as exc:
                raise RefuseConnection(str(exc))
            await sio.save_session(sid, {"conversation_id": identity.conversation_id, "customer": identity.customer,
                                         "session_token": identity.session_token, "joined": False})
            if self._refresher is None:
                self._refresher = sio.start_background_task(self._keep_presence)

        @sio.on("disconnect")
        async def disconnect(sid: str) -> None:
            session = await sio.get_session(sid)
            self._limits.pop(sid, None)
            if session.get("joined"):
                await self.presence.remove(session["conversation_id"], sid)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> Dict[str, Any]:
            session = await sio.get_session(sid)
            conversation_id = session["conversation_id"]
            claimed = data.get("session_id") if isinstance(data, dict) else None
            if claimed and claimed != conversation_id:
                log.info("socket %s asked for session %s; bound to its own conversation instead", sid, claimed)
            sio.enter_room(sid, conversation_id)
            session["joined"] = True
            await sio.save_session(sid, session)
            await self.presence.add(conversation_id, sid)
            confirm = {"session_id": conversation_id, "anonymous": session["customer"] is None}
            if session["session_token"]:
                confirm["session_token"] = session["session_token"]
            await sio.emit("session_confirm", confirm, to=sid)
            await self.flush(conversation_id)
            return confirm

        @sio.on(self.user_message_evt)
        async def user_message(sid: str, data: Any = None) -> None:
            session = await sio.get_session(sid)
            if not session.get("joined"):
                await session_request(sid, {})
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                await self._refuse(sid, "malformed_message", f"{self.user_message_evt} needs {{\"message\": text}}")
                return
            wait = self._limit(sid, "message")
            if wait is not None:
                await self._refuse(sid, "rate_limited", f"too many messages; try again in {wait:.0f} s")
                return
            metadata: Dict[str, Any] = {}
            if session["customer"]:
                metadata["customer"] = session["customer"]
            client = data.get("customData")
            if isinstance(client, dict) and len(json.dumps(client, default=str)) <= 2048:
                metadata["client"] = client  # what the page says about itself; never identity
            text = data["message"]
            message = UserMessage(text, SocketOutput(self), session["conversation_id"], input_channel=self.name(), metadata=metadata)
            await handle(message)

        @sio.on("history_request")
        async def history_request(sid: str, data: Any = None) -> List[Dict[str, Any]]:
            session = await sio.get_session(sid)
            limit = data.get("limit", 50) if isinstance(data, dict) else 50
            limit = limit if isinstance(limit, int) and 0 < limit <= 200 else 50
            items = await self.history(session["conversation_id"], limit)
            await sio.emit("history", {"messages": items}, to=sid)
            return items

        @sio.on("activity")
        async def page_activity(sid: str, data: Any = None) -> Dict[str, Any]:
            session = await sio.get_session(sid)
            wait = self._limit(sid, "activity")
            if wait is not None:
                await self._refuse(sid, "rate_limited", f"too much activity; try again in {wait:.0f} s", "activity")
                return {"accepted": False}
            try:
                event = activity.validate(data)
            except activity.ActivityRejected as exc:
                await self._refuse(sid, "invalid_activity", str(exc), "activity")
                return {"accepted": False, "reason": str(exc)}
            await self.store.record_activity(session["conversation_id"], event)
            await activity.publish(session["conversation_id"], event)
            sio.start_background_task(self._look_for_struggle, session["conversation_id"], event)
            return {"accepted": True}

        @sio.on("*")
        async def unknown(event: str, sid: str, data: Any = None) -> None:
            await self._refuse(sid, "unknown_event", f"unknown event {event!r}")

        return bp

    # --- pushes from backends ---------------------------------------------------------------------

    async def _notify(self, request: Request):
        """POST /webhooks/socket/notify: a backend triggers an intent in a customer's conversation.
        Signed: X-Timestamp (unix seconds) and X-Signature = notify_signature(secret, timestamp, body)."""
        if not self.notify_secret:
            return response.json({"error": "notify is not configured (CHANNEL_NOTIFY_SECRET)"}, status=503)
        timestamp = request.headers.get("X-Timestamp", "")
        signature = request.headers.get("X-Signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > NOTIFY_MAX_AGE_SECONDS:
            return response.json({"error": "missing or stale X-Timestamp"}, status=401)
        if not hmac.compare_digest(signature, notify_signature(self.notify_secret, timestamp, request.body or b"")):
            return response.json({"error": "bad signature"}, status=401)
        try:
            data = json.loads(request.body or b"")
        except ValueError:
            return response.json({"error": "body is not JSON"}, status=400)
        if not isinstance(data, dict):
            return response.json({"error": "body must be a JSON object"}, status=400)
        email, conversation_id = data.get("customer_email"), data.get("conversation_id")
        if isinstance(email, str) and "@" in email:
            conversation_id = self.verifier.conversation_for(email)
        if not isinstance(conversation_id, str) or not CONVERSATION_ID.match(conversation_id):
            return response.json({"error": "give customer_email or a conversation_id"}, status=400)
        intent = data.get("intent")
        if intent not in self.app.ctx.agent.domain.intents:
            return response.json({"error": f"unknown intent {intent!r}"}, status=400)
        entities = data.get("entities") or {}
        if not isinstance(entities, dict):
            return response.json({"error": "entities must be an object"}, status=400)
        delivered = await self.trigger(conversation_id, intent, entities, email if isinstance(email, str) and "@" in email else None)
        return response.json({"conversation_id": conversation_id, "delivered": delivered}, status=202)

    async def trigger(self, conversation_id: str, intent: str, entities: Dict[str, Any], email: Optional[str] = None) -> str:
        """Puts an intent into the conversation (as trigger_intent does) and sends the replies to
        the customer's tabs, or to the outbox. Returns "now" or "on next visit"."""
        agent = self.app.ctx.agent
        output = SocketOutput(self)
        metadata = {"customer": {"email": email.strip().lower()}} if email else None
        async with agent.lock_store.lock(conversation_id):
            # A customer who never chatted gets a session started first, as a message would.
            tracker = await agent.processor.fetch_tracker_and_update_session(conversation_id, output, metadata)
            await agent.trigger_intent(intent, [{"entity": k, "value": v} for k, v in entities.items()], output, tracker)
        return "now" if await self.presence.online(conversation_id) else "on next visit"

    async def slot(self, conversation_id: str, name: str) -> Any:
        tracker = await self.app.ctx.agent.tracker_store.retrieve(conversation_id) if self.app else None
        return tracker.get_slot(name) if tracker else None

    async def _look_for_struggle(self, conversation_id: str, event: Dict[str, Any]) -> None:
        try:
            await self.proactive.on_activity(conversation_id, event)
        except Exception:  # the page must not notice; the next event looks again
            log.exception("the proactive engine failed on %s", conversation_id)

    async def _ticket_webhook(self, request: Request):
        """POST /webhooks/socket/tickets: the help desk says a ticket's status changed."""
        if not self.ticket_webhook_secret:
            return response.json({"error": "ticket webhook is not configured (TICKET_WEBHOOK_SECRET)"}, status=503)
        body = request.body or b""
        if not tickets.signature_ok(self.ticket_webhook_secret, request.headers.get("X-Zendesk-Webhook-Signature-Timestamp", ""),
                                    body, request.headers.get("X-Zendesk-Webhook-Signature", "")):
            return response.json({"error": "bad signature"}, status=401)
        try:
            change = tickets.parse(json.loads(body))
        except ValueError as exc:  # BadEvent and JSON errors alike
            return response.json({"error": str(exc)}, status=400)
        if not await self.store.first_time(change.event_id):
            return response.json({"event": change.event_id, "status": "already handled"})
        try:
            user = await asyncio.to_thread(ticketing().get_user, change.requester_id)
            if not user.email:
                return response.json({"event": change.event_id, "status": "requester has no email; nobody to tell"})
            delivered = await self.trigger(self.verifier.conversation_for(user.email), "ticket_status",
                                           {"ticket_id": str(change.ticket_id)}, user.email)
        except Exception as exc:  # the help desk or the assistant failing alike
            await self.store.forget(change.event_id)  # answered 5xx: the help desk sends it again
            log.exception("ticket event %s could not be handled", change.event_id)
            return response.json({"error": f"could not handle the event: {type(exc).__name__}"}, status=503)
        return response.json({"event": change.event_id, "delivered": delivered})
