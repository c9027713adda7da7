"""The front door forwards only the public doors: the socket channel and the help desk's signed
ticket webhook. The REST channel, Rasa's HTTP API and the notify webhook answer 404 there, even to
a caller holding their credentials: backends call the instances directly.

deploy/proxy.py runs for real in front of a real `rasa run`; deploy/nginx.conf (docker-compose) is
read and its locations checked, as no nginx runs on the development machines."""
from __future__ import annotations

import http.client
import re
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import requests

from tests.support.credentials import API_PARAMS, REST_HEADERS
from tests.support.processes import ROOT, ServerProcess, free_port

CLOSED = [
    ("POST", "/webhooks/rest/webhook"),
    ("GET", "/webhooks/rest/"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/tracker/events"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("GET", "/status"),
    ("GET", "/domain"),
    ("POST", "/webhooks/socket/notify"),
    ("GET", "/"),
    ("GET", "/socket.io/../conversations/someone/tracker"),
    ("GET", "/socket.io/%2e%2e/conversations/someone/tracker"),
    ("GET", "/socket.io%2F..%2Fconversations/someone/tracker"),
    ("GET", "/webhooks/socket/tickets/../../rest/webhook"),
]


@pytest.fixture(scope="module")
def proxy(assistant) -> Iterator[ServerProcess]:
    rasa, _ = assistant
    port = free_port()
    dead = f"http://127.0.0.1:{free_port()}"  # a second instance that is down: the proxy skips it
    server = ServerProcess([sys.executable, "deploy/proxy.py", "--port", str(port), rasa.url, dead], port, "/health").start()
    yield server
    server.stop()


def raw_request(port: int, method: str, path: str, headers: Dict[str, str]) -> Tuple[int, bytes]:
    """Sends `path` exactly as written (no client-side normalizing of `..` or escapes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        separator = "&" if "?" in path else "?"
        connection.request(method, f"{path}{separator}token={API_PARAMS['token']}", body=b"{}",
                           headers={"Content-Type": "application/json", **headers})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize("method, path", CLOSED)
def test_backend_doors_answer_404_even_with_their_credentials(proxy, method, path):
    status, body = raw_request(proxy.port, method, path, REST_HEADERS)
    assert status == 404, (path, body[:200])


def test_the_socket_channel_handshake_passes_and_sticks(proxy):
    handshake = requests.get(f"{proxy.url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=30)
    assert handshake.status_code == 200
    sid = re.search(r'"sid"\s*:\s*"([^"]+)"', handshake.text).group(1)
    # The session's next poll reaches the same instance, which knows the sid.
    poll = requests.post(f"{proxy.url}/socket.io/", params={"EIO": "4", "transport": "polling", "sid": sid}, data="40", timeout=30)
    assert poll.status_code == 200


def test_the_ticket_webhook_is_forwarded_and_checked_by_the_channel(proxy):
    unsigned = requests.post(f"{proxy.url}/webhooks/socket/tickets", json={"type": "zen:event-type:ticket.status_changed"}, timeout=30)
    assert unsigned.status_code == 401 and "signature" in unsigned.json()["error"]


def test_the_proxy_has_its_own_health_check(proxy):
    health = requests.get(f"{proxy.url}/health", timeout=30)
    assert health.status_code == 200 and health.json() == {"instances_up": 1, "instances": 2}


def locations(config: str) -> Dict[str, List[str]]:
    """nginx `location <match> { ... }` blocks of the server: match -> the block's directives."""
    found = {}
    for match, body in re.findall(r"location\s+([^{]+?)\s*\{((?:[^{}]|\{[^{}]*\})*)\}", config):
        found[match] = [line.strip().rstrip(";") for line in re.split(r";\s*\n|\n", body) if line.strip()]
    return found


def test_nginx_forwards_only_the_public_doors():
    config = re.sub(r"#.*", "", (ROOT / "deploy" / "nginx.conf").read_text())
    found = locations(config)
    assert set(found) == {"= /socket.io/", "= /webhooks/socket/tickets", "= /health", "/"}
    # The catch-all answers 404 itself and forwards nothing.
    assert any(d.startswith("return 404") for d in found["/"]) and not any("proxy_pass" in d for d in found["/"])
    # Each forward names its target path, so nginx sends its normalized path, not the client's raw one.
    assert "proxy_pass http://rasa/socket.io/" in found["= /socket.io/"]
    assert "proxy_pass http://rasa/webhooks/socket/tickets" in found["= /webhooks/socket/tickets"]
    assert "proxy_pass http://rasa/" in found["= /health"]
    # Websocket upgrade for the socket channel; the ticket webhook takes POST only.
    assert "proxy_set_header Upgrade $http_upgrade" in found["= /socket.io/"]
    assert any(d.startswith("limit_except POST") for d in found["= /webhooks/socket/tickets"])
    assert re.search(r"upstream rasa \{[^}]*ip_hash", config)
