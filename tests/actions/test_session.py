"""Who the customer is: set only by the session start, from metadata whose proof holds for this
conversation; believed by the actions only with that proof."""
import asyncio
import os
import subprocess
import sys

from actions.common import customer_email, profile_slot
from actions.profile import ActionGreet, load_profile
from actions.session import ActionSessionStart
from common.identity import SECRET_ENV, customer_proof, signed_customer
from tests.actions.conftest import MAYA, make_tracker, rendered, run, slots_set, texts


def start(customer, sender: str = "test-conversation"):
    tracker = make_tracker({"session_started_metadata": {"customer": customer}}, sender=sender)
    return slots_set(asyncio.run(ActionSessionStart().run(None, tracker, {})))


def test_a_valid_proof_sets_the_identity(vendors, proof_secret):
    slots = start(signed_customer(proof_secret, "conv-7", MAYA, "Maya"), sender="conv-7")
    assert slots["customer_email"] == MAYA and slots["customer_proof"] == customer_proof(proof_secret, "conv-7", MAYA)
    assert slots["customer_name"] == "Maya" and slots["home_airport"] == "BOS"


def test_no_identity_without_a_proof_that_holds(vendors, proof_secret):
    forged = customer_proof("another secret", "test-conversation", MAYA)
    elsewhere = signed_customer(proof_secret, "someone-elses-conversation", MAYA)
    for customer in ({"email": MAYA}, {"email": MAYA, "proof": ""}, {"email": MAYA, "proof": forged}, elsewhere,
                     {"email": "daniel.okafor@example.com", "proof": elsewhere["proof"]}, {"email": ["x@example.com"], "proof": forged}):
        assert start(customer) == {}, customer


def test_no_identity_without_the_secret(vendors, proof_secret, monkeypatch):
    customer = signed_customer(proof_secret, "test-conversation", MAYA)
    monkeypatch.delenv(SECRET_ENV)
    assert start(customer) == {}
    assert customer_email(make_tracker(customer=MAYA)) is None


def test_the_email_slot_alone_proves_nothing(proof_secret):
    assert customer_email(make_tracker(customer=MAYA)) == MAYA
    assert customer_email(make_tracker({"customer_email": MAYA})) is None  # set through the HTTP API
    assert customer_email(make_tracker({"customer_email": MAYA, "customer_proof": "0" * 64})) is None
    carried = make_tracker(customer=MAYA, sender="old-conversation").slots
    assert customer_email(make_tracker(carried, sender="new-conversation")) is None
    other = make_tracker({"customer_email": "daniel.okafor@example.com"}, customer=MAYA)  # Maya's proof, Daniel's email
    assert customer_email(other) is None


def test_profile_slots_are_believed_only_with_the_proof(vendors):
    profile = {**load_profile(MAYA), "customer_name": "Maya"}
    assert profile_slot(make_tracker(profile, customer=MAYA), "customer_name") == "Maya"
    unproven = make_tracker({"customer_email": MAYA, **profile})
    assert all(profile_slot(unproven, name) is None for name in profile)
    _, messages = run(ActionGreet(), unproven)
    said = texts(messages, unproven)
    assert said.startswith("Hi! I'm the travel assistant") and "Maya" not in said
    assert "ticket" not in said.split("help with support tickets", 1)[1] and "next trip" not in said
    assert " again?" not in " ".join(b["title"] for b in rendered(messages, unproven)[0]["buttons"])


def test_the_action_server_warns_once_at_start_without_the_secret():
    def started(**env: str) -> str:
        environment = {k: v for k, v in os.environ.items() if k != SECRET_ENV} | env
        return subprocess.run([sys.executable, "-c", "import actions.bookings, actions.support, actions.session"],
                              env=environment, capture_output=True, text=True, check=True).stderr

    assert started().count(f"{SECRET_ENV} is not set") == 1
    assert SECRET_ENV not in started(**{SECRET_ENV: "s"})
