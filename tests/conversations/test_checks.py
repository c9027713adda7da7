"""The suite's own parts without the stack: the template language, the turn checks, the floors."""
from __future__ import annotations

from datetime import date

import pytest

from .checks import Failure, Turn, expectations, invariants, question_count, quotes_customer, slot_matches
from .runner import ConversationResult, TurnResult
from .suite import Conversation
from .summary import below_floors, summarize
from .templates import TemplateError, expand

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize("template, expected", [
    ("{+20}", "2026-12-23"),
    ("{-3}", "2026-11-30"),
    ("bos-mia {+20:m/d} rt back {+26:m/d}", "bos-mia 12/23 rt back 12/29"),
    ("{+40:mon d}", "jan 12"),
    ("{+40:month d}", "january 12"),
    ("{+40:d month}", "12 january"),
    ("{+40:month do}", "january 12th"),
    ("the {+18:do}", "the 21st"),
    ("{+1:wd}", "friday"),
    ("{fri}", "2026-12-04"),  # tomorrow
    ("{thu}", "2026-12-10"),  # never today
    ("{fri+3:wd}", "monday"),
    ("{next-fri}", "2026-12-11"),  # the Friday of next week
    ("{next-mon:mon d}", "dec 7"),
    ("[A-Z0-9]{6} and \\d{2,3}", "[A-Z0-9]{6} and \\d{2,3}"),
])
def test_templates(template, expected):
    assert expand(template, THURSDAY) == expected


def test_template_mistakes_fail_loudly():
    for bad in ("{+40:do}", "{+20:dd/mm}", "{tomorrow}", "{ref}"):
        with pytest.raises(TemplateError):
            expand(bad, THURSDAY)
    assert expand("cancel {ref2}", THURSDAY, {"ref": "AAAAAA", "ref2": "BBBBBB"}) == "cancel BBBBBB"


def test_slot_expectations():
    assert slot_matches(None, None) and not slot_matches(None, "BOS")
    assert slot_matches("*", [1]) and not slot_matches("*", []) and not slot_matches("*", None)
    assert slot_matches(2, 2.0) and slot_matches(0, 0.0) and not slot_matches(0, None)
    assert slot_matches("MIA|QMI", "QMI") and not slot_matches("MIA|QMI", "FLL")
    assert slot_matches("one-way", "one-way")


def test_invariants():
    assert question_count(["Where to?", "And when? (Or say \"one way\".)"]) == 2
    assert question_count(["Booked! Reference QX7P2L.", "Anything else?"]) == 1
    said = "my cat stepped on the keyboard"
    assert quotes_customer([f'Sorry, I\'m not sure what you mean by "{said}". Did you want to:'], said)
    assert not quotes_customer(["Sorry, I didn't get that."], said)
    assert not quotes_customer(['You said "hi".'], "hi")  # under 12 characters
    silent = Turn(texts=[], actions=["action_listen"], responses=set(), buttons=[], slots={})
    assert [f.expectation for f in invariants(silent, "hello")] == ["invariant: every turn answered"]


EVENTS = [
    {"event": "user", "text": "are you a bot? i need to fly to chicago"},
    {"event": "action", "name": "utter_iamabot"},
    {"event": "bot", "text": "I'm a virtual assistant.", "metadata": {"utter_action": "utter_iamabot"}},
    {"event": "action", "name": "flight_form"},
    {"event": "bot", "text": "What dates?", "data": {"buttons": [{"title": "Talk to a person", "payload": "/human_handoff"}]}},
    {"event": "action", "name": "action_listen"},
]


def test_a_turn_from_tracker_events():
    turn = Turn.from_events(EVENTS, {"destination": "CHI", "requested_slot": "departure_date"})
    assert turn.actions == ["utter_iamabot", "flight_form"] and turn.responses == {"utter_iamabot"} and turn.bot_messages == 2
    good = {"slots": {"destination": "CHI|ORD"}, "asks": "departure_date", "actions": ["flight_form"], "not_actions": ["action_search_flights"],
            "responses": ["utter_iamabot"], "buttons": ["handoff"], "min_buttons": 1, "says": ["virtual"], "not_says": ["pending"]}
    assert expectations(good, turn) == []
    bad = {"slots": {"destination": "ORD", "origin": "*"}, "asks": None, "actions": ["action_search_flights"], "not_actions": ["flight_form"],
           "responses": ["utter_goodbye"], "buttons": ["agent"], "min_buttons": 2, "says": ["\\d+\\.\\d\\d"], "not_says": ["virtual"]}
    assert [f.expectation for f in expectations(bad, turn)] == [
        "slots.destination", "slots.origin", "asks", "actions", "not_actions", "responses", "buttons", "min_buttons", "says", "not_says"]


def test_floors_and_the_least_number_of_conversations():
    def result(kind: str, passed: bool) -> ConversationResult:
        outcome = ConversationResult(Conversation(id=f"{kind}-{passed}", kind=kind, turns=[]))
        outcome.turns = [TurnResult(1, "hi", [] if passed else [Failure("asks", None, "origin")], ["Hi!"], ["action_greet"], 0.2)]
        return outcome

    results = [result("compact", True), result("compact", False), result("refund", True)]
    summary = summarize(results, 12.0, "abc1234", "2026-12-03 10:00 UTC")
    assert summary["kinds"]["compact"]["pass_rate"] == 0.5 and summary["pass_rate"] == 0.6667
    found = below_floors(summary, {"compact": 0.6, "refund": 1.0})
    assert found[0].startswith("only 3 conversations ran")
    assert "compact: 50.0% of conversations passed, floor 60.0%" in found
    assert "happy_path: no conversation ran" in found and not any(f.startswith("refund") for f in found)
