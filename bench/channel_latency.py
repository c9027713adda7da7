"""Reply latency of our socket channel against Rasa's built-in socket.io channel, same model, same
machine, same run: `python bench/channel_latency.py [messages]`. Writes bench/results/channel_latency.md.

Each channel runs in its own `rasa run` (both listen on /socket.io); one client sends greetings one
at a time and times each until the first bot message arrives."""
from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import socketio  # noqa: E402

from channels.identity import IdentityVerifier  # noqa: E402
from tests.conftest import start_sandbox  # noqa: E402
from tests.support.assistant import action_server, rasa_server  # noqa: E402

SECRET = "bench-channel-secret-of-at-least-32-bytes"
STOCK = "socketio:\n  user_message_evt: user_uttered\n  bot_message_evt: bot_uttered\n  session_persistence: true\n"
# Ours, without its flood limit, which this many messages from one socket would trip.
OURS = "channels.socket.SocketChannel:\n  messages_per_minute: 1000000\n"


async def measure(url: str, auth, count: int) -> list:
    client = socketio.AsyncClient(reconnection=False)
    arrived, confirmed = asyncio.Event(), asyncio.Event()
    session = {}

    def on_confirm(data):  # a bare id from Rasa's channel, an object from ours
        session["id"] = data.get("session_id") if isinstance(data, dict) else data
        confirmed.set()

    client.on("bot_uttered", lambda data: arrived.set())
    client.on("session_confirm", on_confirm)
    await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    await client.emit("session_request", {"session_id": "bench-stock-session"})
    await asyncio.wait_for(confirmed.wait(), 10)
    session_id = session["id"]
    timings = []
    for index in range(count + 5):
        arrived.clear()
        started = time.perf_counter()
        await client.emit("user_uttered", {"message": "hello", "session_id": session_id})
        await asyncio.wait_for(arrived.wait(), 30)
        if index >= 5:  # the first few warm up caches and connections
            timings.append(time.perf_counter() - started)
        await asyncio.sleep(0.25)  # the reply's other messages settle before the next turn
    await client.disconnect()
    return timings


def main(count: int = 200) -> None:
    sandbox = start_sandbox(f"sqlite:///{tempfile.mkdtemp()}/sandbox.db")
    actions = action_server(sandbox.url).start()
    folder = Path(tempfile.mkdtemp())
    credentials = {"stock": folder / "stock.yml", "ours": folder / "ours.yml"}
    credentials["stock"].write_text(STOCK)
    credentials["ours"].write_text(OURS)
    results = {}
    try:
        for name, extra, auth in (
            ("ours", {"CHANNEL_JWT_SECRET": SECRET}, {"token": IdentityVerifier(SECRET).customer_token("maya.chen@example.com")}),
            ("stock", {}, None),
        ):
            rasa = rasa_server(actions.url, **extra)
            rasa.args[rasa.args.index("--credentials") + 1] = str(credentials[name])
            rasa.start(timeout=180)
            print(f"measuring {name} at {rasa.url}", flush=True)
            try:
                results[name] = asyncio.run(measure(rasa.url, auth, count))
            finally:
                rasa.stop()
    finally:
        actions.stop()
        sandbox.server.stop()

    def row(name):
        values = sorted(results[name])
        return f"| {name} | {len(values)} | {statistics.median(values) * 1000:.1f} | {values[int(len(values) * 0.95) - 1] * 1000:.1f} |"

    added = (statistics.median(results["ours"]) - statistics.median(results["stock"])) * 1000
    table = "\n".join([
        "| channel | messages | median ms | p95 ms |", "|---|---|---|---|", row("ours"), row("stock"),
        "", f"Added latency of our channel (median): {added:+.1f} ms.",
    ])
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "channel_latency.md").write_text("# Socket channel latency, ours against Rasa's socketio\n\n" + table + "\n")
    print(table)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
