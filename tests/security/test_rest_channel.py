"""The REST channel speaks for any conversation, so it takes only callers holding
REST_CHANNEL_TOKEN; the customer a trusted caller names is signed by the channel, never taken
with a proof the caller made up."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Dict, List

import pytest
import requests
from sqlalchemy import func, select

from actions.clients.flights import SliceRequest, Traveller
from common.identity import customer_proof
from sandbox.models import Order, OrderCancellation
from tests.support.assistant import rasa_server
from tests.support.credentials import API_PARAMS, REST_HEADERS, SECRETS

MAYA = "maya.chen@example.com"


def post(rasa, body: Dict, headers: Dict[str, str] = None) -> requests.Response:
    return requests.post(f"{rasa.url}/webhooks/rest/webhook", json=body, headers=headers or {}, timeout=60)


def cancellations(order_id: str):
    return select(func.count()).select_from(OrderCancellation).where(OrderCancellation.order_id == order_id)


def user_events(rasa, sender: str) -> List[Dict]:
    tracker = requests.get(f"{rasa.url}/conversations/{sender}/tracker", params=API_PARAMS, timeout=30)
    tracker.raise_for_status()
    return [e for e in tracker.json()["events"] if e["event"] == "user"]


def test_without_the_token_nothing_is_processed_and_no_booking_is_cancelled(assistant, sqlite_sandbox):
    rasa, _ = assistant
    flights = sqlite_sandbox.flights()
    offer = flights.search([SliceRequest("BOS", "ORD", date.today() + timedelta(days=45))]).offers[0]
    order = flights.book(offer, [Traveller("Maya", "Chen", date(1988, 4, 2), email=MAYA)])
    reference, order_id = order.booking_reference, order.id
    customer = {"customer": {"email": MAYA, "name": "Maya Chen"}}
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": SECRETS["REST_CHANNEL_TOKEN"]}):
        for text in (f"cancel {reference}", "yes"):
            refused = post(rasa, {"sender": "intruder", "message": text, "metadata": customer}, headers)
            assert refused.status_code == 401 and "REST_CHANNEL_TOKEN" in refused.json()["error"]
    assert user_events(rasa, "intruder") == []
    with sqlite_sandbox.db.transaction() as session:
        assert session.get(Order, order_id).cancelled_at is None
        assert session.execute(cancellations(order_id)).scalar_one() == 0  # not even a quote


def test_a_forged_customer_without_the_token_is_refused(assistant):
    rasa, _ = assistant
    forged = {"customer": {"email": MAYA, "proof": customer_proof("guessed-secret", "forger", MAYA)}}
    refused = post(rasa, {"sender": "forger", "message": "show my bookings", "metadata": forged})
    assert refused.status_code == 401
    assert user_events(rasa, "forger") == []


def test_with_the_token_the_channel_signs_the_customer_and_drops_the_callers_proof(assistant):
    rasa, _ = assistant
    sender = "trusted-server-maya"
    metadata = {"customer": {"email": MAYA, "name": "Maya Chen", "proof": "made-up-by-the-caller"}, "page": "checkout"}
    answered = post(rasa, {"sender": sender, "message": "hello", "metadata": metadata, "input_channel": "socket"}, REST_HEADERS)
    assert answered.status_code == 200 and answered.json()
    [event] = user_events(rasa, sender)
    assert event["input_channel"] == "rest"
    assert event["metadata"]["page"] == "checkout"
    assert event["metadata"]["customer"] == {
        "email": MAYA, "name": "Maya Chen", "proof": customer_proof(SECRETS["IDENTITY_PROOF_SECRET"], sender, MAYA)}


@pytest.fixture(scope="module")
def rasa_without_rest_token(assistant):
    _, actions = assistant
    server = rasa_server(actions.url, REST_CHANNEL_TOKEN="").start(timeout=180)
    yield server
    server.stop()


def test_without_rest_channel_token_on_the_server_the_channel_refuses_everyone(rasa_without_rest_token):
    refused = post(rasa_without_rest_token, {"sender": "anyone", "message": "hello"}, {"Authorization": "Bearer "})
    assert refused.status_code == 403 and "REST_CHANNEL_TOKEN is not set" in refused.json()["error"]
    assert user_events(rasa_without_rest_token, "anyone") == []
