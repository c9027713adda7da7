"""The sandbox service: one Flask app serving the three vendor APIs under /hubspot, /zendesk, /duffel."""
from __future__ import annotations

import logging
from functools import partial
from typing import Dict, Optional

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from . import crm, flights, helpcenter, ticketing
from .config import Settings
from .db import Database, create_schema
from .http import ApiError, RateLimiter, Vendor
from .state import SandboxState, state
from .webhooks import WebhookSender

log = logging.getLogger(__name__)
VENDORS: Dict[str, Vendor] = {v.name: v for v in (crm.VENDOR, ticketing.VENDOR, flights.VENDOR)}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}


def _guard(vendor: Vendor) -> None:
    """Authenticates, then counts the request against the credential's rate limit."""
    current = state()
    credential = vendor.authenticate(current.settings)
    wait = current.limiter.hit(f"{vendor.name}:{credential}")
    if wait is not None:
        raise ApiError(
            429, "rate_limit_exceeded", "Too many requests for this credential; retry after the given delay.",
            headers={"Retry-After": str(wait)},
        )


def _render(err: ApiError) -> Response:
    vendor = VENDORS.get(request.path.strip("/").split("/", 1)[0])
    if vendor is None:
        response = jsonify({"error": err.code, "message": err.message})
        response.status_code = err.status
    else:
        response = vendor.render_error(err)
    response.headers.update(err.headers)
    return response


def create_app(settings: Optional[Settings] = None) -> Flask:
    settings = settings or Settings.from_env()
    db = Database(settings.database_url)
    create_schema(db.engine)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    app.extensions["sandbox"] = SandboxState(
        settings=settings,
        db=db,
        limiter=RateLimiter(settings.rate_limit, settings.rate_window_seconds),
        webhooks=WebhookSender(db, settings.webhook_url, settings.webhook_secret),
    )
    for vendor in (*VENDORS.values(), helpcenter.VENDOR):  # the help center shares /zendesk
        blueprint = vendor.create_blueprint()
        blueprint.before_request(partial(_guard, vendor))
        app.register_blueprint(blueprint, url_prefix=f"/{vendor.name}")

    @app.get("/health")
    def health():
        return jsonify({"status": "ok", "database": db.backend, "vendors": sorted(VENDORS)})

    @app.errorhandler(ApiError)
    def api_error(err: ApiError):
        return _render(err)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _render(ApiError(exc.code or 500, HTTP_CODES.get(exc.code, "invalid_request"), exc.description or exc.name))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render(ApiError(500, "internal_server_error", "Something went wrong on our side."))

    return app
