"""The flight search against the sandbox over HTTP: the form takes any detail at any turn, the
search filters and orders by the customer's preferences, and vendors that fail get honest words."""
import asyncio
from datetime import date, timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.search import ActionSearchFlights, ValidateFlightForm, _names_the_traveller, lead_flight
from actions.search_slots import ONE_WAY
from tests.actions.conftest import MAYA, iso, make_tracker, point_clients_at, run, searched, slots_set, texts


def form_turn(text, asked=None, intent="inform", slots=None, entities=(), customer=None):
    """One turn of the flight form: the slots it sets and what it says."""
    slots = {"requested_slot": asked, **(slots or {})}
    events = [{"event": "slot", "name": name, "value": value} for name, value in (slots or {}).items() if value is not None]
    tracker = make_tracker(slots, text=text, intent=intent, entities=entities, events=events, active_loop="flight_form", customer=customer)
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateFlightForm().run(dispatcher, tracker, {}))
    return slots_set(result), texts(dispatcher.messages)


def test_form_resolves_places_and_relative_dates(vendors):
    form = ValidateFlightForm()
    tracker = make_tracker({"destination": "new york city", "departure_date": "the 15th", "return_date": "the 22nd"},
                           text="to new york city on the 15th back the 22nd", intent="search_flight")
    assert form.validate_destination("new york city", None, tracker, {}) == {"destination": "NYC", "destination_label": "New York (all airports: JFK, LGA, EWR)"}
    departure = form.validate_departure_date("the 15th", None, tracker, {})["departure_date"]
    assert date.fromisoformat(departure).day == 15 and date.fromisoformat(departure) >= date.today()
    tracker.slots["departure_date"] = departure
    back = form.validate_return_date("the 22nd", None, tracker, {})["return_date"]
    assert date.fromisoformat(back).day == 22 and back > departure


@pytest.mark.parametrize("value, complaint", [
    ("mordor", "I don't know an airport"),
    ("portland", "There are a few places called Portland"),
])
def test_unknown_and_ambiguous_places_are_asked_again(vendors, value, complaint):
    dispatcher = CollectingDispatcher()
    result = ValidateFlightForm().validate_origin(value, dispatcher, make_tracker(), {})
    assert result["origin"] is None and complaint in texts(dispatcher.messages)


def test_past_and_impossible_dates_are_refused_politely(vendors):
    form = ValidateFlightForm()
    for value, complaint in [("2020-01-01", "has already passed"), ("the 45th", "couldn't read"), ("2099-01-01", "too far out")]:
        dispatcher = CollectingDispatcher()
        assert form.validate_departure_date(value, dispatcher, make_tracker(), {}) == {"departure_date": None}
        assert complaint in texts(dispatcher.messages)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"departure_date": iso(20)})
    assert form.validate_return_date(iso(10), dispatcher, tracker, {}) == {"return_date": None}
    assert "can't be before" in texts(dispatcher.messages)


def test_search_finds_round_trips_and_says_the_cheapest(vendors):
    slots, messages = searched(ret=iso(28))
    offers = slots["offers"]
    assert len(offers) > 5 and all(len(o["slices"]) == 2 for o in offers)
    assert offers[0]["price"] in texts(messages) and "round-trip" in texts(messages)
    assert messages[0]["response"] == "utter_flights_found"


def test_search_after_a_correction_resolves_the_new_value(vendors):
    slots, messages = searched(origin="newark", destination="LAX")
    assert slots["origin"] == "EWR" and slots["origin_label"] == "Newark (EWR)"
    assert slots["offers"] and "Newark (EWR)" in texts(messages)


@pytest.mark.parametrize("status, headers, delay", [(503, {}, 0), (429, {"Retry-After": "30"}, 0), (200, {}, 3)], ids=["5xx", "429", "timeout"])
def test_vendor_failures_get_an_honest_message(failing, monkeypatch, status, headers, delay):
    server = failing(status, headers, delay)
    point_clients_at(monkeypatch, server.url, timeout_seconds=2)
    events, messages = run(ActionSearchFlights(), make_tracker({"origin": "BOS", "destination": "NYC", "departure_date": iso(20), "return_date": ONE_WAY}))
    assert "couldn't reach the flight system" in texts(messages) and "Nothing was changed" in texts(messages)
    assert slots_set(events)["offers"] is None


