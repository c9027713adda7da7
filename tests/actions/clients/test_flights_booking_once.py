"""Booking through FlightsClient never makes two orders, under Duffel's real semantics: no
idempotency key, and a 500 or a lost answer may come after the order was made. The sandbox's
sandbox_test controls make it fail after booking; the client must find and return that one order."""
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime

import pytest

from actions.clients import RateLimited
from actions.clients.flights import BookingUnconfirmed, FlightsClient, Offer, SliceRequest
from actions.clients.http import RetryPolicy
from sandbox.models import Order
from tests.actions.clients.test_flights import MAYA
from tests.conftest import FAST_RETRY
from tests.support.receiver import Receiver


def orders_for_offer(db, offer_id):
    with db.transaction() as session:
        return [o.id for o in session.query(Order).filter_by(offer_id=offer_id)]


@pytest.mark.parametrize("control", ["error_after_create", "late_after_create"])
def test_a_failure_after_booking_returns_the_one_order_made(sandbox, control):
    flights = sandbox.flights(order_timeout=1.5)
    offer = flights.search([SliceRequest("BOS", "ORD", date.today() + timedelta(days=60))]).offers[0]
    order = flights.book(offer, [MAYA], attempt_id=f"once-{control}-{offer.id}", metadata={"sandbox_test": control})
    assert orders_for_offer(sandbox.db, offer.id) == [order.id]
    assert order.metadata["booking_attempt"] == f"once-{control}-{offer.id}"
    assert flights.find_booking(f"once-{control}-{offer.id}", "Chen").id == order.id


def test_an_unanswered_order_that_cannot_be_found_is_unconfirmed_and_never_retried():
    posts = []

    def respond(n):
        posts.append(n)
        return 500, {"x-request-id": "req-abc"}, b'{"errors": [{"code": "internal_server_error", "message": "boom"}], "meta": {"status": 500}}', 0

    down = Receiver(respond=respond).start()
    try:
        flights = FlightsClient(down.url, "token", retry=RetryPolicy(attempts=3, backoff_seconds=0.01))
        offer = Offer("off_1", total_amount=Decimal("100"), currency="USD", owner_code="XX", owner_name="X",
                      expires_at=None, slices=(), passenger_ids=("pas_1",))
        with pytest.raises(BookingUnconfirmed) as caught:
            flights.book(offer, [MAYA], attempt_id="lost-1")
        assert caught.value.attempt_id == "lost-1"
        sent = [(r.method, r.path.split("?")[0]) for r in down.requests]
        assert sent.count(("POST", "/air/orders")) == 1  # never repeated; then the lookups, which fail too
        assert all(path == "/air/orders" for _, path in sent)
    finally:
        down.stop()


def test_rate_limit_waits_until_ratelimit_reset():
    """Duffel's 429 has no Retry-After: the client waits until the ratelimit-reset date."""
    def respond(n):
        now = datetime.now(timezone.utc).replace(microsecond=0)
        if n == 1:
            headers = {"ratelimit-limit": "60", "ratelimit-remaining": "0",  # the server adds its Date
                       "ratelimit-reset": format_datetime(now + timedelta(seconds=2), usegmt=True)}
            return 429, headers, b'{"errors": [{"code": "rate_limit_exceeded", "message": "slow down"}], "meta": {"status": 429}}', 0
        return 200, {}, b'{"data": []}', 0

    limited = Receiver(respond=respond).start()
    try:
        started = time.monotonic()
        assert FlightsClient(limited.url, "token", retry=FAST_RETRY).suggest_places("lisbon") == []
        assert time.monotonic() - started >= 1.5 and len(limited.requests) == 2
        patient = FlightsClient(limited.url, "token", retry=RetryPolicy(attempts=2, backoff_seconds=0.01, max_wait_seconds=0.5))
        limited.requests.clear()
        with pytest.raises(RateLimited) as caught:
            patient.suggest_places("porto")
        assert caught.value.code == "rate_limit_exceeded" and 1 <= caught.value.retry_after <= 2
    finally:
        limited.stop()


def test_search_sends_supplier_timeout_below_its_own_timeout():
    seen = Receiver(respond=lambda n: (201, {}, b'{"data": {"id": "orq_1", "offers": []}}', 0)).start()
    try:
        FlightsClient(seen.url, "token", search_timeout=25).search([SliceRequest("BOS", "ORD", date.today() + timedelta(days=9))])
        assert "supplier_timeout=20000" in seen.requests[0].path
    finally:
        seen.stop()
