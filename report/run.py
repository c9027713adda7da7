"""Runs the evaluations one after another with a progress line each, then writes the report."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

from scripts.check_nlu import FLOORS

from . import conversations as conversation_suite
from . import history, results
from .html import render

ROOT = Path(__file__).resolve().parents[1]


class Progress:
    """`[2/4] what ... 1:23`: redrawn in place on a terminal, a line every 30 s in a log."""

    def __init__(self, total: int, stream=sys.stdout) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.tty = stream.isatty()

    def run(self, what: str, command: List[str], log: Path, expect: str = "") -> float:
        self.done += 1
        label = f"[{self.done}/{self.total}] {what}{' (' + expect + ')' if expect else ''}"
        started = time.monotonic()
        stop = threading.Event()

        def tick() -> None:
            shown = 0.0
            while not stop.wait(1):
                elapsed = time.monotonic() - started
                if self.tty:
                    self.stream.write(f"\r{label} ... {int(elapsed) // 60}:{int(elapsed) % 60:02d}")
                    self.stream.flush()
                elif elapsed - shown >= 30:
                    shown = elapsed
                    print(f"{label} ... {int(elapsed)} s", file=self.stream, flush=True)

        if not self.tty:
            print(f"{label} ...", file=self.stream, flush=True)
        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as output:
            code = subprocess.call(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"})
        stop.set()
        ticker.join()
        elapsed = time.monotonic() - started
        status = "done" if code == 0 else f"FAILED (exit {code}, see {log})"
        print(f"{chr(13) if self.tty else ''}{label} ... {status} in {elapsed:.0f} s", file=self.stream, flush=True)
        if code != 0:
            raise SystemExit(code)
        return elapsed


def commit() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def training_seconds(model: Path) -> Optional[float]:
    """What `make train` measured for this model (models/<name>.seconds), if it did."""
    stamp = model.with_name(model.name.split(".")[0] + ".seconds")
    try:
        return float(stamp.read_text().strip())
    except (OSError, ValueError):
        return None


def build(model: Path, heldout: Path, training: Path, config: Path, stories: Path, out: Path, history_file: Path,
          folds: int = 3, cross_validation: bool = True, rasa: str = str(ROOT / ".venv" / "bin" / "rasa"),
          conversations: Path = conversation_suite.RESULTS) -> Path:
    steps = 3 + (1 if cross_validation else 0)
    progress = Progress(steps)
    logs = out / "logs"
    progress.run("NLU on the held-out set", [rasa, "test", "nlu", "--model", str(model), "--nlu", str(heldout),
                                              "--out", str(out / "heldout"), "--successes"], logs / "heldout.log", "under a minute")
    if cross_validation:
        progress.run(f"NLU cross-validation, {folds} folds", [rasa, "test", "nlu", "--nlu", str(training), "--config", str(config),
                                                             "--cross-validation", "--folds", str(folds), "--out", str(out / "cv")],
                     logs / "cross-validation.log", f"trains {folds} models: a few minutes")
    progress.run("Test stories", [rasa, "test", "core", "--model", str(model), "--stories", str(stories), "--out", str(out / "stories")],
                 logs / "stories.log", "about a minute")
    progress.done += 1
    print(f"[{progress.done}/{steps}] Writing the report ...", flush=True)
    return write(model, heldout, training, config, out, history_file, folds, cross_validation, conversations)


def write(model: Path, heldout: Path, training: Path, config: Path, out: Path, history_file: Path, folds: int = 3,
          cross_validation: bool = True, conversations: Path = conversation_suite.RESULTS) -> Path:
    """The report from the results in `out` (what `build` ran) and the conversation suite's latest
    run (`make test-conversations`), and this run's line in the history."""
    heldout_results = results.nlu(out / "heldout")
    cv = results.nlu(out / "cv") if cross_validation else None
    story_results = results.stories(out / "stories")
    suite = conversation_suite.read(conversations)
    model_mb = model.stat().st_size / 1e6
    seconds = training_seconds(model)
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    past = history.append(history_file, {
        "date": date, "commit": commit(), "intent_f1": heldout_results["intent_f1"], "entity_f1": heldout_results["entity_f1"],
        "cv_intent_f1": cv["intent_f1"] if cv else None, "cv_entity_f1": cv["entity_f1"] if cv else None,
        "story_accuracy": story_results["accuracy"], "action_accuracy": story_results["action_accuracy"],
        "training_seconds": seconds, "model_mb": round(model_mb, 1),
        "conversation_pass_rate": suite["pass_rate"] if suite else None,
        "conversation_turn_pass_rate": suite["turn_pass_rate"] if suite else None,
    })
    page = render({
        "date": date, "commit": commit(), "model_mb": model_mb, "training_seconds": seconds, "heldout_file": heldout,
        "training_file": training, "folds": folds, "heldout": heldout_results, "cv": cv,
        "cv_intents": {r["label"]: r["f1"] for r in cv["intents"]} if cv else None,
        "cv_entities": {r["label"]: r["f1"] for r in cv["entities"]} if cv else None,
        "stories": story_results, "conversations": suite, "checks": results.headline(out / "heldout", config), "floors": FLOORS, "history": past,
    })
    report = out / "report.html"
    report.write_text(page)
    print(f"Report: {report} ({len(page) // 1024} KB); history: {history_file} ({len(past)} runs)")
    return report
