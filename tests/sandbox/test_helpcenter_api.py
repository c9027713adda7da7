"""The help center's Zendesk Guide shapes: categories, sections, articles, search, both kinds of
pagination, anonymous reads, errors and the shared rate limit.

Docs: developer.zendesk.com/api-reference/help_center/help-center-api/{categories,sections,articles,search}/
and developer.zendesk.com/api-reference/introduction/pagination/.
"""
import requests

from tests.sandbox.conftest import Api, zendesk_api

ARTICLE_FIELDS = {
    "id", "url", "html_url", "author_id", "comments_disabled", "draft", "promoted", "position", "vote_sum", "vote_count",
    "section_id", "created_at", "updated_at", "edited_at", "name", "title", "source_locale", "locale", "outdated",
    "outdated_locales", "permission_group_id", "user_segment_id", "label_names", "body",
}
HC = "/api/v2/help_center"


def anonymous(url: str) -> Api:
    return Api(f"{url}/zendesk")


def everything(api: Api, path: str, key: str) -> list:
    """Follows cursor pagination to the end, as Zendesk's pagination guide does: while meta.has_more, get links.next."""
    page = api.get(path, params={"page[size]": 7}).json()
    items = list(page[key])
    while page["meta"]["has_more"]:
        page = requests.get(page["links"]["next"], timeout=10).json()
        items += page[key]
    return items


def test_categories_and_sections_have_zendesk_fields(sandbox):
    # Categories and Sections, "JSON format" tables; List Categories / List Sections in Category.
    api = anonymous(sandbox.url)
    categories = api.get(f"{HC}/en-us/categories.json").json()["categories"]
    assert len(categories) >= 5 and [c["position"] for c in categories] == sorted(c["position"] for c in categories)
    first = categories[0]
    assert {"id", "url", "html_url", "position", "created_at", "updated_at", "name", "description", "locale", "source_locale", "outdated"} <= set(first)
    assert first["url"].endswith(f"/api/v2/help_center/en-us/categories/{first['id']}.json") and first["created_at"].endswith("Z")
    sections = api.get(f"{HC}/en-us/categories/{first['id']}/sections.json").json()["sections"]
    assert sections and {s["category_id"] for s in sections} == {first["id"]}
    assert {"id", "url", "html_url", "category_id", "position", "sorting", "name", "description", "locale", "parent_section_id"} <= set(sections[0])
    assert api.get(f"{HC}/en-us/sections/{sections[0]['id']}").json()["section"] == sections[0]
    everyone = api.get(f"{HC}/en-us/sections.json", params={"per_page": 100}).json()["sections"]
    assert len(everyone) >= 14 and {s["id"] for s in sections} <= {s["id"] for s in everyone}


def test_article_shape_and_locale_paths(sandbox):
    # Articles, "JSON format" table and Show Article (GET /api/v2/help_center/{locale}/articles/{article_id}).
    api = anonymous(sandbox.url)
    listed = api.get(f"{HC}/en-us/articles.json").json()
    article = listed["articles"][0]
    assert ARTICLE_FIELDS <= set(article)
    assert article["title"] == article["name"] and article["locale"] == "en-us" and article["body"].startswith("<p>")
    assert article["draft"] is False and isinstance(article["label_names"], list) and article["outdated_locales"] == []
    shown = api.get(f"{HC}/en-us/articles/{article['id']}.json").json()["article"]
    assert shown == article
    assert api.get(f"{HC}/EN-US/articles/{article['id']}").json()["article"]["id"] == article["id"]
    agent = zendesk_api(sandbox.url)
    assert agent.get(f"{HC}/articles/{article['id']}.json").json()["article"] == article  # {locale} is optional for agents
    section = api.get(f"{HC}/en-us/sections/{article['section_id']}/articles.json").json()["articles"]
    assert article["id"] in {a["id"] for a in section} and {a["section_id"] for a in section} == {article["section_id"]}


