"""The flights API's Duffel shapes: offer requests, offers, orders, cancellations, errors.

Where each shape comes from (Duffel's API reference and its official client library
duffel-api-javascript, read at commit 462bc13):
- order passengers: `CreateOrderPassenger` in src/booking/Orders/OrdersTypes.ts (title, gender,
  email, phone_number in E.164, identity_documents when the offer's
  passenger_identity_documents_required is true) and https://duffel.com/docs/api/orders/create-order;
- errors: the body `{meta: {status, request_id}, errors: [{type, title, message, code,
  documentation_url, source}]}` and the codes missing_version_header, invalid_version_header,
  unsupported_version, missing_authorization_header, access_token_not_found, rate_limit_exceeded,
  offer_no_longer_available from the error codes table of https://duffel.com/docs/api/overview/errors
  (also listed in Duffel-API client libraries, e.g. airheartdev/duffel errors.go);
- x-request-id response header: src/Client.ts logs it; rate-limit headers ratelimit-limit,
  ratelimit-remaining, ratelimit-reset (an RFC 1123 date): the errors page's rate limiting section
  ("retry after the time specified in the ratelimit-reset header"), parsed so by airheartdev/duffel
  ratelimit.go;
- supplier_timeout: `CreateOfferRequestQueryParameters` in src/booking/OfferRequests/OfferRequestsTypes.ts
  (milliseconds, 2 to 60 s, a query parameter);
- order cancellations: refund_amount and refund_currency `string | null` in
  src/booking/OrderCancellations/OrderCancellationsTypes.ts;
- place suggestions: `name` (`query` deprecated) in src/Places/Suggestions/Suggestions.ts; city,
  iata_city_code, country_name in SuggestionsType.ts and mockSuggestions.ts;
- list orders: filters in `ListParamsOrders` (booking_reference, passenger_name[]; none on metadata),
  pagination meta {limit, before, after} in src/types/ClientType.ts.
"""
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests

from sandbox.reference import resolve_place
from sandbox.schedule import Itinerary, itineraries, price
from tests.sandbox.conftest import duffel_api, row_counts


def search_body(origin="BOS", destination="ORD", days=30, passengers=1, **extra):
    when = (date.today() + timedelta(days=days)).isoformat()
    data = {"slices": [{"origin": origin, "destination": destination, "departure_date": when}], "passengers": [{"type": "adult"}] * passengers, "cabin_class": "economy"}
    data.update(extra)
    return {"data": data}


def traveller(passenger_id, **override):
    person = {"id": passenger_id, "title": "ms", "gender": "f", "given_name": "Ana", "family_name": "Silva", "born_on": "1990-01-31",
              "email": "ana@example.com", "phone_number": "+351912345678"}
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


def test_place_suggestions_need_a_name(duffel):
    assert_duffel_error(duffel.get("/places/suggestions", params={"name": "a"}), 422, "validation_required")


def test_every_response_has_a_request_id_and_rate_limit_headers(duffel):
    from email.utils import parsedate_to_datetime

    for response in (duffel.get("/places/suggestions", params={"name": "lisbon"}), duffel.get("/air/orders/ord_missing")):
        assert response.headers["x-request-id"] and "Retry-After" not in response.headers
        assert int(response.headers["ratelimit-limit"]) >= int(response.headers["ratelimit-remaining"]) >= 0
        assert parsedate_to_datetime(response.headers["ratelimit-reset"]).tzinfo is not None
    missing = duffel.get("/air/orders/ord_missing")
    assert missing.json()["meta"]["request_id"] == missing.headers["x-request-id"]


@pytest.mark.parametrize("version, status, code", [
    (None, 400, "missing_version_header"), ("v1", 400, "unsupported_version"), ("v9", 400, "invalid_version_header"),
])
def test_duffel_version_header_errors(duffel, version, status, code):
    headers = {"Authorization": duffel.session.headers["Authorization"]}
    if version:
        headers["Duffel-Version"] = version
    response = requests.get(f"{duffel.base_url}/air/orders/ord_x", headers=headers, timeout=10)
    assert_duffel_error(response, status, code)
    assert response.json()["errors"][0]["type"] == "invalid_request_error"


def test_wrong_token_is_not_found(duffel):
    response = requests.get(f"{duffel.base_url}/air/orders/ord_x", headers={"Authorization": "Bearer nope", "Duffel-Version": "v2"}, timeout=10)
    assert_duffel_error(response, 401, "access_token_not_found")


@pytest.mark.parametrize("field", ["title", "gender", "phone_number", "email"])
def test_order_passenger_fields_duffel_requires(sandbox, duffel, field):
    offer = duffel.post("/air/offer_requests", json=search_body(days=35)).json()["data"]["offers"][0]
    person = traveller(offer["passengers"][0]["id"])
    del person[field]
    before = row_counts(sandbox.db)
    assert_duffel_error(duffel.post("/air/orders", json=order_body(offer, passengers=[person])), 422, "validation_required", f"/data/passengers/0/{field}")
    bad = {"title": "sir", "gender": "x", "phone_number": "0912345678", "email": "nope"}[field]
    assert_duffel_error(duffel.post("/air/orders", json=order_body(offer, passengers=[traveller(offer["passengers"][0]["id"], **{field: bad})])),
                        422, "validation_format", f"/data/passengers/0/{field}")
    assert row_counts(sandbox.db) == before


