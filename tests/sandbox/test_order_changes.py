"""Changing a paid order in the shape of Duffel's order change API: change requests and their
offers, pending order changes, confirming them; what the order holds afterwards; refusals.

Shapes as documented by Duffel's API reference (Order Change Requests, Order Change Offers, Order
Changes) and its official clients: duffel-api-javascript src/booking/OrderChangeRequests,
OrderChangeOffers and OrderChanges (types and mocks), duffel-api-python
duffel_api/api/booking/order_change*.py (request bodies), duffel-api-ruby
spec/fixtures/order_change*/*.json (penalty_total_amount, refund_to, available_payment_types).
"""
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import update

from sandbox.models import FlightInventory, Offer, Order
from tests.sandbox.conftest import duffel_api, row_counts
from tests.sandbox.test_flights_api import assert_duffel_error, order_body

OFFER_FIELDS = {"id", "live_mode", "order_change_id", "change_total_amount", "change_total_currency", "penalty_total_amount",
                "penalty_total_currency", "new_total_amount", "new_total_currency", "refund_to", "slices", "expires_at",
                "created_at", "updated_at"}


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def booked_return(api, days: int, origin: str = "BOS", destination: str = "ORD", nights: int = 4):
    """A paid return order made through the API."""
    body = {"data": {"slices": [{"origin": origin, "destination": destination, "departure_date": day(days)},
                                {"origin": destination, "destination": origin, "departure_date": day(days + nights)}],
                     "passengers": [{"type": "adult"}], "cabin_class": "economy"}}
    offer = api.post("/air/offer_requests", json=body).json()["data"]["offers"][0]
    response = api.post("/air/orders", json=order_body(offer))
    assert response.status_code == 201, response.text
    return response.json()["data"]


def change_body(order, days_later: int, which=(0,)):
    slices = [order["slices"][i] for i in which]
    return {"data": {"order_id": order["id"], "slices": {
        "remove": [{"slice_id": s["id"]} for s in slices],
        "add": [{"origin": s["origin"]["iata_code"], "destination": s["destination"]["iata_code"],
                 "departure_date": (date.fromisoformat(s["segments"][0]["departing_at"][:10]) + timedelta(days=days_later)).isoformat(),
                 "cabin_class": "economy"} for s in slices],
    }}}


def seats(db, key):
    with db.transaction() as session:
        return session.get(FlightInventory, key).seats_available


def keys_of(slice_body):
    return [f"{s['marketing_carrier']['iata_code']}{s['marketing_carrier_flight_number']}-{s['origin']['iata_code']}{s['destination']['iata_code']}-"
            f"{s['departing_at'][:10].replace('-', '')}" for s in slice_body["segments"]]


def test_an_order_says_it_can_be_changed(duffel):
    order = booked_return(duffel, 50)
    assert order["available_actions"] == ["cancel", "change"]
    assert all(s["changeable"] is True and s["id"].startswith("sli_") for s in order["slices"])
    assert order["conditions"]["change_before_departure"]["allowed"] is True


