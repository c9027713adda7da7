"""Changing a booking's dates: the new dates read against the booked ones, the airline's change
offers quoted with the fare difference and the fee, and a yes making the change with the airline
and in the CRM. Quotes run against the shared sandbox (they change nothing); changes made for
real run against a sandbox of their own."""
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from actions import common
from actions.bookings import active_bookings
from actions.change_dates import read_new_dates
from actions.changes import ActionConfirmChange, ActionQuoteChange, ActionQuoteNewDate, ActionRemindPending, asks_about_the_quote
from actions.dates import describe
from sandbox.models import Offer, Order
from tests.actions.conftest import DOMAIN, MAYA, make_tracker, point_clients_at, run, slots_set, texts

TODAY = date(2026, 12, 1)
OUT, BACK = date(2027, 1, 4), date(2027, 1, 11)


@pytest.mark.parametrize("text, entities, expected", [
    ("move my rome trip to a week later", {}, (OUT + timedelta(7), BACK + timedelta(7))),
    ("can i fly two days earlier", {}, (OUT - timedelta(2), BACK - timedelta(2))),
    ("push it back a week", {}, (OUT + timedelta(7), BACK + timedelta(7))),
    ("bring my flight forward a day", {}, (OUT - timedelta(1), BACK - timedelta(1))),
    ("i'd rather leave the next day", {}, (OUT + timedelta(1), BACK + timedelta(1))),
    ("can i come back a day later", {}, (OUT, BACK + timedelta(1))),
    ("can i change my flight to the 6th", {}, (date(2027, 1, 6), BACK)),
    ("change my flight to the 30th", {}, (date(2026, 12, 30), BACK)),
    ("move it to jan 13", {}, (date(2027, 1, 13), BACK + timedelta(9))),
    ("can my flight be moved to 1/7", {}, (date(2027, 1, 7), BACK)),
    ("change my flight from the 10th to the 12th", {}, (date(2027, 1, 12), date(2027, 1, 19))),
    ("need to push my flight one day", {}, (OUT + timedelta(1), BACK + timedelta(1))),
    ("delay my trip by two days", {}, (OUT + timedelta(2), BACK + timedelta(2))),
    ("move it to 14/1", {}, (date(2027, 1, 14), BACK + timedelta(10))),
    ("move my return flight to the 12th", {}, (OUT, date(2027, 1, 12))),
    ("fly out friday instead", {}, (date(2027, 1, 1), BACK)),  # the friday nearest the booked monday
    ("fly out wednesday instead", {}, (date(2027, 1, 6), BACK)),
    ("reschedule please", {"departure_date": "the 5th"}, (date(2027, 1, 5), BACK)),
    ("/change_booking{...}", {"departure_date": "a week later"}, (OUT + timedelta(7), BACK + timedelta(7))),
    ("could i go on 8 january instead, and come back on 12 january?", {}, (date(2027, 1, 8), date(2027, 1, 12))),
    # the booked date names the flight; the other date is the new one
    (f"move my flight on the {OUT.day}th to the 6th", {"departure_date": f"the {OUT.day}th", "return_date": "the 6th"}, (date(2027, 1, 6), BACK)),
    ("is it possible to change it 3 days before?", {}, (OUT - timedelta(3), BACK - timedelta(3))),
])
def test_new_dates_are_read_against_the_booked_ones(text, entities, expected):
    assert read_new_dates(text, entities, OUT, BACK, TODAY).dates == expected


def test_no_date_and_one_way_trips():
    assert read_new_dates("i need to change my booking", {}, OUT, BACK, TODAY) is None
    assert read_new_dates("i have 2 bags", {}, OUT, BACK, TODAY) is None
    assert read_new_dates("i'm away for a week", {}, OUT, BACK, TODAY) is None
    assert read_new_dates("a week later", {}, OUT, None, TODAY).dates == (OUT + timedelta(7),)
    assert read_new_dates("to the 9th", {}, OUT, None, TODAY).dates == (date(2027, 1, 9),)


def maya_trip(destination: str, crm):
    return next(d for d in active_bookings(crm.get_contact_by_email(MAYA).id) if d.destination == destination and d.order_id)


def test_changes_need_a_signed_in_customer(vendors):
    for action in (ActionQuoteChange(), ActionConfirmChange()):
        _, messages = run(action, make_tracker({"pending_change": {"change_offer_id": "oco_x"}}, text="move my rome trip to a week later"))
        assert "please sign in" in texts(messages)


