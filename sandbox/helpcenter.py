"""The help center in the shape of Zendesk Guide's Help Center API: categories, sections, articles
and article search (developer.zendesk.com/api-reference/help_center/help-center-api/).

Mounted under /zendesk beside the Support API, with the same credentials, error bodies and rate
limit. As Zendesk documents for a public help center, reads in a locale path
(/api/v2/help_center/en-us/articles) and article search need no credentials; the paths without a
locale are "optional for admins and agents", so there an anonymous caller gets a 401. Anonymous
callers are rate limited per address.
"""
from __future__ import annotations

import base64
import binascii
import html
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple
from urllib.parse import urlencode

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from . import ticketing
from .http import ApiError, Vendor, iso
from .models import HelpArticle, HelpCategory, HelpSection
from .state import state

DEFAULT_LOCALE = "en-us"
PERMISSION_GROUP_ID = 1  # Zendesk's default "Admins" management group
LIST_PER_PAGE = 30  # "the articles endpoint returns 30 items per page"
SEARCH_PER_PAGE = 25  # "Returns a default number of 25 articles per page"
MAX_PER_PAGE = 100
OFFSET_LIMIT = 10_000  # offset pagination past the first 10,000 records is a 400 since 2024
SEARCH_LIMIT = 1000  # "up to a maximum of 1000 results"
SNIPPET_CHARS = 160
SORTS = {"position", "title", "created_at", "updated_at"}
TAG = re.compile(r"<[^>]+>")
INLINE_TAG = re.compile(r"</?(?:strong|em|b|i|a|span)\b[^>]*>")
WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from get have how i if in is it many me much my of on or so the "
    "there this to was what when where which who why will with you your".split()
)


def _anonymous_allowed() -> bool:
    return "locale" in (request.view_args or {}) or (request.endpoint or "").endswith(("search_articles", "search_articles_json"))


def authenticate(settings) -> str:
    if request.headers.get("Authorization") or not _anonymous_allowed():
        return ticketing.authenticate(settings)
    return f"anonymous:{request.remote_addr}"


# --- JSON shapes ---------------------------------------------------------------------------------


def _base() -> str:
    return request.host_url.rstrip("/") + "/zendesk"


def _ts(value) -> Optional[str]:
    return iso(value, millis=False)


def _slug(text: str) -> str:
    return "-".join(w.capitalize() for w in WORD.findall(text.lower()))[:80]


def category_json(category: HelpCategory) -> Dict[str, Any]:
    locale = category.locale
    return {
        "id": category.id,
        "url": f"{_base()}/api/v2/help_center/{locale}/categories/{category.id}.json",
        "html_url": f"{_base()}/hc/{locale}/categories/{category.id}-{_slug(category.name)}",
        "position": category.position,
        "created_at": _ts(category.created_at),
        "updated_at": _ts(category.updated_at),
        "name": category.name,
        "description": category.description,
        "locale": locale,
        "source_locale": locale,
        "outdated": False,
    }


def section_json(section: HelpSection) -> Dict[str, Any]:
    locale = section.locale
    return {
        "id": section.id,
        "url": f"{_base()}/api/v2/help_center/{locale}/sections/{section.id}.json",
        "html_url": f"{_base()}/hc/{locale}/sections/{section.id}-{_slug(section.name)}",
        "category_id": section.category_id,
        "position": section.position,
        "sorting": "manual",
        "created_at": _ts(section.created_at),
        "updated_at": _ts(section.updated_at),
        "name": section.name,
        "description": section.description,
        "locale": locale,
        "source_locale": locale,
        "outdated": False,
        "parent_section_id": None,
        "theme_template": "section_page",
    }


def article_json(article: HelpArticle) -> Dict[str, Any]:
    locale = article.locale
    return {
        "id": article.id,
        "url": f"{_base()}/api/v2/help_center/{locale}/articles/{article.id}.json",
        "html_url": f"{_base()}/hc/{locale}/articles/{article.id}-{_slug(article.title)}",
        "author_id": article.author_id,
        "comments_disabled": article.comments_disabled,
        "draft": article.draft,
        "promoted": article.promoted,
        "position": article.position,
        "vote_sum": article.vote_sum,
        "vote_count": article.vote_count,
        "section_id": article.section_id,
        "created_at": _ts(article.created_at),
        "updated_at": _ts(article.updated_at),
        "name": article.title,
        "title": article.title,
        "source_locale": locale,
        "locale": locale,
        "outdated": False,
        "outdated_locales": [],
        "edited_at": _ts(article.edited_at),
        "user_segment_id": None,
        "user_segment_ids": [],
        "permission_group_id": PERMISSION_GROUP_ID,
        "content_tag_ids": [],
        "label_names": list(article.label_names or []),
        "body": article.body,
    }


