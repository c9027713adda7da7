"""Plays the suite (or part of it) through the real stack: its own seeded SQLite sandbox, the action
server and `rasa run`, as tests/test_assistant_e2e.py starts them. The sandbox is the suite's own
because the conversations book, cancel and write to tickets, which other tests must not see.

    python -m tests.conversations.play                 # everything, as `make test-conversations`
    python -m tests.conversations.play --kind compact --kind refund
    python -m tests.conversations.play --id compact-maya-code-only --show
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from tests.conftest import start_sandbox
from tests.support.assistant import action_server, rasa_server
from tests.support.processes import ROOT

from .runner import Player
from .suite import Conversation, load
from .summary import load_floors, summarize, table, write

RESULTS = ROOT / "results" / "conversations.json"
AT_ONCE = 3
# Hundreds of customers in a few minutes on the assistant's one vendor credential: the sandbox's
# rate limit (600 a minute) is lifted, so the suite measures conversations, not the limit.
SANDBOX_ENV = {"SANDBOX_RATE_LIMIT": "1000000"}


def commit() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


@contextmanager
def stack() -> Iterator[Tuple[str, Any]]:
    """(Rasa's URL, the sandbox) for as long as the block runs."""
    sandbox = start_sandbox(f"sqlite:///{Path(tempfile.mkdtemp(prefix='conversations-')) / 'sandbox.db'}", **SANDBOX_ENV)
    actions = rasa = None
    try:
        actions = action_server(sandbox.url).start()
        rasa = rasa_server(actions.url).start(timeout=180)
        yield rasa.url, sandbox
    finally:
        for process in (rasa, actions, sandbox.server):
            if process is not None:
                process.stop()
        sandbox.db.engine.dispose()


def play(conversations: List[Conversation], rasa_url: str, sandbox: Any) -> Dict[str, Any]:
    """Plays them and returns the run's summary (see summary.summarize)."""
    started = time.perf_counter()
    results = Player(rasa_url, sandbox, date.today(), f"conv-{uuid.uuid4().hex[:8]}").play_all(conversations, at_once=AT_ONCE)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return summarize(results, time.perf_counter() - started, commit(), when)


def show(summary: Dict[str, Any]) -> str:
    """Each failed turn in a few lines."""
    lines = []
    for failure in summary["failures"]:
        lines.append(f"- {failure['conversation']} turn {failure['turn']}: {failure.get('user', failure.get('error'))}")
        for item in failure.get("failures", []):
            lines.append(f"    {item['expectation']}: expected {item['expected']!r}, got {item['got']!r}")
        if failure.get("bot"):
            lines.append(f"    bot: {' | '.join(failure['bot'])[:400]!r}; actions: {failure['actions']}")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conversations.play", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", action="append", help="only conversations of this kind (repeatable)")
    parser.add_argument("--id", action="append", help="only this conversation (repeatable)")
    parser.add_argument("--show", action="store_true", help="print every failed turn")
    parser.add_argument("--out", type=Path, help=f"write the results here (the whole suite writes {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    chosen = [c for c in load() if (not args.kind or c.kind in args.kind) and (not args.id or c.id in args.id)]
    if not chosen:
        print("no conversation matches", file=sys.stderr)
        return 2
    with stack() as (rasa_url, sandbox):
        summary = play(chosen, rasa_url, sandbox)
    out = args.out or (RESULTS if not (args.kind or args.id) else None)
    if out:
        write(summary, out)
    if args.show:
        print(show(summary))
    print(table(summary, load_floors()))
    return 0 if summary["passed"] == summary["conversations"] else 1


if __name__ == "__main__":
    sys.exit(main())
