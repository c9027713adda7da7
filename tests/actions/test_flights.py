"""The flight-booking actions against the sandbox over HTTP, and against failing vendors."""
from datetime import date, timedelta

import pytest

from actions.flights import (
    ActionBookFlight, ActionSearchFlights, ActionSelectOffer, ActionShowOffers, ValidateFlightForm,
    ValidateTravellerForm, idempotency_key, pick_offer,
)
from actions.search_slots import ONE_WAY
from sandbox.models import Order
from tests.actions.conftest import MAYA, make_tracker, point_clients_at, run, slots_set, texts
from tests.support.receiver import Receiver


def iso(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def searched(days=21, ret=ONE_WAY, origin="BOS", destination="NYC", **extra):
    slots = {"origin": origin, "destination": destination, "departure_date": iso(days), "return_date": ret,
             "origin_label": "Boston (BOS)", "destination_label": "New York (all airports: JFK, LGA, EWR)", **extra}
    events, messages = run(ActionSearchFlights(), make_tracker(slots))
    return slots_set(events), messages


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
    ("narnia", "I don't know an airport"),
    ("portland", "There are a few places called Portland"),
])
def test_unknown_and_ambiguous_places_are_asked_again(vendors, value, complaint):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    result = ValidateFlightForm().validate_origin(value, dispatcher, make_tracker(), {})
    assert result == {"origin": None} and complaint in texts(dispatcher.messages)


def test_past_and_impossible_dates_are_refused_politely(vendors):
    from rasa_sdk.executor import CollectingDispatcher

    form = ValidateFlightForm()
    for value, complaint in [("2020-01-01", "has already passed"), ("the 45th", "couldn't read"), ("2099-01-01", "too far out")]:
        dispatcher = CollectingDispatcher()
        assert form.validate_departure_date(value, dispatcher, make_tracker(), {}) == {"departure_date": None}
        assert complaint in texts(dispatcher.messages)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"departure_date": iso(20)})
    assert form.validate_return_date(iso(10), dispatcher, tracker, {}) == {"return_date": None}
    assert "can't be before" in texts(dispatcher.messages)


def test_a_lone_place_answers_the_question_asked(vendors):
    form = ValidateFlightForm()
    events = [{"event": "slot", "name": "destination", "value": "NYC"}]
    tracker = make_tracker({"requested_slot": "origin", "destination": "boston"}, text="boston", intent="inform",
                           entities=[("destination", "boston")], events=events)
    import asyncio

    assert asyncio.run(form.extract_origin(None, tracker, {})) == {"origin": "boston", "destination": "NYC"}


def test_search_finds_round_trips_and_says_the_cheapest(vendors):
    slots, messages = searched(ret=iso(28))
    offers = slots["offers"]
    assert len(offers) > 5 and all(len(o["slices"]) == 2 for o in offers)
    assert offers[0]["price"] in texts(messages) and "round-trip" in texts(messages)
    assert messages[0]["buttons"][0]["payload"] == "/affirm"


def test_search_after_a_correction_resolves_the_new_value(vendors):
    slots, messages = searched(origin="newark", destination="LAX")
    assert slots["origin"] == "EWR" and slots["origin_label"] == "Newark (EWR)"
    assert slots["offers"] and "Newark (EWR)" in texts(messages)


def test_offers_shown_and_picked_by_number_airline_and_cheapest(vendors):
    slots, _ = searched(days=22)
    offers = slots["offers"]
    _, messages = run(ActionShowOffers(), make_tracker({"offers": offers}))
    assert texts(messages).count("nonstop") + texts(messages).count("stop") >= 5
    assert messages[-1]["custom"]["type"] == "flight_offers" and len(messages[-1]["custom"]["offers"]) == 5
    assert pick_offer(offers, "second", None, "the second one") == offers[1]
    assert pick_offer(offers, None, None, "option 3") == offers[2]
    assert pick_offer(offers, "cheapest", None, "the cheapest") == min(offers[:5], key=lambda o: float(o["price"]))
    airline = offers[3]["airline"]
    assert pick_offer(offers, None, airline.split()[0], f"the {airline} one")["airline"] == airline
    assert pick_offer(offers, None, "Aeroflot", "the aeroflot one") is None
    events, messages = run(ActionSelectOffer(), make_tracker({"offers": offers}, text="the second one", intent="select_offer", entities=[("choice", "second")]))
    assert slots_set(events)["selected_offer"] == offers[1] and "Shall I book it?" in texts(messages)