def test_change_a_return_trip_a_week_later(sandbox, duffel):
    order = booked_return(duffel, 52)
    owner = order["owner"]["iata_code"]
    response = duffel.post("/air/order_change_requests", json=change_body(order, 7, which=(0, 1)))
    assert response.status_code == 201, response.text
    request = response.json()["data"]
    assert request["id"].startswith("ocr_") and request["order_id"] == order["id"] and request["live_mode"] is False
    assert request["slices"]["remove"] == [{"slice_id": s["id"]} for s in order["slices"]]
    assert [a["origin"]["iata_code"] for a in request["slices"]["add"]] == ["BOS", "ORD"]
    assert request["slices"]["add"][0]["departure_date"] == day(59) and request["slices"]["add"][0]["cabin_class"] == "economy"
    offers = request["order_change_offers"]
    assert offers, "the airline flies this route a week later"
    offer = offers[0]
    assert set(offer) == OFFER_FIELDS and offer["id"].startswith("oco_") and offer["order_change_id"] is None
    assert [s["segments"][0]["departing_at"][:10] for s in offer["slices"]["add"]] == [day(59), day(63)]
    assert [s["id"] for s in offer["slices"]["remove"]] == [s["id"] for s in order["slices"]]
    flying = {owner} | {seg["marketing_carrier"]["iata_code"] for s in order["slices"] for seg in s["segments"]}
    assert all(seg["marketing_carrier"]["iata_code"] in flying for s in offer["slices"]["add"] for seg in s["segments"])
    change_total, penalty, new_total = (Decimal(offer[k]) for k in ("change_total_amount", "penalty_total_amount", "new_total_amount"))
    assert penalty == Decimal(order["conditions"]["change_before_departure"]["penalty_amount"])
    assert new_total - Decimal(order["total_amount"]) + penalty == change_total
    amounts = [Decimal(o["change_total_amount"]) for o in offers]
    assert amounts == sorted(amounts)

    listed = duffel.get("/air/order_change_offers", params={"order_change_request_id": request["id"], "limit": 1}).json()
    assert len(listed["data"]) == 1 and listed["meta"]["limit"] == 1 and (listed["meta"]["after"] is not None) == (len(offers) > 1)
    assert duffel.get(f"/air/order_change_offers/{offer['id']}").json()["data"]["change_total_amount"] == offer["change_total_amount"]
    assert duffel.get(f"/air/order_change_requests/{request['id']}").json()["data"]["order_change_offers"][0]["id"] == offer["id"]

    pending = duffel.post("/air/order_changes", json={"data": {"selected_order_change_offer": offer["id"]}})
    assert pending.status_code == 201, pending.text
    change = pending.json()["data"]
    assert change["id"].startswith("oce_") and change["confirmed_at"] is None and change["order_id"] == order["id"]
    assert change["change_total_amount"] == offer["change_total_amount"] and "balance" in change["available_payment_types"]
    assert duffel.get(f"/air/order_change_offers/{offer['id']}").json()["data"]["order_change_id"] == change["id"]
    assert duffel.get(f"/air/orders/{order['id']}").json()["data"]["slices"][0]["id"] == order["slices"][0]["id"]  # nothing yet

    old_keys, new_keys = keys_of(order["slices"][0]), keys_of(offer["slices"]["add"][0])
    before_old, before_new = seats(sandbox.db, old_keys[0]), seats(sandbox.db, new_keys[0])
    payment = {"type": "balance", "amount": change["change_total_amount"], "currency": change["change_total_currency"]}
    confirm = duffel.post(f"/air/order_changes/{change['id']}/actions/confirm", json={"data": {"payment": payment} if change_total > 0 else {}})
    assert confirm.status_code == 200, confirm.text
    assert confirm.json()["data"]["confirmed_at"]

    now = duffel.get(f"/air/orders/{order['id']}").json()["data"]
    assert [s["id"] for s in now["slices"]] == [s["id"] for s in offer["slices"]["add"]]
    assert now["total_amount"] == offer["new_total_amount"] and now["booking_reference"] == order["booking_reference"]
    assert seats(sandbox.db, old_keys[0]) == before_old + 1 and seats(sandbox.db, new_keys[0]) == before_new - 1
    read = duffel.get(f"/air/order_changes/{change['id']}").json()["data"]
    assert read["confirmed_at"] and [s["id"] for s in read["slices"]["remove"]] == [s["id"] for s in order["slices"]]
    assert_duffel_error(duffel.post(f"/air/order_changes/{change['id']}/actions/confirm", json={"data": {"payment": payment}}), 422, "already_confirmed")


def test_only_the_outbound_moves(duffel):
    order = booked_return(duffel, 54, "SEA", "DEN", nights=6)
    request = duffel.post("/air/order_change_requests", json=change_body(order, 2)).json()["data"]
    offer = request["order_change_offers"][0]
    change = duffel.post("/air/order_changes", json={"data": {"selected_order_change_offer": offer["id"]}}).json()["data"]
    payment = {"payment": {"type": "balance", "amount": change["change_total_amount"], "currency": "USD"}} if Decimal(change["change_total_amount"]) > 0 else {}
    assert duffel.post(f"/air/order_changes/{change['id']}/actions/confirm", json={"data": payment}).status_code == 200
    now = duffel.get(f"/air/orders/{order['id']}").json()["data"]
    assert [s["segments"][0]["departing_at"][:10] for s in now["slices"]] == [day(56), day(60)]
    assert now["slices"][1]["id"] == order["slices"][1]["id"]