# --- Parameters and pagination -------------------------------------------------------------------


def _whole(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(400, "InvalidValue", f"{name} must be a whole number from {low} to {high}.")
    return value


def _sorted(items: List[Any], allowed: Set[str], default_order: str = "asc") -> Tuple[List[Any], str, str]:
    sort_by = request.args.get("sort_by", "position")
    sort_order = request.args.get("sort_order", default_order)
    if sort_by not in allowed:
        raise ApiError(400, "InvalidValue", f"sort_by must be one of {', '.join(sorted(allowed))}.")
    if sort_order not in ("asc", "desc"):
        raise ApiError(400, "InvalidValue", "sort_order must be asc or desc.")
    key = (lambda item: (getattr(item, sort_by).lower(), item.id)) if sort_by == "title" else (lambda item: (getattr(item, sort_by), item.id))
    return sorted(items, key=key, reverse=sort_order == "desc"), sort_by, sort_order


def _link(**changes: Any) -> str:
    args = {**request.args.to_dict(), **{k: str(v) for k, v in changes.items()}}
    return request.base_url + "?" + urlencode(args)


def _cursor(item_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{item_id}".encode()).decode().rstrip("=")


def _cursor_index(items: List[Any], cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        wanted = int(text.removeprefix("id:")) if text.startswith("id:") else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        wanted = None
    for index, item in enumerate(items):
        if item.id == wanted:
            return index
    raise ApiError(400, "InvalidValue", "page[after] or page[before] is not a cursor this list gave.")


def _cursor_page(items: List[Any], key: str, render: Callable[[Any], Dict[str, Any]]) -> Dict[str, Any]:
    """Cursor pagination: page[size], page[after], page[before]; meta and links as Zendesk documents."""
    size = _whole("page[size]", LIST_PER_PAGE, 1, MAX_PER_PAGE)
    after, before = request.args.get("page[after]"), request.args.get("page[before]")
    if after:
        start = _cursor_index(items, after) + 1
        end = start + size
    elif before:
        end = _cursor_index(items, before)
        start = max(0, end - size)
    else:
        start, end = 0, size
    chunk = items[start:end]
    has_more = end < len(items) if not before else start > 0
    first_cursor = _cursor(chunk[0].id) if chunk else None
    last_cursor = _cursor(chunk[-1].id) if chunk else None
    base = {k: v for k, v in request.args.items() if k not in ("page[after]", "page[before]")}
    return {
        key: [render(item) for item in chunk],
        "meta": {"has_more": has_more, "after_cursor": last_cursor, "before_cursor": first_cursor},
        "links": {
            "first": request.base_url + "?" + urlencode(base),
            "next": request.base_url + "?" + urlencode({**base, "page[after]": last_cursor}) if last_cursor and end < len(items) else None,
            "prev": request.base_url + "?" + urlencode({**base, "page[before]": first_cursor}) if first_cursor and start > 0 else None,
        },
    }


def _offset_page(items: List[Any], key: str, render: Callable[[Any], Dict[str, Any]], per_page_default: int) -> Dict[str, Any]:
    per_page = _whole("per_page", per_page_default, 1, MAX_PER_PAGE)
    page = _whole("page", 1, 1, OFFSET_LIMIT)
    if (page - 1) * per_page >= OFFSET_LIMIT:
        raise ApiError(400, "InvalidValue", "Offset pagination is limited to the first 10000 records; use cursor pagination.")
    chunk = items[(page - 1) * per_page: page * per_page]
    page_count = max(1, -(-len(items) // per_page))
    return {
        key: [render(item) for item in chunk],
        "page": page,
        "previous_page": _link(page=page - 1, per_page=per_page) if page > 1 else None,
        "per_page": per_page,
        "page_count": page_count,
        "next_page": _link(page=page + 1, per_page=per_page) if page * per_page < len(items) else None,
        "count": len(items),
    }


def _listing(items: List[Any], key: str, render: Callable[[Any], Dict[str, Any]], sorts: Set[str]) -> Dict[str, Any]:
    ordered, sort_by, sort_order = _sorted(items, sorts)
    if "page[size]" in request.args:
        return _cursor_page(ordered, key, render)
    return {**_offset_page(ordered, key, render, LIST_PER_PAGE), "sort_by": sort_by, "sort_order": sort_order}


# --- Lookups -------------------------------------------------------------------------------------


def _locales(session) -> Set[str]:
    return set(session.execute(select(HelpCategory.locale).distinct()).scalars()) or {DEFAULT_LOCALE}


def _locale(session, locale: Optional[str]) -> str:
    """The path's locale (any case, as Zendesk accepts en-US), or the default for paths without one."""
    if locale is None:
        return DEFAULT_LOCALE
    if locale.lower() not in _locales(session):
        raise ApiError(404, "RecordNotFound", "Not found")
    return locale.lower()


def _one(session, model, item_id: int, locale: str):
    item = session.get(model, item_id)
    if item is None or item.locale != locale:
        raise ApiError(404, "RecordNotFound", "Not found")
    return item


def _all(session, model, locale: str, *where) -> List[Any]:
    return list(session.execute(select(model).where(model.locale == locale, *where)).scalars())


def _with_labels(articles: List[HelpArticle]) -> List[HelpArticle]:
    """List endpoints' label_names: "Only articles that have all the labels are returned"."""
    wanted = {name.strip() for name in request.args.get("label_names", "").split(",") if name.strip()}
    return [a for a in articles if wanted <= set(a.label_names or [])] if wanted else articles


# --- Search --------------------------------------------------------------------------------------


def _stem(word: str) -> str:
    """A crude plural folding so "bags" finds "bag"; Zendesk's search also stems, more cleverly."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> List[str]:
    return [_stem(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def plain_text(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", TAG.sub(" ", INLINE_TAG.sub("", body)))).strip()


def _score(article: HelpArticle, wanted: Set[str]) -> Tuple[int, int]:
    """(distinct query words found, weighted hits): a title hit weighs 3, a label 2, the body 1 each (up to 3)."""
    title = set(terms(article.title))
    labels = {t for name in article.label_names or [] for t in terms(name.replace("_", " "))}
    body = terms(plain_text(article.body))
    found, weight = 0, 0
    for word in wanted:
        hits = 3 * (word in title) + 2 * (word in labels) + min(3, body.count(word))
        found += hits > 0
        weight += hits
    return found, weight


def snippet(body: str, wanted: Set[str]) -> str:
    """The stretch of the body around the first matching word, matches wrapped in <em></em>."""
    text = plain_text(body)
    words = list(re.finditer(r"[A-Za-z0-9]+", text))
    first = next((m for m in words if _stem(m.group().lower()) in wanted), None)
    start = 0 if first is None or first.start() < SNIPPET_CHARS // 3 else text.rfind(" ", 0, first.start() - SNIPPET_CHARS // 3) + 1
    end = len(text) if start + SNIPPET_CHARS >= len(text) else text.rfind(" ", start, start + SNIPPET_CHARS)
    out, cursor = [], start
    for match in words:
        if match.start() < start or match.end() > end:
            continue
        if _stem(match.group().lower()) in wanted:
            out += [html.escape(text[cursor:match.start()]), f"<em>{html.escape(match.group())}</em>"]
            cursor = match.end()
    out.append(html.escape(text[cursor:end]))
    return ("..." if start else "") + "".join(out) + ("..." if end < len(text) else "")


def _ids(name: str) -> Optional[Set[int]]:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise ApiError(400, "InvalidValue", f"{name} must be one or more ids separated by commas.") from None


def _search(session) -> Dict[str, Any]:
    query = request.args.get("query", "").strip()
    categories, sections = _ids("category"), _ids("section")
    labels = {name.strip() for name in request.args.get("label_names", "").split(",") if name.strip()}
    if not query and categories is None and sections is None and not labels:
        raise ApiError(400, "InvalidValue", "You must specify at least one of query, category, section or label_names.")
    locale = request.args.get("locale", DEFAULT_LOCALE).lower()
    statement = select(HelpArticle, HelpSection.category_id).join(HelpSection, HelpSection.id == HelpArticle.section_id)
    if locale != "*":  # "*" searches every locale; an unknown one falls back to the default
        statement = statement.where(HelpArticle.locale == (locale if locale in _locales(session) else DEFAULT_LOCALE))
    rows = session.execute(statement).all()
    found = [
        article for article, category_id in rows
        if (categories is None or category_id in categories)
        and (sections is None or article.section_id in sections)
        and (not labels or labels & set(article.label_names or []))  # search: "at least one of the labels"
    ]
    wanted = set(terms(query))
    if query:
        scored = [(article, _score(article, wanted)) for article in found]
        found = [a for a, (hits, weight) in sorted(scored, key=lambda s: (-s[1][0], -s[1][1], s[0].id)) if hits]
    sort_by = request.args.get("sort_by")
    if sort_by is not None:
        if sort_by not in ("created_at", "updated_at"):
            raise ApiError(400, "InvalidValue", "sort_by must be created_at or updated_at.")
        found = sorted(found, key=lambda a: (getattr(a, sort_by), a.id), reverse=request.args.get("sort_order", "desc") != "asc")

    def result(article: HelpArticle) -> Dict[str, Any]:
        return {**article_json(article), "result_type": "article", "snippet": snippet(article.body, wanted)}

    return _offset_page(found[:SEARCH_LIMIT], "results", result, SEARCH_PER_PAGE)


# --- Routes --------------------------------------------------------------------------------------


def create_blueprint() -> Blueprint:
    bp = Blueprint("zendesk_help_center", __name__)

    def route(rule: str, *, locales: bool = True):
        """Each path with and without .json and, where Zendesk has both, with and without {locale}."""
        def decorator(view):
            rules: Sequence[Tuple[str, str]] = [(rule, "")]
            if locales:
                rules = [*rules, (rule.replace("/help_center/", "/help_center/<locale>/"), "_locale")]
            for path, suffix in rules:
                bp.add_url_rule(path, endpoint=view.__name__ + suffix, view_func=view, methods=["GET"])
                bp.add_url_rule(path + ".json", endpoint=view.__name__ + suffix + "_json", view_func=view, methods=["GET"])
            return view
        return decorator

    @route("/api/v2/help_center/categories")
    def list_categories(locale: Optional[str] = None):
        with state().db.transaction() as session:
            locale = _locale(session, locale)
            return jsonify(_listing(_all(session, HelpCategory, locale), "categories", category_json, SORTS - {"title"}))

    @route("/api/v2/help_center/categories/<int:category_id>")
    def show_category(category_id: int, locale: Optional[str] = None):
        with state().db.transaction() as session:
            return jsonify({"category": category_json(_one(session, HelpCategory, category_id, _locale(session, locale)))})

    @route("/api/v2/help_center/sections")
    def list_sections(locale: Optional[str] = None):
        with state().db.transaction() as session:
            locale = _locale(session, locale)
            return jsonify(_listing(_all(session, HelpSection, locale), "sections", section_json, SORTS - {"title"}))

    @route("/api/v2/help_center/categories/<int:category_id>/sections")
    def category_sections(category_id: int, locale: Optional[str] = None):
        with state().db.transaction() as session:
            locale = _locale(session, locale)
            _one(session, HelpCategory, category_id, locale)
            sections = _all(session, HelpSection, locale, HelpSection.category_id == category_id)
            return jsonify(_listing(sections, "sections", section_json, SORTS - {"title"}))

    @route("/api/v2/help_center/sections/<int:section_id>")
    def show_section(section_id: int, locale: Optional[str] = None):
        with state().db.transaction() as session:
            return jsonify({"section": section_json(_one(session, HelpSection, section_id, _locale(session, locale)))})

    @route("/api/v2/help_center/articles")
    def list_articles(locale: Optional[str] = None):
        with state().db.transaction() as session:
            articles = _with_labels(_all(session, HelpArticle, _locale(session, locale)))
            return jsonify(_listing(articles, "articles", article_json, SORTS))

    @route("/api/v2/help_center/sections/<int:section_id>/articles")
    def section_articles(section_id: int, locale: Optional[str] = None):
        with state().db.transaction() as session:
            locale = _locale(session, locale)
            _one(session, HelpSection, section_id, locale)
            articles = _with_labels(_all(session, HelpArticle, locale, HelpArticle.section_id == section_id))
            return jsonify(_listing(articles, "articles", article_json, SORTS))

    @route("/api/v2/help_center/categories/<int:category_id>/articles")
    def category_articles(category_id: int, locale: Optional[str] = None):
        with state().db.transaction() as session:
            locale = _locale(session, locale)
            _one(session, HelpCategory, category_id, locale)
            in_category = select(HelpSection.id).where(HelpSection.category_id == category_id)
            articles = _with_labels(_all(session, HelpArticle, locale, HelpArticle.section_id.in_(in_category)))
            return jsonify(_listing(articles, "articles", article_json, SORTS))

    @route("/api/v2/help_center/articles/<int:article_id>")
    def show_article(article_id: int, locale: Optional[str] = None):
        with state().db.transaction() as session:
            return jsonify({"article": article_json(_one(session, HelpArticle, article_id, _locale(session, locale)))})

    @route("/api/v2/help_center/articles/search", locales=False)
    def search_articles():
        with state().db.transaction() as session:
            return jsonify(_search(session))

    return bp


# Same name as the Support API's vendor: mounted at /zendesk, its errors rendered the Zendesk way,
# and the same credential counted against one rate limit.
VENDOR = Vendor("zendesk", create_blueprint, authenticate, ticketing.render_error)