def test_an_origin_given_while_dates_are_asked_is_the_origin(vendors):
    slots, said = form_turn("actually from chicago", asked="departure_date", slots={"destination": "LIS"})
    assert slots["origin"] == "CHI" and "departure_date" not in slots and "airport called" not in said


def test_origin_dates_and_return_in_one_answer(vendors):
    slots, said = form_turn(f"from boston, leaving {(date.today() + timedelta(days=30)):%B %-d} back a week later",
                            asked="departure_date", slots={"destination": "LIS"})
    assert slots["origin"] == "BOS" and slots["departure_date"] == iso(30) and slots["return_date"] == iso(37)
    assert "airport called" not in said


def test_a_compact_query_fills_every_slot(vendors):
    leave, back = date.today() + timedelta(days=40), date.today() + timedelta(days=46)
    slots, _ = form_turn(f"bos-mia {leave:%-m/%-d} rt back {back:%-m/%-d}", intent="search_flight")
    assert (slots["origin"], slots["destination"]) == ("BOS", "MIA")
    assert (slots["departure_date"], slots["return_date"]) == (leave.isoformat(), back.isoformat())


def test_the_party_and_cabin_in_one_message(vendors):
    slots, _ = form_turn("me, my wife and our two kids in business", asked="departure_date", slots={"destination": "LIS"})
    assert (slots["passengers"], slots["children"], slots["cabin"]) == (2, 2, "business")


def test_children_s_ages_are_asked_and_a_baby_travels_as_an_infant(vendors):
    slots = {"destination": "LIS", "origin": "BOS", "departure_date": iso(30), "return_date": ONE_WAY, "children": 2.0}
    filled, said = form_turn("7 and 1", asked="child_ages", slots=slots)
    assert filled["child_ages"] == [7] and filled["children"] == 1 and filled["infants"] == 1
    filled, said = form_turn("not sure", asked="child_ages", slots=slots)
    assert "child_ages" not in filled or filled["child_ages"] is None


def test_an_unknown_short_answer_is_judged_and_a_question_is_not_an_answer(vendors):
    slots, said = form_turn("xyzzyville", asked="origin", slots={"destination": "LIS"})
    assert slots["origin"] is None and "I don't know an airport called xyzzyville" in said and "?" not in said
    slots, said = form_turn("can i bring my dog on the plane?", asked="origin", intent="ask_question", slots={"destination": "LIS"})
    assert "origin" not in slots and said == ""


def test_which_springfield_is_answered_by_a_word_of_its_name(vendors):
    slots, said = form_turn("portland", asked="origin", slots={"destination": "LIS"})
    choices = slots["place_choices"]
    assert slots["origin"] is None and len(choices["candidates"]) > 1 and "a few places called Portland" in said
    first = choices["candidates"][0]
    slots, _ = form_turn(first["code"].lower(), asked="origin", slots={"destination": "LIS", "place_choices": choices})
    assert slots["origin"] == first["code"] and slots["place_choices"] is None
    second = choices["candidates"][1]
    answer = f"{second['regions'][0]}, not {first['regions'][0]}"  # "Maine, not Oregon"
    slots, _ = form_turn(answer, asked="origin", slots={"destination": "LIS", "place_choices": choices})
    assert slots["origin"] == second["code"]


def test_refinements_filter_and_order_the_results_without_starting_over(vendors):
    base = {"origin": "BOS", "destination": "NYC", "departure_date": iso(25), "return_date": ONE_WAY,
            "origin_label": "Boston (BOS)", "destination_label": "New York (all airports: JFK, LGA, EWR)"}
    events, said = run(ActionSearchFlights(), make_tracker(base, text="only nonstop", intent="refine_search"))
    offers = slots_set(events)["offers"]
    assert offers and all(s["stops"] == 0 for o in offers for s in o["slices"]) and "nonstop" in texts(said)
    events, _ = run(ActionSearchFlights(), make_tracker(base, text="anything earlier?", intent="refine_search"))
    departures = [o["slices"][0]["depart"] for o in slots_set(events)["offers"]]
    assert departures == sorted(departures)
    events, said = run(ActionSearchFlights(), make_tracker(base, text="what about for four of us", intent="refine_search"))
    assert slots_set(events)["passengers"] == 4 and all(o["passengers"] == 4 for o in slots_set(events)["offers"])
    assert "for 4 travellers" in texts(said)


