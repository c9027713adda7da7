"""Failed test stories, read from the `failed_test_stories.yml` that `rasa test` writes: each step
with what the story expected and, where it went wrong, what the assistant predicted."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

STEP = re.compile(r"^\s*- (intent|action|active_loop|slot_was_set|checkpoint|or):\s*(.*?)\s*(?:#\s*predicted:\s*(.*))?$")
STORY = re.compile(r"^- (?:story|rule):\s*(.*?)\s*$")
USER = re.compile(r"^\s*user:\s*\|-?\s*$")
FILE_COMMENT = re.compile(r"\(([^()]*\.yml)\)$")


@dataclass
class Step:
    kind: str  # intent | action | active_loop | slot_was_set | user
    expected: str
    predicted: Optional[str] = None  # set only where the prediction differed

    @property
    def wrong(self) -> bool:
        return self.predicted is not None


@dataclass
class FailedStory:
    name: str
    steps: List[Step] = field(default_factory=list)

    @property
    def first_error(self) -> Optional[int]:
        return next((i for i, step in enumerate(self.steps) if step.wrong), None)


def read_failed_stories(path: Path) -> List[FailedStory]:
    if not path.exists():
        return []
    stories: List[FailedStory] = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        story = STORY.match(line)
        if story:
            stories.append(FailedStory(FILE_COMMENT.sub("", story.group(1)).strip()))
        elif stories and USER.match(line):
            text, indent = [], len(line) - len(line.lstrip()) + 2
            while i + 1 < len(lines) and (not lines[i + 1].strip() or len(lines[i + 1]) - len(lines[i + 1].lstrip()) >= indent):
                i += 1
                text.append(lines[i].strip())
            stories[-1].steps.append(Step("user", " ".join(t for t in text if t)))
        elif stories:
            step = STEP.match(line)
            if step and step.group(1) in ("intent", "action", "active_loop"):
                predicted = step.group(3)
                if predicted and step.group(1) == "intent":
                    predicted = predicted.split(":")[0].strip()  # "# predicted: greet: hello there"
                stories[-1].steps.append(Step(step.group(1), step.group(2), predicted))
        i += 1
    return stories
