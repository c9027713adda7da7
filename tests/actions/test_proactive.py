"""Offers of help: what the customer wrote or did decides the words and the buttons."""
from actions.asks import ASK_ACTIONS
from actions.proactive import ActionDeclineHelp, ActionOfferHelp
from tests.actions.conftest import make_tracker, rendered, run, slots_set, texts

FRUSTRATED = {"frustration": 0.8, "confusion": 0.0, "kind": "frustration"}


def frustrated_tracker(text="this is useless", intent="express_difficulty", **kwargs):
    tracker = make_tracker(text=text, intent=intent, **kwargs)
    tracker.latest_message["difficulty"] = FRUSTRATED
    return tracker


def payloads(messages, tracker=None):
    return [b["payload"] for m in rendered(messages, tracker) for b in m.get("buttons") or []]


def test_a_frustrated_message_is_acknowledged_with_concrete_offers(vendors):
    _, messages = run(ActionOfferHelp(), frustrated_tracker(slots={"destination": "LIS", "origin": "BOS"}))
    assert texts(messages).startswith("I'm sorry this has been frustrating.") and "Lisbon" in texts(messages)
    assert payloads(messages) == ['/search_flight{"origin": "BOS", "destination": "LIS"}', "/human_handoff", "/open_ticket", "/deny"]


def test_empty_searches_seen_by_the_detector_are_named(vendors):
    tracker = make_tracker(text="EXTERNAL: express_difficulty", intent="express_difficulty",
                           entities=[("reason", "empty_searches"), ("origin", "BOS"), ("destination", "LIS")])
    _, messages = run(ActionOfferHelp(), tracker)
    assert texts(messages[:1], tracker) == "I see the searches for Lisbon (LIS) came back empty. Shall I look at other dates, or nearby airports?"
    assert payloads(messages, tracker)[0] == '/search_flight{"origin": "BOS", "destination": "LIS"}'
    assert article_of(messages) == "Why can't I find a flight for my dates?"


def triggered(*entities):
    return make_tracker(text="EXTERNAL: express_difficulty", intent="express_difficulty", entities=entities)


def article_of(messages):
    """The title of the help article the offer carries, if any."""
    carried = [m for m in messages if m.get("response") == "utter_offer_help_article"]
    assert len(carried) <= 1 and all(m is messages[-1] for m in carried)
    return carried[0]["title"] if carried else None


def test_a_form_error_offer_carries_the_article_about_that_field(vendors):
    declined = triggered(("reason", "form_errors"), ("form", "passenger"), ("field", "booking"), ("error", "Your card was declined"))
    assert article_of(run(ActionOfferHelp(), declined)[1]) == "Which payment methods do you accept?"
    name = triggered(("reason", "form_errors"), ("field", "given_name"), ("error", "Enter the first name as on the passport"))
    _, messages = run(ActionOfferHelp(), name)
    assert article_of(messages) == "The name on my booking is wrong" and "first name" not in texts(messages[:1])
    assert "/hc/en-us/articles/" in texts(messages[1:])


def test_idling_at_checkout_carries_the_payments_article(vendors):
    assert article_of(run(ActionOfferHelp(), triggered(("reason", "idle_checkout"), ("page", "/checkout")))[1]) == "Which payment methods do you accept?"


def test_an_empty_help_search_is_answered_by_meaning(vendors):
    _, messages = run(ActionOfferHelp(), triggered(("reason", "empty_help_search"), ("query", "suitcase never showed up")))
    assert texts(messages[:1]).startswith("Your help search for “suitcase never showed up” found nothing.")
    assert article_of(messages) == "My checked bag did not arrive. What do I do?"


def test_several_help_articles_opened_get_an_offer_without_one_more_article(vendors):
    _, messages = run(ActionOfferHelp(), triggered(("reason", "help_browsing"), ("articles", "360003000001,360003000002,360003000003")))
    assert messages[0]["response"] == "utter_offer_help_help_browsing" and article_of(messages) is None


def test_an_offer_without_a_fitting_article_or_help_center_carries_none(vendors, failing_desk):
    offer = triggered(("reason", "form_errors"), ("field", "born_on"), ("error", "Enter a date of birth in the past"))
    assert article_of(run(ActionOfferHelp(), offer)[1]) is None  # the help center is down


