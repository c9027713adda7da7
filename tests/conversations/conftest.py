"""Shows the conversation suite's pass rates at the end of the pytest run, so `make test` prints
them even when pytest captures the test's output."""
from __future__ import annotations

from .summary import TABLE


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    text = config.stash.get(TABLE, None)
    if text:
        terminalreporter.write_sep("=", "conversation suite: share of conversations and turns passed")
        terminalreporter.write_line(text)