def test_signed_in_customer_travels_as_themselves_and_booking_lands_everywhere(vendors):
    slots, _ = searched(days=23)
    offer = slots["offers"][0]
    form_events, _ = run(ValidateTravellerForm(), make_tracker({"selected_offer": offer, "travellers": []}, active_loop="traveller_form", customer=MAYA))
    filled = slots_set(form_events)
    assert filled["travellers"][0]["given_name"] == "Maya" and filled["requested_slot"] is None

    tracker = make_tracker({"selected_offer": offer, "travellers": filled["travellers"]}, sender="conv-book-1", customer=MAYA)
    events, messages = run(ActionBookFlight(), tracker)
    reference = slots_set(events)["booking_reference"]
    assert f"booking reference is {reference}" in texts(messages)
    with vendors.db.transaction() as session:
        order = session.query(Order).filter_by(booking_reference=reference).one()
        assert order.idempotency_key == idempotency_key("conv-book-1", offer["id"])
    deals = vendors.crm().purchase_history(vendors.crm().get_contact_by_email(MAYA).id)
    assert any(d.booking_reference == reference and d.order_id == order.id for d in deals)

    again, messages = run(ActionBookFlight(), tracker)  # the customer says "book it" twice
    assert slots_set(again)["booking_reference"] == reference


def test_anonymous_traveller_details_are_checked(vendors):
    from rasa_sdk.executor import CollectingDispatcher

    form = ValidateTravellerForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_traveller_name("x", dispatcher, make_tracker(), {}) == {"traveller_name": None}
    assert form.validate_traveller_birthdate("next friday", dispatcher, make_tracker(), {}) == {"traveller_birthdate": None}
    assert form.validate_traveller_email("nope", dispatcher, make_tracker(), {}) == {"traveller_email": None}
    done = form.validate_traveller_birthdate("2 April 1988", dispatcher, make_tracker({"traveller_name": "Ana Silva", "travellers": []}), {})
    assert done["travellers"] == [{"given_name": "Ana", "family_name": "Silva", "born_on": "1988-04-02"}]


def test_expired_offer_is_explained_and_nothing_booked(make_sandbox, monkeypatch):
    short = make_sandbox(SANDBOX_OFFER_TTL_SECONDS="1")
    point_clients_at(monkeypatch, short.url)
    slots, _ = searched(days=24)
    import time

    time.sleep(1.2)
    traveller = [{"given_name": "Ana", "family_name": "Silva", "born_on": "1988-04-02"}]
    _, messages = run(ActionBookFlight(), make_tracker({"selected_offer": slots["offers"][0], "travellers": traveller, "traveller_email": "ana@example.com"}))
    assert "expired" in texts(messages) and "nothing was booked" in texts(messages)


@pytest.fixture
def failing():
    servers = []

    def start(status, headers=None, delay=0):
        server = Receiver(respond=lambda n: (status, headers or {}, b'{"errors": [{"code": "x", "message": "down"}]}', delay)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize("status, headers, delay", [(503, {}, 0), (429, {"Retry-After": "30"}, 0), (200, {}, 3)], ids=["5xx", "429", "timeout"])
def test_vendor_failures_get_an_honest_message(failing, monkeypatch, status, headers, delay):
    server = failing(status, headers, delay)
    point_clients_at(monkeypatch, server.url, timeout_seconds=2)
    events, messages = run(ActionSearchFlights(), make_tracker({"origin": "BOS", "destination": "NYC", "departure_date": iso(20), "return_date": ONE_WAY}))
    assert "couldn't reach the flight system" in texts(messages) and "Nothing was changed" in texts(messages)
    assert slots_set(events)["offers"] is None


def test_booking_timeout_promises_no_double_charge(failing, monkeypatch):
    server = failing(200, {}, 3)
    point_clients_at(monkeypatch, server.url, timeout_seconds=2)
    offer = {"id": "off_x", "passengers": 1}
    _, messages = run(ActionBookFlight(), make_tracker({"selected_offer": offer, "travellers": []}, customer=MAYA))
    assert "couldn't reach" in texts(messages) or "won't be charged twice" in texts(messages)


def test_one_way_read_as_a_date_still_answers_both(vendors):
    form = ValidateFlightForm()
    tracker = make_tracker({"departure_date": "one way"}, text="the 15th, one way", intent="inform",
                           entities=[("return_date", "the 15th"), ("departure_date", "one way")])
    result = form.validate_departure_date("one way", None, tracker, {})
    assert result["return_date"] == ONE_WAY and date.fromisoformat(result["departure_date"]).day == 15
    from rasa_sdk.executor import CollectingDispatcher

    assert form.validate_return_date("the 22nd", CollectingDispatcher(), make_tracker({"departure_date": "one way"}), {})["return_date"]


def test_date_and_one_way_in_one_answer(vendors):
    import asyncio

    form = ValidateFlightForm()
    tracker = make_tracker({"requested_slot": "departure_date"}, text="the 15th, one way", intent="inform",
                           entities=[("choice", "15th"), ("return_date", "one way")])
    extracted = asyncio.run(form.extract_departure_date(None, tracker, {}))
    assert extracted == {"departure_date": "the 15th, one way"}
    result = form.validate_departure_date(extracted["departure_date"], None, tracker, {})
    assert result["return_date"] == ONE_WAY and date.fromisoformat(result["departure_date"]).day == 15
