"""Trains the preference model on the sandbox's seeded histories and reports it against the
most-popular baseline on a time-based split.

    python scripts/train_preferences.py [--customers 400] [--out models/preferences.joblib]

Seeds a throwaway SQLite sandbox (the same generator as `make seed`, more customers, a fixed
anchor day so the numbers repeat), evaluates on the last 150 days, then trains on everything and
saves the model. Writes results/preferences.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from preferences.history import from_sandbox  # noqa: E402
from preferences.model import evaluate, train  # noqa: E402
from sandbox.db import Database  # noqa: E402
from sandbox.models import Contact  # noqa: E402
from sandbox.seed import seed  # noqa: E402

ANCHOR = date(2026, 6, 1)
HELD_OUT_DAYS = 150


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=400)
    parser.add_argument("--out", default="models/preferences.joblib")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/seed.db")
        seed(db, customers=args.customers, today=ANCHOR)
        histories = from_sandbox(db, ANCHOR)
        with db.transaction() as session:
            homes = {c.email: c.home_airport for c in session.query(Contact)}
        db.engine.dispose()
    end = datetime.combine(ANCHOR, datetime.min.time(), tzinfo=timezone.utc) + timedelta(days=1)
    report = evaluate(histories, homes, end - timedelta(days=HELD_OUT_DAYS), HELD_OUT_DAYS)
    train(histories, homes, end).save(Path(args.out))
    report.update(customers=len(histories), interactions=sum(map(len, histories.values())),
                  held_out_days=HELD_OUT_DAYS, seconds=round(time.monotonic() - started, 1))
    Path("results").mkdir(exist_ok=True)
    Path("results/preferences.json").write_text(json.dumps(report, indent=2))
    print(f"preference model: precision@3 {report['precision_at_3']:.3f} (most popular {report['baseline_precision_at_3']:.3f}), "
          f"hit rate@3 {report['hit_rate_at_3']:.3f} ({report['baseline_hit_rate_at_3']:.3f}), "
          f"next task {report['next_task_accuracy']:.3f} ({report['baseline_next_task_accuracy']:.3f}); "
          f"{report['customers_evaluated']} customers, {report['interactions']} interactions, {report['seconds']} s -> {args.out}")


if __name__ == "__main__":
    main()
