"""A push made while the customer is away is shown exactly once by our widget in real Chromium:
on the first view after signing in (outbox flush and restored history both carry it), after a
reload, and after the connection drops and comes back (with another push made while it was down).

The bug report: "a push made while the customer was offline appears twice in the project's own
widget on first view (4 of 5 trials)", so the scenario (web/e2e/exactly-once.test.mjs) runs five
independent trials, each with fresh pushes. The pushes are signed notify webhooks sent to the Rasa
instance directly (the proxy does not forward /notify); the browser scenario asks this test for
them, and for the outbox and the tracker, through a small HTTP helper on 127.0.0.1, so the
notify secret and the databases stay on this side."""
from __future__ import annotations

import json
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

import requests

from channels.identity import IdentityVerifier
from channels.store import ChannelStore
from channels.webhooks import notify_signature
from tests.support.credentials import API_PARAMS, SECRETS
from tests.support.processes import ROOT
from tests.web.test_browser import node_tests

# The customers the other browser tests sign in as (widget.test.mjs) or talk for (the review test).
TAKEN = {"Maya Chen", "Daniel Okafor", "Tom Becker", "Lucia Fernandez"}


def a_customer_nobody_else_uses(site_url: str) -> Dict[str, str]:
    customers = requests.get(f"{site_url}/api/customers", timeout=10).json()["customers"]
    names = [c["name"] for c in customers]
    for customer in customers:
        # Not taken, and not part of another customer's name (the sign-in menu is matched by name).
        if customer["name"] not in TAKEN and sum(customer["name"] in n for n in names) == 1:
            return customer
    raise AssertionError(f"no free demo customer among {names}")


class Pushes:
    """Signed notify pushes to one customer, and what the channel and the tracker hold for them."""

    def __init__(self, rasa, email: str) -> None:
        self.rasa, self.email = rasa, email
        self.conversation_id = IdentityVerifier(rasa.env["CHANNEL_JWT_SECRET"]).conversation_for(email)
        self.store = ChannelStore(rasa.env["CHANNEL_DATABASE_URL"])

    def bot_texts(self) -> List[str]:
        tracker = requests.get(f"{self.rasa.url}/conversations/{self.conversation_id}/tracker",
                               params={**API_PARAMS, "include_events": "ALL"}, timeout=30)
        tracker.raise_for_status()
        return [e.get("text") or "" for e in tracker.json().get("events") or [] if e.get("event") == "bot"]

    def push(self, intent: str) -> Dict[str, Any]:
        before = len(self.bot_texts())
        raw = json.dumps({"customer_email": self.email, "intent": intent}).encode()
        stamp = str(int(time.time()))
        headers = {"X-Timestamp": stamp, "X-Signature": notify_signature(SECRETS["CHANNEL_NOTIFY_SECRET"], stamp, raw),
                   "Content-Type": "application/json"}
        answer = requests.post(f"{self.rasa.url}/webhooks/socket/notify", data=raw, headers=headers, timeout=60)
        body = answer.json()
        return {"status": answer.status_code, "delivered": body.get("delivered"), "error": body.get("error"),
                "texts": self.bot_texts()[before:]}

    def pending(self) -> int:
        return self.store.pending(self.conversation_id)


def helper_server(pushes: Pushes) -> ThreadingHTTPServer:
    """POST /push {"intent"} → {status, delivered, texts}; GET /pending → {pending}; GET /bot-texts → {texts}."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, data: Dict[str, Any], status: int = 200) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/pending":
                self._answer({"pending": pushes.pending()})
            elif self.path == "/bot-texts":
                self._answer({"texts": pushes.bot_texts()})
            else:
                self._answer({"error": "unknown path"}, 404)

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            if self.path == "/push":
                self._answer(pushes.push(body["intent"]))
            else:
                self._answer({"error": "unknown path"}, 404)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def warn_if_the_build_is_stale() -> None:
    dist = ROOT / "web" / "dist" / "index.html"
    newest = max(p.stat().st_mtime for p in (ROOT / "web" / "src").rglob("*") if p.is_file() and ".test." not in p.name)
    if newest > dist.stat().st_mtime:
        warnings.warn("web/dist is older than web/src: the browser runs the last build, not the current widget (make web)")


def test_a_push_made_while_away_is_shown_exactly_once(stack):
    warn_if_the_build_is_stale()
    customer = a_customer_nobody_else_uses(stack["site"].url)
    pushes = Pushes(stack["rasa"], customer["email"])
    helper = helper_server(pushes)
    started = time.monotonic()
    try:
        node_tests("exactly-once.test.mjs", SITE_URL=stack["site"].url, CUSTOMER_NAME=customer["name"],
                   PUSH_HELPER_URL=f"http://127.0.0.1:{helper.server_address[1]}")
        print(f"the trials took {time.monotonic() - started:.1f} s")
        assert pushes.pending() == 0, "every push was acknowledged"
    finally:
        helper.shutdown()
        helper.server_close()
        pushes.store.engine.dispose()
