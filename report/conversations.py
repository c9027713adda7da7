"""The conversation suite's latest run for the report: results/conversations.json, written by
`make test-conversations` (tests/conversations), with the floors it is held to."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results" / "conversations.json"
FLOORS = ROOT / "tests" / "conversations" / "floors.yml"


def _what_went_wrong(failure: Dict[str, Any]) -> str:
    if failure.get("error"):
        return failure["error"]
    return "; ".join(f"{f['expectation']}: expected {f['expected']!r}, got {f['got']!r}"[:300] for f in failure["failures"])


def read(path: Path = RESULTS, floors_file: Path = FLOORS) -> Optional[Dict[str, Any]]:
    """The run's pass rates per kind (with their floors) and its failed turns; None before any run."""
    if not path.exists():
        return None
    run = json.loads(path.read_text())
    floors = yaml.safe_load(floors_file.read_text()) if floors_file.exists() else {}
    kinds: List[Dict[str, Any]] = [{"kind": kind, **rates, "floor": floors.get(kind)} for kind, rates in run["kinds"].items()]
    failed = [{"conversation": f["conversation"], "kind": f["kind"], "turn": f["turn"], "user": f.get("user", ""),
               "wrong": _what_went_wrong(f)} for f in run["failures"]]
    return {**{k: run[k] for k in ("date", "commit", "seconds", "conversations", "passed", "pass_rate", "turns", "turns_passed",
                                   "turn_pass_rate", "signed_in", "anonymous")},
            "kinds": kinds, "failed": failed}
