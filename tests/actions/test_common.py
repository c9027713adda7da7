"""What a turn answers and what the slots held before it, with messages filed again (actions/common.py)."""
from actions.common import action_before_this_turn, answers_the_flights_shown, slot_before_this_turn
from tests.actions.conftest import make_tracker


def test_a_message_filed_again_leaves_no_trace_of_its_first_reading():
    text = "no wait not phoenix tucson sorry"
    first = {"text": text, "parse_data": {"intent": {"name": "deny"}}}
    events = [{"event": "slot", "name": "destination", "value": "DEN"}, {"event": "action", "name": "action_search_flights"},
              {"event": "action", "name": "action_listen"}, {"event": "user", **first},
              {"event": "slot", "name": "destination", "value": "tucson"},  # the NLU's entity, on the first reading
              {"event": "action", "name": "action_no_to_the_flights"}, {"event": "rewind"}, {"event": "action", "name": "action_listen"}]
    tracker = make_tracker({"destination": "tucson", "offers": [{"id": "off_1"}]}, text=text, intent="refine_search", events=events)
    assert slot_before_this_turn(tracker, "destination") == "DEN"
    assert action_before_this_turn(tracker) == "action_search_flights" and answers_the_flights_shown(tracker)
