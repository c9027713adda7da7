"""FlightsClient against the running sandbox over HTTP: search, book, read, change, cancel."""
from datetime import date, timedelta

import pytest

from actions.clients import InvalidRequest, NotFound
from actions.clients.flights import SliceRequest, Traveller

MAYA = Traveller("Maya", "Chen", date(1988, 4, 2), email="maya.chen@example.com")


def day(offset: int) -> date:
    return date.today() + timedelta(days=offset)


def test_search_city_code_covers_its_airports_cheapest_first(sandbox):
    result = sandbox.flights().search([SliceRequest("BOS", "NYC", day(20))])
    assert result.request_id.startswith("orq_") and len(result.offers) >= 10
    assert {o.slices[0].destination for o in result.offers} == {"JFK", "LGA", "EWR"}
    prices = [o.total_amount for o in result.offers]
    assert prices == sorted(prices)
    first = result.offers[0].slices[0]
    assert first.stops == 0 and first.duration_minutes > 30
    assert first.segments[0].departing_at.date() == day(20)


def test_same_search_gives_same_flights_and_prices(sandbox):
    flights = sandbox.flights()
    once, twice = (flights.search([SliceRequest("SFO", "ORD", day(30))]) for _ in range(2))

    def summary(search):
        return [(o.owner_code, [s.flight_number for s in o.slices[0].segments], o.total_amount) for o in search.offers]

    assert summary(once) == summary(twice)


def test_return_trip_has_two_slices(sandbox):
    result = sandbox.flights().search([SliceRequest("LHR", "JFK", day(15)), SliceRequest("JFK", "LHR", day(22))], adults=2)
    offer = result.offers[0]
    assert [(s.origin, s.destination) for s in offer.slices][0][0] == "LHR"
    assert len(offer.slices) == 2 and len(offer.passenger_ids) == 2
    assert offer.slices[1].departing_at.date() == day(22)


def test_book_read_and_cancel(sandbox):
    flights = sandbox.flights()
    offer = flights.search([SliceRequest("BOS", "ORD", day(25))]).offers[0]
    assert flights.get_offer(offer.id) == offer
    order = flights.book(offer, [MAYA], metadata={"conversation_id": "test"})
    assert len(order.booking_reference) == 6 and order.total_amount == offer.total_amount
    assert order.passenger_names == ("Maya Chen",) and order.metadata == {"conversation_id": "test"}
    assert flights.get_order(order.id).booking_reference == order.booking_reference
    assert [o.id for o in flights.find_orders(order.booking_reference.lower())] == [order.id]

    quote = flights.quote_cancellation(order.id)
    assert quote.confirmed_at is None and 0 <= quote.refund_amount <= order.total_amount
    assert flights.get_order(order.id).cancelled_at is None  # a quote changes nothing
    confirmed = flights.confirm_cancellation(quote.id)
    assert confirmed.confirmed_at is not None
    assert flights.get_order(order.id).cancelled_at is not None
    with pytest.raises(InvalidRequest) as caught:
        flights.quote_cancellation(order.id)
    assert caught.value.code == "already_cancelled"


def test_a_search_books_once(sandbox):
    flights = sandbox.flights()
    search = flights.search([SliceRequest("BOS", "DCA", day(26))])
    flights.book(search.offers[0], [MAYA])
    with pytest.raises(InvalidRequest) as caught:
        flights.book(search.offers[1], [MAYA])
    assert caught.value.code == "offer_request_already_booked"


def test_place_suggestions(sandbox):
    flights = sandbox.flights()
    assert flights.suggest_places("LIS")[0].iata_code == "LIS"
    new_york = flights.suggest_places("nyc")[0]
    assert new_york.type == "city" and set(new_york.airports) == {"JFK", "LGA", "EWR"}
    assert "LIS" in [p.iata_code for p in flights.suggest_places("lisbon")]


def test_unknown_things_are_not_found(sandbox):
    flights = sandbox.flights()
    with pytest.raises(NotFound):
        flights.get_offer("off_doesnotexist")
    with pytest.raises(NotFound):
        flights.get_order("ord_doesnotexist")


def test_wrong_traveller_count_is_caught_before_calling(sandbox):
    offer = sandbox.flights().search([SliceRequest("BOS", "ORD", day(27))], adults=2).offers[0]
    with pytest.raises(ValueError):
        sandbox.flights().book(offer, [MAYA])


def booked_return(flights, out: int, back: int):
    offer = flights.search([SliceRequest("BOS", "ORD", day(out)), SliceRequest("ORD", "BOS", day(back))]).offers[0]
    return flights.book(offer, [MAYA])


def test_change_an_order_a_day_later(sandbox):
    flights = sandbox.flights()
    order = booked_return(flights, 70, 74)
    assert order.changeable and order.available_actions == ("cancel", "change") and order.cabin_class == "economy"
    assert all(s.id.startswith("sli_") for s in order.slices)
    outbound = order.slices[0]
    request = flights.request_change(order, [outbound.id], [SliceRequest("BOS", "ORD", day(71))])
    assert request.id.startswith("ocr_") and request.order_id == order.id and request.offers
    offer = request.offers[0]
    assert offer.removed_slice_ids == (outbound.id,) and offer.added[0].departing_at.date() == day(71)
    assert offer.change_total_amount == offer.new_total_amount - order.total_amount + offer.penalty_amount
    assert [o.id for o in flights.change_offers(request.id)] == [o.id for o in request.offers]
    pending = flights.create_change(offer.id)
    assert pending.confirmed_at is None and pending.offer.change_total_amount == offer.change_total_amount
    assert flights.get_order(order.id).slices[0].id == outbound.id  # nothing changed yet
    done = flights.confirm_change(pending)
    assert done.confirmed_at is not None
    changed = flights.get_order(order.id)
    assert changed.slices[0].departing_at.date() == day(71) and changed.slices[1].id == order.slices[1].id
    assert changed.total_amount == offer.new_total_amount
    with pytest.raises(InvalidRequest) as caught:
        flights.confirm_change(pending)
    assert caught.value.code == "already_confirmed"


def test_change_offers_follow_the_pages(sandbox):
    flights = sandbox.flights()
    order = booked_return(flights, 72, 77)
    request = flights.request_change(order, [s.id for s in order.slices],
                                     [SliceRequest("BOS", "ORD", day(73)), SliceRequest("ORD", "BOS", day(78))])
    assert len(request.offers) > 1
    everything = flights.change_offers(request.id, page_size=1)
    assert sorted(o.id for o in everything) == sorted(o.id for o in request.offers)


def test_a_change_into_the_past_is_refused(sandbox):
    flights = sandbox.flights()
    order = booked_return(flights, 74, 78)
    with pytest.raises(InvalidRequest) as caught:
        flights.request_change(order, [order.slices[0].id], [SliceRequest("BOS", "ORD", day(-1))])
    assert caught.value.code == "departure_date_in_past" and caught.value.field == "/data/slices/add/0/departure_date"


def test_a_cancellation_quote_without_a_refund_amount(sandbox):
    """Duffel sends null refund_amount and refund_currency when the airline gives no quote."""
    from sqlalchemy import update

    from sandbox.models import Offer, Order

    flights = sandbox.flights()
    order = booked_return(flights, 76, 80)
    with sandbox.db.transaction() as session:
        offer = session.get(Offer, session.get(Order, order.id).offer_id)
        body = {**offer.body, "conditions": {**offer.body["conditions"], "refund_before_departure": None}}
        session.execute(update(Offer).where(Offer.id == offer.id).values(body=body))
    quote = flights.quote_cancellation(order.id)
    assert quote.refund_amount is None and quote.currency is None
