"""Bodies that are not JSON, not an object, or 5 MB: a vendor-shaped error and no change."""
import pytest

from tests.sandbox.conftest import duffel_api, hubspot_api, row_counts, zendesk_api

ENDPOINTS = [
    (hubspot_api, "POST", "/crm/v3/objects/contacts/search"),
    (hubspot_api, "POST", "/crm/v3/objects/deals/batch/read"),
    (zendesk_api, "POST", "/api/v2/tickets.json"),
    (zendesk_api, "PUT", "/api/v2/tickets/1001.json"),
    (duffel_api, "POST", "/air/offer_requests"),
    (duffel_api, "POST", "/air/orders"),
    (duffel_api, "POST", "/air/order_cancellations"),
]
IDS = [f"{make.__name__.split('_')[0]}{path}" for make, _, path in ENDPOINTS]


def vendor_shaped(make, response) -> bool:
    body = response.json()
    if make is hubspot_api:
        return body["status"] == "error" and body["category"] and body["message"]
    if make is zendesk_api:
        return bool(body["error"] and body["description"])
    return body["errors"][0]["code"] and body["meta"]["status"] == response.status_code


@pytest.mark.parametrize("make, method, path", ENDPOINTS, ids=IDS)
def test_malformed_json(sandbox, make, method, path):
    api = make(sandbox.url)
    before = row_counts(sandbox.db)
    for body in (b"{not json", b"", b"[1, 2]", b"\xff\xfe"):
        response = api.call(method, path, data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (body, response.text)
        assert vendor_shaped(make, response)
    assert row_counts(sandbox.db) == before


@pytest.mark.parametrize("make, method, path", ENDPOINTS, ids=IDS)
def test_five_megabytes(sandbox, make, method, path):
    api = make(sandbox.url)
    before = row_counts(sandbox.db)
    payload = b'{"data": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    response = api.call(method, path, data=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert vendor_shaped(make, response)
    assert row_counts(sandbox.db) == before
