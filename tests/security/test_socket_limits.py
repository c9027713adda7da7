"""Limits per address and per customer as well as per socket (issue: 200 sockets from one address
sent 400 messages and none was refused). Each test connects from its own loopback address."""
import asyncio

import aiohttp
import pytest
import socketio

from channels.limits import LimitSettings
from tests.channels.conftest import texts
from tests.security.socket_clients import close, customer, handshake_from, tab_from

DEFAULTS = LimitSettings()


def codes(*tabs):
    return [e["code"] for tab in tabs for e in tab.errors]


def test_an_address_holds_only_so_many_sockets_and_others_are_unaffected(assistant):
    rasa, _ = assistant

    async def scenario():
        tabs = [await tab_from("127.0.0.3", rasa.url).open() for _ in range(DEFAULTS.sockets_per_address)]
        extra = tab_from("127.0.0.3", rasa.url)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await extra.open()
        # Refused before the websocket upgrade, with the reason, so a refusal costs no handshake.
        async with handshake_from("127.0.0.3", rasa.url) as refused:
            assert refused.status == 429 and "too many open connections" in (await refused.json())["reason"]
        other = await tab_from("127.0.0.4", rasa.url).open()
        assert "travel assistant" in texts(await other.say("hello"))
        await close(*tabs, extra, other)

    asyncio.run(scenario())


def test_anonymous_messages_are_counted_per_address_across_its_sockets(assistant):
    rasa, _ = assistant
    burst = DEFAULTS.address_messages_per_minute // 3  # the address's bucket holds this many at once
    per_socket = 5  # each socket stays under its own limit

    async def scenario():
        tabs = [await tab_from("127.0.0.5", rasa.url).open() for _ in range(burst // per_socket + 2)]
        for _ in range(per_socket):
            for tab in tabs:
                await tab.client.emit("user_uttered", {"message": "hi"})
        sent = per_socket * len(tabs)
        for _ in range(600):  # every message is either answered or refused
            if len([m for t in tabs for m in t.bot]) + codes(*tabs).count("rate_limited") >= sent:
                break
            await asyncio.sleep(0.1)
        refused = codes(*tabs).count("rate_limited")
        assert sent - burst - 2 <= refused < sent, (sent, refused)
        # A signed-in customer at the same address (an office behind one NAT) is limited as herself.
        colleague = await tab_from("127.0.0.5", rasa.url, customer("same.office@example.com")).open()
        assert "travel assistant" in texts(await colleague.say("hello")) and colleague.errors == []
        await close(*tabs, colleague)

    asyncio.run(scenario())


def test_messages_are_counted_per_customer_across_their_tabs(assistant):
    rasa, _ = assistant
    burst = DEFAULTS.messages_per_minute // 3

    async def scenario():
        email = "limits.customer@example.com"
        tabs = [await tab_from(f"127.0.0.{6 + i}", rasa.url, customer(email)).open() for i in range(2)]
        per_tab = burst - 2  # each tab alone is under the limit; together they are over it
        for _ in range(per_tab):
            for tab in tabs:
                await tab.client.emit("user_uttered", {"message": "hi"})
        for _ in range(600):
            if len(tabs[0].bot) + codes(*tabs).count("rate_limited") >= 2 * per_tab:
                break
            await asyncio.sleep(0.1)
        # Both tabs are in one conversation: each sees every answer, so count refusals instead.
        assert codes(*tabs).count("rate_limited") >= 2 * per_tab - burst - 1
        await close(*tabs)

    asyncio.run(scenario())


def test_a_refused_connection_is_closed_by_the_server(assistant):
    """python-socketio keeps the engine.io connection under a refused socket.io connection open
    (and pinged) for as long as the client likes: the channel closes it (engine.io CLOSE; a client
    that ignores it is dropped at its next packet or after the ping timeout)."""
    rasa, _ = assistant

    async def scenario():
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=("127.0.0.13", 0))) as session:
            async with session.ws_connect(f"{rasa.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket") as ws:
                assert (await ws.receive(timeout=20)).data.startswith("0")  # engine.io open
                await ws.send_str('40{"token": "forged"}')
                refusal = await ws.receive(timeout=20)
                assert refusal.data.startswith("44") and "invalid token" in refusal.data
                while True:  # pings may come first; then engine.io's CLOSE packet ("1") or the socket's close
                    message = await ws.receive(timeout=20)
                    if message.type != aiohttp.WSMsgType.TEXT or message.data == "1":
                        break
                    assert message.data == "2"  # a ping
                # The server has let go: whatever the client sends now ends the connection.
                await ws.send_str("3")
                assert (await ws.receive(timeout=20)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                                                aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR)

    asyncio.run(scenario())