def test_quote_moving_the_rome_trip_a_week_later(vendors):
    rome = maya_trip("FCO", vendors.crm())
    events, messages = run(ActionQuoteChange(), make_tracker(
        text="move my rome trip to a week later", intent="change_booking",
        entities=[("destination", "rome"), ("departure_date", "a week later")], customer=MAYA))
    slots = slots_set(events)
    pending = slots["pending_change"]
    assert slots["awaiting_confirmation"] == "change" and slots["pending_cancellation"] is None
    assert pending["reference"] == "RM7Q2K" and pending["change_offer_id"].startswith("oco_")
    assert [d[:10] for d in pending["departures"]] == [(rome.departure_date + timedelta(7)).isoformat(), (rome.return_date + timedelta(7)).isoformat()]
    said = texts(messages)
    assert "your trip to Rome (RM7Q2K)" in said and describe(rome.departure_date + timedelta(7), date.today()) in said
    assert "change fee" in said and "fare difference" in said and said.endswith("Shall I make the change?")
    assert [b["payload"] for b in DOMAIN["responses"][messages[0]["response"]][0]["buttons"]] == ["/affirm", "/deny"]
    assert vendors.flights().get_order(rome.order_id).slices[0].departing_at.date() == rome.departure_date  # only quoted


def test_which_trip_when_several_keeps_the_date(vendors):
    events, messages = run(ActionQuoteChange(), make_tracker(text="can i change my flight to the 20th", intent="change_booking",
                                                             entities=[("departure_date", "the 20th")], customer=MAYA))
    asked = slots_set(events)
    assert "Which trip would you like to change?" in texts(messages) and asked["awaiting_confirmation"] == "which_change"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/change_booking{"booking_reference": "RM7Q2K", "departure_date": "the 20th"}' in payloads
    events, messages = run(ActionQuoteChange(), make_tracker(text=payloads[0], intent="change_booking",
                                                             entities=[("booking_reference", "RM7Q2K"), ("departure_date", "the 20th")], customer=MAYA))
    assert [d[:10] for d in slots_set(events)["pending_change"]["departures"]][0].endswith("-20")
    events, _ = run(ActionQuoteChange(), make_tracker(asked, text="the rome one", intent="inform", customer=MAYA))
    assert [d[:10] for d in slots_set(events)["pending_change"]["departures"]][0].endswith("-20")  # the date said before


def test_the_date_is_asked_for_then_quoted(vendors):
    paris = maya_trip("CDG", vendors.crm())
    events, messages = run(ActionQuoteChange(), make_tracker(text="i need to change my paris trip", intent="change_booking",
                                                             entities=[("destination", "paris")], customer=MAYA))
    assert "What date would you like to move your trip to Paris (PA4M8P) to?" in texts(messages)
    slots = slots_set(events)
    assert slots["awaiting_confirmation"] == "change_date" and slots["pending_change"]["reference"] == "PA4M8P"
    two_days_later = paris.departure_date + timedelta(2)
    events, messages = run(ActionQuoteChange(), make_tracker({"pending_change": slots["pending_change"]}, text=f"the {two_days_later.day}th",
                                                             intent="inform", customer=MAYA))
    assert slots_set(events)["pending_change"]["departures"][0][:10] == two_days_later.isoformat()
    assert "Shall I make the change?" in texts(messages)


def test_dates_that_cannot_be_quoted(vendors):
    for text, expected in (("move my rome trip to a month earlier", "What date would you like"),
                           ("move my rome trip 60 days earlier", "has already passed")):
        events, messages = run(ActionQuoteChange(), make_tracker(text=text, intent="change_booking", entities=[("destination", "rome")], customer=MAYA))
        assert expected in texts(messages) and slots_set(events)["awaiting_confirmation"] == "change_date", text


def test_bookings_that_cannot_change(vendors):
    daniel = "daniel.okafor@example.com"
    crm = vendors.crm()
    elsewhere = next(d for d in crm.purchase_history(crm.get_contact_by_email(daniel).id) if not d.order_id)
    _, messages = run(ActionQuoteChange(), make_tracker(entities=[("booking_reference", elsewhere.booking_reference)], text="move it a day later", customer=daniel))
    expected = "made outside this assistant" if elsewhere.departure_date >= date.today() else "couldn't find that booking"
    assert expected in texts(messages)
    _, messages = run(ActionQuoteChange(), make_tracker(entities=[("booking_reference", "RM7Q2K")], text="move it a day later", customer=daniel))
    assert "couldn't find that booking" in texts(messages)  # Maya's, not Daniel's
    _, messages = run(ActionQuoteChange(), make_tracker(text="move my trip a day later", customer="tom.becker@example.com"))
    assert "couldn't find that booking" in texts(messages)


