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
- limits per socket, per conversation and per address, and an `error` with a reason for bad
  input (channels/limits.py, channels/wire.py);
- stock Rasa widgets (rasa-webchat) get Rasa socketio's message shapes, our widget the rich ones
  with message ids it acknowledges (channels/output.py).
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket as socket_module
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncRedisManager, AsyncServer
from socketio.exceptions import ConnectionRefusedError as RefuseConnection

from common.buttons import button_titles
from common.identity import SECRET_ENV as IDENTITY_SECRET_ENV
from common.identity import signed_customer
from common.text import well_formed, well_formed_json
from proactive.engine import ProactiveEngine

from . import activity, webhooks, wire
from .greeting import greet_on_open
from .identity import IdentityRefused, IdentityVerifier
from .limits import LimitSettings, Limits, client_address
from .output import SocketOutput, basic, message_id
from .presence import make_presence
from .store import DEFAULT_OUTBOX_TTL_SECONDS, ChannelStore
from .turns import guarded

log = logging.getLogger(__name__)

FLOOD_DISCONNECT_AFTER = 20
BASIC_ROOM = "#basic"  # suffix of the room of a conversation's stock-widget sockets
ACK_WAIT_SECONDS = 3.0  # how long a push waits for a tab to say it has it
REFUSAL_DELAY_SECONDS = 2.0  # how long a connection over its address's limits waits for its 429
MAX_CLIENT_DATA_BYTES = 2048
# Values that were once published as defaults: never accepted as secrets.
PUBLIC_SECRETS = frozenset({"dev-only-socket-channel-key-change-me-in-production", "dev-only-notify-secret-change-me-in-production",
                            "dev-only-ticket-webhook-secret", "change-me", "secret", "check"})


def _setting(credentials: Dict[str, Any], key: str, env: str, default: Any = None) -> Any:
    value = credentials.get(key)
    return value if value not in (None, "") else os.environ.get(env, default)


def required_secret(value: Optional[str], env: str) -> str:
    """The secret, or a refusal to start: a missing or published secret lets anyone forge."""
    if not value:
        raise ValueError(f"{env} is not set: the socket channel will not start without it (make run creates one in var/secrets.env)")
    if value in PUBLIC_SECRETS:
        raise ValueError(f"{env} is a published development value: set a random one")
    return value


class SocketBlueprint(Blueprint):
    """Attaches the socket.io server to Rasa's Sanic app, and remembers the app (for the agent)."""

    def __init__(self, channel: "SocketChannel", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app, options) -> None:
        channel = self.ctx.channel
        channel.app = app
        app.config.WEBSOCKET_MAX_SIZE = max(app.config.WEBSOCKET_MAX_SIZE, wire.WEBSOCKET_MAX_BYTES)

        async def engineio(request: Request):
            if "sid" not in request.args:  # a new connection: refused here, before any handshake
                refused = channel.limits.admits(channel.address(request.ip, request.headers.get("X-Forwarded-For")))
                if refused:
                    # Answered late: a client that retries on refusal (most flood scripts, and
                    # socket.io clients) comes back slower, and waiting costs us nothing.
                    await asyncio.sleep(REFUSAL_DELAY_SECONDS)
                    return response.json({"error": "too_many_connections", "reason": refused}, status=429,
                                         headers={"Retry-After": str(round(REFUSAL_DELAY_SECONDS))})
            return await channel.sio.eio.handle_request(request)

        # What sio.attach does, plus Sanic's websocket mark: engine.io answers a websocket that has
        # ended with None, which Sanic otherwise logs as an ERROR with a traceback at every close.
        engineio.is_websocket = True
        app.add_route(engineio, f"/{channel.socketio_path.strip('/')}/", methods=["GET", "POST", "OPTIONS"])
        app.enable_websocket()
        super().register(app, options)


