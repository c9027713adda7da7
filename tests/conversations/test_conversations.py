"""The conversation suite through the real stack (sandbox, action server, `rasa run`): every
conversation in tests/conversations/data, checked turn by turn; fails when a kind falls below its
floor in floors.yml, or when fewer than 200 conversations ran."""
from __future__ import annotations

from datetime import date

from tests.support.assistant import require_model

from .play import RESULTS, play, stack
from .suite import KINDS, load, problems
from .summary import MIN_CONVERSATIONS, TABLE, below_floors, load_floors, table, write


def test_the_files_are_well_formed():
    conversations = load()
    assert not problems(conversations, date.today())
    assert len(conversations) >= MIN_CONVERSATIONS
    for kind in KINDS:
        mine = [c for c in conversations if c.kind == kind]
        assert any(c.signed_in for c in mine) and any(not c.signed_in for c in mine), f"{kind}: signed-in and anonymous conversations"


def test_conversations_pass_their_floors(request):
    require_model()
    with stack() as (rasa_url, sandbox):
        summary = play(load(), rasa_url, sandbox)
    write(summary, RESULTS)
    floors = load_floors()
    request.config.stash[TABLE] = table(summary, floors) + f"\nfailures: {RESULTS}"
    failing = below_floors(summary, floors)
    assert not failing, "; ".join(failing)
