"""Property-based fuzzing (hypothesis, derandomized so every run tries the same inputs) of what
strangers can send: the socket.io packet decoder, the channel's event handlers over a real socket,
and every NLU component of the trained model. Any Unicode, lone surrogates included, any JSON
shape, any nesting. Bounded by example counts, so `make test` takes the same time every run."""
import asyncio
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from socketio.packet import EVENT

from channels.turns import NO_ANSWER
from channels.wire import MALFORMED, RESERVED_EVENTS, GuardedPacket
from common.text import well_formed
from components.difficulty import default_scorer
from tests.channels.conftest import texts
from tests.security.socket_clients import close, tab_from
from tests.support.assistant import require_model

FUZZ = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)  # surrogates included
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
                           max_leaves=20)
EVENTS = ["user_uttered", "session_request", "history_request", "activity", "received", "nonsense", "connect", "disconnect"]


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=500) | st.binary(max_size=100))
def test_the_packet_decoder_never_raises(encoded):
    packet = GuardedPacket(encoded_packet=encoded)
    if packet.packet_type == EVENT:
        assert isinstance(packet.data[0], str) and packet.data[0] not in RESERVED_EVENTS
        assert packet.data[0] != MALFORMED or isinstance(packet.data[1], str)


@FUZZ
@given(any_text)
def test_text_is_always_made_encodable(text):
    assert isinstance(well_formed(text).encode("utf-8"), bytes)  # raises on a lone surrogate
    assert default_scorer().score(text).kind in (None, "frustration", "confusion")


@pytest.fixture(scope="module")
def nlu():
    from rasa.core.agent import Agent

    return Agent.load(str(require_model()))


def test_every_nlu_component_takes_any_text(nlu):
    @settings(FUZZ, max_examples=150)
    @given(any_text)
    def parse(text):
        result = asyncio.run(nlu.parse_message(text))
        assert result["intent"] is not None and "difficulty" in result

    parse()


def test_the_channel_handlers_take_any_payload(assistant):
    rasa, _ = assistant
    log = Path(rasa.log.name)
    before = len(log.read_text(errors="replace"))
    loop = asyncio.new_event_loop()

    async def open_tabs():
        # Ten tabs on ten addresses, used in turn: the fuzzer's messages stay within the limits.
        return [await tab_from(f"127.0.2.{i + 1}", rasa.url).open() for i in range(10)]

    tabs = loop.run_until_complete(open_tabs())
    turn = iter(range(10**6))

    # No shrinking against a live server: each try costs a turn; the failing input is printed as found.
    @settings(FUZZ, max_examples=60, phases=[Phase.explicit, Phase.generate])
    @given(st.sampled_from(EVENTS) | any_text, json_values, any_text)
    def send(event, payload, message):
        tab = tabs[next(turn) % len(tabs)]

        async def one():
            await tab.client.call(event, payload, timeout=15)  # every handler answers, whatever came
            if event == "user_uttered":
                before_replies = len(tab.bot)
                await tab.client.call("user_uttered", {"message": message, "customData": payload}, timeout=15)
                assert len(tab.bot) > before_replies and NO_ANSWER not in texts(tab.bot[before_replies:])

        loop.run_until_complete(one())

    try:
        send()
        # The conversation goes on: the fuzz may have left a form open ("Hi! Let's carry on."), but
        # the assistant still answers, and not with the "something went wrong" apology.
        replies = loop.run_until_complete(tabs[0].say("hello"))
        assert replies and NO_ANSWER not in texts(replies)
    finally:
        loop.run_until_complete(close(*tabs))
        loop.close()
    time.sleep(0.5)
    written = log.read_text(errors="replace")[before:]
    assert "Traceback" not in written, written[-3000:]
