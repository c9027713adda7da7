"""The action server runs any action on any tracker its caller makes up: only Rasa, holding
ACTION_SERVER_TOKEN, may call it, and locally it listens on loopback only."""
from __future__ import annotations

import socket
import subprocess
import sys
from typing import List

import requests

from tests.support.credentials import ACTION_HEADERS
from tests.support.processes import ROOT, free_port

CALL = {"next_action": "no_such_action", "sender_id": "x", "tracker": {}, "domain": {}, "version": "3.6.2"}


def test_webhook_without_the_token_is_refused_and_health_stays_open(assistant):
    _, actions = assistant
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        refused = requests.post(f"{actions.url}/webhook", json=CALL, headers=headers, timeout=10)
        assert refused.status_code == 401 and "ACTION_SERVER_TOKEN" in refused.json()["error"]
    assert requests.get(f"{actions.url}/actions", timeout=10).status_code == 401
    assert requests.get(f"{actions.url}/health", timeout=10).status_code == 200
    # With the token the call reaches rasa_sdk, which does not know this action.
    assert requests.post(f"{actions.url}/webhook", json=CALL, headers=ACTION_HEADERS, timeout=10).status_code == 404


def listening_addresses(port: int) -> List[str]:
    """The addresses sockets listen on at `port`, from /proc/net/tcp (IPv4) and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    raw = bytes.fromhex(address)
                    if len(raw) == 4:
                        found.append(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                    else:
                        found.append(socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))))
    return found


def other_addresses() -> List[str]:
    """This machine's addresses that are not loopback (`hostname -I`)."""
    names = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [name for name in names if not name.startswith("127.") and name != "::1"]


def test_it_listens_on_loopback_only(assistant):
    _, actions = assistant
    assert listening_addresses(actions.port) == ["127.0.0.1"]
    for address in other_addresses():
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family) as probe:
            probe.settimeout(2)
            assert probe.connect_ex((address, actions.port)) != 0, f"the action server answers on {address}"


def test_the_production_profile_will_not_start_it_without_a_token():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "actions.server", "--port", str(free_port()), "--require-token"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "ACTION_SERVER_TOKEN is not set" in done.stderr
