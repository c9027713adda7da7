"""Rasa's HTTP API reads and writes any conversation (and replaces the model): without
RASA_API_TOKEN it answers 401 and changes nothing."""
from __future__ import annotations

import requests

from tests.support.credentials import API_PARAMS


def test_reading_a_conversation_needs_the_token(assistant):
    rasa, _ = assistant
    for params in ({}, {"token": "wrong"}):
        assert requests.get(f"{rasa.url}/conversations/someone/tracker", params=params, timeout=30).status_code == 401
    assert requests.get(f"{rasa.url}/conversations/someone/tracker", params=API_PARAMS, timeout=30).status_code == 200


def test_writing_into_a_conversation_needs_the_token(assistant):
    rasa, _ = assistant
    event = {"event": "slot", "name": "customer_email", "value": "maya.chen@example.com"}
    for params in ({}, {"token": "wrong"}):
        refused = requests.post(f"{rasa.url}/conversations/victim/tracker/events", json=event, params=params, timeout=30)
        assert refused.status_code == 401
    tracker = requests.get(f"{rasa.url}/conversations/victim/tracker", params=API_PARAMS, timeout=30).json()
    assert tracker["slots"].get("customer_email") is None


def test_the_model_and_triggers_need_the_token(assistant):
    rasa, _ = assistant
    assert requests.post(f"{rasa.url}/model/parse", json={"text": "hello"}, timeout=30).status_code == 401
    assert requests.post(f"{rasa.url}/conversations/victim/trigger_intent", json={"name": "greet"}, timeout=30).status_code == 401
    assert requests.delete(f"{rasa.url}/model", timeout=30).status_code == 401
    assert requests.post(f"{rasa.url}/model/parse", json={"text": "hello"}, params=API_PARAMS, timeout=30).status_code == 200
