"""Trains the NLU of each candidate pipeline in docs/pipelines/ (and config.yml) on data/, tests it on
the held-out file, and writes the comparison to docs/nlu-pipeline.md. Takes a few minutes each."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from check_nlu import summarize  # noqa: E402

RASA = str(Path(sys.executable).parent / "rasa")
COLUMNS = [("intent_macro_f1", "intent macro F1"), ("search_flight_recall", "flight requests recognised"),
           ("out_of_scope_rejected", "out of scope rejected"), ("origin_f1", "origin F1"), ("destination_f1", "destination F1"),
           ("departure_date_f1", "departure F1"), ("return_date_f1", "return F1")]


def run(config: Path, work: Path) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore",
           "RASA_CACHE_DIRECTORY": tempfile.mkdtemp()}  # no component restored from another candidate's training
    started = time.monotonic()
    subprocess.run([RASA, "train", "nlu", "-c", str(config), "--fixed-model-name", config.stem, "--out", str(work)], check=True, env=env, capture_output=True)
    seconds = time.monotonic() - started
    out = work / f"results-{config.stem}"
    subprocess.run([RASA, "test", "nlu", "--model", str(work / f"{config.stem}.tar.gz"), "--nlu", str(ROOT / "tests/nlu/test_nlu.yml"),
                    "--out", str(out), "--successes"], check=True, env=env, capture_output=True)
    result = summarize(str(out), str(config))
    result.update(train_seconds=seconds, model_mb=(work / f"{config.stem}.tar.gz").stat().st_size / 1e6)
    return result


def main() -> None:
    work = ROOT / "results" / "pipelines"
    work.mkdir(parents=True, exist_ok=True)
    candidates = sorted((ROOT / "docs" / "pipelines").glob("*.yml"))
    rows = []
    for config in candidates:
        print(f"training {config.name} ...", flush=True)
        rows.append((config.stem, config.read_text().splitlines()[0].lstrip("# "), run(config, work)))
    header = "| pipeline | " + " | ".join(title for _, title in COLUMNS) + " | NLU training | model |"
    lines = [header, "|" + "---|" * (len(COLUMNS) + 3)]
    for name, _, result in rows:
        cells = " | ".join(f"{result[key]:.3f}" for key, _ in COLUMNS)
        lines.append(f"| {name} | {cells} | {result['train_seconds']:.0f} s | {result['model_mb']:.1f} MB |")
    descriptions = "\n".join(f"- **{name}**: {description}" for name, description, _ in rows)
    table = "\n".join(lines)
    doc = ROOT / "docs" / "nlu-pipeline.md"
    text = doc.read_text()
    start, end = text.index("<!-- table -->"), text.index("<!-- /table -->")
    doc.write_text(text[:start] + "<!-- table -->\n" + descriptions + "\n\n" + table + "\n" + text[end:])
    print(table)


if __name__ == "__main__":
    main()
