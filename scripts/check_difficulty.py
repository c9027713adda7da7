"""Precision and recall of the difficulty model on a labelled set, or cross-validated on what it learns from.

    python scripts/check_difficulty.py SET [--errors] [--floor 0.9]
    python scripts/check_difficulty.py --cv [--errors] [--floor 0.9]
    python scripts/check_difficulty.py --false-alarms [--errors]

With SET the model is fitted from its training files (components/difficulty.py TRAINING) exactly
as `rasa train` fits it (same seed, same vectors), so no trained assistant is needed; SET should
be a held-out file, not one of those. With --cv the training files are split into five stratified
folds, three times with seeds 0, 1 and 2: each message is scored by a model fitted without its fold,
and the fifteen fits' scores are pooled. That is how the model's settings are chosen.
With --false-alarms it counts the NLU training messages in data/ of intents that carry no
difficulty of their own (all but express_difficulty and ticket_complaint) which the model flags:
the acknowledgements a flow would add to plain requests ("same but the 19th", "cheaper?").
Prints a table, writes results/<set name>.json (results/difficulty_cv.json for --cv) and, with
--floor, fails when precision or recall of "any difficulty" falls under it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.difficulty import (KINDS, MODEL_THRESHOLD, TRAINING, Difficulty, default_model,  # noqa: E402
                                   default_scorer, features, fit, labelled)

Scores = Dict[str, Dict[str, float]]
Misses = List[Tuple[str, str, str]]
FOLDS, SEEDS = 5, (0, 1, 2)
DIFFICULT_INTENTS = {"express_difficulty", "ticket_complaint"}


def summarise(pairs: Sequence[Tuple[str, str, str]]) -> Scores:
    """Per label and for any difficulty against none: precision, recall, F1 and support."""
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
    return scores


def evaluate(path: Path) -> Tuple[Scores, Misses]:
    """Scores on one labelled file, and the (text, expected, predicted) misses."""
    model = default_model()
    texts, labels = labelled([path])
    pairs = [(text, label, model.score(text).kind or "none") for text, label in zip(texts, labels)]
    return summarise(pairs), [(t, e, p) for t, e, p in pairs if e != p]


def cross_validate(paths: Sequence[Path] = TRAINING) -> Tuple[Scores, Misses]:
    """Pooled scores of FOLDS-fold cross-validation repeated for each of SEEDS; misses of the first seed."""
    from sklearn.model_selection import StratifiedKFold

    scorer = default_scorer()
    texts, labels = labelled(paths)
    rows, expected = features(texts, scorer), np.array(labels)
    pairs: List[Tuple[str, str, str]] = []
    for seed in SEEDS:
        for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(np.zeros(len(labels)), expected):
            model = fit(rows[train], expected[train], scorer)
            for i, probability in zip(test, model.probabilities(rows[test])):
                found = Difficulty(probability["frustration"], probability["confusion"], threshold=MODEL_THRESHOLD).kind
                pairs.append((texts[i], labels[i], found or "none"))
    first = pairs[: len(texts)]
    return summarise(pairs), [(t, e, p) for t, e, p in first if e != p]


def false_alarms(data: Path = Path("data")) -> Tuple[int, Misses]:
    """How many messages of data/ without difficulty of their own there are, and the (text, intent, kind) flagged."""
    from rasa.shared.nlu.training_data.loading import load_data

    model = default_model()
    examples = [(m.get("text"), m.get("intent")) for path in sorted(data.glob("*.yml"))
                for m in load_data(str(path)).intent_examples if m.get("intent") not in DIFFICULT_INTENTS]
    rows = features([text for text, _ in examples], model.scorer)
    kinds = [Difficulty(p["frustration"], p["confusion"], threshold=MODEL_THRESHOLD).kind for p in model.probabilities(rows)]
    return len(examples), [(text, intent, kind) for (text, intent), kind in zip(examples, kinds) if kind]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", type=Path, help="a labelled held-out file")
    parser.add_argument("--cv", action="store_true", help="cross-validate on the training files instead")
    parser.add_argument("--false-alarms", action="store_true", help="count the plain requests of data/ it flags")
    parser.add_argument("--errors", action="store_true", help="list every message the model got wrong")
    parser.add_argument("--floor", type=float, help="fail when precision or recall of any difficulty is lower")
    args = parser.parse_args()
    if args.false_alarms:
        total, flagged = false_alarms()
        print(f"flagged {len(flagged)} of {total} plain requests in data/ ({len(flagged) / max(1, total):.3f})")
        for text, intent, kind in flagged if args.errors else []:
            print(f"  {intent:<18} {kind:<12} {text}")
        return
    if args.cv == bool(args.path):
        parser.error("give a labelled file or --cv")
    scores, misses = cross_validate() if args.cv else evaluate(args.path)
    name = "difficulty_cv" if args.cv else args.path.stem
    print(f"{'label':<16}{'precision':>10}{'recall':>8}{'support':>9}")
    for label, s in scores.items():
        print(f"{label:<16}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['support']:>9}")
    if args.errors:
        for text, expected, predicted in misses:
            print(f"  expected {expected:<12} got {predicted:<12} {text}")
    Path("results").mkdir(exist_ok=True)
    Path(f"results/{name}.json").write_text(json.dumps({"scores": scores, "misses": len(misses)}, indent=2))
    overall = scores["any difficulty"]
    if args.floor is not None and min(overall["precision"], overall["recall"]) < args.floor:
        sys.exit(f"{name}: precision {overall['precision']} / recall {overall['recall']} under the floor {args.floor}")


if __name__ == "__main__":
    main()