def test_every_offer_asks_nothing_while_a_form_waits_for_its_answer(vendors):
    """The form's question follows the offer: one question in the turn, the form's."""
    said = [
        {"entities": [("reason", "empty_searches"), ("destination", "LIS")]}, {"entities": [("reason", "empty_searches")]},
        {"entities": [("reason", "form_errors"), ("field", "date_of_birth")]}, {"entities": [("reason", "form_errors")]},
        {"entities": [("reason", "idle_checkout")]}, {"entities": [("reason", "back_and_forth")]},
        {"entities": [("reason", "rage_clicks"), ("page", "/help")]}, {"entities": [("reason", "dead_clicks"), ("page", "/")]},
        {"entities": [("reason", "quick_backs"), ("page", "/help")]}, {"entities": [("reason", "help_browsing")]},
        {"entities": [("reason", "empty_help_search"), ("query", "lounge")]}, {"entities": [("reason", "empty_help_search")]},
        {"slots": {"destination": "LIS"}}, {}, {"slots": {"destination": "LIS"}, "kind": "confusion"}, {"kind": "confusion"},
    ]
    responses = set()
    for case in said:
        for open_question in (None, "departure_date"):
            tracker = make_tracker({**case.get("slots", {}), "requested_slot": open_question}, text="help", intent="express_difficulty",
                                   entities=case.get("entities", ()), active_loop="flight_form" if open_question else None)
            tracker.latest_message["difficulty"] = {"kind": case.get("kind", "frustration")}
            _, messages = run(ActionOfferHelp(), tracker)
            responses.add(messages[0]["response"])
            questions = texts(messages, tracker).count("?")
            assert questions == 0 if open_question else questions <= 1, (case, texts(messages, tracker))
            assert payloads(messages, tracker)[-3:] == ["/human_handoff", "/open_ticket", "/deny"]
    assert len(responses) == len(said)


def test_no_triggered_offer_once_declined_but_the_customer_can_still_ask(vendors):
    triggered = make_tracker({"proactive_declined": True}, text="EXTERNAL: express_difficulty", intent="express_difficulty",
                             entities=[("reason", "idle_checkout")])
    assert run(ActionOfferHelp(), triggered)[1] == []
    _, messages = run(ActionOfferHelp(), frustrated_tracker(slots={"proactive_declined": True}))
    assert messages


def test_no_thanks_is_remembered():
    events, messages = run(ActionDeclineHelp(), make_tracker(text="no thanks", intent="deny"))
    assert slots_set(events) == {"proactive_declined": True} and texts(messages) == "No problem. I won't interrupt again; I'm here if you need me."


def test_a_question_after_a_frustrated_request_acknowledges_it(vendors):
    ask_date = next(a for a in ASK_ACTIONS if a().name() == "action_ask_departure_date")()
    tracker = frustrated_tracker("I'm having trouble finding a good deal to new york", intent="search_flight")
    _, messages = run(ask_date, tracker)
    assert texts(messages).startswith("Sorry it's been hard going.") and "What dates are you travelling on?" in texts(messages)


def test_after_an_offer_of_help_the_question_comes_without_a_second_apology(vendors):
    ask_date = next(a for a in ASK_ACTIONS if a().name() == "action_ask_departure_date")()
    offered = [{"event": "user", "text": "this is useless"}, {"event": "action", "name": "action_offer_help"}, {"event": "bot", "text": "..."}]
    tracker = frustrated_tracker("this is useless", slots={"requested_slot": "departure_date"}, active_loop="flight_form")
    tracker.events[:] = offered  # the offer ran after the customer's message, in this same turn
    _, messages = run(ask_date, tracker)
    assert texts(messages, tracker) == "What dates are you travelling on?"


def test_a_correction_said_with_a_sigh_changes_the_search_rather_than_offering_help(vendors):
    events = [{"event": "action", "name": "action_search_flights"}, {"event": "user", "text": "ugh sorry, orlando after all"}]
    tracker = frustrated_tracker(text="ugh sorry, orlando after all", entities=[("destination", "orlando")], events=events,
                                 slots={"origin": "BOS", "destination": "TPA", "offers": [{"id": "off_1"}]})
    events, messages = run(ActionOfferHelp(), tracker)
    assert not messages and events[-1]["parse_data"]["intent"]["name"] == "refine_search"
    still, messages = run(ActionOfferHelp(), frustrated_tracker(text="ugh this is useless", events=events[:1],
                                                                slots={"origin": "BOS", "destination": "TPA", "offers": [{"id": "off_1"}]}))
    assert texts(messages).startswith("I'm sorry this has been frustrating.")


def test_a_new_detail_said_with_a_sigh_goes_on_with_the_trip(vendors):
    text = "oh and im flying out of spokane not seattle, im at my moms"
    tracker = frustrated_tracker(text=text, events=[{"event": "user", "text": text}], active_loop="flight_form",
                                 slots={"origin": "SEA", "origin_label": "Seattle (SEA)", "destination": "CHI", "requested_slot": "return_date"})
    events, messages = run(ActionOfferHelp(), tracker)
    assert not messages and events[-1]["parse_data"]["intent"]["name"] == "inform"