def test_refused_change_requests_write_nothing(sandbox, duffel):
    order = booked_return(duffel, 56)
    outbound = order["slices"][0]
    before = row_counts(sandbox.db)
    cases = [
        ({"data": {"slices": {"remove": [], "add": []}}}, 422, "validation_required", "/data/order_id"),
        ({"data": {"order_id": "ord_missing", "slices": {"remove": [{"slice_id": "sli_x"}], "add": []}}}, 404, "not_found", None),
        ({"data": {"order_id": order["id"]}}, 422, "validation_required", "/data/slices"),
        ({"data": {"order_id": order["id"], "slices": {"remove": [{"slice_id": "sli_other"}], "add": change_body(order, 1)["data"]["slices"]["add"]}}},
         422, "validation_format", "/data/slices/remove/0/slice_id"),
        ({"data": {"order_id": order["id"], "slices": {"remove": [{"slice_id": outbound["id"]}], "add": []}}}, 422, "validation_required", "/data/slices/add"),
        (change_body(order, -70), 422, "departure_date_in_past", "/data/slices/add/0/departure_date"),
        (change_body(order, 9), 422, "validation_format", "/data/slices/add/0/departure_date"),  # out after back
        ({"data": {**change_body(order, 1)["data"], "slices": {**change_body(order, 1)["data"]["slices"],
          "add": [{**change_body(order, 1)["data"]["slices"]["add"][0], "cabin_class": "cargo"}]}}}, 422, "validation_format", None),
    ]
    for body, status, code, pointer in cases:
        assert_duffel_error(duffel.post("/air/order_change_requests", json=body), status, code, pointer)
    assert_duffel_error(duffel.post("/air/order_changes", json={"data": {}}), 422, "validation_required", "/data/selected_order_change_offer")
    assert_duffel_error(duffel.post("/air/order_changes", json={"data": {"selected_order_change_offer": "oco_missing"}}), 404, "not_found")
    assert_duffel_error(duffel.post("/air/order_changes/oce_missing/actions/confirm", json={"data": {}}), 404, "not_found")
    assert_duffel_error(duffel.get("/air/order_change_offers"), 422, "validation_required")
    assert_duffel_error(duffel.get("/air/order_change_requests/ocr_missing"), 404, "not_found")
    assert row_counts(sandbox.db) == before


def set_conditions(db, order_id, **conditions):
    """Gives a booked order's fare other conditions, as another airline's fare would have."""
    with db.transaction() as session:
        offer = session.get(Offer, session.get(Order, order_id).offer_id)
        body = {**offer.body, "conditions": {**offer.body["conditions"], **conditions}}
        session.execute(update(Offer).where(Offer.id == offer.id).values(body=body))


def test_payment_must_match_what_the_change_costs(sandbox, duffel):
    order = booked_return(duffel, 58)
    set_conditions(sandbox.db, order["id"], change_before_departure={"allowed": True, "penalty_amount": "400.00", "penalty_currency": "USD"})
    costly = duffel.post("/air/order_change_requests", json=change_body(order, -3)).json()["data"]["order_change_offers"][0]
    assert Decimal(costly["change_total_amount"]) > 0 and costly["penalty_total_amount"] == "400.00"
    change = duffel.post("/air/order_changes", json={"data": {"selected_order_change_offer": costly["id"]}}).json()["data"]
    path = f"/air/order_changes/{change['id']}/actions/confirm"
    assert_duffel_error(duffel.post(path, json={"data": {}}), 422, "validation_required", "/data/payment")
    wrong = {"type": "balance", "amount": "1.00", "currency": "USD"}
    assert_duffel_error(duffel.post(path, json={"data": {"payment": wrong}}), 422, "payment_amount_mismatch", "/data/payment/amount")
    assert_duffel_error(duffel.post(path, json={"data": {"payment": {**wrong, "type": "card"}}}), 422, "validation_format", "/data/payment/type")
    assert duffel.get(f"/air/orders/{order['id']}").json()["data"]["total_amount"] == order["total_amount"]


def test_a_second_change_from_the_old_itinerary_is_refused(duffel):
    order = booked_return(duffel, 60)
    first, second = (duffel.post("/air/order_change_requests", json=change_body(order, k)).json()["data"]["order_change_offers"][0] for k in (1, 2))
    changes = [duffel.post("/air/order_changes", json={"data": {"selected_order_change_offer": o["id"]}}).json()["data"] for o in (first, second)]

    def confirm(change):
        cost = Decimal(change["change_total_amount"])
        payment = {"payment": {"type": "balance", "amount": change["change_total_amount"], "currency": "USD"}} if cost > 0 else {}
        return duffel.post(f"/air/order_changes/{change['id']}/actions/confirm", json={"data": payment})

    assert confirm(changes[0]).status_code == 200
    assert_duffel_error(confirm(changes[1]), 422, "order_already_changed")


