"""Conversation repair: stopping a task, and the fallback that suggests, then offers a person, and
never quotes the customer back."""
from actions.conversation import (
    TASK_SLOTS, ActionDefaultAskAffirmation, ActionDefaultAskRephrase, ActionDefaultFallback, ActionNotUnderstood, ActionNoToTheFlights,
    ActionStopTask,
)
from actions.phrases import has_phrase
from tests.actions.conftest import MAYA, make_tracker, rendered, run, slots_set, texts

GIBBERISH = "blorf the wibble for tuesday"


def unsure(*intents, events=None, open_question=None):
    """A message the NLU did not understand, with `intents` next in its ranking; `open_question`
    is the slot a form is waiting for."""
    tracker = make_tracker({"requested_slot": open_question}, text=GIBBERISH, intent="nlu_fallback", events=events,
                           active_loop="flight_form" if open_question else None)
    ranking = ["nlu_fallback", *intents]
    tracker.latest_message["intent_ranking"] = [{"name": name, "confidence": 0.5 - n / 100} for n, name in enumerate(ranking)]
    return tracker


def turn(action: str, text: str = "hmm", said: str = ""):
    """The events of an earlier turn: the customer's message, what the assistant ran and said."""
    return [{"event": "user", "text": text}, {"event": "action", "name": action},
            {"event": "bot", "text": "...", "metadata": {"utter_action": said} if said else {}}, {"event": "action", "name": "action_listen"}]


def payloads(messages):
    return [b["payload"] for b in rendered(messages)[0].get("buttons") or []]


def test_stopping_says_what_was_stopped_and_forgets_it():
    _, messages = run(ActionStopTask(), make_tracker(text="stop"))
    assert texts(messages) == "Okay. What else can I do for you?"
    events, messages = run(ActionStopTask(), make_tracker({"destination": "LIS"}, text="never mind", active_loop="flight_form"))
    assert texts(messages) == "Okay, I've stopped the flight search. What else can I do for you?"
    assert slots_set(events)["destination"] is None and slots_set(events)["requested_slot"] is None
    _, messages = run(ActionStopTask(), make_tracker(text="stop", active_loop="some_new_form"))
    assert texts(messages) == "Okay, I've stopped the task. What else can I do for you?"
    assert all(has_phrase(f"form_{form}") for form in TASK_SLOTS)


WAITING = ("selected_offer", "pending_cancellation", "pending_change", "awaiting_confirmation")


def test_stopping_forgets_a_picked_flight_so_a_later_yes_cannot_book_it():
    events, messages = run(ActionStopTask(), make_tracker({"selected_offer": {"id": "off_1"}}, text="ok no, forget it"))
    assert [m["response"] for m in messages] == ["utter_offer_declined"]
    assert all(slots_set(events)[slot] is None for slot in WAITING)


def test_stopping_forgets_a_waiting_quote_and_keeps_the_booking():
    for slot, kind in (("pending_cancellation", "cancellation"), ("pending_change", "change")):
        tracker = make_tracker({slot: {"reference": "RM7Q2K"}, "awaiting_confirmation": kind}, text="forget it")
        events, messages = run(ActionStopTask(), tracker)
        assert [m["response"] for m in messages] == ["utter_keep_booking"]
        assert all(slots_set(events)[s] is None for s in WAITING)


def test_stopping_a_form_forgets_what_waited_too():
    tracker = make_tracker({"pending_cancellation": {"reference": "RM7Q2K"}, "awaiting_confirmation": "cancellation"},
                           text="stop", active_loop="flight_form")
    events, _ = run(ActionStopTask(), tracker)
    assert all(slots_set(events)[slot] is None for slot in WAITING)


def test_a_first_miss_suggests_the_two_likeliest_things_in_one_question():
    _, messages = run(ActionDefaultAskAffirmation(), unsure("greet", "ticket_status", "affirm", "list_bookings", "search_flight"))
    assert texts(messages) == "Sorry, I'm not sure I understood. Did you want to check a ticket or see your bookings?"
    assert payloads(messages) == ["/ticket_status", "/list_bookings", "/out_of_scope"]
    assert GIBBERISH not in repr(rendered(messages))


