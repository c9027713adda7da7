"""A classifier's confidence split between trip intents is joined in the likeliest of them."""
import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.trip_intents import TripIntentMerger, a_layover, a_new_trip_taken_for_a_change, a_trip_turned_away, an_email_given, another_service, merged


def rank(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_a_split_between_trip_intents_is_joined_in_the_likeliest():
    ranking = rank(("refine_search", 0.45), ("search_flight", 0.39), ("greet", 0.1), ("inform", 0.06))
    result = merged(ranking[0], ranking)
    assert result["intent"]["name"] == "refine_search" and result["intent"]["confidence"] == pytest.approx(0.9)
    assert [r["name"] for r in result["ranking"]] == ["refine_search", "greet"]


def test_other_intents_and_vague_messages_keep_their_confidence():
    ranking = rank(("select_offer", 0.5), ("inform", 0.4))
    assert merged(ranking[0], ranking) is None
    gibberish = rank(("inform", 0.4), ("out_of_scope", 0.12), ("search_flight", 0.1))
    assert merged(gibberish[0], gibberish) is None
    vague = {"name": "inform", "confidence": 0.0}
    assert merged(vague, rank(("inform", 0.6), ("search_flight", 0.3))) is None


def test_the_component_rewrites_the_message():
    ranking = rank(("inform", 0.5), ("search_flight", 0.4), ("stop", 0.1))
    message = Message({TEXT: "one way", INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    TripIntentMerger().process([message])
    assert message.get(INTENT)["confidence"] == pytest.approx(0.9) and len(message.get(INTENT_RANKING_KEY)) == 2


def test_a_trip_detail_joins_the_trip_intents_whatever_comes_second():
    ranking = rank(("refine_search", 0.3), ("stop", 0.19), ("inform", 0.15), ("search_flight", 0.12))
    assert merged(ranking[0], ranking) is None
    result = merged(ranking[0], ranking, frozenset({"departure_date"}), "hmm make that the 17th")
    assert result["intent"]["name"] == "refine_search" and result["intent"]["confidence"] == pytest.approx(0.6)


@pytest.mark.parametrize("text, first, details, becomes", [
    ("hi, flying out of toronto", "greet", {"origin"}, "search_flight"),
    ("wait no, dec 22", "deny", {"departure_date"}, "inform"),
    ("no, keep the 22nd one", "deny", {"departure_date"}, None),
    ("no, not rome", "deny", {"destination"}, None),
    ("Oh no, I'm so sorry, I've got that wrong, it should be Pittsburgh, not Philadelphia.", "stop", {"destination"}, "inform"),
    ("stop, forget rome", "stop", {"destination"}, None),
    ("hi there", "greet", set(), None),
])
def test_a_greeting_or_a_no_with_a_trip_detail_is_a_trip_request(text, first, details, becomes):
    ranking = rank((first, 0.5), ("search_flight", 0.2), ("inform", 0.1), ("thank", 0.05))
    result = merged(ranking[0], ranking, frozenset(details), text)
    assert (result["intent"]["name"] if result else None) == becomes
    if result:
        assert result["intent"]["confidence"] == pytest.approx(0.8) and [r["name"] for r in result["ranking"]] == [becomes, "thank"]


def test_trip_intents_together_outweigh_another_first_intent_when_a_detail_is_found():
    ranking = rank(("ask_question", 0.28), ("refine_search", 0.21), ("inform", 0.15), ("cancel_booking", 0.1))
    assert merged(ranking[0], ranking) is None
    result = merged(ranking[0], ranking, frozenset({"departure_date"}), "hmm make that the 17th")
    assert result["intent"]["name"] == "refine_search" and result["intent"]["confidence"] == pytest.approx(0.6)
    sure = rank(("cancel_booking", 0.8), ("inform", 0.1), ("search_flight", 0.05))
    assert merged(sure[0], sure, frozenset({"destination"}), "cancel my rome trip") is None


@pytest.mark.parametrize("text, becomes", [
    ("I want the money back for the flight to Nice, my mother is sick", "cancel_booking"),
    ("can i get a refund on my lisbon trip", "cancel_booking"),
    ("cheapest refundable flight to nice", "search_flight"),  # a kind of fare, not money back
    ("flight to nice on friday", "search_flight"),
])
def test_a_trip_named_to_get_money_back_for_is_a_cancellation(text, becomes):
    ranking = rank(("search_flight", 0.95), ("cancel_booking", 0.03), ("greet", 0.02))
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    TripIntentMerger().process([message])
    assert message.get(INTENT)["name"] == becomes


@pytest.mark.parametrize("text, ranking, becomes", [
    ("need to shift my flight on the 21st to the 22nd pls", (("search_flight", 0.83), ("change_booking", 0.17)), "change_booking"),
    ("need to shift my flight on the 21st to the 22nd pls", (("change_booking", 0.51), ("search_flight", 0.49)), "change_booking"),
    ("for my flight to paris", (("search_flight", 0.6), ("cancel_booking", 0.4)), "cancel_booking"),
    ("book my flight to paris for friday", (("search_flight", 0.97), ("cancel_booking", 0.02)), "search_flight"),
    ("we need to push our orlando trip by 2 days", (("search_flight", 0.99), ("change_booking", 0.01)), "change_booking"),
    ("change to a flight from boston", (("inform", 0.8), ("change_booking", 0.2)), "inform"),  # nobody's booking
    ("Booking reference: EXOO8T\nLos Angeles (LAX) to Portland (PDX)\nCan both flights be moved 3 days later?",
     (("search_flight", 0.99), ("change_booking", 0.01)), "change_booking"),  # pasted from the confirmation e-mail
])
def test_my_flight_to_be_changed_or_cancelled_is_a_booked_one(text, ranking, becomes):
    ranking = rank(*ranking)
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    TripIntentMerger().process([message])
    assert message.get(INTENT)["name"] == becomes


@pytest.mark.parametrize("text, becomes", [
    ("imogen.castellanos@example.net", "inform"), ("email: ana@example.org", "inform"), ("it's jo.b@mail.co.uk", "inform"),
    ("can you email me at jo@mail.com?", None), ("imogen castellanos", None),
])
def test_an_email_address_alone_is_an_answer(text, becomes):
    result = an_email_given({"name": "ask_question", "confidence": 0.79}, rank(("ask_question", 0.79), ("inform", 0.17)), text)
    assert (result["intent"]["name"] if result else None) == becomes


def test_a_flight_s_stops_are_no_stop_to_the_task():
    ranking = rank(("stop", 0.64), ("select_offer", 0.21), ("ask_question", 0.07))
    assert a_layover(ranking[0], ranking, "how many stops is that one")["intent"]["name"] == "select_offer"
    assert a_layover(ranking[0], ranking, "stop, i don't want it") is None


@pytest.mark.parametrize("text, details, becomes", [
    ("my neighbour says you can also sort out travel insurance and a pick-up from the airport, is that right?", frozenset(), "out_of_scope"),
    ("need a taxi from the airport", frozenset(), "out_of_scope"),
    ("flight and hotel in rome", frozenset({"destination"}), None),
    ("cheapest flights, and a hotel", frozenset(), None),
])
def test_another_service_than_flights_is_out_of_scope(text, details, becomes):
    ranking = rank(("search_flight", 0.77), ("out_of_scope", 0.23))
    result = another_service(ranking[0], ranking, text, details)
    assert (result["intent"]["name"] if result else None) == becomes


@pytest.mark.parametrize("text, details, becomes", [
    ("We Will Be Leaving From Boston, logan Airport.", frozenset({"origin"}), "search_flight"),
    ("a hotel in boston, leaving on friday", frozenset({"destination"}), None),
    ("whats the weather in denver", frozenset({"destination"}), None),
    ("leaving soon, bye", frozenset(), None),
])
def test_a_place_with_words_of_flying_taken_for_out_of_scope_is_a_trip(text, details, becomes):
    ranking = rank(("out_of_scope", 0.83), ("search_flight", 0.17))
    result = a_trip_turned_away(ranking[0], ranking, text, details)
    assert (result["intent"]["name"] if result else None) == becomes


@pytest.mark.parametrize("text, becomes", [
    ("G'day! I'm coming back on the 13th, but first things first, I'm heading up to Brisbane on the 9th", "search_flight"),
    ("move my rome trip to the 9th", None),
    ("can i fly home from denver a day later", None),
    ("change to brisbane on the 9th", None),
])
def test_a_new_trip_the_classifier_took_for_a_change_is_a_search(text, becomes):
    ranking = rank(("change_booking", 0.76), ("select_offer", 0.08))
    result = a_new_trip_taken_for_a_change(ranking[0], ranking, text, frozenset({"destination", "departure_date"}))
    assert (result["intent"]["name"] if result else None) == becomes
