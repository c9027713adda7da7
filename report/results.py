"""What `rasa test` wrote, read into plain numbers and rows for the report."""
from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from scripts.check_nlu import summarize

from .stories import FailedStory, read_failed_stories

AVERAGES = ("accuracy", "macro avg", "micro avg", "weighted avg")


def _json(path: Path) -> Any:
    return json.loads(path.read_text()) if path.exists() else None


def picture(path: Path) -> Optional[str]:
    """A PNG as a data: URL, so the report is one file."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode() if path.exists() else None


def per_label(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    rows = [{"label": label, "precision": v["precision"], "recall": v["recall"], "f1": v["f1-score"], "support": v["support"]}
            for label, v in report.items() if label not in AVERAGES and isinstance(v, dict) and "f1-score" in v]
    return sorted(rows, key=lambda r: (r["f1"], -r["support"]))


def entity_report(folder: Path) -> Dict[str, Any]:
    path = next(folder.glob("*Extractor_report.json"), None) or next(folder.glob("DIETClassifier_report.json"), None)
    return _json(path) if path else {}


def entity_errors(folder: Path) -> List[Dict[str, Any]]:
    path = next(folder.glob("*Extractor_errors.json"), None) or next(folder.glob("DIETClassifier_errors.json"), None)
    rows = []
    for error in (_json(path) if path else None) or []:
        expected = ", ".join(f"{e['entity']}={e.get('value', '')}" for e in error.get("entities") or [])
        predicted = ", ".join(f"{e['entity']}={e.get('value', '')}" for e in error.get("predicted_entities") or [])
        rows.append({"text": error["text"], "expected": expected or "–", "predicted": predicted or "–"})
    return rows


def nlu(folder: Path) -> Dict[str, Any]:
    intents = _json(folder / "intent_report.json") or {}
    entities = entity_report(folder)
    errors = sorted(_json(folder / "intent_errors.json") or [], key=lambda e: -e["intent_prediction"]["confidence"])
    return {
        "intent_f1": intents.get("macro avg", {}).get("f1-score"),
        "intent_accuracy": intents.get("accuracy"),
        "entity_f1": entities.get("micro avg", {}).get("f1-score"),
        "intents": per_label(intents),
        "entities": per_label(entities),
        "intent_errors": [{"text": e["text"], "expected": e["intent"], "predicted": e["intent_prediction"]["name"],
                           "confidence": e["intent_prediction"]["confidence"]} for e in errors],
        "entity_errors": entity_errors(folder),
        "confusion": picture(folder / "intent_confusion_matrix.png"),
        "histogram": picture(folder / "intent_histogram.png"),
    }


def headline(folder: Path, config: Path) -> Dict[str, float]:
    """The numbers `make test` holds this assistant to (flight recall, out-of-scope rejection, ...);
    none for a model without its intents and entities (the report's own tests use a tiny one)."""
    try:
        return summarize(str(folder), str(config))
    except (KeyError, StopIteration, ZeroDivisionError):
        return {}


def stories(folder: Path) -> Dict[str, Any]:
    report = _json(folder / "story_report.json") or {}
    failed: List[FailedStory] = read_failed_stories(folder / "failed_test_stories.yml")
    conversation = report.get("conversation_accuracy") or {}
    total = conversation.get("total")
    correct = conversation.get("correct")
    return {
        "total": total, "correct": correct,
        "accuracy": (correct / total) if total else None,
        "action_accuracy": report.get("accuracy") or (report.get("micro avg") or {}).get("f1-score"),
        "actions": per_label(report),
        "failed": failed,
        "confusion": picture(folder / "story_confusion_matrix.png"),
    }
