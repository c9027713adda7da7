"""CrmClient against the running sandbox over HTTP."""
import pytest

from actions.clients import NotFound


def test_contact_by_id_and_by_email_agree(sandbox):
    crm = sandbox.crm()
    by_email = crm.get_contact_by_email("Maya.Chen@example.com")
    by_id = crm.get_contact(by_email.id)
    assert by_id == by_email
    assert (by_id.full_name, by_id.home_airport, by_id.loyalty_tier) == ("Maya Chen", "BOS", "gold")


def test_unknown_contact_is_not_found(sandbox):
    crm = sandbox.crm()
    with pytest.raises(NotFound) as caught:
        crm.get_contact("987654")
    assert caught.value.status == 404 and caught.value.code == "OBJECT_NOT_FOUND"
    with pytest.raises(NotFound):
        crm.get_contact_by_email("nobody@example.com")


def test_search_by_text_and_by_property(sandbox):
    crm = sandbox.crm()
    assert [c.email for c in crm.search_contacts(query="okafor")] == ["daniel.okafor@example.com"]
    from_boston = crm.search_contacts(equals={"home_airport": "BOS"})
    assert from_boston and all(c.home_airport == "BOS" for c in from_boston)


def test_search_follows_pages(sandbox):
    crm = sandbox.crm()
    everyone = crm.search_contacts(limit=1000)
    assert len(everyone) == 40
    assert len({c.id for c in everyone}) == 40


def test_purchase_history_through_associations(sandbox):
    crm = sandbox.crm()
    maya = crm.get_contact_by_email("maya.chen@example.com")
    ids = crm.deal_ids(maya.id)
    history = crm.purchase_history(maya.id)
    assert sorted(d.id for d in history) == sorted(ids) and len(ids) >= 5
    assert all(d.origin == "BOS" and d.amount > 0 and d.booking_reference for d in history)
    departures = [d.departure_date for d in history]
    assert departures == sorted(departures, reverse=True)


def test_batch_read_skips_missing_deals(sandbox):
    crm = sandbox.crm()
    maya = crm.get_contact_by_email("maya.chen@example.com")
    first = crm.deal_ids(maya.id)[0]
    deals = crm.get_deals([first, "999999"])
    assert [d.id for d in deals] == [first]


def test_contact_without_purchases_has_empty_history(sandbox):
    crm = sandbox.crm()
    tom = crm.get_contact_by_email("tom.becker@example.com")
    assert crm.purchase_history(tom.id) == []