def test_offset_pagination(sandbox):
    # Pagination, "Using offset pagination": page, per_page, next_page, previous_page, count, page_count;
    # the articles endpoint returns 30 per page by default.
    api = anonymous(sandbox.url)
    first = api.get(f"{HC}/en-us/articles.json").json()
    assert first["per_page"] == 30 and first["page"] == 1 and first["count"] >= 40 and len(first["articles"]) == 30
    assert first["previous_page"] is None and first["page_count"] == -(-first["count"] // 30)
    assert first["sort_by"] == "position" and first["sort_order"] == "asc"
    second = requests.get(first["next_page"], timeout=10).json()
    assert second["page"] == 2 and second["previous_page"] and second["next_page"] is None
    ids = [a["id"] for a in first["articles"] + second["articles"]]
    assert len(ids) == len(set(ids)) == first["count"]
    titles = [a["title"].lower() for a in api.get(f"{HC}/en-us/articles", params={"sort_by": "title", "per_page": 100}).json()["articles"]]
    assert titles == sorted(titles)


def test_cursor_pagination(sandbox):
    # Pagination, "Using cursor pagination": page[size], meta.has_more/after_cursor/before_cursor, links.next/prev.
    api = anonymous(sandbox.url)
    page = api.get(f"{HC}/en-us/articles.json", params={"page[size]": 7}).json()
    assert len(page["articles"]) == 7 and page["meta"]["has_more"] is True and page["meta"]["after_cursor"]
    assert "page%5Bafter%5D=" in page["links"]["next"] and page["links"]["prev"] is None
    assert "count" not in page and "next_page" not in page
    following = api.get(f"{HC}/en-us/articles.json", params={"page[size]": 7, "page[after]": page["meta"]["after_cursor"]}).json()
    back = api.get(f"{HC}/en-us/articles.json", params={"page[size]": 7, "page[before]": following["meta"]["before_cursor"]}).json()
    assert [a["id"] for a in back["articles"]] == [a["id"] for a in page["articles"]]
    all_articles = everything(api, f"{HC}/en-us/articles.json", "articles")
    offset = api.get(f"{HC}/en-us/articles.json", params={"per_page": 100}).json()
    assert [a["id"] for a in all_articles] == [a["id"] for a in offset["articles"]]
    assert len(everything(api, f"{HC}/en-us/categories.json", "categories")) == api.get(f"{HC}/en-us/categories").json()["count"]


def test_label_filter_on_lists_needs_every_label(sandbox):
    # List Articles, label_names: "Only articles that have all the labels are returned".
    api = anonymous(sandbox.url)
    both = api.get(f"{HC}/en-us/articles", params={"label_names": "baggage,fees", "per_page": 100}).json()["articles"]
    assert both and all({"baggage", "fees"} <= set(a["label_names"]) for a in both)
    assert api.get(f"{HC}/en-us/articles", params={"label_names": "baggage,no_such_label"}).json()["count"] == 0


def test_search_ranks_keywords_and_highlights_snippets(sandbox):
    # Search Articles: results carry result_type "article" and a snippet with matches in <em></em>;
    # 25 per page by default; offset pagination only.
    api = anonymous(sandbox.url)
    found = api.get(f"{HC}/articles/search.json", params={"query": "checked bag cost"}).json()
    assert found["results"][0]["title"] == "How much does a checked bag cost?"
    top = found["results"][0]
    assert top["result_type"] == "article" and "<em>checked</em>" in top["snippet"] and "<strong>" not in top["snippet"]
    assert ARTICLE_FIELDS <= set(top)
    assert found["page"] == 1 and found["per_page"] == 25 and len(found["results"]) == min(25, found["count"])
    pets = api.get(f"{HC}/articles/search", params={"query": "dog", "locale": "en-us"}).json()["results"]
    assert pets and all("pets" in a["label_names"] or "dog" in a["body"].lower() for a in pets)
    assert api.get(f"{HC}/articles/search", params={"query": "zeppelin"}).json() == {
        "results": [], "page": 1, "previous_page": None, "per_page": 25, "page_count": 1, "next_page": None, "count": 0,
    }


def test_search_filters_and_pages(sandbox):
    # Search Articles: category, section, label_names ("at least one of the labels"), locale, page/per_page.
    api = anonymous(sandbox.url)
    category = api.get(f"{HC}/en-us/categories").json()["categories"][0]
    in_category = {s["id"] for s in api.get(f"{HC}/en-us/categories/{category['id']}/sections").json()["sections"]}
    by_category = api.get(f"{HC}/articles/search", params={"category": category["id"], "per_page": 100}).json()["results"]
    assert by_category and {a["section_id"] for a in by_category} <= in_category
    section = sorted(in_category)[0]
    by_section = api.get(f"{HC}/articles/search", params={"section": section, "query": "bag"}).json()["results"]
    assert by_section and {a["section_id"] for a in by_section} == {section}
    labelled = api.get(f"{HC}/articles/search", params={"label_names": "pets,loyalty", "per_page": 100}).json()["results"]
    assert {"pets", "loyalty"} <= {label for a in labelled for label in a["label_names"]}
    assert all({"pets", "loyalty"} & set(a["label_names"]) for a in labelled)
    paged = api.get(f"{HC}/articles/search", params={"query": "refund", "per_page": 2}).json()
    assert len(paged["results"]) == 2 and paged["count"] > 2 and "page=2" in paged["next_page"]
    every_locale = api.get(f"{HC}/articles/search", params={"query": "refund", "locale": "*"}).json()
    assert every_locale["count"] == paged["count"]


def test_errors(sandbox):
    # Search Articles: "You must specify at least one of" query, category, section, label_names; per_page 1..100;
    # missing records answer RecordNotFound like the rest of Zendesk.
    api = anonymous(sandbox.url)
    missing = api.get(f"{HC}/articles/search.json")
    assert missing.status_code == 400 and missing.json()["error"] == "InvalidValue"
    assert api.get(f"{HC}/articles/search", params={"query": "bag", "per_page": 101}).status_code == 400
    assert api.get(f"{HC}/articles/search", params={"query": "bag", "page": 0}).status_code == 400
    not_found = api.get(f"{HC}/en-us/articles/1.json")
    assert (not_found.status_code, not_found.json()) == (404, {"error": "RecordNotFound", "description": "Not found"})
    assert api.get(f"{HC}/en-us/sections/1/articles").status_code == 404
    assert api.get(f"{HC}/xx-yy/articles").status_code == 404
    assert api.get(f"{HC}/en-us/articles", params={"sort_by": "votes"}).status_code == 400
    assert api.get(f"{HC}/en-us/articles", params={"page[size]": 7, "page[after]": "not-a-cursor"}).status_code == 400


def test_anonymous_reads_and_authentication(sandbox):
    # Articles/Categories: "{locale} is an optional parameter for admins and agents. End users and anonymous
    # users must provide a locale"; Search Articles is "Allowed for Anonymous users". Wrong credentials are a 401.
    api = anonymous(sandbox.url)
    assert api.get(f"{HC}/en-us/articles").status_code == 200
    assert api.get(f"{HC}/articles/search", params={"query": "seat"}).status_code == 200
    refused = api.get(f"{HC}/articles.json")
    assert (refused.status_code, refused.json()) == (401, {"error": "Couldn't authenticate you"})
    assert zendesk_api(sandbox.url).get(f"{HC}/articles.json").status_code == 200
    wrong = Api(f"{sandbox.url}/zendesk", auth=("assistant@example.com/token", "wrong"))
    assert wrong.get(f"{HC}/en-us/articles").status_code == 401  # credentials given are checked, even where none are needed


def test_help_center_shares_the_zendesk_rate_limit(make_sandbox):
    # Zendesk's rate limits are per account across its APIs; anonymous callers are limited per address.
    limited = make_sandbox(SANDBOX_RATE_LIMIT="3", SANDBOX_RATE_WINDOW_SECONDS="60")
    agent = zendesk_api(limited.url)
    statuses = [agent.get("/api/v2/tickets/1001.json").status_code, agent.get(f"{HC}/articles").status_code,
                agent.get(f"{HC}/articles/search", params={"query": "bag"}).status_code, agent.get(f"{HC}/categories").status_code]
    assert statuses == [200, 200, 200, 429]
    refused = agent.get(f"{HC}/articles")
    assert refused.json()["error"] == "APIRateLimitExceeded" and int(refused.headers["Retry-After"]) >= 1
    visitor = anonymous(limited.url)
    assert [visitor.get(f"{HC}/en-us/articles").status_code for _ in range(4)] == [200, 200, 200, 429]
