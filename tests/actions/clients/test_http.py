"""The clients' HTTP core against real servers that fail: 5xx, 429, slow answers, nobody there."""
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from actions.clients import AuthenticationFailed, InvalidRequest, NotFound, RateLimited, VendorUnavailable
from actions.clients.http import RetryPolicy, VendorHttp, retry_after_seconds
from tests.support.processes import free_port
from tests.support.receiver import Receiver

QUICK = RetryPolicy(attempts=3, backoff_seconds=0.05, max_wait_seconds=2)


def parse(body):
    return body.get("code"), body.get("message"), body.get("field")


@pytest.fixture
def server():
    running = []

    def start(respond):
        receiver = Receiver(respond=respond).start()
        running.append(receiver)
        return receiver

    yield start
    for receiver in running:
        receiver.stop()


def client(url, timeout=2.0, retry=QUICK):
    return VendorHttp("test", url, parse, timeout=timeout, retry=retry)


def test_read_is_retried_after_5xx(server):
    flaky = server(lambda n: (503, {}, b"{}", 0) if n < 3 else (200, {}, b'{"ok": true}', 0))
    assert client(flaky.url).request("GET", "/thing").json() == {"ok": True}
    assert len(flaky.requests) == 3


def test_non_idempotent_write_is_not_retried_after_5xx(server):
    down = server(lambda n: (502, {}, b'{"message": "bad gateway"}', 0))
    with pytest.raises(VendorUnavailable) as caught:
        client(down.url).request("POST", "/tickets", json={"a": 1})
    assert caught.value.status == 502 and caught.value.message == "bad gateway"
    assert len(down.requests) == 1


def test_write_marked_idempotent_is_retried(server):
    flaky = server(lambda n: (500, {}, b"{}", 0) if n == 1 else (201, {}, b"{}", 0))
    client(flaky.url).request("POST", "/orders", json={}, headers={"Idempotency-Key": "k"}, idempotent=True)
    assert [r.headers["Idempotency-Key"] for r in flaky.requests] == ["k", "k"]


def test_429_waits_for_retry_after(server):
    limited = server(lambda n: (429, {"Retry-After": "1"}, b"{}", 0) if n == 1 else (200, {}, b"{}", 0))
    started = time.monotonic()
    client(limited.url).request("POST", "/search", json={})  # even a write: a 429 was not processed
    assert time.monotonic() - started >= 0.95 and len(limited.requests) == 2


def test_429_beyond_our_patience_raises_rate_limited(server):
    limited = server(lambda n: (429, {"Retry-After": "30"}, b'{"code": "rate_limit_exceeded", "message": "slow down"}', 0))
    with pytest.raises(RateLimited) as caught:
        client(limited.url).request("GET", "/x")
    assert caught.value.retry_after == 30 and caught.value.code == "rate_limit_exceeded"
    assert len(limited.requests) == 1


def test_429_on_every_try_raises_rate_limited(server):
    limited = server(lambda n: (429, {}, b"{}", 0))
    with pytest.raises(RateLimited):
        client(limited.url).request("GET", "/x")
    assert len(limited.requests) == 3


def test_timeout_is_retried_for_reads_only(server):
    slow = server(lambda n: (200, {}, b"{}", 1.0))
    with pytest.raises(VendorUnavailable) as caught:
        client(slow.url, timeout=0.3).request("GET", "/slow")
    assert caught.value.code == "timeout"
    assert len(slow.wait_for(3)) == 3
    slow.requests.clear()
    with pytest.raises(VendorUnavailable):
        client(slow.url, timeout=0.3).request("POST", "/slow", json={})
    time.sleep(1.2)  # room for a wrong retry to show; then wait for the one POST however slow the machine
    assert len(slow.wait_for(1)) == 1


def test_nobody_listening_is_unavailable_even_for_writes_after_retries():
    url = f"http://127.0.0.1:{free_port()}"
    patience = 60.0
    started = time.monotonic()
    with pytest.raises(VendorUnavailable) as caught:
        client(url, timeout=patience).request("POST", "/tickets", json={})
    assert caught.value.code == "unreachable" and time.monotonic() - started < patience  # refused at once, never waited out


@pytest.mark.parametrize("status, kind", [(400, InvalidRequest), (401, AuthenticationFailed), (403, AuthenticationFailed), (404, NotFound), (409, InvalidRequest), (422, InvalidRequest)])
def test_client_errors_are_not_retried_and_map_to_exceptions(server, status, kind):
    refusing = server(lambda n: (status, {}, b'{"code": "why", "message": "because", "field": "f"}', 0))
    with pytest.raises(kind) as caught:
        client(refusing.url).request("GET", "/x")
    assert (caught.value.status, caught.value.code, caught.value.message, caught.value.field) == (status, "why", "because", "f")
    assert len(refusing.requests) == 1


def test_error_body_that_is_not_json_still_gives_a_message(server):
    html = server(lambda n: (404, {"Content-Type": "text/html"}, b"<h1>nope</h1>", 0))
    with pytest.raises(NotFound) as caught:
        client(html.url).request("GET", "/x")
    assert caught.value.message == "HTTP 404 Not Found"


def test_retry_after_formats():
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=30)
    earliest = datetime.now(timezone.utc)
    seconds = retry_after_seconds(format_datetime(later, usegmt=True))
    assert (later - datetime.now(timezone.utc)).total_seconds() <= seconds <= (later - earliest).total_seconds()
