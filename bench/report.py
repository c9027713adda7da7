"""The benchmark's Markdown table and plot, and the copy of the table in the README."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Dict

ROOT = Path(__file__).resolve().parent.parent
README_MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")


def _ratio(ours: float, stock: float) -> str:
    return f"{ours / stock:.2f}" if stock and not math.isnan(stock) and not math.isnan(ours) else "–"


def table(report: Dict[str, Any]) -> str:
    ours, stock = report["ours"], report["stock"]
    rows = ["| figure | ours | stock Rasa | ours / stock |", "|---|---|---|---|"]

    def add(label: str, a: float, b: float, unit: str = "") -> None:
        rows.append(f"| {label} | {a:.1f}{unit} | {b:.1f}{unit} | {_ratio(a, b)} |")

    for kind in ("no vendor", "vendor"):
        for q in ("p50", "p95"):
            add(f"one customer, {kind} turns, {q}", ours["light"][kind][q], stock["light"][kind][q], " ms")
    for level in ours["closed"]:
        o, s = ours["closed"][level], stock["closed"][level]
        add(f"{level} customers: throughput", o["throughput"], s["throughput"], " msg/s")
        for q in ("p50", "p95", "p99"):
            add(f"{level} customers: {q}", o[q], s[q], " ms")
        rows.append(f"| {level} customers: unanswered / errors | {o['unanswered']} / {o['errors']} | {s['unanswered']} / {s['errors']} | |")
    add("cold start (process start to first answer)", ours["cold_start_s"], stock["cold_start_s"], " s")
    add("peak RSS of the Rasa process", ours["peak_rss_mb"], stock["peak_rss_mb"], " MB")
    add("CPU seconds over the load runs", ours["cpu_seconds"], stock["cpu_seconds"], " s")
    lines = [f"Machine: {report['machine']}. Mode: {report['mode']}. Model: {report['model_mb']:.1f} MB "
             f"(the same file for both). Action server peak RSS {report['actions_peak_rss_mb']:.0f} MB.", "", *rows, ""]
    if "soak" in ours:
        soak = ours["soak"]
        lines.append(f"200 customers chatting at a person's pace (10-20 s between messages) for five minutes (ours): "
                     f"{soak['turns']} turns, p50 {soak['p50']:.0f} ms, p95 {soak['p95']:.0f} ms, "
                     f"{soak['unanswered']} unanswered, {soak['errors']} errors.")
    if "scale" in report:
        scale = report["scale"]
        lines.append(f"Scale ({scale['customers']} customers, PostgreSQL tracker store, Redis lock store): one instance "
                     f"{scale['one instance']:.1f} msg/s, two instances {scale['two instances']:.1f} msg/s, ×{scale['ratio']:.2f}; "
                     f"{scale['unanswered']} unanswered, {scale['errors']} errors.")
    if "training" in report:
        lines.append(f"Full training from scratch: {report['training']['seconds']:.0f} s, model {report['training']['model_mb']:.1f} MB.")
    lines += ["", "One message, stage by stage (a flight search, ours):", "", "| stage | ms |", "|---|---|"]
    lines += [f"| {stage} | {ms:.1f} |" for stage, ms in report["stages"].items()]
    return "\n".join(lines) + "\n"


def plot(report: Dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for name, style in (("ours", "-o"), ("stock", "--s")):
        rates = sorted(report[name]["open"])
        for q in ("p50", "p95"):
            ax.plot(rates, [report[name]["open"][r][q] for r in rates], style, label=f"{name} {q}")
    ax.set_xlabel("offered load (messages per second)")
    ax.set_ylabel("reply latency (ms)")
    ax.set_title("Reply latency against offered load")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(report: Dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    text = table(report)
    (out / "latest.md").write_text("# Benchmark: ours against stock Rasa, same model, same run\n\n" + text + "\n![latency](latency.png)\n")
    plot(report, out / "latency.png")
    readme = ROOT / "README.md"
    start, end = README_MARKERS
    content = readme.read_text()
    if start in content and end in content:
        content = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{text}{end}", content, flags=re.S)
        readme.write_text(content)
