"""`python -m sandbox serve` runs the service; `python -m sandbox seed` writes the demo data."""
from __future__ import annotations

import argparse
import logging
import sys

from .config import Settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HubSpot-, Zendesk- and Duffel-shaped APIs")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8010)
    serve.add_argument("--threads", type=int, default=16)
    seed = commands.add_parser("seed", help="replace the database's contents with the demo data")
    seed.add_argument("--if-empty", action="store_true", help="only seed a database that has no customers yet")
    seed.add_argument("--customers", type=int, default=40)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()

    if args.command == "seed":
        from .db import Database
        from .seed import is_empty, seed as run_seed

        db = Database(settings.database_url)
        if args.if_empty and not is_empty(db):
            print(f"Sandbox database already has data ({db.backend}); not reseeding. `make seed` resets it.")
            return 0
        counts = run_seed(db, customers=args.customers)
        print(f"Seeded the sandbox ({db.backend}): {counts['contacts']} customers, {counts['deals']} bookings, {counts['tickets']} tickets, {counts['articles']} help articles.")
        return 0

    from waitress import serve as waitress_serve

    from .app import create_app

    app = create_app(settings)
    app.extensions["sandbox"].webhooks.start()
    base = f"http://{args.host}:{args.port}"
    print(
        f"Sandbox listening on {base} (database: {app.extensions['sandbox'].db.backend})\n"
        f"  CRM (HubSpot shape):        {base}/hubspot\n"
        f"  Ticketing (Zendesk shape):  {base}/zendesk\n"
        f"  Flights (Duffel shape):     {base}/duffel\n"
        f"  Health:                     {base}/health",
        flush=True,
    )
    waitress_serve(app, host=args.host, port=args.port, threads=args.threads, ident="sandbox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
