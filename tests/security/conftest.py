"""One real assistant (sandbox, action server, `rasa run` with this run's secrets) for the tests of
each door: what the right credential opens, and what is refused without it."""
from __future__ import annotations

from typing import Iterator, Tuple

import pytest

from tests.support.assistant import ONE_ADDRESS_MANY_CUSTOMERS, action_server, client_env, rasa_server
from tests.support.processes import ServerProcess, start_together, stop_together


@pytest.fixture(scope="package")
def assistant(sqlite_sandbox) -> Iterator[Tuple[ServerProcess, ServerProcess]]:
    actions = action_server(sqlite_sandbox.url)
    defaults = {name: "" for name in ONE_ADDRESS_MANY_CUSTOMERS}  # the channel's own limits per address
    rasa = rasa_server(actions.url, **client_env(sqlite_sandbox.url), **defaults)
    start_together(actions, rasa)
    yield rasa, actions
    stop_together(rasa, actions)
