"""The headline numbers of past reports, kept in reports/history.csv (in the repository), so the
report can show where understanding is heading. Rows written before a column existed keep it empty."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Dict, List

FIELDS = ["date", "commit", "intent_f1", "entity_f1", "cv_intent_f1", "cv_entity_f1", "story_accuracy", "action_accuracy",
          "training_seconds", "model_mb", "conversation_pass_rate", "conversation_turn_pass_rate"]


def read(path: Path) -> List[Dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [{field: row.get(field) or "" for field in FIELDS} for row in csv.DictReader(handle)]


def append(path: Path, row: Dict[str, object]) -> List[Dict[str, str]]:
    """Adds this run (replacing an earlier one of the same commit) and returns the whole history."""
    rows = [r for r in read(path) if r["commit"] != row["commit"] or not row["commit"]]
    rows.append({k: "" if row.get(k) is None else (f"{row[k]:.4f}" if isinstance(row[k], float) else str(row[k])) for k in FIELDS})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return rows
