"""The travel site's server as a real process, on a free port."""
from __future__ import annotations

import sys
from typing import Optional

from tests.support.assistant import client_env
from tests.support.credentials import SECRETS
from tests.support.processes import ServerProcess, free_port

SITE_SECRET = "test-site-channel-secret-of-at-least-32-bytes"


def site_server(sandbox_url: str, socket_url: Optional[str] = None, secret: str = SITE_SECRET) -> ServerProcess:
    port = free_port()
    args = [sys.executable, "-m", "web.server", "--port", str(port)]
    if socket_url:
        args += ["--socket-url", socket_url]
    return ServerProcess(args, port, "/health", {**SECRETS, **client_env(sandbox_url), "CHANNEL_JWT_SECRET": secret})