def test_switching_to_a_return_keeps_the_rest(vendors):
    base = {"origin": "BOS", "destination": "NYC", "departure_date": iso(25), "return_date": ONE_WAY}
    back = date.today() + timedelta(days=31)
    events, said = run(ActionSearchFlights(), make_tracker(base, text=f"switch it to a return flight coming back {back:%B} {back.day}", intent="refine_search"))
    slots = slots_set(events)
    assert slots["return_date"] == back.isoformat() and all(len(o["slices"]) == 2 for o in slots["offers"])


@pytest.mark.parametrize("answer, state", [("oregon", "Oregon"), ("maine please", "Maine")])
def test_which_portland_is_answered_with_the_state(vendors, answer, state):
    slots, said = form_turn("portland", asked="destination", slots={"origin": "BOS"})
    assert state in said
    picked, _ = form_turn(answer, asked="destination", slots={"origin": "BOS", "place_choices": slots["place_choices"]})
    expected = next(c["code"] for c in slots["place_choices"]["candidates"] if state.lower() in c["regions"])
    assert picked["destination"] == expected


def test_a_correction_names_the_place_it_replaces(vendors):
    known = {"origin": "MAD", "origin_label": "Madrid (MAD)", "destination": "PAR", "departure_date": iso(30)}
    slots, _ = form_turn("sorry, from malaga not madrid", asked="return_date", slots=known)
    assert slots["origin"] == "AGP" and "destination" not in slots
    known = {"destination": "AUS", "destination_label": "Austin (AUS)", "departure_date": iso(30)}
    slots, _ = form_turn("hmm no sorry, houston not austin", asked="origin", slots=known)
    assert slots["destination"] in ("HOU", "IAH")
    known = {"origin": "LHR", "destination": "ATH", "destination_label": "Athens (ATH)", "departure_date": iso(30)}
    slots, _ = form_turn("actually make it lisbon not athens", asked="return_date", slots=known)
    assert slots["destination"] == "LIS" and "origin" not in slots
    known = {"destination": "PAR", "destination_label": "Paris (all airports: CDG, ORY)", "departure_date": iso(30)}
    slots, _ = form_turn("oops not paris, prague", asked="return_date", slots=known)
    assert slots["destination"] == "PRG" and "origin" not in slots


def test_someone_joining_adds_to_the_party(vendors):
    known = {"destination": "BOS", "departure_date": iso(30), "passengers": 2.0}
    slots, _ = form_turn("my girlfriend wants to come too", asked="return_date", slots=known)
    assert slots["passengers"] == 3.0


def test_wait_no_while_the_return_is_asked_corrects_the_departure(vendors):
    leave = date.today() + timedelta(days=40)
    slots, _ = form_turn(f"wait no, {leave:%B} {leave.day}", asked="return_date",
                         slots={"destination": "DEN", "departure_date": iso(39)})
    assert slots["departure_date"] == leave.isoformat() and "return_date" not in slots


def test_one_way_said_while_another_question_is_open_is_no_place(vendors):
    slots, said = form_turn("one way", asked="origin", slots={"destination": "DEN", "departure_date": iso(30)})
    assert slots["return_date"] == ONE_WAY and "origin" not in slots and "airport" not in said


def test_the_home_airport_does_not_end_the_question_about_the_destination(vendors):
    slots, _ = form_turn(f"portland on the {(date.today() + timedelta(days=13)).day}", intent="search_flight",
                         slots={"home_airport": "BOS"}, customer=MAYA)
    assert slots["origin"] == "BOS" and slots["destination"] is None and slots["place_choices"]["slot"] == "destination"