def test_nothing_to_confirm_and_a_quote_for_someone_else(vendors):
    events, messages = run(ActionConfirmChange(), make_tracker(customer=MAYA))
    assert "no change waiting" in texts(messages)
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["action_listen"]  # a confirmation ends the turn
    events, _ = run(ActionQuoteChange(), make_tracker(text="move my rome trip to a week later", entities=[("destination", "rome")], customer=MAYA))
    pending = slots_set(events)["pending_change"]
    _, messages = run(ActionConfirmChange(), make_tracker({"pending_change": pending}, customer="daniel.okafor@example.com"))
    assert "no change waiting" in texts(messages)
    assert vendors.flights().get_order(pending["order_id"]).slices[0].departing_at.date() == maya_trip("FCO", vendors.crm()).departure_date


@pytest.fixture
def own_sandbox(make_sandbox, monkeypatch):
    """A sandbox whose demo orders this module may change for real."""
    running = make_sandbox()
    point_clients_at(monkeypatch, running.url)
    yield running
    for client in (common.crm, common.ticketing, common.flights):
        client.cache_clear()


def test_yes_changes_the_trip_with_the_airline_and_in_the_crm(own_sandbox):
    crm = own_sandbox.crm()
    rome = maya_trip("FCO", crm)
    events, _ = run(ActionQuoteChange(), make_tracker(text="move my rome trip to a week later", intent="change_booking",
                                                      entities=[("destination", "rome")], customer=MAYA))
    pending = slots_set(events)["pending_change"]
    events, messages = run(ActionConfirmChange(), make_tracker({"pending_change": pending, "awaiting_confirmation": "change"}, customer=MAYA))
    said = texts(messages)
    assert said.startswith("Done: booking RM7Q2K is changed") and describe(rome.departure_date + timedelta(7), date.today()) in said
    assert slots_set(events) == {"pending_cancellation": None, "pending_change": None, "awaiting_confirmation": None, "booking_choices": None}
    order = own_sandbox.flights().get_order(rome.order_id)
    assert [s.departing_at.date() for s in order.slices] == [rome.departure_date + timedelta(7), rome.return_date + timedelta(7)]
    deal = maya_trip("FCO", crm)
    assert (deal.departure_date, deal.return_date) == (rome.departure_date + timedelta(7), rome.return_date + timedelta(7))
    assert deal.amount == order.total_amount and deal.booking_reference == "RM7Q2K"
    _, messages = run(ActionConfirmChange(), make_tracker({"pending_change": pending}, customer=MAYA))  # the same quote again
    assert "Nothing was changed" in texts(messages)
    assert own_sandbox.flights().get_order(rome.order_id).slices[0].departing_at.date() == rome.departure_date + timedelta(7)


def test_a_fare_that_does_not_allow_changes(own_sandbox):
    paris = maya_trip("CDG", own_sandbox.crm())
    with own_sandbox.db.transaction() as session:
        offer = session.get(Offer, session.get(Order, paris.order_id).offer_id)
        conditions = {**offer.body["conditions"], "change_before_departure": {"allowed": False, "penalty_amount": None, "penalty_currency": None}}
        session.execute(update(Offer).where(Offer.id == offer.id).values(body={**offer.body, "conditions": conditions}))
    events, messages = run(ActionQuoteChange(), make_tracker(text="move my paris trip a day later", customer=MAYA))
    assert "doesn't allow changes" in texts(messages) and slots_set(events)["awaiting_confirmation"] is None


def test_the_airline_unreachable_is_said_honestly(failing_desk):
    _, messages = run(ActionQuoteChange(), make_tracker(text="move my rome trip a day later", customer=MAYA))
    assert "couldn't reach our customer records" in texts(messages)


