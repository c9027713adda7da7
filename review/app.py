"""The review service (python -m review): staff sign in, then list, read, tag, annotate and export
real conversations from the analytics database."""
from __future__ import annotations

import hmac
import re
import secrets
import time
from collections import defaultdict, deque
from functools import wraps
from pathlib import Path
from typing import Callable, Deque, Dict, Optional, Tuple

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for
from rasa.shared.core.domain import Domain
from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from analytics import schema as analytics_schema
from common.sql import create_tables, sql_engine

from . import queries
from . import schema as r
from .export import test_story

ROOT = Path(__file__).resolve().parents[1]
TAG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,39}$")
MAX_NOTE = 2000
LOGIN_ATTEMPTS = 5  # failed sign-ins for one name from one address per minute before it has to wait
STORY_NAME = re.compile(r"[^A-Za-z0-9 _-]")


def parse_staff(value: str) -> Dict[str, str]:
    """REVIEW_STAFF: "name:password,name:password"."""
    staff = {}
    for entry in (value or "").split(","):
        name, _, password = entry.strip().partition(":")
        if name and password:
            staff[name] = password
    return staff


def create_app(database_url: str, staff: Dict[str, str], secret_key: Optional[str] = None, domain_path: Path = ROOT / "domain.yml") -> Flask:
    if not staff:
        raise ValueError("no staff accounts: set REVIEW_STAFF=name:password")
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key or secrets.token_hex(32), SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", MAX_CONTENT_LENGTH=64 * 1024, PERMANENT_SESSION_LIFETIME=8 * 3600)
    engine: Engine = sql_engine(database_url)
    create_tables(engine, analytics_schema.metadata)  # the consumer may not have run yet
    create_tables(engine, r.metadata)
    domain = Domain.load(str(domain_path))
    failures: Dict[Tuple[str, str], Deque[float]] = defaultdict(deque)

    def staff_only(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if session.get("staff") not in staff:
                if request.method == "GET":
                    return redirect(url_for("login", next=request.full_path.rstrip("?")))
                abort(401)
            g.staff = session["staff"]
            if request.method == "POST" and not hmac.compare_digest(request.form.get("csrf", ""), session.get("csrf", "")):
                abort(400, "stale form: reload the page and try again")
            return view(*args, **kwargs)
        return wrapper

    @app.context_processor
    def common() -> Dict[str, object]:
        return {"staff": session.get("staff"), "csrf": session.get("csrf", "")}

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.route("/login", methods=["GET", "POST"])
    def login():
        error, status = None, 200
        if request.method == "POST":
            name, password = request.form.get("username", "")[:80], request.form.get("password", "")
            recent = failures[(request.remote_addr or "?", name)]
            while recent and recent[0] < time.monotonic() - 60:
                recent.popleft()
            if len(recent) >= LOGIN_ATTEMPTS:
                error, status = "Too many failed sign-ins. Wait a minute and try again.", 429
            elif name in staff and hmac.compare_digest(password.encode(), staff[name].encode()):
                session.clear()
                session.update(staff=name, csrf=secrets.token_hex(16))
                session.permanent = True
                target = request.args.get("next", "")
                return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("index"))
            else:
                recent.append(time.monotonic())
                error, status = "Wrong name or password.", 401
        return render_template("login.html", error=error), status

    @app.post("/logout")
    @staff_only
    def logout():
        session.clear()
        return redirect(url_for("login"))

    @app.get("/")
    @staff_only
    def index():
        filters = queries.Filters.from_args(request.args)
        return render_template("list.html", rows=queries.conversations(engine, filters), filters=filters,
                               low_confidence=queries.LOW_CONFIDENCE, limit=queries.PAGE_SIZE)

    @app.get("/conversations/<conversation_id>")
    @staff_only
    def conversation(conversation_id: str):
        found = queries.transcript(engine, conversation_id)
        if found is None:
            abort(404)
        return render_template("conversation.html", **found)

    @app.post("/conversations/<conversation_id>/tags")
    @staff_only
    def add_tag(conversation_id: str):
        tag = request.form.get("tag", "").strip().lower()
        if not TAG.match(tag):
            abort(400, "a tag is 1-40 lower-case letters, digits, spaces, - or _")
        try:
            with engine.begin() as conn:
                conn.execute(insert(r.tags).values(conversation_id=conversation_id, tag=tag, author=g.staff))
        except IntegrityError:
            pass  # already tagged so
        return redirect(url_for("conversation", conversation_id=conversation_id))

    @app.post("/conversations/<conversation_id>/tags/<tag>/delete")
    @staff_only
    def remove_tag(conversation_id: str, tag: str):
        with engine.begin() as conn:
            conn.execute(delete(r.tags).where(r.tags.c.conversation_id == conversation_id, r.tags.c.tag == tag))
        return redirect(url_for("conversation", conversation_id=conversation_id))

    @app.post("/conversations/<conversation_id>/notes")
    @staff_only
    def add_note(conversation_id: str):
        text = request.form.get("text", "").strip()
        if not text or len(text) > MAX_NOTE:
            abort(400, f"a note is 1-{MAX_NOTE} characters")
        with engine.begin() as conn:
            conn.execute(insert(r.notes).values(conversation_id=conversation_id, text=text, author=g.staff))
        return redirect(url_for("conversation", conversation_id=conversation_id))

    @app.get("/conversations/<conversation_id>/story.yml")
    @staff_only
    def export(conversation_id: str):
        events = queries.events(engine, conversation_id)
        if not events:
            abort(404)
        name = STORY_NAME.sub("", request.args.get("name", "")).strip()[:80] or f"review {conversation_id[:14]}"
        return Response(test_story(events, domain, name), mimetype="application/x-yaml",
                        headers={"Content-Disposition": f'attachment; filename="test_{conversation_id[:14]}.yml"'})

    @app.errorhandler(400)
    @app.errorhandler(401)
    @app.errorhandler(404)
    def problem(error):
        return render_template("problem.html", error=error), error.code

    return app
