"""The report as one HTML file: numbers, tables and pictures inlined, nothing fetched."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Dict, List

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"
TREND = [("intent_f1", "intent F1 (held-out)"), ("entity_f1", "entity F1 (held-out)"), ("cv_intent_f1", "intent F1 (cross-validation)"),
         ("story_accuracy", "stories passed"), ("conversation_pass_rate", "conversations passed")]


def trend_picture(history: List[Dict[str, str]]) -> str:
    """A line per headline number over the past runs, as a data: URL."""
    import base64

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 2.8), dpi=110)
    runs = list(range(1, len(history) + 1))
    for key, label in TREND:
        values = [float(row[key]) if row.get(key) else None for row in history]
        if any(v is not None for v in values):
            axis.plot(runs, [v if v is not None else float("nan") for v in values], marker="o", label=label)
    axis.set_xticks(runs, [row["date"][5:10] for row in history], rotation=0, fontsize=8)
    axis.set_ylim(0, 1.02)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=7, loc="lower left")
    axis.set_title("Headline numbers, run by run", fontsize=9)
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render(context: Dict[str, Any]) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["pct"] = lambda v: "–" if v is None or v == "" else f"{float(v):.1%}"
    env.filters["num"] = lambda v: "–" if v is None or v == "" else f"{float(v):.3f}"
    return env.get_template("report.html").render(**context, trend=trend_picture(context["history"]) if context["history"] else None)
