"""Lists every response in domain.yml with the {variables} it uses and the actions that send it
with which values, read from the actions' source: what a designer may use when rewording one.

    .venv/bin/python scripts/response_variables.py [utter_name_part ...]

A variable not passed by the action can still be a slot (every slot is available by its name);
phrases (utter_phrase_*) are never sent: actions put their words into other responses. A module
marked * makes response names at run time (f"utter_ask_{slot}"): it may send the response."""
from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Set

import yaml

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")  # as rasa.core.nlg.interpolator finds variables
NOT_VARIABLES = {"response", "buttons", "json_message", "text", "image", "attachment", "elements"}


def variables(variations: List[dict]) -> List[str]:
    parts = [v.get("text") or "" for v in variations]
    parts += [str(value) for v in variations for button in v.get("buttons") or [] for value in button.values()]
    return sorted({name for part in parts for name in PLACEHOLDER.findall(part)})


def _names(value: ast.expr, assigned: Dict[str, ast.expr], responses: List[str]) -> List[str]:
    """The response names an expression can be: a string, either string of an `x if c else y`,
    a name assigned one of those, or an f-string (every response it can match)."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.IfExp):
        return _names(value.body, assigned, responses) + _names(value.orelse, assigned, responses)
    if isinstance(value, ast.Name) and value.id in assigned:
        return _names(assigned[value.id], {}, responses)
    if isinstance(value, ast.JoinedStr):
        pattern = "".join(re.escape(v.value) if isinstance(v, ast.Constant) else r"\w+" for v in value.values)
        return [name for name in responses if re.fullmatch(pattern, name)]
    return []


def _keys(value: ast.expr, assigned: Dict[str, ast.expr], functions: Dict[str, ast.FunctionDef]) -> Set[str]:
    """The keys of a dictionary spread into a call or another dictionary (**words(...), **place):
    a dictionary (either of `x if c else y`), a name assigned one, or what a function returns."""
    if isinstance(value, ast.Dict):
        return {k.value for k in value.keys if isinstance(k, ast.Constant)}
    if isinstance(value, ast.IfExp):
        return _keys(value.body, assigned, functions) | _keys(value.orelse, assigned, functions)
    if isinstance(value, ast.Name) and value.id in assigned:
        return _keys(assigned[value.id], {}, functions)
    function = functions.get(getattr(getattr(value, "func", None), "id", ""))
    returned = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None] if function else []
    return {key for r in returned if isinstance(r, ast.Dict) for key in _keys(r, {}, {})}


def senders(responses: List[str]) -> Dict[str, Dict[str, Set[str]]]:
    """response -> {action module: the values it passes}, from utter_message(response=..., ...)
    calls and from {"response": ..., ...} dictionaries spread into such calls."""
    found: Dict[str, Dict[str, Set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted((ROOT / "actions").glob("*.py")):
        tree = ast.parse(path.read_text())
        assigned = {t.id: n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        for node in ast.walk(tree):
            pairs = []
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "utter_message":
                pairs = [(k.arg, k.value) for k in node.keywords if k.arg]
                pairs += [(key, None) for k in node.keywords if k.arg is None for key in _keys(k.value, assigned, functions)]
            elif isinstance(node, ast.Dict):
                pairs = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)]
                pairs += [(key, None) for k, v in zip(node.keys, node.values) if k is None for key in _keys(v, assigned, functions)]
            for key, value in pairs:
                made = "*" if isinstance(value, ast.JoinedStr) else ""  # a name made at run time: it may be this one
                for name in _names(value, assigned, responses) if key == "response" else ():
                    found[name][path.name + made] |= {k for k, _ in pairs if k not in NOT_VARIABLES}
    return found


def table(wanted: List[str]) -> str:
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    sent = senders(list(responses))
    rows = ["| response | variables | sent by (values passed) |", "|---|---|---|"]
    for name, variations in responses.items():
        if wanted and not any(w in name for w in wanted):
            continue
        by = "phrase" if name.startswith("utter_phrase_") else "; ".join(
            f"{module} ({', '.join(sorted(values)) or '-'})" for module, values in sorted(sent.get(name, {}).items())) or "not sent by an action"
        rows.append(f"| {name} | {', '.join(variables(variations)) or '-'} | {by} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(sys.argv[1:]))