def test_journeys_across_a_border_need_a_passport(duffel):
    abroad = duffel.post("/air/offer_requests", json=search_body("BOS", "LHR", days=36)).json()["data"]["offers"][0]
    home = duffel.post("/air/offer_requests", json=search_body("BOS", "ORD", days=36)).json()["data"]["offers"][0]
    assert abroad["passenger_identity_documents_required"] is True and abroad["supported_passenger_identity_document_types"] == ["passport"]
    assert home["passenger_identity_documents_required"] is False
    passenger_id = abroad["passengers"][0]["id"]
    assert_duffel_error(duffel.post("/air/orders", json=order_body(abroad)), 422, "validation_required", "/data/passengers/0/identity_documents")
    expired = [{"type": "passport", "unique_identifier": "19KL56147", "issuing_country_code": "PT", "expires_on": "2020-01-01"}]
    assert_duffel_error(duffel.post("/air/orders", json=order_body(abroad, passengers=[traveller(passenger_id, identity_documents=expired)])),
                        422, "validation_format", "/data/passengers/0/identity_documents/0/expires_on")
    passport = [{**expired[0], "expires_on": (date.today() + timedelta(days=2000)).isoformat()}]
    assert duffel.post("/air/orders", json=order_body(abroad, passengers=[traveller(passenger_id, identity_documents=passport)])).status_code == 201


def test_an_offer_books_once_and_another_offer_of_the_search_still_books(duffel):
    offers = duffel.post("/air/offer_requests", json=search_body(days=37)).json()["data"]["offers"]
    assert duffel.post("/air/orders", json=order_body(offers[0])).status_code == 201
    assert_duffel_error(duffel.post("/air/orders", json=order_body(offers[0])), 422, "offer_no_longer_available", "/data/selected_offers")
    assert duffel.post("/air/orders", json=order_body(offers[1])).status_code == 201


def test_no_idempotency_key_is_honoured(duffel):
    offer = duffel.post("/air/offer_requests", json=search_body(days=38)).json()["data"]["offers"][0]
    first = duffel.post("/air/orders", json=order_body(offer), headers={"Idempotency-Key": "k1"})
    again = duffel.post("/air/orders", json=order_body(offer), headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert_duffel_error(again, 422, "offer_no_longer_available")


def test_supplier_timeout_is_accepted_in_milliseconds(duffel):
    assert duffel.post("/air/offer_requests", params={"supplier_timeout": 15000}, json=search_body(days=39)).status_code == 201
    assert duffel.post("/air/offer_requests", params={"supplier_timeout": 500}, json=search_body(days=39)).status_code == 201  # ignored
    assert_duffel_error(duffel.post("/air/offer_requests", params={"supplier_timeout": "soon"}, json=search_body(days=39)), 422, "validation_format")


def test_order_made_then_failed_and_late_answers(duffel):
    """The sandbox-only controls in order metadata: the order exists whatever the answer."""
    for control in ("error_after_create", "late_after_create"):
        offer = duffel.post("/air/offer_requests", json=search_body(days=50)).json()["data"]["offers"][0]
        try:
            answer = duffel.post("/air/orders", json=order_body(offer, metadata={"sandbox_test": control, "attempt": control}), timeout=1)
            assert_duffel_error(answer, 500, "internal_server_error")
            assert control == "error_after_create"
        except requests.Timeout:
            assert control == "late_after_create"
        listed = duffel.get("/air/orders", params={"passenger_name[]": "Silva", "limit": 200}).json()["data"]
        assert [o["metadata"]["attempt"] for o in listed if o["offer_id"] == offer["id"]] == [control]


def test_cancellation_quote_may_have_no_refund_amount(duffel):
    offer = duffel.post("/air/offer_requests", json=search_body(days=51)).json()["data"]["offers"][0]
    order = duffel.post("/air/orders", json=order_body(offer, metadata={"sandbox_test": "no_refund_quote"})).json()["data"]
    quote = duffel.post("/air/order_cancellations", json={"data": {"order_id": order["id"]}}).json()["data"]
    assert quote["refund_amount"] is None and quote["refund_currency"] is None and quote["refund_to"] == "balance"
    confirmed = duffel.post(f"/air/order_cancellations/{quote['id']}/actions/confirm").json()["data"]
    assert confirmed["confirmed_at"] and confirmed["refund_amount"] is None


def test_list_orders_pages_and_filters_by_passenger_name(duffel):
    offers = duffel.post("/air/offer_requests", json=search_body(days=52)).json()["data"]["offers"]
    for offer, name in zip(offers[:3], ("Quintela", "Quintela", "Quintela")):
        duffel.post("/air/orders", json=order_body(offer, passengers=[traveller(offer["passengers"][0]["id"], family_name=name)]))
    first = duffel.get("/air/orders", params={"passenger_name[]": "quintel", "limit": 2}).json()
    assert len(first["data"]) == 2 and first["meta"]["limit"] == 2 and first["meta"]["after"]
    rest = duffel.get("/air/orders", params={"passenger_name[]": "quintel", "limit": 2, "after": first["meta"]["after"]}).json()
    assert len(rest["data"]) >= 1 and not {o["id"] for o in rest["data"]} & {o["id"] for o in first["data"]}


def test_place_suggestions_by_name_carry_city_and_country(duffel):
    heathrow = next(p for p in duffel.get("/places/suggestions", params={"name": "heathrow"}).json()["data"] if p["iata_code"] == "LHR")
    assert heathrow["iata_city_code"] == "LON" and heathrow["city"]["iata_code"] == "LON" and heathrow["country_name"] == "United Kingdom"
    deprecated = duffel.get("/places/suggestions", params={"query": "heathrow"}).json()["data"]
    assert "LHR" in [p["iata_code"] for p in deprecated]