def test_a_waiting_quote_is_recalled_without_a_question(vendors):
    events, _ = run(ActionQuoteChange(), make_tracker(text="move my rome trip to a week later", entities=[("destination", "rome")], customer=MAYA))
    slots = slots_set(events)
    _, messages = run(ActionRemindPending(), make_tracker(slots, customer=MAYA))
    said = texts(messages)
    assert said.startswith("Your change of RM7Q2K is still waiting") and "?" not in said and "$" in said
    cancellation = {"pending_cancellation": {"reference": "PA4M8P", "refund": "412.50", "currency": "USD"}, "awaiting_confirmation": "cancellation"}
    _, messages = run(ActionRemindPending(), make_tracker(cancellation, customer=MAYA))
    assert texts(messages) == "Your cancellation of PA4M8P is still waiting: it refunds $412.50. Say yes to cancel it, or no to keep it."
    _, messages = run(ActionRemindPending(), make_tracker(customer=MAYA))
    assert messages == []


def test_another_trip_named_while_a_change_waits(vendors):
    events, _ = run(ActionQuoteChange(), make_tracker(text="move my rome trip to a week later", entities=[("destination", "rome")], customer=MAYA))
    waiting = slots_set(events)
    events, messages = run(ActionQuoteChange(), make_tracker(waiting, text="actually change my paris trip to the 3rd", intent="change_booking", customer=MAYA))
    assert slots_set(events)["pending_change"]["reference"] == "PA4M8P" and "Paris" in texts(messages)
    events, _ = run(ActionQuoteChange(), make_tracker(waiting, text="what about two days later", intent="inform", customer=MAYA))
    assert slots_set(events)["pending_change"]["reference"] == "RM7Q2K"  # the trip the quote was about


def test_change_it_again_while_its_quote_waits_is_the_yes(vendors):
    events, _ = run(ActionQuoteChange(), make_tracker(text="move my rome trip to a week later", entities=[("destination", "rome")], customer=MAYA))
    waiting = slots_set(events)
    for text in ("ok change it", "yes move it", "go ahead and change the rome trip"):
        events, messages = run(ActionQuoteChange(), make_tracker(waiting, text=text, intent="change_booking", customer=MAYA))
        assert [e["name"] for e in events if e.get("event") == "followup"] == ["action_confirm_change"] and messages == [], text
    for text in ("change it to the 20th", "can i change it to a later flight", "change it?"):
        events, _ = run(ActionQuoteChange(), make_tracker(waiting, text=text, intent="change_booking", customer=MAYA))
        assert not [e for e in events if e.get("event") == "followup"], text


def test_a_new_date_for_the_flights_just_shown_is_no_booking_to_move(vendors):
    shown = [{"event": "action", "name": "action_search_flights"}, {"event": "action", "name": "action_listen"}]
    tracker = make_tracker({"offers": [{"id": "off_1"}], "origin": "SEA", "destination": "CLT", "departure_date": "2026-12-15"},
                           text="ugh my boss just moved the meeting, i need to be there a day earlier so december 14",
                           intent="change_booking", events=shown, customer=MAYA)
    events, messages = run(ActionQuoteChange(), tracker)
    assert not messages and events[-1]["parse_data"]["intent"]["name"] == "refine_search"


def test_a_question_without_a_date_while_the_quote_waits_keeps_it(vendors):
    events, _ = run(ActionQuoteChange(), make_tracker(text="move my rome trip to a week later", entities=[("destination", "rome")], customer=MAYA))
    waiting = slots_set(events)
    events, messages = run(ActionQuoteNewDate(), make_tracker(waiting, text="would that be the same airline, roughly the same time?",
                                                              intent="refine_search", customer=MAYA))
    cost = float(waiting["pending_change"]["cost"])  # the day's fares decide whether the move costs or refunds
    expected = "utter_change_still_waiting" if cost > 0 else "utter_change_still_waiting_refund" if cost < 0 else "utter_change_still_waiting_free"
    assert events == [] and [m["response"] for m in messages] == [expected]


@pytest.mark.parametrize("text, waiting, expected", [
    ("how much extra is that?", "change", True), ("how much is the fee", "cancellation", True),
    ("so what's the price difference", "change", True), ("how much does a change cost usually", "change", False),
    ("what's your refund policy", "cancellation", False), ("how much extra is that?", None, False),
])
def test_a_question_about_the_amount_of_the_waiting_quote(text, waiting, expected):
    assert asks_about_the_quote(make_tracker({"awaiting_confirmation": waiting}, text=text)) is expected