@pytest.mark.parametrize("said, code", [("portland oregon", "PDX"), ("birmingham uk", "BHX")])
def test_a_place_said_with_its_state_or_country_is_not_asked_about(vendors, said, code):
    slots, said_back = form_turn(f"to {said} {(date.today() + timedelta(days=20)):%b %-d} one way", intent="search_flight", slots={"origin": "BOS"})
    assert slots["destination"] == code and "a few places" not in said_back


def test_children_s_ages_given_with_them_are_not_asked(vendors):
    slots, _ = form_turn("2 adults 2 kids (7 and 10)", asked="departure_date", slots={"destination": "DEN"})
    assert slots["children"] == 2 and slots["child_ages"] == [7, 10]
    slots, _ = form_turn("2 adults, 3 kids aged 3, 8 and 12", asked="departure_date", slots={"destination": "DEN"})
    assert slots["child_ages"] == [3, 8, 12]
    slots, _ = form_turn("for me and my son, he's 4", asked="departure_date", slots={"destination": "DEN"})
    assert slots["children"] == 1 and slots["child_ages"] == [4]
    slots, _ = form_turn("We are 3 adult and one child 7 years, to Barcelona", asked="departure_date")
    assert slots["children"] == 1 and slots["child_ages"] == [7]
    slots, _ = form_turn("flights for me my husband n our 2 kids (6 n 9)", asked="departure_date", slots={"destination": "HNL"})
    assert slots["passengers"] == 2 and slots["children"] == 2 and slots["child_ages"] == [6, 9]
    slots, _ = form_turn("It's me, my husband, my mum, and the twins, they're 4", asked="departure_date", slots={"destination": "MCO"})
    assert slots["passengers"] == 3 and slots["children"] == 2 and slots["child_ages"] == [4, 4]
    slots, _ = form_turn("for me, my husband, our 4 year old and our baby, she's 9 months", asked="departure_date", slots={"destination": "MCO"})
    assert (slots["passengers"], slots["children"], slots["infants"], slots["child_ages"]) == (2, 1, 1, [4])


def test_words_the_nlu_took_for_a_date_leave_the_known_date(vendors):
    day = iso(20)
    slots, _ = form_turn("Anything in the afternoon instead? We've got meetings all morning.", intent="refine_search",
                         slots={"origin": "SFO", "destination": "SEA", "departure_date": day, "return_date": ONE_WAY},
                         entities=[("departure_date", "all morning")])
    assert slots.get("departure_date", day) == day and slots["time_of_day"] == "afternoon"


def test_the_youngest_of_the_children_being_a_baby_makes_an_infant_of_them(vendors):
    slots, _ = form_turn("me, my husband and our 3 kids, the youngest is 18 months", asked="departure_date", slots={"destination": "MCO"})
    assert slots["passengers"] == 2 and slots["children"] == 2 and slots["infants"] == 1
    slots, _ = form_turn("The older two are 9 and 6.", asked="child_ages", slots={"destination": "MCO", "children": 2.0, "infants": 1.0})
    assert slots["child_ages"] == [9, 6]


def test_words_the_nlu_took_for_a_place_leave_the_known_place(vendors):
    slots, said = form_turn("hmm no too pricey, back to economy", intent="refine_search",
                            slots={"origin": "LAX", "destination": "JFK", "departure_date": iso(20), "return_date": ONE_WAY},
                            entities=[("destination", "economy")])
    assert slots.get("destination", "JFK") == "JFK" and slots["cabin"] == "economy" and not any("airport" in line for line in said)


def test_a_place_the_nlu_found_in_words_that_name_none_is_no_place(vendors):
    slots, said = form_turn("Oh la la, it is very expensive. In economic please", intent="search_flight",
                            slots={"origin": "PAR", "destination": "YMQ", "departure_date": iso(20), "return_date": ONE_WAY},
                            entities=[("origin", "la"), ("destination", "la")])
    assert slots.get("origin", "PAR") == "PAR" and slots.get("destination", "YMQ") == "YMQ" and slots["cabin"] == "economy"
    assert not any("same place" in line for line in said)


