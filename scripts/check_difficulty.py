"""Precision and recall of the difficulty model on a labelled set.

    python scripts/check_difficulty.py [tests/nlu/difficulty.yml] [--errors] [--floor 0.9]

The model is fitted from components/difficulty_examples.yml exactly as `rasa train` fits it (same
seed, same vectors), so no trained assistant is needed. Prints a table, writes
results/<set name>.json (read by the report and the closing notes) and, with --floor, fails when
precision or recall of "any difficulty" falls under it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.difficulty import KINDS, default_model  # noqa: E402

DEFAULT_SET = Path("tests/nlu/difficulty.yml")


def evaluate(path: Path = DEFAULT_SET) -> Tuple[Dict[str, Dict[str, float]], List[Tuple[str, str, str]]]:
    """Per label: precision, recall, F1 and support; and the (text, expected, predicted) misses."""
    labelled = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = default_model()
    pairs = [(str(text), label, model.score(str(text)).kind or "none") for label, texts in labelled.items() for text in texts]
    scores = {}
    for kind in KINDS:
        tp = sum(1 for _, e, p in pairs if e == kind and p == kind)
        predicted = sum(1 for _, _, p in pairs if p == kind)
        actual = sum(1 for _, e, _ in pairs if e == kind)
        precision, recall = tp / predicted if predicted else 0.0, tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": actual}
    flagged = [(e != "none", p != "none") for _, e, p in pairs]
    tp = sum(1 for e, p in flagged if e and p)
    scores["any difficulty"] = {
        "precision": round(tp / max(1, sum(p for _, p in flagged)), 3),
        "recall": round(tp / max(1, sum(e for e, _ in flagged)), 3),
        "support": sum(e for e, _ in flagged),
    }
    return scores, [(t, e, p) for t, e, p in pairs if e != p]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--errors", action="store_true", help="list every message the model got wrong")
    parser.add_argument("--floor", type=float, help="fail when precision or recall of any difficulty is lower")
    args = parser.parse_args()
    scores, misses = evaluate(args.path)
    print(f"{'label':<16}{'precision':>10}{'recall':>8}{'support':>9}")
    for label, s in scores.items():
        print(f"{label:<16}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['support']:>9}")
    if args.errors:
        for text, expected, predicted in misses:
            print(f"  expected {expected:<12} got {predicted:<12} {text}")
    Path("results").mkdir(exist_ok=True)
    Path(f"results/{args.path.stem}.json").write_text(json.dumps({"scores": scores, "misses": len(misses)}, indent=2))
    overall = scores["any difficulty"]
    if args.floor is not None and min(overall["precision"], overall["recall"]) < args.floor:
        sys.exit(f"{args.path}: precision {overall['precision']} / recall {overall['recall']} under the floor {args.floor}")


if __name__ == "__main__":
    main()
