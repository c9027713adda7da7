"""Each vendor's authentication and per-credential rate limit, answered in the vendor's shape."""
import base64
import time
from typing import Callable

import pytest
import requests

from actions.clients import AuthenticationFailed, RateLimited
from actions.clients.http import RetryPolicy
from tests.conftest import DEFAULTS, Sandbox
from tests.sandbox.conftest import duffel_api, hubspot_api, zendesk_api

PROBES = {
    "hubspot": "/crm/v3/objects/contacts/1",
    "zendesk": "/api/v2/tickets/1001.json",
    "duffel": "/air/orders/ord_x",
}


@pytest.mark.parametrize("vendor", sorted(PROBES))
def test_missing_credentials_are_refused(sandbox, vendor):
    response = requests.get(f"{sandbox.url}/{vendor}{PROBES[vendor]}", headers={"Duffel-Version": "v2"}, timeout=10)
    assert response.status_code == 401
    body = response.json()
    if vendor == "hubspot":
        assert body["category"] == "INVALID_AUTHENTICATION" and body["status"] == "error"
    elif vendor == "zendesk":
        assert body == {"error": "Couldn't authenticate you"}
    else:
        assert body["errors"][0]["type"] == "authentication_error" and body["errors"][0]["code"] == "missing_authorization_header"


@pytest.mark.parametrize(
    "vendor, headers",
    [
        ("hubspot", {"Authorization": "Bearer wrong"}),
        ("zendesk", {"Authorization": "Basic " + base64.b64encode(f"{DEFAULTS.zendesk_email}/token:wrong".encode()).decode()}),
        ("zendesk", {"Authorization": "Basic !!!not-base64"}),
        ("zendesk", {"Authorization": "Bearer wrong"}),
        ("duffel", {"Authorization": "Bearer wrong", "Duffel-Version": "v2"}),
    ],
)
def test_wrong_credentials_are_refused(sandbox, vendor, headers):
    assert requests.get(f"{sandbox.url}/{vendor}{PROBES[vendor]}", headers=headers, timeout=10).status_code == 401


def test_clients_with_wrong_credentials_raise_authentication_failed(sandbox):
    from actions.clients import CrmClient, FlightsClient, TicketingClient

    calls = [
        lambda: CrmClient(f"{sandbox.url}/hubspot", "wrong").get_contact("1"),
        lambda: TicketingClient(f"{sandbox.url}/zendesk", DEFAULTS.zendesk_email, "wrong").get_ticket(1001),
        lambda: FlightsClient(f"{sandbox.url}/duffel", "wrong").get_order("ord_x"),
    ]
    for call in calls:
        with pytest.raises(AuthenticationFailed) as caught:
            call()
        assert caught.value.status == 401


def test_duffel_requires_its_version_header(sandbox):
    response = requests.get(f"{sandbox.url}/duffel/air/orders/ord_x", headers={"Authorization": f"Bearer {DEFAULTS.duffel_token}"}, timeout=10)
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "unsupported_version"


LIMIT = 3
LONG_WINDOW = 60  # seconds: however busy the machine, the requests of one test fall in one window


def rate_limited(make_sandbox: Callable[..., Sandbox], window: int) -> Sandbox:
    """A fresh sandbox allowing LIMIT requests per credential and window: no test inherits another's
    window, so none waits for one to pass."""
    return make_sandbox(SANDBOX_RATE_LIMIT=str(LIMIT), SANDBOX_RATE_WINDOW_SECONDS=str(window))


@pytest.mark.parametrize("vendor", ["hubspot", "zendesk", "duffel"])
def test_rate_limit_answers_429_with_retry_after(make_sandbox, vendor):
    api = {"hubspot": hubspot_api, "zendesk": zendesk_api, "duffel": duffel_api}[vendor](rate_limited(make_sandbox, LONG_WINDOW).url)
    statuses = [api.get(PROBES[vendor]).status_code for _ in range(LIMIT + 1)]
    assert 429 not in statuses[:LIMIT] and statuses[LIMIT] == 429
    refused = api.get(PROBES[vendor])
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= LONG_WINDOW
    body = refused.json()
    if vendor == "hubspot":
        assert body["category"] == "RATE_LIMITS" and body["errorType"] == "RATE_LIMIT"
    elif vendor == "zendesk":
        assert body["error"] == "APIRateLimitExceeded"
    else:
        assert body["errors"][0]["type"] == "rate_limit_error" and body["errors"][0]["code"] == "rate_limit_exceeded"


def test_client_waits_out_the_limit_then_succeeds(make_sandbox):
    limited = rate_limited(make_sandbox, 2)
    crm = limited.crm(retry=RetryPolicy(attempts=3, backoff_seconds=0.05, max_wait_seconds=3))
    started = time.monotonic()
    contacts = [crm.get_contact("1") for _ in range(LIMIT + 2)]  # 3 allowed per 2 s: the 4th waits for the next window
    assert len({c.id for c in contacts}) == 1
    assert time.monotonic() - started >= 0.9


def test_client_gives_up_when_asked_to_wait_too_long(make_sandbox):
    crm = rate_limited(make_sandbox, LONG_WINDOW).crm(retry=RetryPolicy(attempts=3, backoff_seconds=0.05, max_wait_seconds=0.5))
    with pytest.raises(RateLimited) as caught:
        for _ in range(LIMIT + 1):
            crm.get_contact("1")
    assert caught.value.status == 429 and caught.value.retry_after >= 1