class SocketChannel(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "socket"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        proxies = _setting(credentials, "trusted_proxies", "CHANNEL_TRUSTED_PROXIES", "")
        return cls(
            jwt_key=required_secret(_setting(credentials, "jwt_key", "CHANNEL_JWT_SECRET"), "CHANNEL_JWT_SECRET"),
            identity_secret=required_secret(_setting(credentials, "identity_secret", IDENTITY_SECRET_ENV), IDENTITY_SECRET_ENV),
            jwt_algorithm=credentials.get("jwt_algorithm", "HS256"),
            notify_secret=_setting(credentials, "notify_secret", "CHANNEL_NOTIFY_SECRET"),
            redis_url=_setting(credentials, "redis_url", "REDIS_URL"),
            database_url=_setting(credentials, "database_url", "CHANNEL_DATABASE_URL", "sqlite:///var/channel.db"),
            ticket_webhook_secret=_setting(credentials, "ticket_webhook_secret", "TICKET_WEBHOOK_SECRET"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            cors_allowed_origins=credentials.get("cors_allowed_origins", "*"),
            limits=LimitSettings.from_env(**{k: credentials.get(k) for k in
                                             ("messages_per_minute", "address_messages_per_minute", "sockets_per_address",
                                              "connects_per_minute")}),
            trusted_proxies=[p.strip() for p in str(proxies).split(",") if p.strip()],
            outbox_ttl_seconds=float(_setting(credentials, "outbox_ttl_seconds", "CHANNEL_OUTBOX_TTL_SECONDS",
                                              DEFAULT_OUTBOX_TTL_SECONDS)),
        )

    def __init__(
        self,
        jwt_key: str,
        identity_secret: str,
        jwt_algorithm: str = "HS256",
        notify_secret: Optional[str] = None,
        redis_url: Optional[str] = None,
        database_url: str = "sqlite:///var/channel.db",
        ticket_webhook_secret: Optional[str] = None,
        socketio_path: str = "/socket.io",
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        cors_allowed_origins: Any = "*",
        limits: Optional[LimitSettings] = None,
        trusted_proxies: Optional[List[str]] = None,
        outbox_ttl_seconds: float = DEFAULT_OUTBOX_TTL_SECONDS,
    ) -> None:
        self.verifier = IdentityVerifier(jwt_key, jwt_algorithm)
        self.identity_secret = identity_secret
        self.notify_secret = notify_secret
        self.redis_url = redis_url
        self.socketio_path = socketio_path
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.instance = f"{socket_module.gethostname()}-{os.getpid()}"
        self.store = ChannelStore(database_url, outbox_ttl_seconds)
        self.ticket_webhook_secret = ticket_webhook_secret
        self.proactive = ProactiveEngine(self.store, self.trigger, self.slot)
        self.presence = make_presence(redis_url, self.instance)
        self.limits = Limits(limits or LimitSettings())
        self.trusted_proxies = trusted_proxies or []
        manager = AsyncRedisManager(redis_url) if redis_url else None
        self.sio = AsyncServer(async_mode="sanic", cors_allowed_origins=cors_allowed_origins, client_manager=manager,
                               max_http_buffer_size=wire.MAX_FRAME_BYTES)
        self.sio.packet_class = wire.GuardedPacket
        self.sio.eio._async = {**self.sio.eio._async, "websocket": wire.GuardedWebSocket}
        self.app = None
        self._refresher = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        """For `trigger_intent?output_channel=socket`: works on every instance, for any customer."""
        return SocketOutput(self, push=True)

    # --- delivery ---------------------------------------------------------------------------------

    async def deliver(self, conversation_id: str, parts: List[Dict[str, Any]], basic_parts: List[Dict[str, Any]],
                      push: bool = False) -> None:
        """Emits to every open tab of the conversation, in the form each tab reads. A push, or any
        message while no tab is open, is also kept in the outbox until a tab acknowledges it."""
        online = await self.presence.online(conversation_id)
        if push or not online:
            parts = [{**part, "ack": True} for part in parts]
            await self.store.put(conversation_id, parts)
            online = online or await self.presence.online(conversation_id)  # a tab opened meanwhile
        if online:
            for part in parts:
                await self.sio.emit(self.bot_message_evt, part, room=conversation_id)
            for part in basic_parts:
                await self.sio.emit(self.bot_message_evt, part, room=conversation_id + BASIC_ROOM)

    async def _flush(self, sid: str, conversation_id: str, rich: bool) -> None:
        """What waits in the outbox, to a socket that just joined: kept until acknowledged for our
        widget, handed over once for a stock widget (which cannot acknowledge)."""
        if rich:
            for part in await self.store.waiting(conversation_id):
                await self.sio.emit(self.bot_message_evt, part, to=sid)
            return
        for part in await self.store.take(conversation_id):
            for message in basic(part):
                await self.sio.emit(self.bot_message_evt, message, to=sid)

    async def _acknowledged(self, conversation_id: str, ids: List[str]) -> bool:
        """Waits up to ACK_WAIT_SECONDS for a tab, on any instance, to acknowledge every id."""
        deadline = asyncio.get_running_loop().time() + ACK_WAIT_SECONDS
        while True:
            waiting = {part.get("id") for part in await self.store.waiting(conversation_id)}
            if not waiting.intersection(ids):
                return True
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.1)

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
                items.append({"sender": "bot", "id": message_id(conversation_id, event.timestamp), "text": event.text,
                              "data": {k: v for k, v in (event.data or {}).items() if v}, "timestamp": event.timestamp})
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

    def address(self, peer: Optional[str], forwarded_for: Optional[str]) -> str:
        """The client's address, for the limits per address."""
        return client_address(peer or "unknown", forwarded_for, self.trusted_proxies)

    async def _close_refused(self, environ: Dict[str, Any]) -> None:
        """Ends the engine.io connection under a refused socket.io connection, which python-socketio
        would keep open (and pinged) for as long as the client likes, outside every limit."""
        await self.sio.sleep(1)  # the refusal's reason goes out first
        for eio_sid, known in list(self.sio.environ.items()):
            if known is environ:
                await self.sio.eio.disconnect(eio_sid)
        websocket = environ.get(wire.WEBSOCKET_KEY)
        if websocket is not None:  # engine.io's close is a packet a client may ignore; this is not
            await websocket.close()

    async def _refuse(self, sid: str, code: str, reason: str) -> None:
        await self.sio.emit("error", {"code": code, "reason": reason}, to=sid)
        if self.limits.refusals(sid) >= FLOOD_DISCONNECT_AFTER:
            await self.sio.emit("error", {"code": "disconnected", "reason": "too many messages in a short time"}, to=sid)
            await self.sio.disconnect(sid)

    async def _rate_limited(self, sid: str, session: Dict[str, Any]) -> bool:
        wait = self.limits.message(sid, session["conversation_id"], session["address"], anonymous=session["customer"] is None)
        if wait is not None:
            await self._refuse(sid, "rate_limited", f"too many messages; try again in {max(1, round(wait))} s")
        return wait is not None

    def _metadata(self, session: Dict[str, Any], data: Dict[str, Any]) -> Dict[str, Any]:
        metadata: Dict[str, Any] = {}
        if session["customer"]:
            customer = session["customer"]
            metadata["customer"] = signed_customer(self.identity_secret, session["conversation_id"], customer["email"], customer["name"])
        client = data.get("customData")
        if isinstance(client, dict) and not wire.too_deep(client) and (wire.json_size(client) or MAX_CLIENT_DATA_BYTES + 1) <= MAX_CLIENT_DATA_BYTES:
            metadata["client"] = well_formed_json(client)  # what the page says about itself; never identity
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = self.sio
        handle = guarded(on_new_message, lambda message: message.output_channel.sent)
        bp = SocketBlueprint(self, "socket_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @bp.route("/notify", methods=["POST"])
        async def notify(request: Request):
            return await webhooks.notify(self, request)

        @bp.route("/tickets", methods=["POST"])
        async def ticket_webhook(request: Request):
            return await webhooks.ticket_changed(self, request)

        @sio.on("connect")
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> None:
            request = environ.get("sanic.request")
            address = self.address(getattr(request, "ip", None), environ.get("HTTP_X_FORWARDED_FOR"))
            refused = self.limits.connect(address)
            if refused is None:
                try:
                    identity = self.verifier.identify(auth)
                except IdentityRefused as exc:
                    self.limits.disconnect(sid, address)
                    refused = str(exc)
            if refused is not None:
                sio.start_background_task(self._close_refused, environ)
                raise RefuseConnection(refused)
            await sio.save_session(sid, {"conversation_id": identity.conversation_id, "customer": identity.customer,
                                         "session_token": identity.session_token, "joined": False, "rich": False,
                                         "address": address})
            if self._refresher is None:
                self._refresher = sio.start_background_task(self._keep_presence)

        @sio.on("disconnect")
        async def disconnect(sid: str) -> None:
            session = await sio.get_session(sid)
            self.limits.disconnect(sid, session.get("address"))
            if session.get("joined"):
                await self.presence.remove(session["conversation_id"], sid)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> Dict[str, Any]:
            session = await sio.get_session(sid)
            conversation_id = session["conversation_id"]
            claimed = data.get("session_id") if isinstance(data, dict) else None
            if claimed and claimed != conversation_id:
                log.info("socket %s asked for session %s; bound to its own conversation instead", sid, claimed)
            rich = isinstance(data, dict) and data.get("rich") is True
            sio.enter_room(sid, conversation_id if rich else conversation_id + BASIC_ROOM)
            session.update(joined=True, rich=rich)
            await sio.save_session(sid, session)
            await self.presence.add(conversation_id, sid)
            confirm = {"session_id": conversation_id, "anonymous": session["customer"] is None}
            if session["session_token"]:
                confirm["session_token"] = session["session_token"]
            # Rasa's own socketio channel confirms with the bare id, which stock widgets expect.
            await sio.emit("session_confirm", confirm if rich else conversation_id, to=sid)
            await self._flush(sid, conversation_id, rich)
            return confirm

        @sio.on(self.user_message_evt)
        async def user_message(sid: str, data: Any = None) -> None:
            session = await sio.get_session(sid)
            if not session.get("joined"):
                await session_request(sid, {})
                session = await sio.get_session(sid)
            if await self._rate_limited(sid, session):
                return
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                await self._refuse(sid, "malformed_message", f"{self.user_message_evt} needs {{\"message\": text}}")
                return
            text = well_formed(data["message"])
            message = UserMessage(text, SocketOutput(self), session["conversation_id"], input_channel=self.name(),
                                  metadata=self._metadata(session, data))
            await handle(message)

        @sio.on("received")
        async def received(sid: str, data: Any = None) -> Dict[str, Any]:
            session = await sio.get_session(sid)
            ids = data.get("ids") if isinstance(data, dict) else None
            if not isinstance(ids, list) or not 0 < len(ids) <= 100 or not all(isinstance(i, str) and len(i) <= 64 for i in ids):
                await self._refuse(sid, "malformed_ack", "received needs {\"ids\": [message id, ...]} (1 to 100 ids)")
                return {"acknowledged": 0}
            return {"acknowledged": await self.store.acknowledge(session["conversation_id"], ids)}

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
            wait = self.limits.activity(sid)
            if wait is not None:
                await self._refuse(sid, "rate_limited", f"too much activity; try again in {max(1, round(wait))} s")
                return {"accepted": False}
            try:
                event = activity.validate(well_formed_json(data) if not wire.too_deep(data) else None)
            except activity.ActivityRejected as exc:
                await self._refuse(sid, "invalid_activity", str(exc))
                return {"accepted": False, "reason": str(exc)}
            await self.store.record_activity(session["conversation_id"], event)
            await activity.publish(session["conversation_id"], event)
            self._to_event_broker(session["conversation_id"], event)
            if event["type"] == "chat_opened":  # answered once the greeting, if any, is out
                return {"accepted": True, "greeted": await self._greet(session)}
            if event["type"] == "proactive":  # stored before the answer: no offer after it may miss the switch
                await self.proactive.on_activity(session["conversation_id"], event)
                return {"accepted": True}
            sio.start_background_task(self._look_for_struggle, session["conversation_id"], event)
            return {"accepted": True}

        @sio.on(wire.MALFORMED)
        async def malformed(sid: str, reason: Any = None) -> None:
            session = await sio.get_session(sid)
            if not await self._rate_limited(sid, session):
                await self._refuse(sid, "malformed_payload", str(reason)[:200])

        @sio.on("*")
        async def unknown(event: str, sid: str, data: Any = None) -> None:
            await self._refuse(sid, "unknown_event", f"unknown event {well_formed(str(event))[:100]!r}")

        return bp

    # --- pushes -----------------------------------------------------------------------------------

    async def trigger(self, conversation_id: str, intent: str, entities: Dict[str, Any], email: Optional[str] = None) -> str:
        """Puts an intent into the conversation (as trigger_intent does) and sends the replies to
        the customer's tabs. Returns "now" when a tab acknowledged them, else "on next visit" (they
        wait in the outbox until a tab does)."""
        agent = self.app.ctx.agent
        output = SocketOutput(self, push=True)
        metadata = {"customer": signed_customer(self.identity_secret, conversation_id, email)} if email else None
        async with agent.lock_store.lock(conversation_id):
            # A customer who never chatted gets a session started first, as a message would.
            tracker = await agent.processor.fetch_tracker_and_update_session(conversation_id, output, metadata)
            await agent.trigger_intent(intent, [{"entity": k, "value": v} for k, v in entities.items()], output, tracker)
        if await self.presence.online(conversation_id) and await self._acknowledged(conversation_id, output.ids):
            return "now"
        return "on next visit"

    async def slot(self, conversation_id: str, name: str) -> Any:
        tracker = await self.app.ctx.agent.tracker_store.retrieve(conversation_id) if self.app else None
        return tracker.get_slot(name) if tracker else None

    def _to_event_broker(self, conversation_id: str, event: Dict[str, Any]) -> None:
        """Page activity goes on Rasa's event broker (when there is one) beside the conversation's
        events, as `site_activity`: the analytics consumer keeps searches and page views as part of
        the customer's history (analytics/ingest.py), which the preference model learns from."""
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        broker = getattr(getattr(agent, "tracker_store", None), "event_broker", None)
        if broker is not None:
            broker.publish({"event": "site_activity", "sender_id": conversation_id, "timestamp": event["at"], "activity": event})

    async def _greet(self, session: Dict[str, Any]) -> bool:
        try:
            return await greet_on_open(self.app.ctx.agent, session["conversation_id"], SocketOutput(self), self._metadata(session, {}))
        except Exception:  # the panel opened all the same; a message still starts the session
            log.exception("greeting %s failed", session["conversation_id"])
            return False

    async def _look_for_struggle(self, conversation_id: str, event: Dict[str, Any]) -> None:
        try:
            await self.proactive.on_activity(conversation_id, event)
        except Exception:  # the page must not notice; the next event looks again
            log.exception("the proactive engine failed on %s", conversation_id)
