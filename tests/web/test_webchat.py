"""The stock rasa-webchat 1.x (`make webchat`, from the npm registry) in real headless Chromium
against `rasa run` with our channels: a site that embeds Rasa's own widget instead of ours still
gets an anonymous conversation with text and buttons. The `rasa run` is the browser tests' one
(tests/web/conftest.py); the page (tests/web/webchat/index.html) and the bundle come from a static
server on this machine; the scenario is web/e2e/webchat.test.mjs."""
from __future__ import annotations

import functools
import os
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.processes import ROOT, free_port
from tests.support.services import unavailable
from tests.web.conftest import CHROMIUM

PAGE_DIR = ROOT / "tests" / "web" / "webchat"
SHOTS = ROOT / "results" / "web"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def static_site():
    """tests/web/webchat/ over HTTP on a free port, as any site would serve the page and bundle."""
    if not (PAGE_DIR / "vendor" / "lib" / "index.js").exists():
        unavailable("the stock rasa-webchat is not fetched: run `make webchat`")
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(QuietHandler, directory=str(PAGE_DIR)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_stock_rasa_webchat_talks_to_our_channel(static_site, stack):
    assistant = stack["rasa"]  # the browser tests' `rasa run` (tests/web/conftest.py)
    env = {**os.environ, "WEBCHAT_URL": f"{static_site}/index.html?socket={assistant.url}", "SCREENSHOT_DIR": str(SHOTS),
           "CHROMIUM_PATH": CHROMIUM}
    run = subprocess.run(["node", "--test", "--test-concurrency=1", "e2e/webchat.test.mjs"], cwd=ROOT / "web", capture_output=True,
                         text=True, timeout=300, env=env)
    print(run.stdout[-4000:])
    assert run.returncode == 0, f"the stock rasa-webchat failed:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}\nrasa:\n{assistant.output()}"