def test_a_garbled_message_still_gets_two_suggestions():
    """Gibberish ranks small talk highest: the usual tasks (the first phrases in domain.yml) fill in."""
    _, messages = run(ActionDefaultAskAffirmation(), unsure("greet", "ticket_status", "thank"))
    assert texts(messages) == "Sorry, I'm not sure I understood. Did you want to check a ticket or search for a flight?"
    _, messages = run(ActionDefaultAskAffirmation(), unsure("greet", "thank"))
    assert texts(messages) == "Sorry, I'm not sure I understood. Did you want to search for a flight or see your bookings?"
    assert payloads(messages) == ["/search_flight", "/list_bookings", "/out_of_scope"]


def test_a_second_miss_in_a_row_offers_a_person():
    for missed in (turn("action_two_stage_fallback"), turn("action_default_fallback"), turn("action_out_of_scope", said="utter_out_of_scope")):
        _, messages = run(ActionDefaultAskAffirmation(), unsure("ticket_status", "list_bookings", events=missed))
        assert texts(messages) == "Sorry, I still don't understand. Would you like to talk to a person?"
        assert payloads(messages) == ["/human_handoff", "/ask_capabilities"]
    _, messages = run(ActionDefaultAskRephrase(), unsure(events=turn("action_two_stage_fallback")))
    assert payloads(messages)[0] == "/human_handoff" and texts(messages).count("?") == 1


def test_an_out_of_scope_request_typed_after_a_miss_gets_its_own_answer():
    events, messages = run(ActionDefaultAskRephrase(), make_tracker(text="can u book me a hotel in miami", intent="out_of_scope"))
    assert not messages and events[0] == {"event": "active_loop", "name": None, "timestamp": None}
    assert events[-1]["parse_data"]["intent"]["name"] == "out_of_scope"
    _, messages = run(ActionDefaultAskRephrase(), make_tracker(text="/out_of_scope", intent="out_of_scope"))  # "Something else"
    assert payloads(messages)[0] == "/human_handoff"


def test_an_answer_the_form_could_not_read_counts_as_a_miss():
    unread = [{"event": "user", "text": "sdfsdf"}, {"event": "action", "name": "flight_form"},
              {"event": "bot", "text": "Sorry, I couldn't read that as a date.", "metadata": {"utter_action": "utter_date_unreadable"}},
              {"event": "action", "name": "action_listen"}]
    _, messages = run(ActionDefaultAskAffirmation(), unsure("search_flight", events=unread, open_question="departure_date"))
    assert payloads(messages)[0] == "/human_handoff"


def test_a_successful_turn_in_between_starts_over():
    earlier = turn("action_two_stage_fallback") + turn("action_ticket_status", "status of ticket 1042")
    _, messages = run(ActionDefaultAskAffirmation(), unsure("ticket_status", "list_bookings", events=earlier))
    assert texts(messages).startswith("Sorry, I'm not sure I understood. Did you want to")


def test_giving_up_never_quotes_and_offers_a_person():
    events, messages = run(ActionDefaultFallback(), unsure(events=turn("action_two_stage_fallback")))
    assert GIBBERISH not in texts(messages) and "talk to an agent" in texts(messages)
    assert payloads(messages) == ["/human_handoff"] and events == [{"event": "rewind", "timestamp": None}]


def test_inside_a_form_the_fallback_leaves_the_question_to_the_form():
    cases = [unsure("ticket_status", "list_bookings", open_question="departure_date"), unsure("greet", open_question="departure_date"),
             unsure("ticket_status", events=turn("action_two_stage_fallback"), open_question="origin")]
    said = []
    for tracker in cases:
        _, messages = run(ActionDefaultAskAffirmation(), tracker)
        said.append(texts(messages, tracker))
        assert "?" not in said[-1] and GIBBERISH not in said[-1]
    assert said[0] == "Sorry, I'm not sure I understood. If you meant to check a ticket or see your bookings, pick it below."
    assert [b["payload"] for b in rendered(messages, cases[-1])[0]["buttons"]] == ["/human_handoff", "/ask_capabilities"]


