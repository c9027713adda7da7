"""Trains the preference model on the interactions in the analytics store and reports it, on a
time split, against the most-popular and item-kNN baselines.

    python scripts/train_preferences.py [--database URL] [--out models/preferences.joblib]

The store is the analytics consumer's (ANALYTICS_DATABASE_URL: PostgreSQL in production; the
embedded default sqlite:///var/analytics.db, which `make train` fills with the demo's histories
through scripts/seed_analytics.py). The last HELD_OUT_DAYS before the newest interaction are held
out: a model trained on what came before is scored there (precision@4 for the next destination,
accuracy for the next task), then the model is trained on everything and saved. Prints the
figures and writes them to results/preferences.json. Training is deterministic (fixed seeds).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common.sql import sql_engine  # noqa: E402
from preferences.history import from_store  # noqa: E402
from preferences.model import evaluate, train  # noqa: E402

DEFAULT_DATABASE = "sqlite:///var/analytics.db"
HELD_OUT_DAYS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=os.environ.get("ANALYTICS_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--out", default="models/preferences.joblib")
    parser.add_argument("--results", default="results/preferences.json")
    args = parser.parse_args()
    started = time.monotonic()
    engine = sql_engine(args.database)
    try:
        histories, homes = from_store(engine)
    finally:
        engine.dispose()
    newest = max((i.at for items in histories.values() for i in items), default=None)
    if newest is None:
        sys.exit(f"no interactions in {args.database}: nothing to learn from (the analytics consumer fills it; "
                 "for the demo, python scripts/seed_analytics.py)")
    end = newest + timedelta(seconds=1)
    report = evaluate(histories, homes, end - timedelta(days=HELD_OUT_DAYS), HELD_OUT_DAYS)
    train(histories, homes, end).save(Path(args.out))
    report.update(customers=len(histories), interactions=sum(map(len, histories.values())), held_out_days=HELD_OUT_DAYS,
                  newest_interaction=newest.isoformat(), seconds=round(time.monotonic() - started, 1))
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(report, indent=2) + "\n")
    print(f"preference model, next destination precision@4 on the last {HELD_OUT_DAYS} days ({report['cases']} customers): "
          f"model {report['precision_at_4']:.3f}, most popular {report['most_popular_precision_at_4']:.3f}, "
          f"item-kNN {report['item_knn_precision_at_4']:.3f}; next task {report['next_task_accuracy']:.3f} "
          f"(always {report['most_common_task']!r} {report['most_common_task_accuracy']:.3f}, {report['task_cases']} customers); "
          f"{report['customers']} customers, {report['interactions']} interactions, {report['seconds']} s -> {args.out}")


if __name__ == "__main__":
    main()
