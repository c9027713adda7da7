"""The travel site's server as a real process, on a free port; and the whole stack in the
production profile, started once for the browser tests of this package."""
from __future__ import annotations

import os
import shutil
import sys
from typing import Dict, Iterator, Optional

import pytest

from tests.conftest import start_sandbox
from tests.support.assistant import client_env
from tests.support.credentials import SECRETS
from tests.support.processes import ROOT, ServerProcess, free_port, start_together, stop_together
from tests.support.production import production_profile
from tests.support.services import unavailable

SITE_SECRET = "test-site-channel-secret-of-at-least-32-bytes"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
STAFF = ("reviewer", "a-test-password-for-staff")


def site_server(sandbox_url: str, socket_url: Optional[str] = None, secret: str = SITE_SECRET) -> ServerProcess:
    port = free_port()
    args = [sys.executable, "-m", "web.server", "--port", str(port)]
    if socket_url:
        args += ["--socket-url", socket_url]
    return ServerProcess(args, port, "/health", {**SECRETS, **client_env(sandbox_url), "CHANNEL_JWT_SECRET": secret})


def require_browser() -> None:
    if not shutil.which("node") or not (ROOT / "web" / "node_modules" / "playwright-core").exists():
        unavailable("node and web/node_modules are needed: run `make web-install`")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"no Chromium at {CHROMIUM}: run `make chromium`")


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Iterator[Dict]:
    """Sandbox, action server, `rasa run` with our channel on PostgreSQL, Redis and RabbitMQ, the
    analytics consumer, the site's server and the review service: one `rasa run` for every browser
    test here (each test uses customers and conversations of its own)."""
    require_browser()
    if not (ROOT / "web" / "dist" / "index.html").exists():
        unavailable("the site is not built: run `make web`")
    sandbox = start_sandbox(f"sqlite:///{tmp_path_factory.mktemp('sandbox-web') / 'sandbox.db'}")
    with production_profile(sandbox.url) as production:
        consumer = production.consumer()
        actions = production.actions()
        rasa = production.rasa(actions.url, CHANNEL_JWT_SECRET=SITE_SECRET, **client_env(sandbox.url))
        site = site_server(sandbox.url, socket_url=rasa.url)
        start_together(actions, rasa, site)
        port = free_port()
        review = ServerProcess([sys.executable, "-m", "review", "--port", str(port)], port, "/health",
                               {"ANALYTICS_DATABASE_URL": production.database_url, "REVIEW_STAFF": ":".join(STAFF),
                                "REVIEW_SECRET_KEY": SECRETS["REVIEW_SECRET_KEY"]}).start()
        yield {"rasa": rasa, "site": site, "review": review, "database_url": production.database_url}
        stop_together(review, site, rasa, actions, sandbox.server)
        sandbox.db.engine.dispose()
        consumer.terminate()
        consumer.wait(timeout=10)