def test_orders_that_cannot_change(sandbox, duffel):
    fixed = booked_return(duffel, 62)
    set_conditions(sandbox.db, fixed["id"], change_before_departure={"allowed": False, "penalty_amount": None, "penalty_currency": None})
    read = duffel.get(f"/air/orders/{fixed['id']}").json()["data"]
    assert read["available_actions"] == ["cancel"] and not any(s["changeable"] for s in read["slices"])
    assert_duffel_error(duffel.post("/air/order_change_requests", json=change_body(fixed, 1)), 422, "order_not_changeable", "/data/order_id")

    cancelled = booked_return(duffel, 63)
    quote = duffel.post("/air/order_cancellations", json={"data": {"order_id": cancelled["id"]}}).json()["data"]
    duffel.post(f"/air/order_cancellations/{quote['id']}/actions/confirm")
    assert duffel.get(f"/air/orders/{cancelled['id']}").json()["data"]["available_actions"] == []
    error = duffel.post("/air/order_change_requests", json=change_body(cancelled, 1))
    assert_duffel_error(error, 422, "already_cancelled")
    assert error.json()["errors"][0]["type"] == "invalid_state_error"


def test_an_expired_change_offer_cannot_be_taken(make_sandbox):
    short = make_sandbox(SANDBOX_OFFER_TTL_SECONDS="2")
    api = duffel_api(short.url)
    order = booked_return(api, 64)
    offer = api.post("/air/order_change_requests", json=change_body(order, 1)).json()["data"]["order_change_offers"][0]
    time.sleep(2.5)
    assert_duffel_error(api.post("/air/order_changes", json={"data": {"selected_order_change_offer": offer["id"]}}), 422, "offer_expired")


def test_cancellation_quotes_follow_the_refund_condition(sandbox, duffel):
    """Duffel's refund_amount and refund_currency are null when the airline gives no quote."""
    unknown, refused = booked_return(duffel, 65), booked_return(duffel, 66)
    set_conditions(sandbox.db, unknown["id"], refund_before_departure=None)
    set_conditions(sandbox.db, refused["id"], refund_before_departure={"allowed": False, "penalty_amount": None, "penalty_currency": None})
    quote = duffel.post("/air/order_cancellations", json={"data": {"order_id": unknown["id"]}}).json()["data"]
    assert quote["refund_amount"] is None and quote["refund_currency"] is None
    assert duffel.get(f"/air/order_cancellations/{quote['id']}").json()["data"]["refund_amount"] is None
    assert duffel.post(f"/air/order_cancellations/{quote['id']}/actions/confirm").json()["data"]["confirmed_at"]
    quote = duffel.post("/air/order_cancellations", json={"data": {"order_id": refused["id"]}}).json()["data"]
    assert quote["refund_amount"] == "0.00" and quote["refund_currency"] == "USD"


def test_the_demo_customers_trips_are_real_orders(sandbox, duffel):
    crm = sandbox.crm()
    for email, destination in (("maya.chen@example.com", "FCO"), ("maya.chen@example.com", "CDG"),
                               ("lucia.fernandez@example.com", "AMS"), ("daniel.okafor@example.com", "FRA")):
        deals = crm.purchase_history(crm.get_contact_by_email(email).id)
        deal = next(d for d in deals if d.destination == destination and d.order_id)
        order = duffel.get(f"/air/orders/{deal.order_id}").json()["data"]
        assert order["booking_reference"] == deal.booking_reference and deal.departure_date > date.today()
        assert order["slices"][0]["segments"][0]["departing_at"][:10] == deal.departure_date.isoformat()
        assert order["slices"][1]["segments"][0]["departing_at"][:10] == deal.return_date.isoformat()
        assert Decimal(order["total_amount"]) == deal.amount and "change" in order["available_actions"]
    rome = next(d for d in crm.purchase_history(crm.get_contact_by_email("maya.chen@example.com").id) if d.destination == "FCO" and d.order_id)
    assert 30 <= (rome.departure_date - date.today()).days <= 42
