"""python -m report: the NLU evaluation (held-out and cross-validation), the story tests and the
conversation suite's latest run as one HTML page, results/report/report.html; the headline numbers
are added to reports/history.csv."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .run import build, write


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report", description=__doc__)
    parser.add_argument("--model", type=Path, default=Path("models/current.tar.gz"))
    parser.add_argument("--heldout", type=Path, default=Path("tests/nlu/test_nlu.yml"), help="NLU messages never trained on")
    parser.add_argument("--training", type=Path, default=Path("data"), help="the training data, for cross-validation")
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    parser.add_argument("--stories", type=Path, default=Path("tests/stories"))
    parser.add_argument("--conversations", type=Path, default=Path("results/conversations.json"),
                        help="the conversation suite's latest run (make test-conversations)")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--no-cross-validation", action="store_true", help="skip the cross-validation (minutes of training)")
    parser.add_argument("--out", type=Path, default=Path("results/report"))
    parser.add_argument("--history", type=Path, default=Path("reports/history.csv"))
    parser.add_argument("--write-only", action="store_true", help="write the report from the results already in --out")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"error: no model at {args.model}: run `make train`", file=sys.stderr)
        return 2
    if args.write_only:
        report = write(args.model, args.heldout, args.training, args.config, args.out, args.history, args.folds, (args.out / "cv").exists(),
                       args.conversations)
        print(f"Report: {report}")
    else:
        build(args.model, args.heldout, args.training, args.config, args.stories, args.out, args.history,
              folds=args.folds, cross_validation=not args.no_cross_validation, conversations=args.conversations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
