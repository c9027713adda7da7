"""The widget and the demo site in real headless Chromium (Debian's, driven by playwright-core)
against the whole running stack: sandbox, action server, `rasa run` with our channel, and the
site's server. The scenarios are in web/e2e/widget.test.mjs; screenshots land in results/web/."""
import os
import shutil
import subprocess

from tests.support.assistant import action_server, client_env, rasa_server
from tests.support.processes import ROOT
from tests.support.services import unavailable
from tests.web.conftest import SITE_SECRET, site_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = ROOT / "results" / "web"


def test_widget_in_a_real_browser(make_sandbox):
    if not shutil.which("node") or not (ROOT / "web" / "node_modules" / "playwright-core").exists():
        unavailable("node and web/node_modules are needed: run `make web-install`")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"no Chromium at {CHROMIUM}: run `make chromium`")
    if not (ROOT / "web" / "dist" / "index.html").exists():
        unavailable("the site is not built: run `make web`")
    sandbox = make_sandbox()
    actions = action_server(sandbox.url).start()
    rasa = rasa_server(actions.url, CHANNEL_JWT_SECRET=SITE_SECRET, **client_env(sandbox.url)).start(timeout=180)
    site = site_server(sandbox.url, socket_url=rasa.url).start()
    try:
        run = subprocess.run(["node", "--test", "--test-concurrency=1", "e2e/"], cwd=ROOT / "web", capture_output=True, text=True, timeout=600,
                             env={**os.environ, "SITE_URL": site.url, "SCREENSHOT_DIR": str(SHOTS), "CHROMIUM_PATH": CHROMIUM})
        print(run.stdout[-4000:])
        assert run.returncode == 0, f"browser tests failed:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}\n--- rasa ---\n{rasa.output()[-3000:]}"
        for name in ("offers", "booked", "restored", "proactive-note", "phone"):
            assert (SHOTS / f"{name}.png").stat().st_size > 10_000
    finally:
        site.stop()
        rasa.stop()
        actions.stop()
