"""HelpCenterClient against the running sandbox over HTTP.

Shapes from developer.zendesk.com/api-reference/help_center/help-center-api/ (categories, sections,
articles, search) and /api-reference/introduction/pagination/ (cursor pagination).
"""
import pytest

from actions.clients import AuthenticationFailed, HelpCenterClient, InvalidRequest, NotFound
from tests.conftest import DEFAULTS, FAST_RETRY


def client(sandbox, token: str = DEFAULTS.zendesk_token) -> HelpCenterClient:
    return HelpCenterClient(f"{sandbox.url}/zendesk", DEFAULTS.zendesk_email, token, retry=FAST_RETRY)


def test_categories_sections_and_articles_form_one_tree(sandbox):
    # List Categories, List Sections, List Articles ({locale} paths): category_id and section_id link them.
    help_center = client(sandbox)
    categories = help_center.categories()
    sections = help_center.sections()
    articles = help_center.articles()
    assert len(categories) >= 5 and len(sections) >= 14 and len(articles) >= 40
    assert {s.category_id for s in sections} == {c.id for c in categories}
    assert {a.section_id for a in articles} <= {s.id for s in sections}
    assert [c.position for c in categories] == sorted(c.position for c in categories)
    assert all(a.locale == "en-us" and a.body.startswith("<p>") and a.label_names for a in articles)


def test_articles_follows_cursor_pages_to_the_end(sandbox):
    # Pagination, "Using cursor pagination": page[size] and page[after]=meta.after_cursor while meta.has_more.
    help_center = client(sandbox)
    in_small_pages = help_center.articles(page_size=7)
    assert [a.id for a in in_small_pages] == [a.id for a in help_center.articles()]
    assert len({a.id for a in in_small_pages}) == len(in_small_pages) > 7


def test_one_article(sandbox):
    # Show Article: GET /api/v2/help_center/{locale}/articles/{article_id}.
    help_center = client(sandbox)
    first = help_center.articles()[0]
    assert help_center.article(first.id) == first
    assert "/hc/en-us/articles/" in first.html_url and first.updated_at is not None
    with pytest.raises(NotFound) as caught:
        help_center.article(1)
    assert caught.value.code == "RecordNotFound"


def test_search_finds_the_answer_first(sandbox):
    # Search Articles: results with result_type "article" and a snippet whose matches are in <em></em>.
    help_center = client(sandbox)
    found = help_center.search("how much is a checked bag", per_page=3)
    assert found.hits[0].article.title == "How much does a checked bag cost?"
    assert "<em>bag</em>" in found.hits[0].snippet and len(found.hits) == 3 and found.count > 3 and found.page == 1
    assert help_center.search("pet in the cabin").hits[0].article.title == "Can I bring my pet in the cabin?"
    assert help_center.search("zeppelin").hits == ()
    with pytest.raises(InvalidRequest) as caught:
        help_center.search("")  # Zendesk needs a query, category, section or label_names
    assert caught.value.status == 400


def test_wrong_token_and_environment(sandbox, monkeypatch):
    with pytest.raises(AuthenticationFailed):
        client(sandbox, token="wrong").categories()
    monkeypatch.setenv("ZENDESK_BASE_URL", f"{sandbox.url}/zendesk")
    monkeypatch.setenv("ZENDESK_EMAIL", DEFAULTS.zendesk_email)
    monkeypatch.setenv("ZENDESK_API_TOKEN", DEFAULTS.zendesk_token)
    assert len(HelpCenterClient.from_env().categories()) >= 5
