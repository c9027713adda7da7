"""Struggle in what the customer does on the site, read from their recent page activity.

Pure rules over a list of activity events (each with `type` and `at`, as channels/activity.py
validates them), so they can be tested without a channel and tuned by configuration:
- empty searches: the same kind of search came back with no results N times in a window;
- form errors: N errors on one form in a window;
- idling at checkout: an idle report from the checkout page longer than a threshold;
- back and forth: alternating between the same two pages N times in a window;
- rage clicks: N bursts of rapid clicks on one spot in a window (the site reports a burst of 3 or
  more clicks within a second and about 30 px, as analytics tools define it);
- dead clicks: N clicks on one page that changed nothing (no navigation, page change or request);
- quick backs: N returns to the previous page within a few seconds of arriving;
- help browsing: N different help articles opened in a window (the answer is not where they look);
- empty help search: a search of the help center that found no article.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class StruggleRules:
    empty_searches: int = 2
    search_window_seconds: int = 600
    form_errors: int = 3
    form_window_seconds: int = 300
    idle_checkout_seconds: int = 90
    back_and_forth_switches: int = 4
    navigation_window_seconds: int = 180
    rage_clicks: int = 1
    dead_clicks: int = 3
    click_window_seconds: int = 120
    quick_backs: int = 2
    quick_back_seconds: int = 10
    help_articles: int = 3
    help_window_seconds: int = 180
    empty_help_searches: int = 1
    # At most one unsolicited offer per customer in this window.
    offer_window_seconds: int = 600

    @classmethod
    def from_env(cls) -> "StruggleRules":
        """Each field can be set as PROACTIVE_<FIELD> (whole seconds or counts)."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"PROACTIVE_{f.name.upper()}")
            if raw is not None:
                values[f.name] = int(raw)
        return cls(**values)

    @property
    def lookback_seconds(self) -> int:
        return max(self.search_window_seconds, self.form_window_seconds, self.navigation_window_seconds, self.click_window_seconds,
                   self.help_window_seconds)


@dataclass(frozen=True)
class Struggle:
    # empty_searches | form_errors | idle_checkout | back_and_forth | rage_clicks | dead_clicks | quick_backs |
    # help_browsing | empty_help_search
    reason: str
    context: Dict[str, str] = field(default_factory=dict)

    def entities(self) -> Dict[str, str]:
        """What trigger_intent passes to the assistant with `express_difficulty`."""
        return {"reason": self.reason, **self.context}


def _within(events: List[Dict[str, Any]], now: float, seconds: int) -> List[Dict[str, Any]]:
    return [e for e in events if now - float(e.get("at", 0)) <= seconds]


def _empty_searches(events, now, rules) -> Optional[Struggle]:
    empty = [e for e in _within(events, now, rules.search_window_seconds) if e["type"] == "search" and e.get("results") == 0]
    if len(empty) < rules.empty_searches:
        return None
    last = empty[-1]
    same = [e for e in empty if e.get("destination") == last.get("destination")]
    context = {k: str(last[k]) for k in ("origin", "destination", "date") if last.get(k)}
    if len(same) < rules.empty_searches:
        context.pop("destination", None)  # different places each time: no one place to name
    return Struggle("empty_searches", context)


def _form_errors(events, now, rules) -> Optional[Struggle]:
    by_form: Dict[str, List[Dict[str, Any]]] = {}
    for e in _within(events, now, rules.form_window_seconds):
        if e["type"] == "form_error":
            by_form.setdefault(str(e.get("form") or e.get("page") or "form"), []).append(e)
    for form, errors in by_form.items():
        if len(errors) >= rules.form_errors:
            context = {"form": form}
            for name in ("field", "error"):  # the last error's: what the customer is stuck on now
                if errors[-1].get(name):
                    context[name] = str(errors[-1][name])
            return Struggle("form_errors", context)
    return None


def _idle_checkout(events, now, rules) -> Optional[Struggle]:
    latest = events[-1] if events else None
    if latest and latest["type"] == "idle" and "checkout" in str(latest.get("page", "")) and latest.get("seconds", 0) >= rules.idle_checkout_seconds:
        return Struggle("idle_checkout", {"page": str(latest["page"])})
    return None


def _back_and_forth(events, now, rules) -> Optional[Struggle]:
    pages = [str(e.get("page")) for e in _within(events, now, rules.navigation_window_seconds) if e["type"] == "page_view" and e.get("page")]
    if len(pages) < rules.back_and_forth_switches + 1:
        return None
    tail = pages[-(rules.back_and_forth_switches + 1):]
    a, b = tail[0], tail[1]
    if a != b and all(page == (a, b)[i % 2] for i, page in enumerate(tail)):
        return Struggle("back_and_forth", {"pages": f"{a} / {b}"})
    return None


def _clicks(kind: str, reason: str, needed: int, events, now, rules) -> Optional[Struggle]:
    """`needed` events of `kind` on one page in the click window, named by that page."""
    by_page: Dict[str, int] = {}
    for e in _within(events, now, rules.click_window_seconds):
        if e["type"] == kind:
            page = str(e.get("page") or "")
            by_page[page] = by_page.get(page, 0) + 1
            if by_page[page] >= needed:
                return Struggle(reason, {"page": page} if page else {})
    return None


def _rage_clicks(events, now, rules) -> Optional[Struggle]:
    return _clicks("rage_click", "rage_clicks", rules.rage_clicks, events, now, rules)


def _dead_clicks(events, now, rules) -> Optional[Struggle]:
    return _clicks("dead_click", "dead_clicks", rules.dead_clicks, events, now, rules)


def _quick_backs(events, now, rules) -> Optional[Struggle]:
    backs = [e for e in _within(events, now, rules.navigation_window_seconds)
             if e["type"] == "quick_back" and e.get("seconds", 0) <= rules.quick_back_seconds]
    if len(backs) < rules.quick_backs:
        return None
    return Struggle("quick_backs", {"page": str(backs[-1]["to"])} if backs[-1].get("to") else {})


HELP_ARTICLE = re.compile(r"/help/articles/(\d+)")


def _help_browsing(events, now, rules) -> Optional[Struggle]:
    opened = []
    for e in _within(events, now, rules.help_window_seconds):
        found = HELP_ARTICLE.fullmatch(str(e.get("page") or "")) if e["type"] == "page_view" else None
        if found and found.group(1) not in opened:
            opened.append(found.group(1))
    if len(opened) < rules.help_articles:
        return None
    return Struggle("help_browsing", {"articles": ",".join(opened)})


def _empty_help_search(events, now, rules) -> Optional[Struggle]:
    empty = [e for e in _within(events, now, rules.help_window_seconds) if e["type"] == "help_search" and e.get("results") == 0]
    if len(empty) < rules.empty_help_searches:
        return None
    return Struggle("empty_help_search", {"query": str(empty[-1]["query"])} if empty[-1].get("query") else {})


RULES = (_empty_searches, _form_errors, _idle_checkout, _back_and_forth, _rage_clicks, _dead_clicks, _quick_backs,
         _help_browsing, _empty_help_search)


def detect(events: List[Dict[str, Any]], now: float, rules: StruggleRules = StruggleRules()) -> Optional[Struggle]:
    """The first sign of struggle in the events (oldest first), or None."""
    for rule in RULES:
        found = rule(events, now, rules)
        if found:
            return found
    return None
