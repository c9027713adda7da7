"""The flights API's Duffel shapes: offer requests, offers, orders, cancellations, errors."""
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from sandbox.reference import resolve_place
from sandbox.schedule import Itinerary, itineraries, price
from tests.sandbox.conftest import duffel_api, row_counts


def search_body(origin="BOS", destination="ORD", days=30, passengers=1, **extra):
    when = (date.today() + timedelta(days=days)).isoformat()
    data = {"slices": [{"origin": origin, "destination": destination, "departure_date": when}], "passengers": [{"type": "adult"}] * passengers, "cabin_class": "economy"}
    data.update(extra)
    return {"data": data}


def traveller(passenger_id, **override):
    person = {"id": passenger_id, "given_name": "Ana", "family_name": "Silva", "born_on": "1990-01-31", "email": "ana@example.com", "title": "ms", "gender": "f"}
    person.update(override)
    return person


def order_body(offer, **override):
    data = {
        "type": "instant",
        "selected_offers": [offer["id"]],
        "passengers": [traveller(p["id"]) for p in offer["passengers"]],
        "payments": [{"type": "balance", "currency": offer["total_currency"], "amount": offer["total_amount"]}],
    }
    data.update(override)
    return {"data": data}


def cheapest_itinerary(origin: str, destination: str, day: date, cabin: str) -> Itinerary:
    """What the schedule says the cheapest one-adult offer flies: nonstop or not, depending on the day."""
    def total(itinerary: Itinerary) -> Decimal:
        return sum(price([itinerary.fare], len(itinerary.segments), cabin, 1), Decimal("0"))

    # Fares depend on today only within 21 days of departure; the searches here are further out.
    return min(itineraries(resolve_place(origin), resolve_place(destination), day, date.today()), key=total)


def test_offer_request_shape(duffel):
    response = duffel.post("/air/offer_requests", json=search_body("NYC", "LON", cabin_class="business"))
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["id"].startswith("orq_") and data["live_mode"] is False and data["cabin_class"] == "business"
    assert data["slices"][0]["origin_type"] == "city" and data["slices"][0]["origin"]["iata_code"] == "NYC"
    offer = data["offers"][0]
    assert offer["id"].startswith("off_") and offer["total_currency"] == "USD"
    assert float(offer["total_amount"]) == pytest.approx(float(offer["base_amount"]) + float(offer["tax_amount"]))
    expected = cheapest_itinerary("NYC", "LON", date.fromisoformat(data["slices"][0]["departure_date"]), "business")
    segments = offer["slices"][0]["segments"]
    assert [(s["marketing_carrier"]["iata_code"], s["marketing_carrier_flight_number"], s["origin"]["iata_code"], s["destination"]["iata_code"])
            for s in segments] == [(s.carrier.iata_code, s.flight_number, s.origin.iata_code, s.destination.iata_code) for s in expected.segments]
    assert segments[0]["origin"]["iata_code"] in {"JFK", "LGA", "EWR"} and segments[-1]["destination"]["city_name"] == "London"
    assert all(a["destination"]["iata_code"] == b["origin"]["iata_code"] for a, b in zip(segments, segments[1:]))
    for segment in segments:
        assert segment["passengers"][0]["cabin_class"] == "business"
        assert segment["duration"].startswith("PT") and segment["marketing_carrier"]["iata_code"]
    assert offer["expires_at"] > offer["created_at"]

    without = duffel.post("/air/offer_requests", params={"return_offers": "false"}, json=search_body()).json()["data"]
    assert "offers" not in without
    listed = duffel.get("/air/offers", params={"offer_request_id": without["id"], "sort": "total_duration", "max_connections": 0, "limit": 5}).json()
    assert 0 < len(listed["data"]) <= 5 and listed["meta"]["limit"] == 5
    assert all(len(s["segments"]) == 1 for o in listed["data"] for s in o["slices"])
    assert duffel.get(f"/air/offer_requests/{without['id']}").status_code == 200


def test_order_shape_and_cancellation_flow(duffel):
    offer = duffel.post("/air/offer_requests", json=search_body(days=33)).json()["data"]["offers"][0]
    response = duffel.post("/air/orders", json=order_body(offer, metadata={"customer": "ana"}))
    assert response.status_code == 201
    order = response.json()["data"]
    assert order["id"].startswith("ord_") and len(order["booking_reference"]) == 6
    assert order["total_amount"] == offer["total_amount"] and order["cancelled_at"] is None
    assert order["documents"][0]["type"] == "electronic_ticket" and order["metadata"] == {"customer": "ana"}
    assert duffel.get(f"/air/orders/{order['id']}").json()["data"]["documents"] == order["documents"]

    quote = duffel.post("/air/order_cancellations", json={"data": {"order_id": order["id"]}})
    assert quote.status_code == 201 and quote.json()["data"]["confirmed_at"] is None
    confirm = duffel.post(f"/air/order_cancellations/{quote.json()['data']['id']}/actions/confirm")
    assert confirm.status_code == 200 and confirm.json()["data"]["confirmed_at"]
    again = duffel.post(f"/air/order_cancellations/{quote.json()['data']['id']}/actions/confirm")
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "already_cancelled"


