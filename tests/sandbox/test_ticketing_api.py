"""The ticketing API's Zendesk shapes: paths with and without .json, audits, paging, errors."""
from tests.sandbox.conftest import row_counts


def test_create_returns_201_ticket_audit_and_location(zendesk):
    body = {"ticket": {"subject": "Seat", "comment": {"body": "Aisle please"}, "requester": {"name": "Lucia", "email": "lucia.fernandez@example.com"}, "type": "question"}}
    response = zendesk.post("/api/v2/tickets.json", json=body)
    assert response.status_code == 201
    ticket = response.json()["ticket"]
    assert response.headers["Location"] == ticket["url"]
    assert ticket["url"].endswith(f"/api/v2/tickets/{ticket['id']}.json")
    assert {"id", "subject", "description", "status", "priority", "type", "requester_id", "tags", "created_at", "updated_at", "via"} <= set(ticket)
    assert ticket["status"] == "new" and ticket["type"] == "question" and ticket["created_at"].endswith("Z")
    assert response.json()["audit"]["ticket_id"] == ticket["id"]
    assert zendesk.get(f"/api/v2/tickets/{ticket['id']}").json()["ticket"] == ticket  # without .json too


def test_update_records_comment_and_status_change(zendesk):
    created = zendesk.post("/api/v2/tickets", json={"ticket": {"comment": {"body": "Refund please"}}}).json()["ticket"]
    assert created["subject"] == "Refund please"  # Zendesk derives a subject from the first comment
    updated = zendesk.put(f"/api/v2/tickets/{created['id']}.json", json={"ticket": {"status": "pending", "comment": {"body": "Asked the airline", "public": False}}})
    assert updated.status_code == 200
    events = updated.json()["audit"]["events"]
    assert {"type": "Change", "field_name": "status", "value": "pending", "previous_value": "new"} in events
    comments = zendesk.get(f"/api/v2/tickets/{created['id']}/comments.json").json()
    assert comments["count"] == 2 and [c["public"] for c in comments["comments"]] == [True, False]


def test_requested_tickets_pages(zendesk):
    user = zendesk.get("/api/v2/users/search.json", params={"query": "email:maya.chen@example.com"}).json()["users"][0]
    first = zendesk.get(f"/api/v2/users/{user['id']}/tickets/requested.json", params={"per_page": 1}).json()
    assert first["count"] >= 2 and len(first["tickets"]) == 1
    assert first["next_page"] and first["previous_page"] is None
    assert zendesk.get("/api/v2/users/999999/tickets/requested.json").status_code == 404


def test_user_search_by_external_id_links_to_crm(zendesk):
    users = zendesk.get("/api/v2/users/search.json", params={"external_id": "1"}).json()["users"]
    assert [u["email"] for u in users] == ["maya.chen@example.com"]
    assert zendesk.get("/api/v2/users/search.json").status_code == 400


def test_error_bodies_and_nothing_written(sandbox, zendesk):
    before = row_counts(sandbox.db)
    missing = zendesk.get("/api/v2/tickets/999999.json")
    assert (missing.status_code, missing.json()) == (404, {"error": "RecordNotFound", "description": "Not found"})

    blank = zendesk.post("/api/v2/tickets.json", json={"ticket": {"subject": "x", "comment": {"body": ""}}})
    assert blank.status_code == 422
    assert blank.json() == {
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {"description": [{"description": "Description: cannot be blank", "error": "BlankValue"}]},
    }
    bad_status = zendesk.post("/api/v2/tickets.json", json={"ticket": {"comment": {"body": "x"}, "status": "exploded"}})
    assert bad_status.status_code == 422 and "status" in bad_status.json()["details"]
    bad_requester = zendesk.post("/api/v2/tickets.json", json={"ticket": {"comment": {"body": "x"}, "requester": {"email": "not-an-email"}}})
    assert bad_requester.status_code == 422
    too_long = zendesk.post("/api/v2/tickets.json", json={"ticket": {"comment": {"body": "x"}, "subject": "s" * 300}})
    assert too_long.status_code == 422
    no_ticket = zendesk.post("/api/v2/tickets.json", json={"comment": "x"})
    assert no_ticket.status_code == 400
    bad_update = zendesk.put("/api/v2/tickets/999999.json", json={"ticket": {"status": "open"}})
    assert bad_update.status_code == 404
    assert row_counts(sandbox.db) == before
