"""The report generator on a tiny assistant (tests/report/small, seconds to train): its HTML has
every section, the failed story side by side, the misclassified messages and the trend."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from report.run import build
from report.stories import read_failed_stories
from tests.support.processes import ROOT

SMALL = Path(__file__).resolve().parent / "small"
# What tests/conversations writes to results/conversations.json, cut down to two kinds.
RATES = {"conversations": 2, "passed": 1, "pass_rate": 0.5, "turns": 6, "turns_passed": 5, "turn_pass_rate": 0.8333}
CONVERSATION_RUN = {
    "date": "2026-11-30 09:00 UTC", "commit": "abc1234", "seconds": 41.0, **RATES, "signed_in": RATES, "anonymous": RATES,
    "kinds": {"compact": RATES, "refund": {**RATES, "passed": 2, "pass_rate": 1.0, "turns_passed": 6, "turn_pass_rate": 1.0}},
    "failures": [{"conversation": "compact-anon-bos-mia-rt", "kind": "compact", "customer": None, "turn": 1, "user": "bos-mia 12/20 rt",
                  "failures": [{"expectation": "slots.origin", "expected": "BOS", "got": None}], "bot": [], "actions": []}],
}
RASA = str(Path(sys.executable).parent / "rasa")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    trained = subprocess.run([RASA, "train", "--config", str(SMALL / "config.yml"), "--domain", str(SMALL / "domain.yml"), "--data", str(SMALL / "data"),
                              "--out", str(out / "models"), "--fixed-model-name", "small"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                             env={"PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(out)})
    assert trained.returncode == 0, trained.stdout[-3000:] + trained.stderr[-3000:]
    model = out / "models" / "small.tar.gz"
    (out / "models" / "small.seconds").write_text("12.5\n")
    history = out / "history.csv"
    history.write_text("date,commit,intent_f1,entity_f1,cv_intent_f1,cv_entity_f1,story_accuracy,action_accuracy,training_seconds,model_mb\n"
                       "2026-11-01 10:00 UTC,abc1234,0.5,0.4,0.45,0.35,0.5,0.8,10,1.0\n")
    conversations = out / "conversations.json"
    conversations.write_text(json.dumps(CONVERSATION_RUN))
    page = build(model, SMALL / "heldout.yml", SMALL / "data", SMALL / "config.yml", SMALL / "stories", out / "result", history, folds=2, rasa=RASA,
                 conversations=conversations)
    return page.read_text(), history.read_text(), out


def test_every_section_is_there(report):
    html, _, _ = report
    for heading in ("Summary", "Trend", "Intents: precision, recall and F1 per intent", "Entities: precision, recall and F1 per entity",
                    "Confusion matrix", "Misclassified messages", "Failed stories"):
        assert f">{heading}</h2>" in html, heading
    assert "training 12 s" in html or "training 13 s" in html
    assert re.search(r"model \d+\.\d MB", html) and "cross-validation: 2 folds over" in html


def test_per_label_tables_and_cross_validation(report):
    html, _, _ = report
    intents = html[html.index('aria-label="Intents on the held-out set"'):]
    for label in ("greet", "goodbye", "ask_weather"):
        assert f"<td>{label}</td>" in intents
    assert "<th scope=\"col\">F1, cross-validation</th>" in intents
    entities = html[html.index('aria-label="Entities on the held-out set"'):]
    assert "<td>city</td>" in entities


def test_pictures_are_inlined(report):
    html, _, _ = report
    assert html.count("data:image/png;base64,") >= 2  # confusion matrix and trend
    assert 'src="http' not in html and "<script" not in html  # one file, nothing fetched


def test_the_failed_story_side_by_side(report):
    html, _, out = report
    failed = read_failed_stories(out / "result" / "stories" / "failed_test_stories.yml")
    assert [s.name for s in failed] == ["answers the weather with a goodbye (wrong on purpose)"]
    first = failed[0].steps[failed[0].first_error]
    assert first.expected == "utter_goodbye" and first.predicted not in (None, "utter_goodbye")
    assert [(s.kind, s.expected) for s in failed[0].steps[:3]] == [("intent", "greet"), ("action", "utter_greet"), ("intent", "ask_weather")]
    story = html[html.index('data-story="answers the weather'):]
    assert f'<tr class="wrong"><td>action</td><td>utter_goodbye</td><td><span class="bad">{first.predicted}</span>' in story
    assert "1 of 2 test stories failed" in html


def test_misclassified_messages_and_the_trend(report):
    html, history, _ = report
    table = html[html.index('aria-label="Misclassified messages"'):html.index("Entity mistakes")]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\w+)</td><td class=\"bad\">(\w+)</td>", table)
    assert all(expected != predicted for _, expected, predicted in rows)
    lines = history.strip().splitlines()
    assert len(lines) == 3 and lines[1].startswith("2026-11-01")  # the past run kept, this one added
    assert "The numbers (2 runs" in html
    assert lines[0].endswith("conversation_pass_rate,conversation_turn_pass_rate") and lines[2].endswith(",0.5000,0.8333")


def test_the_conversation_suite(report):
    html, _, _ = report
    section = html[html.index('<h2 id="conversations">'):]
    assert "run 2026-11-30 09:00 UTC at commit abc1234" in section
    assert re.search(r"<td>compact</td><td class=\"n\">1 / 2</td><td class=\"n [^\"]*\">50.0%</td>", section)
    assert "<td>refund</td>" in section and "100.0%" in section
    assert "compact-anon-bos-mia-rt" in section and "slots.origin: expected &#39;BOS&#39;, got None" in section
    assert "Conversations passed<b>50.0%</b>" in html
