"""python -m review [--port 8090]: the staff review page over ANALYTICS_DATABASE_URL."""
from __future__ import annotations

import argparse
import os
import sys

from .app import create_app, parse_staff


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m review", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args(argv)
    url = os.environ.get("ANALYTICS_DATABASE_URL")
    staff = parse_staff(os.environ.get("REVIEW_STAFF", ""))
    if not url or not staff:
        print("error: set ANALYTICS_DATABASE_URL (the analytics database) and REVIEW_STAFF (name:password,...)", file=sys.stderr)
        return 2
    from waitress import serve

    app = create_app(url, staff, os.environ.get("REVIEW_SECRET_KEY"))
    print(f"Review page on http://{args.host}:{args.port} (staff sign-in required)", flush=True)
    serve(app, host=args.host, port=args.port, threads=8, ident="review")
    return 0


if __name__ == "__main__":
    sys.exit(main())