def test_an_everyday_word_the_nlu_took_for_an_airport_code_is_no_place(vendors):
    slots, _ = form_turn("ugh the venue moved the gig, we need to fly out 12/17 instead", intent="refine_search",
                         slots={"origin": "QLA", "destination": "AUS", "departure_date": iso(20), "return_date": iso(24)},
                         entities=[("destination", "gig")])
    assert slots.get("destination", "AUS") == "AUS"


def test_children_s_ages_answering_the_question_are_taken_once(vendors):
    slots, said = form_turn("they are 4 and 7", asked="child_ages", slots={"destination": "DEN", "children": 2.0})
    assert slots["child_ages"] == [4, 7] and not said


def test_a_new_departure_after_the_old_return_asks_the_return_again_without_blame(vendors):
    known = {"origin": "BOS", "destination": "LIS", "departure_date": iso(10), "return_date": iso(12)}
    slots, said = form_turn(f"hmm actually make it {date.fromisoformat(iso(20)).strftime('%B %-d')}", intent="inform", slots=known,
                            entities=[("return_date", "actually")])
    assert slots["departure_date"] == iso(20) and slots["return_date"] is None and "before" not in said


def test_children_s_ages_said_before_they_are_asked_are_taken(vendors):
    slots, said = form_turn("kids r 4 and 9", asked="return_date", slots={"destination": "DEN", "children": 2.0})
    assert slots["child_ages"] == [4, 9] and not any("date" in line for line in said)


def test_a_day_later_moves_the_known_date(vendors):
    slots, _ = form_turn("hmm can we leave a day later", asked="origin", slots={"destination": "DEN", "departure_date": iso(30)})
    assert slots["departure_date"] == iso(31)
    slots, _ = form_turn("come back 2 days earlier", asked="origin",
                         slots={"destination": "DEN", "departure_date": iso(30), "return_date": iso(37)})
    assert slots["return_date"] == iso(35)


@pytest.mark.parametrize("place, answer, intent, code", [
    ("springfield", "the one in illinois", "select_offer", "SPI"),
    ("springfield", "missouri", "inform", "SGF"),
    ("san jose", "costa rica", "out_of_scope", "SJO"),
    ("rochester", "minnesota", "search_flight", "RST"),
])
def test_which_one_is_answered_by_its_state_or_country_whatever_the_intent(vendors, place, answer, intent, code):
    slots, said = form_turn(place, asked="destination", slots={"origin": "BOS"})
    assert slots["place_choices"], said
    picked, said = form_turn(answer, asked="destination", intent=intent, slots={"origin": "BOS", "place_choices": slots["place_choices"]})
    assert picked["destination"] == code, (said, slots["place_choices"])


def test_one_of_the_party_being_a_baby_makes_an_infant_of_them(vendors):
    base = {"origin": "EWR", "destination": "SFO", "departure_date": iso(18), "return_date": iso(25), "passengers": 5.0}
    events, said = run(ActionSearchFlights(), make_tracker(base, text="oh one of them is a baby on my lap", intent="refine_search"))
    slots = slots_set(events)
    assert slots["passengers"] == 4 and slots["infants"] == 1 and slots["offers"]
    kids = {**base, "passengers": 2.0, "children": 2.0, "child_ages": [1, 6]}
    events, _ = run(ActionSearchFlights(), make_tracker(kids, text="wait one of the kids is an infant", intent="refine_search"))
    slots = slots_set(events)
    assert (slots["children"], slots["infants"], slots["child_ages"], slots["passengers"]) == (1, 1, [6], 2)


def test_asking_to_see_the_flights_after_the_results_shows_them(vendors):
    base = {"origin": "BOS", "destination": "SEA", "departure_date": iso(20), "return_date": ONE_WAY, "offers": [{"id": "off_1"}]}
    events, said = run(ActionSearchFlights(), make_tracker(base, text="ok show me the flights", intent="search_flight"))
    assert events == [{"event": "followup", "name": "action_show_offers", "timestamp": None}] and not said