def not_understood(text, active_loop=None, before="action_show_offers", slots=None):
    """The events action_not_understood returns for `text`, which the classifier could not place."""
    events = [{"event": "slot", "name": "passengers", "value": 3.0}, {"event": "action", "name": before},
              {"event": "action", "name": "action_listen"}]
    tracker = make_tracker({"offers": [{"id": "off_1"}], **(slots or {})}, text=text, intent="nlu_fallback", events=events,
                           active_loop=active_loop)
    return run(ActionNotUnderstood(), tracker)[0]


def test_a_trip_detail_the_classifier_missed_is_filed_again_for_the_search():
    for text, loop, intent in [("lol ok no, economy", None, "refine_search"), ("ugh it WAS denver", "flight_form", "inform"),
                               ("no wait, back to 2", None, "refine_search")]:
        events = not_understood(text, active_loop=loop, slots={"requested_slot": "departure_date"} if loop else None)
        assert [e["event"] for e in events] == ["rewind", "action", "user"]
        assert events[-1]["text"] == text and events[-1]["parse_data"]["intent"]["name"] == intent
    events = not_understood("Good day, for the back flight I take 16 december", before="action_session_start")
    assert events[-1]["parse_data"]["intent"]["name"] == "search_flight"  # no search open yet: one starts


def test_a_pick_the_classifier_missed_is_filed_again_as_a_pick():
    offers = [{"id": "o1", "price": "100", "airline": "Delta", "slices": [{"depart": "2026-12-10T06:30:00", "arrive": "2026-12-10T09:00:00", "stops": 0}]},
              {"id": "o2", "price": "120", "airline": "United", "slices": [{"depart": "2026-12-10T10:00:00", "arrive": "2026-12-10T12:00:00", "stops": 1}]}]
    events = not_understood("the 10am one", slots={"offers": offers})
    assert events[-1]["parse_data"]["intent"]["name"] == "select_offer"
    only = not_understood("Only direct flight. I no like change plane", slots={"offers": offers})  # which to show, not a pick
    assert only[-1].get("parse_data", {}).get("intent", {}).get("name") != "select_offer"
    only = not_understood("Nonstop only please, I'm not doing a connection", slots={"offers": offers})
    assert only[-1].get("parse_data", {}).get("intent", {}).get("name") != "select_offer"
    picked = not_understood("the direct one, no stops please", slots={"offers": offers})
    assert picked[-1]["parse_data"]["intent"]["name"] == "select_offer"


def test_anything_else_the_classifier_missed_gets_the_two_stage_fallback():
    followup = [{"event": "followup", "timestamp": None, "name": "action_two_stage_fallback"}]
    assert not_understood("can i speak to someone now") == followup  # no trip detail
    assert not_understood("lol ok no, economy", before="action_ticket_status") == followup  # no search open
    assert not_understood("business then", slots={"pending_cancellation": {"reference": "PA4M8P"}}) == followup
    assert not_understood("is it cheaper on 16 december?", before="action_session_start") == followup  # a question, no search


def test_a_no_that_changes_the_trip_changes_the_search_and_any_other_no_is_a_no():
    def no(text, before):
        events = [{"event": "slot", "name": "passengers", "value": 3.0}, {"event": "action", "name": before},
                  {"event": "action", "name": "action_listen"}]
        return run(ActionNoToTheFlights(), make_tracker({"offers": [{"id": "off_1"}]}, text=text, intent="deny", events=events))[0]
    assert no("no wait mum can't come, back to 2", "action_search_flights")[-1]["parse_data"]["intent"]["name"] == "refine_search"
    assert no("no thanks", "action_search_flights") == [] and no("nah", "action_select_offer") == []


def test_a_refund_question_about_a_booked_trip_the_classifier_missed_is_its_cancellation(vendors):
    tracker = make_tracker(text="How much would I get back if I cancelled my Rome return?", intent="nlu_fallback", customer=MAYA)
    events, _ = run(ActionNotUnderstood(), tracker)
    assert events[-1]["parse_data"]["intent"]["name"] == "cancel_booking"
