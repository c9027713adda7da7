"""Help center client for Zendesk Guide's Help Center API: categories, sections, articles, search.

Same account and credentials as the Support API (TicketingClient). Lists use cursor pagination,
which Zendesk recommends; article search only has offset pagination.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

from requests.auth import HTTPBasicAuth

from .convert import to_datetime
from .http import RetryPolicy, VendorHttp, env_timeout
from .ticketing import parse_error, zendesk_account

T = TypeVar("T")
DEFAULT_LOCALE = "en-us"
PAGE_SIZE = 100  # the most Zendesk gives per page


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    description: str
    position: int
    locale: str
    html_url: str


@dataclass(frozen=True)
class Section:
    id: int
    category_id: int
    name: str
    description: str
    position: int
    locale: str
    html_url: str


@dataclass(frozen=True)
class Article:
    id: int
    section_id: int
    title: str
    body: str  # HTML
    locale: str
    label_names: Tuple[str, ...]
    position: int
    promoted: bool
    html_url: str
    updated_at: Optional[datetime]


@dataclass(frozen=True)
class SearchHit:
    article: Article
    snippet: str  # HTML: the matching words are in <em></em>


@dataclass(frozen=True)
class SearchResults:
    hits: Tuple[SearchHit, ...]
    count: int  # matching articles in all pages
    page: int
    page_count: int


def _category(obj: Dict[str, Any]) -> Category:
    return Category(id=obj["id"], name=obj["name"], description=obj.get("description") or "", position=obj.get("position") or 0,
                    locale=obj.get("locale") or "", html_url=obj.get("html_url") or "")


def _section(obj: Dict[str, Any]) -> Section:
    return Section(id=obj["id"], category_id=obj["category_id"], name=obj["name"], description=obj.get("description") or "",
                   position=obj.get("position") or 0, locale=obj.get("locale") or "", html_url=obj.get("html_url") or "")


def _article(obj: Dict[str, Any]) -> Article:
    return Article(
        id=obj["id"], section_id=obj["section_id"], title=obj.get("title") or obj.get("name") or "", body=obj.get("body") or "",
        locale=obj.get("locale") or "", label_names=tuple(obj.get("label_names") or ()), position=obj.get("position") or 0,
        promoted=bool(obj.get("promoted")), html_url=obj.get("html_url") or "", updated_at=to_datetime(obj.get("updated_at")),
    )


class HelpCenterClient:
    def __init__(
        self, base_url: str, email: str, api_token: str, *, timeout: float = 10.0, retry: RetryPolicy = RetryPolicy()
    ) -> None:
        self.http = VendorHttp(
            "helpcenter", base_url, parse_error, auth=HTTPBasicAuth(f"{email}/token", api_token), timeout=timeout, retry=retry
        )

    @classmethod
    def from_env(cls) -> "HelpCenterClient":
        """The ticketing client's Zendesk account (ZENDESK_*)."""
        return cls(*zendesk_account(), timeout=env_timeout(), retry=RetryPolicy.from_env())

    def categories(self, locale: str = DEFAULT_LOCALE) -> List[Category]:
        return self._all(f"/api/v2/help_center/{locale}/categories.json", "categories", _category)

    def sections(self, locale: str = DEFAULT_LOCALE) -> List[Section]:
        return self._all(f"/api/v2/help_center/{locale}/sections.json", "sections", _section)

    def articles(self, locale: str = DEFAULT_LOCALE, *, page_size: int = PAGE_SIZE) -> List[Article]:
        """Every article in the locale, in the help center's order, however many pages that takes."""
        return self._all(f"/api/v2/help_center/{locale}/articles.json", "articles", _article, page_size)

    def article(self, article_id: int, locale: str = DEFAULT_LOCALE) -> Article:
        return _article(self.http.request("GET", f"/api/v2/help_center/{locale}/articles/{int(article_id)}.json").json()["article"])

    def search(self, query: str, locale: str = DEFAULT_LOCALE, per_page: int = 10, page: int = 1) -> SearchResults:
        """Zendesk's keyword search, best match first. A blank query is refused by Zendesk (InvalidRequest)."""
        params = {"query": query, "locale": locale, "per_page": per_page, "page": page}
        body = self.http.request("GET", "/api/v2/help_center/articles/search.json", params=params).json()
        hits = tuple(SearchHit(_article(r), r.get("snippet") or "") for r in body["results"])
        return SearchResults(hits=hits, count=body.get("count", len(hits)), page=body.get("page", page), page_count=body.get("page_count", 1))

    def _all(self, path: str, key: str, parse: Callable[[Dict[str, Any]], T], page_size: int = PAGE_SIZE) -> List[T]:
        """Cursor pagination: asks for page[size] and follows meta.after_cursor while meta.has_more."""
        params: Dict[str, Any] = {"page[size]": page_size}
        items: List[T] = []
        while True:
            body = self.http.request("GET", path, params=params).json()
            items.extend(parse(obj) for obj in body[key])
            if not body["meta"]["has_more"]:
                return items
            params = {"page[size]": page_size, "page[after]": body["meta"]["after_cursor"]}
