"""Reads `rasa test nlu` results, prints the headline numbers, writes results/.../summary.json, and
fails when a number drops below its floor, so a change that hurts understanding cannot land."""
from __future__ import annotations

import json
import sys
from pathlib import Path

# Floors a little under what the current model measures on tests/nlu/test_nlu.yml.
FLOORS = {
    "intent_macro_f1": 0.85,
    "search_flight_recall": 0.93,
    "out_of_scope_rejected": 0.85,
    "origin_f1": 0.85,
    "destination_f1": 0.85,
    "departure_date_f1": 0.85,
    "entity_micro_f1": 0.85,
}
REJECTED = {"out_of_scope", "nlu_fallback"}


def fallback_threshold(path: str) -> float:
    """The FallbackClassifier's threshold: below it, the assistant does not guess."""
    import yaml

    config = yaml.safe_load(Path(path).read_text())
    return next(c["threshold"] for c in config["pipeline"] if c["name"] == "FallbackClassifier")


def summarize(folder: str, config: str = "config.yml") -> dict:
    """Headline numbers of one `rasa test nlu --successes` run."""
    results = Path(folder)
    intents = json.loads((results / "intent_report.json").read_text())
    entity_report = next(results.glob("*Extractor_report.json"), None) or next(results.glob("DIETClassifier_report.json"))
    entities = json.loads(entity_report.read_text())
    # `rasa test nlu` reports the top intent even where the FallbackClassifier replaces it at run
    # time, so confidence decides here what the customer would see.
    # A run without mistakes writes no intent_errors.json.
    predictions = [p for name in ("intent_errors.json", "intent_successes.json") if (results / name).exists()
                   for p in json.loads((results / name).read_text())]
    threshold = fallback_threshold(config)

    def outcome(p) -> str:
        return p["intent_prediction"]["name"] if p["intent_prediction"]["confidence"] >= threshold else "nlu_fallback"

    oos = [p for p in predictions if p["intent"] == "out_of_scope"]
    flights = [p for p in predictions if p["intent"] == "search_flight"]
    summary = {
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_accuracy": intents["accuracy"],
        "search_flight_recall": sum(outcome(p) == "search_flight" for p in flights) / len(flights),
        "out_of_scope_rejected": sum(outcome(p) in REJECTED for p in oos) / len(oos),
        "origin_f1": entities["origin"]["f1-score"],
        "destination_f1": entities["destination"]["f1-score"],
        "departure_date_f1": entities["departure_date"]["f1-score"],
        "return_date_f1": entities["return_date"]["f1-score"],
        "entity_micro_f1": entities["micro avg"]["f1-score"],
        "messages": intents["macro avg"]["support"],
    }
    (results / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def main(folder: str) -> int:
    summary = summarize(folder)
    failed = []
    for name, value in summary.items():
        floor = FLOORS.get(name)
        mark = "" if floor is None else (" ok" if value >= floor else f" BELOW {floor}")
        print(f"{name:24s} {value:.3f}{mark}" if isinstance(value, float) else f"{name:24s} {value}")
        if floor is not None and value < floor:
            failed.append(name)
    if failed:
        print(f"NLU quality below its floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu"))
