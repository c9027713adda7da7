"""The widget, the demo site and the staff review page in real headless Chromium (Debian's, driven
by playwright-core) against the whole stack in the production profile: sandbox, action server,
`rasa run` with our channel on PostgreSQL, Redis and RabbitMQ, the analytics consumer, the site's
server and the review service. The browser scenarios are in web/e2e/; screenshots land in
results/web/. The conversations the widget tests have are the ones the review page then shows."""
import os
import shutil
import subprocess
import time
from typing import Dict

import pytest
from sqlalchemy import func, select

from analytics import schema
from common.sql import sql_engine
from tests.support.assistant import Chat
from tests.support.processes import ROOT
from tests.web.conftest import CHROMIUM, STAFF

SHOTS = ROOT / "results" / "web"
STORY = SHOTS / "exported_story.yml"


def node_tests(name: str, **env: str) -> None:
    run = subprocess.run(["node", "--test", "--test-concurrency=1", f"e2e/{name}"], cwd=ROOT / "web", capture_output=True, text=True,
                         timeout=600, env={**os.environ, "SCREENSHOT_DIR": str(SHOTS), "CHROMIUM_PATH": CHROMIUM, **env})
    print(run.stdout[-4000:])
    assert run.returncode == 0, f"browser tests failed:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"


def test_widget_in_a_real_browser(stack):
    node_tests("widget.test.mjs", SITE_URL=stack["site"].url)
    for name in ("offers", "booked", "restored", "proactive-note", "phone"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000


def test_greeting_on_open_in_a_real_browser(stack):
    node_tests("greeting.test.mjs", SITE_URL=stack["site"].url)
    for name in ("greeting", "welcome"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000


def test_struggle_on_the_site_in_a_real_browser(stack):
    node_tests("struggle.test.mjs", SITE_URL=stack["site"].url)
    assert (SHOTS / "rage-click-offer.png").stat().st_size > 10_000


def conversations_in_analytics(database_url: str, at_least: int, timeout: float = 60) -> int:
    engine = sql_engine(database_url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            with engine.connect() as conn:
                count = conn.execute(select(func.count()).select_from(schema.conversations)).scalar_one()
            if count >= at_least or time.monotonic() > deadline:
                return count
            time.sleep(0.5)
    finally:
        engine.dispose()


def test_review_page_in_a_real_browser(stack):
    """Conversations the review filters must find, had through the REST channel beside the widget's."""
    rasa: Dict = stack["rasa"]
    customer = {"customer": {"email": "lucia.fernandez@example.com"}}
    # What the FallbackClassifier makes of an unclear message (which wordings are unclear changes with the model).
    Chat(rasa.url, "review-fallback").say("/nlu_fallback")
    Chat(rasa.url, "review-handoff", customer).say("I want to talk to a human agent")
    Chat(rasa.url, "review-frustrated").say("ugh, this is useless")
    searcher = Chat(rasa.url, "review-search", customer)
    searcher.say("flights from madrid to paris next friday, one way")
    searcher.say("no thanks")
    assert conversations_in_analytics(stack["database_url"], at_least=7) >= 7
    STORY.unlink(missing_ok=True)
    node_tests("review.test.mjs", REVIEW_URL=stack["review"].url, STAFF_NAME=STAFF[0], STAFF_PASSWORD=STAFF[1], STORY_PATH=str(STORY))
    assert (SHOTS / "review-list.png").stat().st_size > 10_000 and (SHOTS / "review-transcript.png").stat().st_size > 10_000


def test_the_exported_story_passes_rasa_validate_and_rasa_test(stack, tmp_path):
    if not STORY.exists():
        pytest.fail("the review test did not export a story")
    story = STORY.read_text()
    assert "stories:" in story and "user:" in story
    rasa = str(ROOT / ".venv" / "bin" / "rasa") if (ROOT / ".venv" / "bin" / "rasa").exists() else "rasa"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    tests = tmp_path / "tests"
    tests.mkdir()
    shutil.copy(STORY, tests / "test_exported.yml")
    # Both at once: each spends most of its time starting Rasa and loading, not checking.
    validate = subprocess.Popen([rasa, "data", "validate", "stories", "--data", "data", str(tests), "--fail-on-warnings"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    run = subprocess.Popen([rasa, "test", "core", "--model", "models/current.tar.gz", "--stories", str(tests), "--out", str(tmp_path / "out"),
                            "--fail-on-prediction-errors"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    validated, tested = validate.communicate(timeout=300), run.communicate(timeout=600)
    assert validate.returncode == 0, validated[0][-3000:] + validated[1][-3000:]
    assert run.returncode == 0, tested[0][-3000:] + tested[1][-3000:]
