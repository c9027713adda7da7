"""The site's help API over real HTTP: the help center's tree, one article and search, read from the
sandbox's Zendesk Guide through HelpCenterClient."""
import pytest
import requests

from tests.web.conftest import site_server


@pytest.fixture(scope="module")
def site(sqlite_sandbox):
    server = site_server(sqlite_sandbox.url).start()
    yield server
    server.stop()


def test_tree_of_categories_sections_and_titles(site):
    categories = requests.get(f"{site.url}/api/help/articles", timeout=20).json()["categories"]
    assert len(categories) >= 5 and categories[0]["name"] == "Before you fly"
    sections = [s for c in categories for s in c["sections"]]
    titles = [a["title"] for s in sections for a in s["articles"]]
    assert len(sections) >= 14 and len(titles) >= 40 and "Can I bring my pet in the cabin?" in titles
    assert set(categories[0]) == {"id", "name", "description", "sections"}
    assert set(sections[0]["articles"][0]) == {"id", "title"}


def test_one_article_and_unknown_ids(site):
    first = requests.get(f"{site.url}/api/help/articles", timeout=20).json()["categories"][0]["sections"][0]["articles"][0]
    article = requests.get(f"{site.url}/api/help/articles/{first['id']}", timeout=10).json()["article"]
    assert article["title"] == first["title"] and article["body"].startswith("<p>") and article["section_id"]
    missing = requests.get(f"{site.url}/api/help/articles/1", timeout=10)
    assert missing.status_code == 404 and missing.json() == {"error": "Not found."}


def test_search(site):
    found = requests.get(f"{site.url}/api/help/search", params={"q": "refund when cancelled"}, timeout=10).json()
    assert found["count"] >= 1 and found["results"][0]["snippet"]
    assert any("<em>" in r["snippet"] for r in found["results"])
    assert set(found["results"][0]) == {"id", "title", "snippet"}
    nothing = requests.get(f"{site.url}/api/help/search", params={"q": "zeppelin"}, timeout=10).json()
    assert nothing == {"count": 0, "results": []}


@pytest.mark.parametrize("query", ["", "   ", "x" * 201], ids=["empty", "blank", "too_long"])
def test_search_refuses_empty_or_long_queries(site, query):
    reply = requests.get(f"{site.url}/api/help/search", params={"q": query}, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"]
