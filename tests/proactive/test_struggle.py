"""The struggle detector's rules, and the engine's rate limit, opt-out and "no thanks"."""
import asyncio
from typing import Any, Dict, List

from channels.store import ChannelStore
from proactive.engine import DECLINED_SLOT, OFFER_INTENT, ProactiveEngine
from proactive.struggle import StruggleRules, detect

RULES = StruggleRules()
T0 = 1_700_000_000.0


def search(at, results=0, destination="LIS"):
    return {"type": "search", "at": at, "origin": "BOS", "destination": destination, "results": results}


def test_two_empty_searches_for_one_place_name_it():
    found = detect([search(T0), search(T0 + 60)], T0 + 60, RULES)
    assert found.reason == "empty_searches" and found.entities() == {"reason": "empty_searches", "origin": "BOS", "destination": "LIS"}


def test_searches_with_results_or_far_apart_are_fine():
    assert detect([search(T0, results=12), search(T0 + 60)], T0 + 60, RULES) is None
    assert detect([search(T0), search(T0 + RULES.search_window_seconds + 1)], T0 + RULES.search_window_seconds + 1, RULES) is None


def test_empty_searches_for_different_places_name_none():
    found = detect([search(T0, destination="LIS"), search(T0 + 30, destination="OPO")], T0 + 30, RULES)
    assert found.reason == "empty_searches" and "destination" not in found.context


def test_repeated_form_errors_on_one_form():
    errors = [{"type": "form_error", "at": T0 + i, "form": "passenger", "field": "date_of_birth"} for i in range(3)]
    assert detect(errors[:2], T0 + 2, RULES) is None
    assert detect(errors, T0 + 2, RULES).context == {"form": "passenger", "field": "date_of_birth"}


def test_idling_at_checkout_but_not_elsewhere():
    assert detect([{"type": "idle", "at": T0, "page": "/checkout", "seconds": 120}], T0, RULES).reason == "idle_checkout"
    assert detect([{"type": "idle", "at": T0, "page": "/checkout", "seconds": 30}], T0, RULES) is None
    assert detect([{"type": "idle", "at": T0, "page": "/search", "seconds": 600}], T0, RULES) is None


def test_going_back_and_forth():
    pages = ["/trips", "/help", "/trips", "/help", "/trips"]
    views = [{"type": "page_view", "at": T0 + i, "page": p} for i, p in enumerate(pages)]
    assert detect(views, T0 + 5, RULES).reason == "back_and_forth"
    assert detect(views[:-1], T0 + 5, RULES) is None
    wander = [{"type": "page_view", "at": T0 + i, "page": p} for i, p in enumerate(["/a", "/b", "/c", "/d", "/e"])]
    assert detect(wander, T0 + 5, RULES) is None


def click(kind, at, page="/"):
    return {"type": kind, "at": at, "page": page, "x": 300, "y": 200, "target": "h1"}


def test_one_burst_of_rage_clicks_is_enough_and_names_its_page():
    found = detect([click("rage_click", T0, "/help")], T0 + 1, RULES)
    assert found.reason == "rage_clicks" and found.entities() == {"reason": "rage_clicks", "page": "/help"}
    assert detect([click("rage_click", T0)], T0 + RULES.click_window_seconds + 1, RULES) is None


def test_dead_clicks_count_on_one_page_within_the_window():
    dead = [click("dead_click", T0 + i * 10, "/trips") for i in range(RULES.dead_clicks)]
    assert detect(dead[:-1], T0 + 30, RULES) is None
    assert detect(dead, T0 + 30, RULES).context == {"page": "/trips"}
    spread = [click("dead_click", T0 + i * 10, f"/page{i}") for i in range(RULES.dead_clicks)]
    assert detect(spread, T0 + 30, RULES) is None
    late = [click("dead_click", T0, "/trips")] + dead[1:]
    assert detect(late, T0 + RULES.click_window_seconds + 5, RULES) is None


def test_quick_backs_within_the_threshold():
    def back(at, seconds):
        return {"type": "quick_back", "at": at, "page": "/help/articles/7", "to": "/help", "seconds": seconds}
    assert detect([back(T0, 2)], T0 + 2, RULES) is None
    assert detect([back(T0, 2), back(T0 + 20, 3)], T0 + 20, RULES).entities() == {"reason": "quick_backs", "page": "/help"}
    assert detect([back(T0, 2), back(T0 + 20, RULES.quick_back_seconds + 1)], T0 + 20, RULES) is None


def test_form_errors_name_the_last_errors_field_and_message():
    errors = [{"type": "form_error", "at": T0 + i, "form": "passenger", "field": field, "error": f"Check the {field}"}
              for i, field in enumerate(("email", "email", "given_name"))]
    assert detect(errors, T0 + 2, RULES).context == {"form": "passenger", "field": "given_name", "error": "Check the given_name"}


def opened(at, article):
    return {"type": "page_view", "at": at, "page": f"/help/articles/{article}"}


