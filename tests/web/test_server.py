"""The travel site's API over real HTTP, against the sandbox: sign-in signs a token the channel
accepts, the search and checkout use the vendor clients, and bad input gets a clear error."""
from datetime import date, timedelta

import pytest
import requests

from channels.identity import IdentityVerifier
from tests.web.conftest import SITE_SECRET, site_server

MAYA = "maya.chen@example.com"


@pytest.fixture(scope="module")
def site(sqlite_sandbox):
    server = site_server(sqlite_sandbox.url, socket_url="http://127.0.0.1:5999").start()
    yield server
    server.stop()


def sign_in(site, email=MAYA) -> dict:
    reply = requests.post(f"{site.url}/api/signin", json={"email": email}, timeout=10)
    reply.raise_for_status()
    return reply.json()


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def test_config_tells_the_browser_where_the_assistant_is(site):
    assert requests.get(f"{site.url}/api/config", timeout=5).json() == {"socketUrl": "http://127.0.0.1:5999", "socketPath": "/socket.io"}


def test_sign_in_signs_a_token_the_channel_accepts(site):
    customers = requests.get(f"{site.url}/api/customers", timeout=10).json()["customers"]
    assert MAYA in [c["email"] for c in customers]
    signed = sign_in(site)
    assert signed["name"] == "Maya Chen" and signed["home_airport"] == "BOS"
    identity = IdentityVerifier(SITE_SECRET).identify({"token": signed["token"]})
    assert identity.customer["email"] == MAYA
    assert identity.conversation_id == IdentityVerifier(SITE_SECRET).conversation_for(MAYA)


@pytest.mark.parametrize("body, status", [({"email": "nobody@example.com"}, 404), ({"email": "not an email"}, 400), ([1, 2], 400)])
def test_sign_in_refuses_strangers_and_garbage(site, body, status):
    reply = requests.post(f"{site.url}/api/signin", json=body, timeout=10)
    assert reply.status_code == status and reply.json()["error"]


def test_search_by_city_name_or_code(site):
    by_name = requests.get(f"{site.url}/api/search", params={"origin": "boston", "destination": "Chicago", "date": in_days(9)}, timeout=20)
    assert by_name.status_code == 200
    offers = by_name.json()["offers"]
    assert offers and {o["slices"][0]["from"] for o in offers} == {"BOS"}
    prices = [float(o["price"]) for o in offers]
    assert prices == sorted(prices)
    by_code = requests.get(f"{site.url}/api/search", params={"origin": "BOS", "destination": "ORD", "date": in_days(9)}, timeout=20)
    assert {o["slices"][0]["to"] for o in by_code.json()["offers"]} == {"ORD"}
    nickname = requests.get(f"{site.url}/api/search", params={"origin": "bostn", "destination": "nyc", "date": in_days(9)}, timeout=20)
    assert nickname.status_code == 200 and {o["slices"][0]["from"] for o in nickname.json()["offers"]} == {"BOS"}


@pytest.mark.parametrize("params, message", [
    ({"origin": "Boston", "destination": "Mordor", "date": in_days(9)}, "don't know a city or airport called 'Mordor'"),
    ({"origin": "BOS", "destination": "ORD", "date": in_days(-2)}, "in the past"),
    ({"origin": "BOS", "destination": "ORD", "date": "2026-02-30"}, "YYYY-MM-DD"),
    ({"origin": "BOS", "destination": "BOS", "date": in_days(9)}, "the same"),
    ({"origin": "BOS", "destination": "ORD", "date": in_days(400)}, "a year ahead"),
])
def test_search_explains_bad_input(site, params, message):
    reply = requests.get(f"{site.url}/api/search", params=params, timeout=20)
    assert reply.status_code == 400 and message in reply.json()["error"]


def test_checkout_books_one_order_and_the_trip_shows_up(site, sqlite_sandbox):
    signed = sign_in(site)
    offer = requests.get(f"{site.url}/api/search", params={"origin": "BOS", "destination": "MIA", "date": in_days(20)}, timeout=20).json()["offers"][0]
    body = {"offer_id": offer["id"], "given_name": "Maya", "family_name": "Chen", "born_on": "1988-04-02", "email": MAYA}
    headers = {"Authorization": f"Bearer {signed['token']}", "Idempotency-Key": f"site-test-{offer['id']}"}
    first = requests.post(f"{site.url}/api/orders", json=body, headers=headers, timeout=20)
    again = requests.post(f"{site.url}/api/orders", json=body, headers=headers, timeout=20)  # a double click
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["booking_reference"] == again.json()["booking_reference"]
    orders = sqlite_sandbox.flights().find_orders(first.json()["booking_reference"])
    assert len(orders) == 1 and orders[0].passenger_names == ("Maya Chen",)

    trips = requests.get(f"{site.url}/api/trips", headers={"Authorization": f"Bearer {signed['token']}"}, timeout=10)
    assert trips.status_code == 200 and trips.json()["trips"]


@pytest.mark.parametrize("body, status, message", [
    ({"offer_id": "off_nope", "given_name": "A", "family_name": "B", "born_on": "1990-01-01"}, 404, "Not found"),
    ({"offer_id": "x", "given_name": "", "family_name": "B", "born_on": "1990-01-01"}, 400, "names"),
    ({"offer_id": "x", "given_name": "A", "family_name": "B", "born_on": "yesterday"}, 400, "YYYY-MM-DD"),
    ({"offer_id": "x", "given_name": "A", "family_name": "B", "born_on": "2999-01-01"}, 400, "in the past"),
])
def test_checkout_refuses_bad_orders(site, body, status, message):
    reply = requests.post(f"{site.url}/api/orders", json=body, timeout=20)
    assert reply.status_code == status and message in reply.json()["error"]


def test_trips_need_a_valid_sign_in(site):
    assert requests.get(f"{site.url}/api/trips", timeout=5).status_code == 401
    forged = IdentityVerifier("another-secret-entirely-of-32-bytes!").customer_token(MAYA)
    reply = requests.get(f"{site.url}/api/trips", headers={"Authorization": f"Bearer {forged}"}, timeout=5)
    assert reply.status_code == 401 and "sign in again" in reply.json()["error"]


def test_oversized_and_unknown_requests(site):
    reply = requests.post(f"{site.url}/api/signin", data="x" * 50_000, headers={"Content-Type": "application/json"}, timeout=5)
    assert reply.status_code == 413
    assert requests.get(f"{site.url}/api/nothing-here", timeout=5).status_code == 404


def test_pages_are_the_single_page_site(site):
    for path in ("/", "/trips", "/checkout"):
        page = requests.get(f"{site.url}{path}", timeout=5)
        assert page.status_code == 200 and '<div id="root">' in page.text
