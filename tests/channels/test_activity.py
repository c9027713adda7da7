"""The site activity schema: each kind of event with its fields, and the bounds that keep a page
from sending nonsense (counts, coordinates, seconds, paths)."""
import pytest

from channels.activity import ActivityRejected, validate


@pytest.mark.parametrize("event", [
    {"type": "page_view", "page": "/help/articles/360001"},
    {"type": "help_search", "page": "/help", "query": "pets in the cabin", "results": 0},
    {"type": "rage_click", "page": "/", "clicks": 5, "x": 640, "y": 120, "target": "button Search"},
    {"type": "dead_click", "page": "/checkout", "x": 0, "y": 3000, "target": "div.price"},
    {"type": "quick_back", "page": "/trips", "to": "/", "seconds": 2},
    {"type": "chat_opened", "page": "/help"},
    {"type": "booking", "page": "/checkout", "booking_reference": "QRS456", "origin": "BOS", "destination": "MIA", "date": "2026-08-02"},
])
def test_the_site_behaviour_events_are_accepted_as_sent(event):
    clean = validate(event)
    assert {k: v for k, v in clean.items() if k != "at"} == event and clean["at"] > 0


def test_unknown_fields_are_dropped():
    assert "secret" not in validate({"type": "dead_click", "page": "/", "secret": "x"})


@pytest.mark.parametrize("event, reason", [
    ({"type": "rage_click", "clicks": 0}, "clicks must be from 1 to 100"),
    ({"type": "rage_click", "clicks": 10_000}, "clicks must be from 1 to 100"),
    ({"type": "rage_click", "clicks": 2.5}, "clicks must be a whole number"),
    ({"type": "rage_click", "clicks": True}, "clicks must be a whole number"),
    ({"type": "dead_click", "x": -1}, "x must be a whole number"),
    ({"type": "dead_click", "y": 10**9}, "y must be from 0 to 100000"),
    ({"type": "quick_back", "seconds": 10**6}, "seconds must be from 0 to 86400"),
    ({"type": "quick_back", "to": "https://evil.example/"}, "to must be a path on the site"),
    ({"type": "page_view", "page": "help"}, "page must be a path on the site"),
    ({"type": "page_view", "page": "/help me"}, "page must be a path on the site"),
    ({"type": "page_view", "page": "/" + "x" * 300}, "page must be text of at most 200 characters"),
    ({"type": "help_search", "results": -3}, "results must be a whole number"),
    ({"type": "help_search", "query": ["pets"]}, "query must be text"),
    ({"type": "chat_opened", "page": 7}, "page must be text"),
])
def test_out_of_bounds_values_are_refused_with_the_reason(event, reason):
    with pytest.raises(ActivityRejected, match=reason):
        validate(event)
