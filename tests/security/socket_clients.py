"""Socket clients for the security tests: customers' tokens signed with this run's channel secret,
and tabs that connect from a chosen loopback address (127.0.0.x), so that limits per address are
tested with real, distinct source addresses."""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Optional

import aiohttp

from channels.identity import IdentityVerifier
from tests.channels.conftest import Tab
from tests.support.credentials import SECRETS

VERIFIER = IdentityVerifier(SECRETS["CHANNEL_JWT_SECRET"])


def customer(email: str) -> Dict[str, str]:
    return {"token": VERIFIER.customer_token(email)}


def tab_from(address: str, url: str, auth: Optional[Dict[str, Any]] = None, **options: Any) -> Tab:
    """A tab whose connection comes from `address` (any 127.0.0.0/8 address works on Linux)."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)))
    tab = Tab(url, auth, http_session=session, **options)
    tab.http_session = session
    return tab


@asynccontextmanager
async def handshake_from(address: str, url: str) -> AsyncIterator[aiohttp.ClientResponse]:
    """The first request of a socket.io client (an engine.io polling handshake) from `address`."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0))) as session:
        async with session.get(f"{url}/socket.io/", params={"EIO": "4", "transport": "polling"}) as answer:
            yield answer


async def close(*tabs: Tab) -> None:
    for tab in tabs:
        await tab.close()
        session = getattr(tab, "http_session", None)
        if session is not None:
            await session.close()
