"""A small sticky reverse proxy for running several Rasa instances natively (`make run-prod`); in
containers nginx does the same job (deploy/nginx.conf).

It forwards only the public doors: the socket channel (`/socket.io/`, polling and websocket) and
the help desk's signed webhook (`POST /webhooks/socket/tickets`). The REST channel, Rasa's HTTP API
and the notify webhook answer 404 here: backends call the instances directly. `/health` is the
proxy's own: 200 while at least one instance answers.

The first request of a client picks an instance (round robin). Later requests go to the same
instance while it is up: socket.io requests by their engine.io session id (learnt from the
handshake), anything else by a cookie the first response sets. If it is down, the next one serves.

    python deploy/proxy.py --port 5000 http://127.0.0.1:5005 http://127.0.0.1:5006
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import re
from collections import OrderedDict
from typing import List, Optional

import aiohttp
from aiohttp import web

COOKIE = "travel_instance"
SOCKET_PATH = "/socket.io/"
TICKETS_PATH = "/webhooks/socket/tickets"
SID = re.compile(rb'"sid"\s*:\s*"([^"]+)"')
MAX_SESSIONS = 100_000
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"}
log = logging.getLogger("proxy")


class StickyProxy:
    def __init__(self, upstreams: List[str]) -> None:
        self.upstreams = upstreams
        self.turn = itertools.cycle(range(len(upstreams)))
        self.session: Optional[aiohttp.ClientSession] = None
        self.sessions: "OrderedDict[str, int]" = OrderedDict()  # engine.io sid -> instance

    def _choose(self, request: web.Request) -> int:
        sid = request.query.get("sid")
        if sid in self.sessions:
            return self.sessions[sid]
        raw = request.cookies.get(COOKIE, "")
        return int(raw) if raw.isdigit() and int(raw) < len(self.upstreams) else next(self.turn)

    def _remember(self, request: web.Request, index: int, body: bytes) -> None:
        if "sid" not in request.query and request.path == SOCKET_PATH:
            found = SID.search(body[:512])
            if found:
                self.sessions[found.group(1).decode()] = index
                while len(self.sessions) > MAX_SESSIONS:
                    self.sessions.popitem(last=False)

    def _client(self) -> aiohttp.ClientSession:
        if self.session is None:
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=3), auto_decompress=False)
        return self.session

    async def health(self, _: web.Request) -> web.Response:
        """200 while at least one instance answers Rasa's open `/` (its API needs a token)."""
        up = 0
        for upstream in self.upstreams:
            try:
                async with self._client().get(upstream + "/", timeout=aiohttp.ClientTimeout(total=3)) as answer:
                    up += answer.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
        return web.json_response({"instances_up": up, "instances": len(self.upstreams)}, status=200 if up else 503)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        first = self._choose(request)
        for attempt in range(len(self.upstreams)):
            index = (first + attempt) % len(self.upstreams)
            try:
                if request.headers.get("Upgrade", "").lower() == "websocket":
                    return await self._websocket(request, index)
                return await self._http(request, index)
            except aiohttp.ClientConnectorError:
                log.warning("instance %s is down; trying the next", self.upstreams[index])
        return web.json_response({"error": "no instance is up"}, status=502)

    async def _http(self, request: web.Request, index: int) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        headers["X-Forwarded-For"] = forwarded_for(request)
        async with self._client().request(request.method, self.upstreams[index] + target(request), headers=headers,
                                          data=await request.read()) as upstream:
            body = await upstream.read()
            self._remember(request, index, body)
            response = web.Response(status=upstream.status, body=body,
                                    headers={k: v for k, v in upstream.headers.items() if k.lower() not in HOP_HEADERS})
            response.set_cookie(COOKIE, str(index), httponly=True, samesite="Lax")
            return response

    async def _websocket(self, request: web.Request, index: int) -> web.WebSocketResponse:
        url = self.upstreams[index].replace("http", "ws", 1) + target(request)
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("cookie", "authorization", "origin")}
        headers["X-Forwarded-For"] = forwarded_for(request)
        async with self._client().ws_connect(url, headers=headers) as upstream:
            client = web.WebSocketResponse()
            await client.prepare(request)

            async def pipe(source, sink) -> None:
                async for message in source:
                    if message.type == aiohttp.WSMsgType.TEXT:
                        await sink.send_str(message.data)
                    elif message.type == aiohttp.WSMsgType.BINARY:
                        await sink.send_bytes(message.data)
                    else:
                        break
                await sink.close()

            await asyncio.gather(pipe(client, upstream), pipe(upstream, client), return_exceptions=True)
            return client


def forwarded_for(request: web.Request) -> str:
    """X-Forwarded-For with the client's address added last, as nginx's $proxy_add_x_forwarded_for:
    the channel limits per address and believes only the hop its trusted proxy added."""
    before = request.headers.get("X-Forwarded-For")
    return f"{before}, {request.remote}" if before else str(request.remote)


def target(request: web.Request) -> str:
    """The path and query sent upstream: one of the public paths (the route matched it exactly,
    after decoding), never the client's raw path, so no encoding trick reaches another path."""
    query = request.rel_url.raw_query_string
    return request.path + (f"?{query}" if query else "")


async def not_forwarded(_: web.Request) -> web.Response:
    return web.json_response({"error": "not found: this proxy forwards only /socket.io/ and the ticket webhook"}, status=404)


def application(upstreams: List[str]) -> web.Application:
    proxy = StickyProxy([u.rstrip("/") for u in upstreams])
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/health", proxy.health)
    app.router.add_route("*", SOCKET_PATH, proxy.handle)
    app.router.add_post(TICKETS_PATH, proxy.handle)
    app.router.add_route("*", "/{tail:.*}", not_forwarded)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("upstreams", nargs="+")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    web.run_app(application(args.upstreams), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
