"""The bot's words live in domain.yml, not in the actions: read from the actions' source, every
sentence is a response (or a phrase) there, each named one exists, and each gets its variables.

A module that still writes sentences in Python is listed in NOT_YET; whoever converts one removes
it from the list (the test says so once it is clean)."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest

from actions.conversation import TASK_SLOTS
from actions.phrases import PREFIX
from tests.actions.conftest import DOMAIN

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
NOT_YET: Set[str] = set()  # modules that still write sentences in Python: none left
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")  # a variable, as rasa.core.nlg.interpolator finds them
RESPONSES: Dict[str, List[dict]] = DOMAIN["responses"]


def modules() -> List[Path]:
    return sorted(p for p in ACTIONS.glob("*.py") if p.name != "__init__.py")


def calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == name:
            yield node


def assignments(tree: ast.Module) -> Dict[str, ast.expr]:
    """What each name is assigned anywhere in the module (NAME = <expression>; the last one)."""
    return {target.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


def has_words(node: ast.AST, named: Dict[str, ast.expr]) -> bool:
    """True when the expression contains a string with words in it, directly or through a name
    assigned one ("Sorry, ..." or f"Ticket {n} ..." or SIGN_IN)."""
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str) and re.search(r"[A-Za-z]{2}", part.value):
            return True
        if isinstance(part, ast.Name) and part.id in named and has_words(named[part.id], {}):
            return True
    return False


def sentences_in(path: Path) -> List[Tuple[int, str]]:
    """Where the module writes a message of its own: utter_message(text=<words>), or a message as
    a dictionary literal, {"text": <words>}, to be spread into it. Sentences built by other calls
    (a helper that returns text) are not seen: review catches those."""
    tree = ast.parse(path.read_text())
    named = assignments(tree)
    texts = [(c.lineno, k.value) for c in calls(tree, "utter_message") for k in c.keywords if k.arg == "text"]
    texts += [(d.lineno, v) for d in ast.walk(tree) if isinstance(d, ast.Dict)
              for k, v in zip(d.keys, d.values) if isinstance(k, ast.Constant) and k.value == "text"]
    return [(line, ast.unparse(value)[:80]) for line, value in texts if has_words(value, named)]


def literal(call: ast.Call, keyword: str) -> str | None:
    for k in call.keywords:
        if k.arg == keyword and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
            return k.value.value
    return None


def variables(name: str) -> Set[str]:
    """The {variables} of every variation of a response, in its text and buttons."""
    parts = [v.get("text") or "" for v in RESPONSES[name]]
    parts += [str(value) for v in RESPONSES[name] for button in v.get("buttons") or [] for value in button.values()]
    return {match for part in parts for match in PLACEHOLDER.findall(part)}


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_modules_say_nothing_of_their_own(path):
    said = sentences_in(path)
    if path.name in NOT_YET:
        assert said, f"{path.name} has no sentences left: take it off NOT_YET in {Path(__file__).name}"
    else:
        assert not said, f"{path.name} writes sentences in Python; make them domain.yml responses: {said}"


def test_every_named_response_exists_and_gets_its_variables():
    slots = set(DOMAIN["slots"]) | {"requested_slot"}
    problems = []
    for path in modules():
        for call in calls(ast.parse(path.read_text()), "utter_message"):
            name = literal(call, "response")
            if name is None:
                continue
            if name not in RESPONSES:
                problems.append(f"{path.name}:{call.lineno} {name} is not in domain.yml")
            elif path.name not in NOT_YET and not any(k.arg is None for k in call.keywords):
                missing = variables(name) - {k.arg for k in call.keywords} - slots
                problems += [f"{path.name}:{call.lineno} {name} needs {sorted(missing)}"] if missing else []
    assert not problems


def test_every_named_phrase_exists():
    tasks, named = set(), set()
    for path in modules():
        tree = ast.parse(path.read_text())
        for function in ("phrase", "phrase_buttons", "has_phrase"):
            named |= {literal_argument(c) for c in calls(tree, function)} - {None}
        tasks |= {"task_" + "_".join(str(c.args[2].value).split()) for c in calls(tree, "say_vendor_problem")
                  if len(c.args) > 2 and isinstance(c.args[2], ast.Constant)}
    missing = {name for name in named | tasks if PREFIX + name not in RESPONSES}
    assert tasks and not missing


def literal_argument(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def test_the_phrases_picked_at_run_time_exist():
    """Phrase names made from data: each Zendesk ticket status, each system a client calls (its
    VendorHttp name), each form that can be stopped, and the fallbacks for any other."""
    statuses = ("new", "open", "pending", "hold", "solved", "closed", "other")
    vendors = {m.group(1) for p in (ACTIONS / "clients").glob("*.py") for m in re.finditer(r'VendorHttp\(\s*"(\w+)"', p.read_text())}
    names = [f"ticket_{s}" for s in statuses] + [f"system_{v}" for v in vendors | {"other"}] + [f"form_{f}" for f in {*TASK_SLOTS, "other"}]
    assert len(vendors) >= 4 and [n for n in names if PREFIX + n not in RESPONSES] == []


def test_no_response_asks_two_questions():
    """With at most one question in each response, a turn asks one as long as the answers that a
    form's question follows ask none (see the offers and the greeting)."""
    twice = [(name, v["text"]) for name, variations in RESPONSES.items() for v in variations
             if len(re.findall(r"\?(?=[\s\"')]|$)", v.get("text") or "")) > 1]
    assert not twice
