"""The action server: rasa_sdk's app on a chosen address, behind a shared token.

    python -m actions.server [--host 127.0.0.1] [--port 5055] [--require-token]

Whoever can call /webhook runs any action for any conversation with any tracker it makes up, so
with ACTION_SERVER_TOKEN set every call must carry it (`Authorization: Bearer <token>`, as the
endpoints files send it; Rasa's `token:` setting, `?token=`, works too). /health stays open for
health checks. Local profiles listen on loopback only; `--require-token` (the production
profiles) refuses to start without a token.
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
import threading
from typing import List, Optional

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from actions import articles

TOKEN_ENV = "ACTION_SERVER_TOKEN"
log = logging.getLogger(__name__)


def presented_token(request: Request) -> str:
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else (request.args.get("token") or "")


def warm_up() -> None:
    """Reads the help center and embeds the articles and their example questions (about 10 s on
    one core), so the first customer to ask a question does not wait for it. A help center that
    cannot be read yet is read on the first question instead."""
    try:
        articles.find("warm up")
    except Exception as exc:  # noqa: BLE001 - only a head start: the first question retries
        log.warning("help articles not read ahead: %s", exc)


def action_app(token: Optional[str], package: str = "actions") -> Sanic:
    """rasa_sdk's app; with `token`, every request but /health must present it. Once it listens,
    the help articles are read ahead in a thread (warm_up)."""
    app = create_app(package, cors_origins="")

    @app.listener("after_server_start")
    async def read_help_ahead(app: Sanic, _loop) -> None:
        threading.Thread(target=warm_up, name="help-warm-up", daemon=True).start()

    if token:
        @app.middleware("request")
        async def require_token(request: Request):
            if request.path == "/health" or hmac.compare_digest(presented_token(request).encode(), token.encode()):
                return None
            return response.json({"error": f"the action server needs its token ({TOKEN_ENV})"}, status=401)
    return app


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--require-token", action="store_true", help=f"refuse to start unless {TOKEN_ENV} is set")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    token = os.environ.get(TOKEN_ENV) or None
    if token is None:
        if args.require_token:
            print(f"error: {TOKEN_ENV} is not set; the action server will not start without it", file=sys.stderr)
            return 2
        log.warning("%s is not set: /webhook is open to anyone who can reach %s:%s", TOKEN_ENV, args.host, args.port)
    action_app(token).run(host=args.host, port=args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
