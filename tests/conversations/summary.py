"""Pass rates of a run (per kind, signed in and anonymous, per conversation and per turn), the
results file (results/conversations.json) and the floors (tests/conversations/floors.yml)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable, List

import pytest
import yaml

from .runner import ConversationResult
from .suite import KINDS

FLOORS = Path(__file__).resolve().parent / "floors.yml"
MIN_CONVERSATIONS = 200
# Where the pytest run keeps the table for its terminal summary (tests/conversations/conftest.py).
TABLE = pytest.StashKey[str]()


def rates(results: Iterable[ConversationResult]) -> Dict[str, Any]:
    results = list(results)
    turns = [t for r in results for t in r.turns]
    passed, turns_passed = sum(r.passed for r in results), sum(t.passed for t in turns)
    return {
        "conversations": len(results), "passed": passed, "pass_rate": round(passed / len(results), 4) if results else None,
        "turns": len(turns), "turns_passed": turns_passed, "turn_pass_rate": round(turns_passed / len(turns), 4) if turns else None,
    }


def failures(results: Iterable[ConversationResult]) -> List[Dict[str, Any]]:
    """Every failed turn (or set-up) with what was expected and what happened."""
    found = []
    for result in results:
        conversation = result.conversation
        where = {"conversation": conversation.id, "kind": conversation.kind, "customer": conversation.customer}
        if result.error:
            found.append({**where, "turn": 0, "error": result.error})
        for turn in result.turns:
            if not turn.passed:
                found.append({**where, "turn": turn.number, "user": turn.user, "failures": [f.as_dict() for f in turn.failures],
                              "bot": turn.bot, "actions": turn.actions})
    return found


def summarize(results: List[ConversationResult], seconds: float, commit: str, date: str) -> Dict[str, Any]:
    latencies = sorted(t.seconds for r in results for t in r.turns)
    return {
        "date": date, "commit": commit, "seconds": round(seconds, 1),
        **rates(results),
        "turn_seconds_p50": round(latencies[len(latencies) // 2], 3) if latencies else None,
        "turn_seconds_max": round(latencies[-1], 3) if latencies else None,
        "kinds": {kind: rates(r for r in results if r.conversation.kind == kind) for kind in KINDS},
        "signed_in": rates(r for r in results if r.conversation.signed_in),
        "anonymous": rates(r for r in results if not r.conversation.signed_in),
        "failures": failures(results),
        "conversation_results": [{"id": r.conversation.id, "kind": r.conversation.kind, "passed": r.passed,
                                  "turns": [t.passed for t in r.turns]} for r in results],
    }


def write(summary: Dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=1, ensure_ascii=False))


def _pct(value: Any) -> str:
    return "   –  " if value is None else f"{value:6.1%}"


def table(summary: Dict[str, Any], floors: Dict[str, float]) -> str:
    """The run as a few lines of text: per kind, then signed in / anonymous, then overall."""
    lines = [f"{'kind':16s} {'conversations':>15s} {'pass':>6s} {'floor':>6s} {'turns':>13s} {'pass':>6s}"]

    def line(name: str, r: Dict[str, Any], floor: Any = None) -> str:
        below = " BELOW" if floor is not None and r["pass_rate"] is not None and r["pass_rate"] < floor else ""
        return (f"{name:16s} {r['passed']:>7d} / {r['conversations']:<5d} {_pct(r['pass_rate'])} {_pct(floor)} "
                f"{r['turns_passed']:>5d} / {r['turns']:<5d} {_pct(r['turn_pass_rate'])}{below}")

    lines += [line(kind, r, floors.get(kind)) for kind, r in summary["kinds"].items()]
    lines += [line("signed in", summary["signed_in"]), line("anonymous", summary["anonymous"]), line("overall", summary)]
    lines.append(f"{summary['conversations']} conversations, {summary['turns']} turns in {summary['seconds']:.0f} s "
                 f"(turn p50 {summary['turn_seconds_p50']} s, max {summary['turn_seconds_max']} s), commit {summary['commit']}")
    return "\n".join(lines)


def load_floors(path: Path = FLOORS) -> Dict[str, float]:
    return {kind: float(value) for kind, value in (yaml.safe_load(path.read_text()) or {}).items()}


def below_floors(summary: Dict[str, Any], floors: Dict[str, float]) -> List[str]:
    """Why the run is not good enough: too few conversations, a kind that did not run, or a kind
    below its floor."""
    found = []
    if summary["conversations"] < MIN_CONVERSATIONS:
        found.append(f"only {summary['conversations']} conversations ran (at least {MIN_CONVERSATIONS} must)")
    for kind, r in summary["kinds"].items():
        if not r["conversations"]:
            found.append(f"{kind}: no conversation ran")
        elif r["pass_rate"] < floors.get(kind, 0.0):
            found.append(f"{kind}: {r['pass_rate']:.1%} of conversations passed, floor {floors[kind]:.1%}")
    return found
