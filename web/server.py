"""The demo travel site's server: the built site and widget (web/dist), and the site's own API.

The site signs a customer's token for the assistant's socket channel (CHANNEL_JWT_SECRET), so the
browser never holds the secret; its flight search, checkout and trips use the same vendor clients
as the action server (the sandbox locally, the real vendors in production).

    python -m web.server --port 8080
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from flask import Flask, jsonify, request, send_from_directory

from actions.bookings import active_bookings
from actions.clients import HelpCenterClient, InvalidRequest, NotFound, VendorError
from actions.clients.flights import SliceRequest, Traveller
from actions.common import crm, flights
from actions.offers import offer_summary
from actions.places import describe, resolve_place
from channels.identity import IdentityRefused, IdentityVerifier

DIST = Path(__file__).resolve().parent / "dist"
TOKEN_TTL_SECONDS = 8 * 3600
DEMO_CUSTOMERS = 12
CODE = re.compile(r"^[A-Za-z]{3}$")
MAX_BODY_BYTES = 16 * 1024
MAX_HELP_QUERY = 200

log = logging.getLogger(__name__)


class BadRequest(ValueError):
    """What the customer sent cannot be used; the message says why."""


def place_code(text: str) -> str:
    """An IATA airport or city code for what the customer typed ("BOS", "lisbon", "nyc",
    "bostn"), resolved as the assistant resolves places (actions/places.py)."""
    text = (text or "").strip()
    if CODE.match(text):
        return text.upper()
    if not 2 <= len(text) <= 60:
        raise BadRequest("Enter a city or airport, such as Boston or BOS.")
    found = resolve_place(text, flights())
    if found.ambiguous:
        raise BadRequest(f"{text!r} could be {', '.join(describe(p) for p in found.candidates)}: enter the airport code.")
    if found.place is None:
        raise BadRequest(f"We don't know a city or airport called {text!r}.")
    return found.place.iata_code


def travel_date(text: str) -> date:
    try:
        when = date.fromisoformat(text or "")
    except ValueError:
        raise BadRequest("Enter the date as YYYY-MM-DD.") from None
    if when < date.today():
        raise BadRequest("That date is in the past.")
    if (when - date.today()).days > 360:
        raise BadRequest("We can only search flights up to a year ahead.")
    return when


def create_app(jwt_secret: str, dist: Path = DIST, socket_url: Optional[str] = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    verifier = IdentityVerifier(jwt_secret)
    help_center = HelpCenterClient.from_env()

    def customer_email() -> Optional[str]:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        identity = verifier.identify({"token": header[len("Bearer "):]})
        return identity.customer["email"] if identity.customer else None

    def body() -> Dict[str, Any]:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise BadRequest("Send a JSON object.")
        return data

    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest) -> Tuple[Any, int]:
        return jsonify(error=str(exc)), 400

    @app.errorhandler(IdentityRefused)
    def refused(exc: IdentityRefused) -> Tuple[Any, int]:
        return jsonify(error=f"Please sign in again ({exc})."), 401

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Tuple[Any, int]:
        return jsonify(error="Not found."), 404

    @app.errorhandler(InvalidRequest)
    def refused_by_vendor(exc: InvalidRequest) -> Tuple[Any, int]:
        return jsonify(error=exc.message, code=exc.code), 422

    @app.errorhandler(VendorError)
    def vendor_down(exc: VendorError) -> Tuple[Any, int]:
        log.warning("vendor error: %s", exc)
        return jsonify(error="One of our systems is not answering right now. Please try again in a minute."), 503

    @app.errorhandler(413)
    def too_large(_: Any) -> Tuple[Any, int]:
        return jsonify(error=f"The request is larger than {MAX_BODY_BYTES} bytes."), 413

    @app.get("/api/config")
    def config():
        return jsonify(socketUrl=socket_url or f"http://{request.host.split(':')[0]}:{os.environ.get('RASA_PORT', '5005')}",
                       socketPath="/socket.io")

    @app.get("/api/customers")
    def customers():
        """The seeded customers one can sign in as (a demo: a real site has passwords)."""
        found = crm().search_contacts(limit=DEMO_CUSTOMERS)
        return jsonify(customers=[{"email": c.email, "name": c.full_name, "home_airport": c.home_airport} for c in found])

    @app.post("/api/signin")
    def sign_in():
        email = str(body().get("email") or "").strip().lower()
        if "@" not in email:
            raise BadRequest("Enter an email address.")
        contact = crm().get_contact_by_email(email)  # NotFound for a stranger
        token = verifier.customer_token(contact.email, contact.first_name or contact.full_name, ttl_seconds=TOKEN_TTL_SECONDS)
        expires = int(time.time()) + TOKEN_TTL_SECONDS
        return jsonify(email=contact.email, name=contact.full_name, home_airport=contact.home_airport, token=token, expires=expires)

    @app.get("/api/search")
    def search():
        origin, destination = place_code(request.args.get("origin", "")), place_code(request.args.get("destination", ""))
        if origin == destination:
            raise BadRequest("Origin and destination are the same.")
        when = travel_date(request.args.get("date", ""))
        found = flights().search([SliceRequest(origin, destination, when)])
        return jsonify(offers=[offer_summary(o) for o in found.offers])

    @app.post("/api/orders")
    def order():
        data = body()
        try:
            born_on = date.fromisoformat(str(data.get("born_on") or ""))
        except ValueError:
            raise BadRequest("Enter the date of birth as YYYY-MM-DD.") from None
        names = [str(data.get(k) or "").strip() for k in ("given_name", "family_name")]
        if not all(names) or born_on >= date.today():
            raise BadRequest("Enter the passenger's names and a date of birth in the past.")
        offer = flights().get_offer(str(data.get("offer_id") or "")[:100])
        email = customer_email() or str(data.get("email") or "")
        placed = flights().book(offer, [Traveller(names[0], names[1], born_on, email=email or None)],
                                idempotency_key=request.headers.get("Idempotency-Key"), metadata={"channel": "web"})
        return jsonify(booking_reference=placed.booking_reference, order_id=placed.id), 201

    @app.get("/api/trips")
    def trips():
        email = customer_email()
        if not email:
            return jsonify(error="Sign in to see your trips."), 401
        deals = active_bookings(crm().get_contact_by_email(email).id)
        return jsonify(trips=[{
            "id": d.id, "booking_reference": d.booking_reference, "origin": d.origin, "destination": d.destination,
            "departure_date": d.departure_date.isoformat() if d.departure_date else None,
            "return_date": d.return_date.isoformat() if d.return_date else None,
        } for d in deals])

    @app.get("/api/help/articles")
    def help_articles():
        """The help center as the Help page shows it: categories, their sections, their articles' titles."""
        titles: Dict[int, list] = {}
        for article in help_center.articles():
            titles.setdefault(article.section_id, []).append({"id": article.id, "title": article.title})
        sections: Dict[int, list] = {}
        for section in help_center.sections():
            sections.setdefault(section.category_id, []).append(
                {"id": section.id, "name": section.name, "articles": titles.get(section.id, [])})
        return jsonify(categories=[
            {"id": c.id, "name": c.name, "description": c.description, "sections": sections.get(c.id, [])}
            for c in help_center.categories()
        ])

    @app.get("/api/help/articles/<int:article_id>")
    def help_article(article_id: int):
        article = help_center.article(article_id)
        return jsonify(article={"id": article.id, "title": article.title, "body": article.body, "section_id": article.section_id,
                                "updated_at": article.updated_at.isoformat() if article.updated_at else None})

    @app.get("/api/help/search")
    def help_search():
        query = request.args.get("q", "").strip()
        if not query:
            raise BadRequest("Type a few words to search the help center.")
        if len(query) > MAX_HELP_QUERY:
            raise BadRequest(f"Search with at most {MAX_HELP_QUERY} characters.")
        found = help_center.search(query, per_page=10)
        return jsonify(count=found.count, results=[
            {"id": hit.article.id, "title": hit.article.title, "snippet": hit.snippet} for hit in found.hits
        ])

    @app.get("/health")
    def health():
        return jsonify(status="ok", site=(dist / "index.html").exists())

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def site(path: str):
        """The built files; every other path is a page of the single-page site."""
        if path.startswith("api/"):
            return jsonify(error="unknown API path"), 404
        if path and (dist / path).is_file():
            return send_from_directory(dist, path, max_age=31536000 if path.startswith("assets/") else 0)
        if not (dist / "index.html").exists():
            return "The site is not built: run `make web` (make run does it).", 503
        return send_from_directory(dist, "index.html", max_age=0)

    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--socket-url", default=os.environ.get("SITE_SOCKET_URL"),
                        help="where browsers reach the assistant's socket channel (default: this host, RASA_PORT)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    secret = os.environ.get("CHANNEL_JWT_SECRET")
    if not secret:
        parser.error("CHANNEL_JWT_SECRET is not set: the site signs customers' tokens with it (make run creates one)")
    from waitress import serve

    print(f"Travel site on http://{args.host}:{args.port}", flush=True)
    serve(create_app(secret, socket_url=args.socket_url), host=args.host, port=args.port, threads=8, ident="travel-site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
