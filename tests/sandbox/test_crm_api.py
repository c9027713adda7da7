"""The CRM API's HubSpot shapes: paths, properties, associations, batch read, errors."""


def test_contact_shape_and_requested_properties(hubspot):
    response = hubspot.get("/crm/v3/objects/contacts/daniel.okafor@example.com", params={"idProperty": "email"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "properties", "createdAt", "updatedAt", "archived"}
    assert set(body["properties"]) == {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}
    assert body["id"] == body["properties"]["hs_object_id"] and body["createdAt"].endswith("Z")

    custom = hubspot.get(f"/crm/v3/objects/contacts/{body['id']}", params={"properties": "home_airport,loyalty_tier,nonsense", "associations": "deals"}).json()
    assert custom["properties"]["home_airport"] == "LHR" and custom["properties"]["loyalty_tier"] == "platinum"
    assert "nonsense" not in custom["properties"]  # unknown properties are ignored, as HubSpot does
    assert all(a["type"] == "contact_to_deal" for a in custom["associations"]["deals"]["results"])


def test_associations_v3_and_v4_agree(hubspot):
    contact_id = hubspot.get("/crm/v3/objects/contacts/maya.chen@example.com", params={"idProperty": "email"}).json()["id"]
    v3 = hubspot.get(f"/crm/v3/objects/contacts/{contact_id}/associations/deals").json()["results"]
    v4 = hubspot.get(f"/crm/v4/objects/contacts/{contact_id}/associations/deals").json()["results"]
    assert [int(r["id"]) for r in v3] == [r["toObjectId"] for r in v4]
    assert v4[0]["associationTypes"] == [{"category": "HUBSPOT_DEFINED", "typeId": 4, "label": None}]


def test_search_filters_sorts_and_pages(hubspot):
    body = {
        "filterGroups": [{"filters": [{"propertyName": "loyalty_tier", "operator": "IN", "values": ["gold", "platinum"]}]}],
        "sorts": [{"propertyName": "lastname", "direction": "ASCENDING"}],
        "properties": ["lastname", "loyalty_tier"],
        "limit": 2,
    }
    first = hubspot.post("/crm/v3/objects/contacts/search", json=body).json()
    assert first["total"] >= 3 and len(first["results"]) == 2
    assert first["paging"]["next"]["after"] == "2"
    names = [r["properties"]["lastname"] for r in first["results"]]
    assert names == sorted(names)
    assert {r["properties"]["loyalty_tier"] for r in first["results"]} <= {"gold", "platinum"}


def test_batch_read_reports_missing_ids_with_207(hubspot):
    contact_id = hubspot.get("/crm/v3/objects/contacts/maya.chen@example.com", params={"idProperty": "email"}).json()["id"]
    deal_id = hubspot.get(f"/crm/v3/objects/contacts/{contact_id}/associations/deals").json()["results"][0]["id"]
    response = hubspot.post("/crm/v3/objects/deals/batch/read", json={"inputs": [{"id": deal_id}, {"id": "424242"}], "properties": ["dealname", "amount"]})
    assert response.status_code == 207
    body = response.json()
    assert body["status"] == "COMPLETE" and [r["id"] for r in body["results"]] == [deal_id]
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND" and body["errors"][0]["context"] == {"ids": ["424242"]}
    assert hubspot.post("/crm/v3/objects/deals/batch/read", json={"inputs": [{"id": deal_id}]}).status_code == 200


def test_error_bodies(hubspot):
    missing = hubspot.get("/crm/v3/objects/contacts/123456789")
    assert missing.status_code == 404
    assert missing.json()["status"] == "error" and missing.json()["category"] == "OBJECT_NOT_FOUND"
    assert missing.json()["correlationId"]

    invalid = hubspot.post("/crm/v3/objects/contacts/search", json={"limit": 500})
    assert invalid.status_code == 400
    assert invalid.json()["category"] == "VALIDATION_ERROR" and invalid.json()["errors"][0]["in"] == "limit"

    bad_operator = hubspot.post("/crm/v3/objects/contacts/search", json={"filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE", "value": "x"}]}]})
    assert bad_operator.status_code == 400

    unknown_route = hubspot.get("/crm/v3/objects/unicorns")
    assert unknown_route.status_code == 404 and unknown_route.json()["category"] == "OBJECT_NOT_FOUND"