def assert_duffel_error(response, status, code, pointer=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["meta"]["status"] == status and body["meta"]["request_id"]
    error = body["errors"][0]
    assert error["code"] == code and error["message"] and error["type"] and error["title"]
    if pointer:
        assert error["source"]["pointer"] == pointer


@pytest.mark.parametrize(
    "body, code, pointer",
    [
        (search_body(origin="XXX"), "airport_not_found", "/data/slices/0/origin"),
        (search_body(destination="Narnia"), "airport_not_found", "/data/slices/0/destination"),
        (search_body(days=-1), "departure_date_in_past", "/data/slices/0/departure_date"),
        (search_body(days=400), "departure_date_too_far", "/data/slices/0/departure_date"),
        ({"data": {**search_body()["data"], "slices": [{"origin": "BOS", "destination": "ORD", "departure_date": "15/12/2026"}]}}, "validation_format", "/data/slices/0/departure_date"),
        ({"data": {**search_body()["data"], "slices": [{"origin": "BOS", "destination": "ORD", "departure_date": "2026-02-30"}]}}, "validation_format", "/data/slices/0/departure_date"),
        (search_body(passengers=0), "validation_required", "/data/passengers"),
        (search_body(passengers=20), "validation_length", "/data/passengers"),
        (search_body(origin="JFK", destination="NYC"), "validation_format", "/data/slices/0/destination"),
        (search_body(cabin_class="cargo"), "validation_format", "/data/cabin_class"),
        ({"data": {"passengers": [{"type": "adult"}]}}, "validation_required", "/data/slices"),
        ({"data": {**search_body()["data"], "passengers": [{"type": "child"}]}}, "validation_format", "/data/passengers"),
    ],
    ids=["unknown-origin", "unknown-destination", "past-date", "too-far", "unparseable-date", "impossible-date",
         "zero-passengers", "twenty-passengers", "same-place", "bad-cabin", "no-slices", "no-adult"],
)
def test_search_bad_input_is_refused_and_writes_nothing(sandbox, duffel, body, code, pointer):
    before = row_counts(sandbox.db)
    assert_duffel_error(duffel.post("/air/offer_requests", json=body), 422, code, pointer)
    assert row_counts(sandbox.db) == before


def test_order_bad_input_is_refused_and_writes_nothing(sandbox, duffel):
    offer = duffel.post("/air/offer_requests", json=search_body(days=34)).json()["data"]["offers"][0]
    before = row_counts(sandbox.db)
    cases = [
        (order_body(offer, selected_offers=["off_missing"]), 404, "not_found"),
        (order_body(offer, payments=[{"type": "balance", "currency": "USD", "amount": "1.00"}]), 422, "payment_amount_mismatch"),
        (order_body(offer, passengers=[traveller("pas_wrong")]), 422, "validation_format"),
        (order_body(offer, passengers=[traveller(offer["passengers"][0]["id"], born_on="2999-01-01")]), 422, "validation_format"),
        (order_body(offer, passengers=[traveller(offer["passengers"][0]["id"], given_name="")]), 422, "validation_required"),
        (order_body(offer, passengers=[traveller(offer["passengers"][0]["id"], email="nope")]), 422, "validation_format"),
        (order_body(offer, type="hold"), 422, "validation_format"),
        ({"data": {}}, 422, "validation_required"),
    ]
    for body, status, code in cases:
        assert_duffel_error(duffel.post("/air/orders", json=body), status, code)
    assert_duffel_error(duffel.post("/air/order_cancellations", json={"data": {"order_id": "ord_missing"}}), 404, "not_found")
    assert_duffel_error(duffel.get("/air/orders/ord_missing"), 404, "not_found")
    assert_duffel_error(duffel.get("/air/offers", params={"offer_request_id": "orq_missing"}), 404, "not_found")
    assert row_counts(sandbox.db) == before


def test_expired_offer_cannot_be_booked(make_sandbox):
    short = make_sandbox(SANDBOX_OFFER_TTL_SECONDS="1")
    api = duffel_api(short.url)
    offer = api.post("/air/offer_requests", json=search_body()).json()["data"]["offers"][0]
    time.sleep(1.2)
    before = row_counts(short.db)
    assert_duffel_error(api.post("/air/orders", json=order_body(offer)), 422, "offer_expired")
    assert row_counts(short.db) == before


def test_place_suggestions_need_a_query(duffel):
    assert_duffel_error(duffel.get("/places/suggestions", params={"query": "a"}), 422, "validation_required")
