"""Seats are never oversold, even under concurrent orders; an Idempotency-Key books once."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select, update

from sandbox.models import FlightInventory, Order
from tests.sandbox.conftest import duffel_api
from tests.sandbox.test_flights_api import order_body, search_body

SEARCHES = 20


def same_flight_offers(api, origin, destination, days):
    """One offer for the same (cheapest) flight from each of SEARCHES separate searches."""
    offers = []
    for _ in range(SEARCHES):
        found = api.post("/air/offer_requests", json=search_body(origin, destination, days)).json()["data"]["offers"]
        if not offers:
            target = [s["marketing_carrier_flight_number"] for s in found[0]["slices"][0]["segments"]]
        offers.append(next(o for o in found if [s["marketing_carrier_flight_number"] for s in o["slices"][0]["segments"]] == target))
    return offers


def flight_keys_of(db, offer_id):
    from sandbox.models import Offer

    with db.transaction() as session:
        return session.get(Offer, offer_id).flight_keys


def seats_left(db, flight_key):
    with db.transaction() as session:
        return session.get(FlightInventory, flight_key).seats_available


def test_twenty_concurrent_orders_for_five_seats_make_five_orders(sandbox):
    api = duffel_api(sandbox.url)
    offers = same_flight_offers(api, "SEA", "DEN", 45)
    keys = flight_keys_of(sandbox.db, offers[0]["id"])
    assert len(keys) == 1 and all(flight_keys_of(sandbox.db, o["id"]) == keys for o in offers)
    with sandbox.db.transaction() as session:
        session.execute(update(FlightInventory).where(FlightInventory.flight_key == keys[0]).values(seats_available=5))

    def book(offer):
        return duffel_api(sandbox.url).post("/air/orders", json=order_body(offer))

    with ThreadPoolExecutor(max_workers=SEARCHES) as pool:
        responses = list(pool.map(book, offers))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 5 + [422] * 15, [r.text for r in responses if r.status_code not in (201, 422)]
    assert {r.json()["errors"][0]["code"] for r in responses if r.status_code == 422} == {"offer_no_longer_available"}
    with sandbox.db.transaction() as session:
        orders = [o for o in session.execute(select(Order)).scalars() if o.flight_keys == keys]
    assert len(orders) == 5
    assert seats_left(sandbox.db, keys[0]) == 0


def test_cancelling_puts_the_seats_back_on_sale(sandbox):
    api = duffel_api(sandbox.url)
    offer = api.post("/air/offer_requests", json=search_body("SEA", "SFO", 46, passengers=2)).json()["data"]["offers"][0]
    key = flight_keys_of(sandbox.db, offer["id"])[0]
    before = seats_left(sandbox.db, key)
    order = api.post("/air/orders", json=order_body(offer)).json()["data"]
    assert seats_left(sandbox.db, key) == before - 2
    quote = api.post("/air/order_cancellations", json={"data": {"order_id": order["id"]}}).json()["data"]
    api.post(f"/air/order_cancellations/{quote['id']}/actions/confirm")
    assert seats_left(sandbox.db, key) == before


def test_full_flight_is_not_offered(sandbox):
    api = duffel_api(sandbox.url)
    offer = api.post("/air/offer_requests", json=search_body("SEA", "LAX", 47, passengers=3)).json()["data"]["offers"][0]
    key = flight_keys_of(sandbox.db, offer["id"])[0]
    with sandbox.db.transaction() as session:
        session.execute(update(FlightInventory).where(FlightInventory.flight_key == key).values(seats_available=2))
    again = api.post("/air/offer_requests", json=search_body("SEA", "LAX", 47, passengers=3)).json()["data"]["offers"]
    assert all(flight_keys_of(sandbox.db, o["id"]) != [key] for o in again)


def test_idempotency_key_books_once(sandbox):
    api = duffel_api(sandbox.url)
    offer = api.post("/air/offer_requests", json=search_body("SEA", "PDX", 48)).json()["data"]["offers"][0]
    key = flight_keys_of(sandbox.db, offer["id"])[0]
    before = seats_left(sandbox.db, key)
    headers = {"Idempotency-Key": "booking-attempt-1-" + offer["id"]}

    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(lambda _: duffel_api(sandbox.url).post("/air/orders", json=order_body(offer), headers=headers), range(5)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["data"]["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 4
    assert seats_left(sandbox.db, key) == before - 1

    different = order_body(offer, metadata={"changed": "yes"})
    reused = api.post("/air/orders", json=different, headers=headers)
    assert reused.status_code == 422 and reused.json()["errors"][0]["code"] == "idempotency_key_reused"