def test_an_unknown_place_answer_is_judged_without_its_from(vendors):
    slots, said = form_turn("from xyzzyville", asked="origin", slots={"destination": "LIS"})
    assert slots["origin"] is None and "an airport called xyzzyville" in said


def test_a_town_of_several_airports_is_asked_about_wherever_it_is_said(vendors):
    slots, said = form_turn(f"springfield {(date.today() + timedelta(days=30)):%-m/%-d} one way from atlanta", intent="search_flight")
    assert slots["origin"] == "ATL" and slots["place_choices"]["slot"] == "destination" and "Springfield" in said


def _after_picking(text):
    offer = {"id": "off_1", "price": "100.00"}
    return make_tracker({"selected_offer": offer, "offers": [offer]}, text=text, intent="inform",
                        events=[{"event": "action", "name": "action_select_offer"}, {"event": "action", "name": "action_listen"}])


@pytest.mark.parametrize("text, name", [("Priyanka Sharma", "Priyanka Sharma"), ("jamie rivera", "Jamie Rivera")])
def test_a_name_in_answer_to_shall_i_book_it_is_a_yes_with_the_traveller(text, name):
    events, _ = run(ActionSearchFlights(), _after_picking(text))
    assert slots_set(events) == {"traveller_name": name} and events[-1]["name"] == "traveller_form"


@pytest.mark.parametrize("text", ["book it", "the other one", "paris instead", "leave tomorrow"])
def test_other_answers_to_shall_i_book_it_are_not_names(text):
    assert not _names_the_traveller(_after_picking(text))


def test_which_of_two_places_is_asked_before_anything_else(vendors):
    slots, said = form_turn("flying from manchester", asked="departure_date", slots={"destination": "DUB"})
    assert slots["requested_slot"] == "origin" and said.count("?") <= 1


def test_a_date_read_as_moving_a_booking_answers_the_search_when_no_booking_is_named(vendors):
    slots, _ = form_turn("Back on the 16th, so a week later", asked="return_date", intent="change_booking",
                         slots={"destination": "DUB", "origin": "FRA", "departure_date": iso(8)}, entities=[("departure_date", "the 16th")])
    assert slots["return_date"] is not None and slots.get("departure_date", iso(8)) == iso(8)


def test_ages_said_in_words_are_taken(vendors):
    slots, _ = form_turn("actually its three adults and one child she is eight", asked="origin",
                         slots={"destination": "MIA", "passengers": 4.0})
    assert slots["passengers"] == 3 and slots["children"] == 1 and slots["child_ages"] == [8]



def test_a_correction_naming_a_place_next_to_the_one_just_given_replaces_it(vendors):
    slots, _ = form_turn("no wait milwaukee", asked="origin", slots={"destination": "CHI", "passengers": 2.0})
    assert slots["destination"] == "MKE" and slots.get("origin") is None
    slots, _ = form_turn("no wait, denver", asked="origin", slots={"destination": "CHI"})  # far from chicago: where from
    assert slots["origin"] == "DEN"


def test_the_summary_names_the_flight_first_in_the_order_asked_for():
    offers = [{"airline": "Japan Airlines", "slices": [{"depart": "2026-12-10T07:20:00", "minutes": 70}, {"depart": "2026-12-12T10:00:00", "minutes": 75}]},
              {"airline": "ANA", "slices": [{"depart": "2026-12-10T09:00:00", "minutes": 65}]}]
    assert lead_flight(offers, "earliest") == " The earliest leaves at 07:20 (Japan Airlines)."
    assert lead_flight(offers, "fastest") == " The fastest takes 1h 10m (Japan Airlines, leaving at 07:20)."
    assert lead_flight(offers, "cheapest") == lead_flight(offers, None) == lead_flight([], "earliest") == ""


def test_a_star_corrects_the_date_just_given_not_the_one_asked(vendors):
    """ "thu", then "*tue" while the return is asked: the departure, typed again."""
    slots, _ = form_turn("*tue", asked="return_date", slots={"destination": "AUS", "departure_date": iso(2)})
    assert slots.get("departure_date") not in (None, iso(2)) and not slots.get("return_date")