def test_several_help_articles_opened_in_a_short_while():
    views = [opened(T0, 1), opened(T0 + 20, 2), opened(T0 + 25, 1), opened(T0 + 40, 3)]
    assert detect(views[:3], T0 + 25, RULES) is None  # the same article twice is two articles only
    assert detect(views, T0 + 40, RULES).entities() == {"reason": "help_browsing", "articles": "1,2,3"}
    assert detect(views, T0 + RULES.help_window_seconds + 21, RULES) is None  # the first two views are too long ago
    assert detect([{"type": "page_view", "at": T0 + i, "page": page} for i, page in enumerate(("/help", "/", "/trips"))], T0 + 3, RULES) is None


def test_a_help_search_that_found_nothing_names_its_words():
    searched = {"type": "help_search", "at": T0, "page": "/help", "query": "lounge access", "results": 0}
    assert detect([searched], T0 + 1, RULES).entities() == {"reason": "empty_help_search", "query": "lounge access"}
    assert detect([{**searched, "results": 2}], T0 + 1, RULES) is None


def test_click_and_navigation_thresholds_are_configurable(monkeypatch):
    for name, value in (("RAGE_CLICKS", "2"), ("DEAD_CLICKS", "5"), ("CLICK_WINDOW_SECONDS", "30"), ("QUICK_BACKS", "3"), ("QUICK_BACK_SECONDS", "5")):
        monkeypatch.setenv(f"PROACTIVE_{name}", value)
    rules = StruggleRules.from_env()
    assert (rules.rage_clicks, rules.dead_clicks, rules.click_window_seconds, rules.quick_backs, rules.quick_back_seconds) == (2, 5, 30, 3, 5)
    assert detect([click("rage_click", T0)], T0, rules) is None
    assert detect([click("rage_click", T0), click("rage_click", T0 + 5)], T0 + 5, rules).reason == "rage_clicks"


def test_rules_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PROACTIVE_OFFER_WINDOW_SECONDS", "60")
    monkeypatch.setenv("PROACTIVE_EMPTY_SEARCHES", "3")
    rules = StruggleRules.from_env()
    assert rules.offer_window_seconds == 60 and rules.empty_searches == 3 and rules.form_errors == 3


class Simulation:
    """The engine on a real store, with a clock the test moves and the triggers it would send."""

    def __init__(self, tmp_path, declined: bool = False, window: int = 600) -> None:
        self.now = T0
        self.store = ChannelStore(f"sqlite:///{tmp_path}/channel.db")
        self.sent: List[Dict[str, Any]] = []
        self.declined = declined

        async def trigger(conversation_id, intent, entities):
            self.sent.append({"conversation": conversation_id, "intent": intent, **entities})

        async def read_slot(conversation_id, name):
            return self.declined if name == DECLINED_SLOT else None

        self.engine = ProactiveEngine(self.store, trigger, read_slot, StruggleRules(offer_window_seconds=window), clock=lambda: self.now)

    def act(self, conversation: str, event: Dict[str, Any]) -> None:
        event = {**event, "at": self.now}
        asyncio.run(self.store.record_activity(conversation, event))
        asyncio.run(self.engine.on_activity(conversation, event))


def struggle_for_ten_minutes(sim: Simulation, conversation: str = "c-1") -> int:
    """An empty search every 20 s and a form error every 30 s, for ten minutes."""
    start = sim.now
    while sim.now - start < 600:
        sim.act(conversation, search(sim.now))
        if int(sim.now - start) % 30 == 0:
            sim.act(conversation, {"type": "form_error", "page": "/checkout", "form": "passenger", "field": "passport"})
        sim.now += 20
    return sum(1 for s in sim.sent if s["conversation"] == conversation)


def test_a_struggling_customer_gets_one_offer_in_ten_minutes(tmp_path):
    sim = Simulation(tmp_path)
    assert struggle_for_ten_minutes(sim) == 1
    assert sim.sent[0]["intent"] == OFFER_INTENT and sim.sent[0]["reason"] == "empty_searches"
    assert sim.store.offers_made("c-1") == 1
    sim.now = T0 + 20 + 600  # the first offer came with the second search; its window is over now
    sim.act("c-1", search(sim.now))
    assert len(sim.sent) == 2


def test_the_limit_is_per_customer(tmp_path):
    sim = Simulation(tmp_path)
    for conversation in ("c-1", "c-2"):
        sim.act(conversation, search(sim.now))
        sim.act(conversation, search(sim.now))
    assert [s["conversation"] for s in sim.sent] == ["c-1", "c-2"]


def test_no_offers_after_no_thanks(tmp_path):
    assert struggle_for_ten_minutes(Simulation(tmp_path, declined=True)) == 0


def test_no_offers_with_proactive_help_switched_off_until_switched_on(tmp_path):
    sim = Simulation(tmp_path)
    sim.act("c-1", {"type": "proactive", "enabled": False})
    assert struggle_for_ten_minutes(sim) == 0
    sim.act("c-1", {"type": "proactive", "enabled": True})
    sim.act("c-1", search(sim.now))
    assert len(sim.sent) == 1
