"""The training data stays honest: the held-out test messages are not trained on, the generated
files match their generators, and there are enough held-out messages to mean something."""
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def messages(path: Path):
    data = yaml.safe_load(path.read_text()) or {}
    for block in data.get("nlu") or []:
        if "intent" in block:
            for line in block["examples"].splitlines():
                text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip()[2:])
                text = re.sub(r"\[([^\]]+)\]\{[^}]+\}", r"\1", text)
                yield block["intent"], text.strip().lower()


def test_held_out_messages_are_not_in_training():
    training = {text for path in (ROOT / "data").glob("*.yml") for _, text in messages(path)}
    held_out = [text for _, text in messages(ROOT / "tests" / "nlu" / "test_nlu.yml")]
    assert len(held_out) >= 300
    assert sorted(set(held_out) & training) == []


def test_generated_files_are_up_to_date(tmp_path):
    for script, output in (("build_lookups.py", "data/lookups/places.yml"), ("generate_flight_examples.py", "data/flights_variations.yml")):
        fresh = tmp_path / Path(output).name
        subprocess.run([sys.executable, str(ROOT / "scripts" / script), str(fresh)], check=True, capture_output=True)
        assert fresh.read_text() == (ROOT / output).read_text(), f"{output} is stale: run scripts/{script} and commit it"
