"""`make bench-flood`: does a flood from one address slow down everyone else?

The security issue: 200 sockets from one address sent 400 messages, none was refused, and another
customer's reply time went from 0.12 s to 19.7 s. The socket channel now limits messages per socket,
per conversation and per address, and sockets and new connections per address
(channels/limits.py). The goal: a normal customer's p95 reply time during such a flood stays within
2x of the same customer's p95 when the server is quiet.

How: a sandbox, the action server and `rasa run` with our channel at its DEFAULT limits (the
shipped credentials.yml, limit env variables blanked). A signed-in customer on 127.0.0.1 plays a
mix of messages one at a time (reply time: emitting `user_uttered` to the first `bot_uttered`),
first quiet, then while a separate process (its own event loop and CPU, so the customer's client
is not slowed by the flood's clients; the machine's cores are shared by all) runs 200 socket.io
clients from 127.0.0.9, each sending "hi" twice a second and reconnecting whenever it is refused
or disconnected. Writes bench/results/flood.md and flood.json and prints the table.
`--diagnose` then takes the flood apart: its messages alone, and its connections alone.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "results"
GOAL = 2.0  # flood p95 / quiet p95
CUSTOMER_ADDRESS = "127.0.0.1"
FLOOD_ADDRESS = "127.0.0.9"
CUSTOMER = "maya.chen@example.com"
# One at a time, each answered. The turns are paced (TURN_INTERVAL) only so that the customer stays
# within her own 30 messages a minute (burst of 10): 40 turns in 72 s need 40 of the 10 + 36 allowed.
MESSAGES = ["hello", "what can you do", "show my bookings", "book a flight to lisbon", "from chicago",
            "never mind", "what's the status of ticket 1042", "thanks"]
TURNS = 40
TURN_INTERVAL = 1.8
REPLY_TIMEOUT = 30.0
FLOOD_CLIENTS = 200
FLOOD_RATE = 2.0  # messages per second per flood client
FLOOD_TEXT = "hi"  # answered with one message, so replies count answered messages
RECONNECT_PAUSE = 0.5  # a refused or disconnected flood client tries again after this
RAMP_SECONDS = 8.0  # the flood runs this long before the customer's first turn
DIAGNOSTIC_TURNS = 20
# Blank values: LimitSettings.from_env falls back to its defaults whatever this shell exports.
DEFAULT_LIMITS_ENV = {name: "" for name in ("CHANNEL_MESSAGES_PER_MINUTE", "CHANNEL_ADDRESS_MESSAGES_PER_MINUTE",
                                            "CHANNEL_SOCKETS_PER_ADDRESS", "CHANNEL_CONNECTS_PER_MINUTE",
                                            "CHANNEL_TRUSTED_PROXIES")}


def say(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def percentile(values: List[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- the flood (runs in its own process) ------------------------------------------------------------


@dataclass
class FloodPlan:
    clients: int = FLOOD_CLIENTS
    rate: float = FLOOD_RATE  # messages per second per connected client; 0: connected clients stay silent
    reconnect_pause: float = RECONNECT_PAUSE  # after a refusal or disconnection; inf: never again

    def args(self) -> List[str]:
        return ["--clients", str(self.clients), "--rate", str(self.rate), "--reconnect-pause", str(self.reconnect_pause)]

    def describe(self) -> str:
        again = ("never reconnect" if self.reconnect_pause == float("inf")
                 else f"reconnect {self.reconnect_pause:g} s after being refused or disconnected")
        sending = f'send "{FLOOD_TEXT}" {self.rate:g} times a second' if self.rate else "send nothing"
        return f"{self.clients} socket.io clients from {FLOOD_ADDRESS} each {sending} and {again}"


@dataclass
class FloodCounts:
    connect_attempts: int = 0
    connected: int = 0
    refused_too_many_open: int = 0  # sockets_per_address
    refused_too_many_new: int = 0  # connects_per_minute
    # HTTP 429 before the websocket upgrade; python-socketio's client reports only "Connection error".
    refused_before_upgrade: int = 0
    refused_other: int = 0  # timeouts, resets, other reasons
    other_reasons: Dict[str, int] = field(default_factory=dict)
    sent: int = 0
    rate_limited: int = 0  # `error` events with code rate_limited: the refused messages
    replies: int = 0  # bot_uttered events: the answered messages ("hi" gets one reply)
    kicked: int = 0  # `error` disconnected: the channel closed a socket after 20 refusals in a row
    other_errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the flood process itself


class Flooder:
    """One flood client: connects from the flood address, sends as fast as its rate allows, and
    reconnects with a fresh socket whenever it is refused or dropped."""

    def __init__(self, url: str, session: aiohttp.ClientSession, counts: FloodCounts, stopping: asyncio.Event) -> None:
        self.url, self.session, self.counts, self.stopping = url, session, counts, stopping

    async def run(self, plan: FloodPlan) -> None:
        while not self.stopping.is_set():
            client = socketio.AsyncClient(reconnection=False, http_session=self.session)
            gone = asyncio.Event()
            if await self._connect(client, gone):
                await self._send(client, gone, plan.rate)
            if client.connected:
                await client.disconnect()
            await self._pause(plan.reconnect_pause)

    async def _connect(self, client: socketio.AsyncClient, gone: asyncio.Event) -> bool:
        """Connected and joined, or refused. python-socketio's own wait for the namespace sits out
        its whole timeout after a refusal (5.8), so this client waits for either answer itself, as
        a flood script would."""
        answer: asyncio.Future = asyncio.get_running_loop().create_future()
        client.on("connect", lambda: answer.done() or answer.set_result(None))
        client.on("connect_error", lambda reason=None: answer.done() or answer.set_result(str(reason)))
        client.on("bot_uttered", self._reply)
        client.on("error", self._error)
        client.on("disconnect", gone.set)
        self.counts.connect_attempts += 1
        try:
            await client.connect(self.url, transports=["websocket"], wait=False)
            refused = await asyncio.wait_for(answer, 10)
            if refused is None:
                await client.call("session_request", {"session_id": None, "rich": True}, timeout=10)
        except Exception as exc:
            refused = f"{type(exc).__name__}: {exc}"
        if refused is None:
            self.counts.connected += 1
            return True
        if "too many open" in refused:
            self.counts.refused_too_many_open += 1
        elif "too many new" in refused:
            self.counts.refused_too_many_new += 1
        elif refused == "ConnectionError: Connection error":
            self.counts.refused_before_upgrade += 1
        else:
            self.counts.refused_other += 1
            self.counts.other_reasons[refused[:80]] = self.counts.other_reasons.get(refused[:80], 0) + 1
        return False

    async def _send(self, client: socketio.AsyncClient, gone: asyncio.Event, rate: float) -> None:
        if not rate:  # connected, silent, holding one of the address's sockets
            await self._pause_until(gone)
            return
        while not gone.is_set() and not self.stopping.is_set():
            try:
                await client.emit("user_uttered", {"message": FLOOD_TEXT})
            except Exception:
                return
            self.counts.sent += 1
            try:
                await asyncio.wait_for(gone.wait(), 1 / rate)
            except asyncio.TimeoutError:
                pass

    def _reply(self, _: Any) -> None:
        self.counts.replies += 1

    def _error(self, error: Any) -> None:
        code = error.get("code") if isinstance(error, dict) else None
        if code == "rate_limited":
            self.counts.rate_limited += 1
        elif code == "disconnected":
            self.counts.kicked += 1
        else:
            self.counts.other_errors += 1

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.stopping.wait(), None if seconds == float("inf") else seconds)
        except asyncio.TimeoutError:
            pass

    async def _pause_until(self, gone: asyncio.Event) -> None:
        waits = [asyncio.create_task(gone.wait()), asyncio.create_task(self.stopping.wait())]
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()


async def flood(url: str, plan: FloodPlan, address: str) -> FloodCounts:
    """Floods until stdin closes, then reports what happened."""
    counts, stopping = FloodCounts(), asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stopping.set)))
    sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0))) for _ in range(plan.clients)]
    started = time.perf_counter()

    async def one(index: int, session: aiohttp.ClientSession) -> None:
        await asyncio.sleep(index * 0.005)  # all 200 within a second, as a script would
        await Flooder(url, session, counts, stopping).run(plan)

    tasks = [asyncio.create_task(one(i, s)) for i, s in enumerate(sessions)]
    await stopping.wait()
    counts.seconds = time.perf_counter() - started
    _, pending = await asyncio.wait(tasks, timeout=15)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    usage = os.times()
    counts.cpu_seconds = usage.user + usage.system
    return counts


class Flood:
    """The flood as a child process: `with Flood(url, plan): ...` floods during the block; `.counts` after."""

    def __init__(self, url: str, plan: FloodPlan) -> None:
        self.args = [sys.executable, str(Path(__file__).resolve()), "--flood-worker", url, "--address", FLOOD_ADDRESS, *plan.args()]
        self.counts: Dict[str, Any] = {}
        self.process: Optional[subprocess.Popen] = None

    def __enter__(self) -> "Flood":
        self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        return self

    def __exit__(self, *_: Any) -> None:
        assert self.process
        try:
            out, _ = self.process.communicate(input="", timeout=60)  # closing its stdin stops the flood
            self.counts = json.loads(out.strip().splitlines()[-1])
        except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError):
            self.process.kill()
            self.process.wait()
            raise RuntimeError("the flood process did not report its counts")


# --- the normal customer ---------------------------------------------------------------------------


@dataclass
class Turn:
    text: str
    seconds: Optional[float]  # None: no reply within REPLY_TIMEOUT
    reply: str = ""


@dataclass
class Phase:
    turns: List[Turn] = field(default_factory=list)
    customer_errors: List[Any] = field(default_factory=list)  # should stay empty: she is within her limits
    seconds: float = 0.0
    rasa_cpu_seconds: float = 0.0

    def summary(self) -> Dict[str, Any]:
        # An unanswered turn counts as REPLY_TIMEOUT, so it can only make the percentiles worse.
        values = [t.seconds if t.seconds is not None else REPLY_TIMEOUT for t in self.turns]
        return {"turns": len(self.turns), "unanswered": sum(t.seconds is None for t in self.turns),
                "p50_ms": percentile(values, 0.5) * 1000, "p95_ms": percentile(values, 0.95) * 1000,
                "max_ms": max(values) * 1000 if values else float("nan"), "customer_errors": self.customer_errors,
                "empty_replies": sum(t.seconds is not None and not t.reply.strip() for t in self.turns),
                "answers": {t.text: t.reply[:120] for t in reversed(self.turns)},  # each message's first reply, as seen
                "rasa_cpu_cores": self.rasa_cpu_seconds / self.seconds if self.seconds else float("nan")}


class Customer:
    """A signed-in customer's browser tab on 127.0.0.1: our widget's rich protocol, acknowledging
    what asks for it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(CUSTOMER_ADDRESS, 0)))
        self.client = socketio.AsyncClient(reconnection=False, http_session=self.session)
        self.replies: asyncio.Queue = asyncio.Queue()
        self.errors: List[Any] = []
        self.session_id: Optional[str] = None
        self.client.on("bot_uttered", self._bot)
        self.client.on("error", self.errors.append)

    async def _bot(self, message: Any) -> None:
        self.replies.put_nowait((time.perf_counter(), message))
        if isinstance(message, dict) and message.get("ack"):
            await self.client.emit("received", {"ids": [message["id"]]})

    async def open(self) -> "Customer":
        from channels.identity import IdentityVerifier
        from tests.support.credentials import SECRETS  # this run's, as rasa_server passed them

        auth = {"token": IdentityVerifier(SECRETS["CHANNEL_JWT_SECRET"]).customer_token(CUSTOMER)}
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.client.on("session_confirm", lambda data: confirmed.done() or confirmed.set_result(data))
        await self.client.connect(self.url, auth=auth, transports=["websocket"], wait_timeout=15)
        await self.client.emit("session_request", {"session_id": None, "rich": True})
        data = await asyncio.wait_for(confirmed, 15)
        self.session_id = data.get("session_id") if isinstance(data, dict) else data
        return self

    async def say(self, text: str) -> Turn:
        while not self.replies.empty():  # the previous turn's later messages
            self.replies.get_nowait()
        started = time.perf_counter()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        try:
            arrived, message = await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT)
        except asyncio.TimeoutError:
            return Turn(text, None)
        return Turn(text, arrived - started, _text(message))

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()
        await self.session.close()


def _text(message: Any) -> str:
    if not isinstance(message, dict):
        return str(message)
    buttons = message.get("quick_replies") or message.get("buttons") or []
    return (message.get("text") or "") + (f" [{len(buttons)} buttons]" if buttons else "") or json.dumps(message)[:80]


async def conversation(url: str, turns: int) -> Phase:
    """`turns` messages one at a time, each started TURN_INTERVAL after the previous one (or as
    soon as its reply came, when that took longer)."""
    phase = Phase()
    customer = await Customer(url).open()
    try:
        start = time.perf_counter()
        for n in range(turns):
            await asyncio.sleep(max(0.0, start + n * TURN_INTERVAL - time.perf_counter()))
            turn = await customer.say(MESSAGES[n % len(MESSAGES)])
            phase.turns.append(turn)
            print(f"\r  turn {n + 1}/{turns}: {'no reply' if turn.seconds is None else f'{turn.seconds * 1000:.0f} ms'}   ",
                  end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        await asyncio.sleep(1.0)  # the last turn's later messages, and any late error
    finally:
        phase.customer_errors = list(customer.errors)
        await customer.close()
    return phase


def measured(url: str, pid: int, turns: int) -> Phase:
    from bench.procstats import snapshot

    before, started = snapshot(pid)["cpu_seconds"], time.perf_counter()
    phase = asyncio.run(conversation(url, turns))
    phase.seconds = time.perf_counter() - started
    phase.rasa_cpu_seconds = snapshot(pid)["cpu_seconds"] - before
    return phase


# --- the run ---------------------------------------------------------------------------------------


def start_rasa(actions_url: str):
    """`rasa run` with the shipped credentials.yml: our channel at its default limits."""
    from tests.support.assistant import rasa_server

    server = rasa_server(actions_url, **DEFAULT_LIMITS_ENV)
    server.start(timeout=240)
    asyncio.run(conversation(server.url, 1))  # warm-up: the first answer loads what is lazy
    return server


def flooded(server, plan: FloodPlan, turns: int) -> Dict[str, Any]:
    """The customer's turns while `plan` floods, and what the flood's clients saw."""
    from bench.procstats import snapshot

    say(f"flood: {plan.describe()}; {RAMP_SECONDS:g} s before the first of {turns} turns")
    with Flood(server.url, plan) as flooding:
        time.sleep(RAMP_SECONDS)
        phase = measured(server.url, server.process.pid, turns)
        flood_cpu = snapshot(flooding.process.pid)["cpu_seconds"]
    counts = {**flooding.counts, "cpu_seconds": max(flooding.counts.get("cpu_seconds", 0.0), flood_cpu)}
    return {"plan": {**asdict(plan), "described": plan.describe()}, "flood": phase.summary(), "flood_clients": counts,
            "turns": [asdict(t) for t in phase.turns]}


def quiet_and_flood(server, plan: FloodPlan, turns: int) -> Dict[str, Any]:
    say(f"quiet, {turns} turns")
    quiet = measured(server.url, server.process.pid, turns)
    result = {"quiet": quiet.summary(), "quiet_turns": [asdict(t) for t in quiet.turns], **flooded(server, plan, turns)}
    result["ratio_p95"] = result["flood"]["p95_ms"] / result["quiet"]["p95_ms"]
    return result


def diagnostics(server, plan: FloodPlan, quiet_p95_ms: float) -> List[Dict[str, Any]]:
    """The flood taken apart: its messages alone (only as many clients as the address may hold
    sockets, so hardly a connection is refused), and its connections alone (clients that never
    send, so every refusal is a refused connection)."""
    from channels.limits import LimitSettings

    parts = {"messages only": FloodPlan(LimitSettings().sockets_per_address, plan.rate, plan.reconnect_pause),
             "connections only": FloodPlan(plan.clients, 0.0, plan.reconnect_pause)}
    found = []
    for name, part in parts.items():
        result = {"name": name, **flooded(server, part, DIAGNOSTIC_TURNS)}
        result["ratio_p95"] = result["flood"]["p95_ms"] / quiet_p95_ms
        found.append(result)
    return found


def run(plan: FloodPlan, turns: int, diagnose: bool) -> Dict[str, Any]:
    from bench.run import machine
    from channels.limits import LimitSettings
    from tests.conftest import start_sandbox
    from tests.support.assistant import action_server

    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp())
    report: Dict[str, Any] = {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "machine": machine(),
                              "command": " ".join(["bench/flood.py", *sys.argv[1:]]),
                              "settings": {"turns": turns, "turn_interval_s": TURN_INTERVAL, "ramp_s": RAMP_SECONDS,
                                           "customer": CUSTOMER_ADDRESS, "flood_address": FLOOD_ADDRESS, "goal_ratio": GOAL,
                                           "flood": asdict(plan)},
                              "limits": asdict(LimitSettings())}
    sandbox = start_sandbox(f"sqlite:///{folder}/sandbox.db")
    actions = action_server(sandbox.url).start()
    try:
        say("starting rasa run with our channel at its default limits")
        server = start_rasa(actions.url)
        try:
            report["ours"] = quiet_and_flood(server, plan, turns)
            if diagnose:
                report["diagnostics"] = diagnostics(server, plan, report["ours"]["quiet"]["p95_ms"])
        finally:
            server.stop()
    finally:
        actions.stop()
        sandbox.server.stop()
    report["seconds"] = time.perf_counter() - began
    return report


# --- the report ------------------------------------------------------------------------------------


def _row(label: str, s: Dict[str, Any], ratio: Optional[float] = None) -> str:
    return (f"| {label} | {s['turns']} | {s['unanswered']} | {s['p50_ms']:.0f} ms | {s['p95_ms']:.0f} ms | {s['max_ms']:.0f} ms "
            f"| {'' if ratio is None else f'{ratio:.2f}'} | {s['rasa_cpu_cores']:.2f} |")


def _counts(c: Dict[str, Any]) -> str:
    return (f"over {c['seconds']:.0f} s: {c['sent']} messages sent, {c['replies']} answered, {c['rate_limited']} refused "
            f"(rate_limited); {c['connect_attempts']} connection attempts, {c['connected']} connected, "
            f"{c['refused_too_many_open'] + c['refused_too_many_new']} refused ({c['refused_too_many_open']} too many open, "
            f"{c['refused_too_many_new']} too many new) after the handshake and {c.get('refused_before_upgrade', 0)} before it "
            f"(HTTP 429), {c['refused_other']} failed otherwise; {c['kicked']} sockets closed by "
            f"the channel after 20 refusals in a row; the flood process used {c['cpu_seconds']:.0f} CPU s")


def table(report: Dict[str, Any]) -> str:
    rows = ["| customer's reply time | turns | unanswered | p50 | p95 | max | p95 / quiet p95 | Rasa CPU (cores) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    r = report["ours"]
    rows += [_row("our channel, default limits, quiet", r["quiet"]), _row("our channel, default limits, flood", r["flood"], r["ratio_p95"])]
    verdict = "within" if r["ratio_p95"] <= GOAL else "ABOVE"
    notes = [f"- p95 flood / quiet = **{r['ratio_p95']:.2f}** ({verdict} the goal of {GOAL:g}). The flood {_counts(r['flood_clients'])}."]
    for part in report.get("diagnostics", []):
        rows.append(_row(f"our channel, {part['name']} ({part['plan']['clients']} clients, "
                         f"{part['plan']['rate']:g} msg/s each)", part["flood"], part["ratio_p95"]))
        notes.append(f"- {part['name']}: {part['plan']['described']}; {_counts(part['flood_clients'])}.")
    return "\n".join(rows) + "\n\n" + "\n".join(notes)


def answered(report: Dict[str, Any]) -> str:
    phases = [report["ours"]["quiet"], report["ours"]["flood"], *(d["flood"] for d in report.get("diagnostics", []))]
    missing = sum(p["unanswered"] + p["empty_replies"] for p in phases)
    errors = sum(len(p["customer_errors"]) for p in phases)
    if not missing and not errors:
        return "each turn got an answer with text, and she was never refused"
    return f"{missing} turns got no answer with text, and she got {errors} errors: see flood.json"


def write(report: Dict[str, Any]) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "flood.json").write_text(json.dumps(report, indent=2) + "\n")
    s, limits = report["settings"], report["limits"]
    plan = FloodPlan(**s["flood"])
    text = f"""# Flood from one address: another customer's reply time

{report['date']}, {report['machine']}. `{report['command']}` ({report['seconds']:.0f} s in all).

{table(report)}

How it was measured: a sandbox, the action server and `rasa run` with our channel at its default limits
({limits['messages_per_minute']} messages a minute per socket and per conversation, {limits['address_messages_per_minute']}
per address from anonymous visitors, {limits['sockets_per_address']} sockets and {limits['connects_per_minute']} new connections a minute per address).
A signed-in customer on {s['customer']} sends {s['turns']} messages one at a time (a mix: {', '.join(repr(m) for m in MESSAGES)};
{answered(report)}), one every {s['turn_interval_s']:g} s so that she stays within her own limit; her reply time is from emitting
`user_uttered` to the first `bot_uttered` (an unanswered turn would count as {REPLY_TIMEOUT:.0f} s). First quiet, then while
{plan.describe()} (the flood starts {s['ramp_s']:g} s before her first turn and runs until her last). The flood runs in its own
process, so her client's event loop is not slowed by it, but Rasa, the action server, the sandbox, the flood and her client
share the machine's {os.cpu_count()} cores, with whatever else runs on it. "Rasa CPU" is the `rasa run` process's CPU time over
the phase divided by its wall time. Percentiles are nearest-rank, so over {s['turns']} turns p95 is the third-slowest turn.
"""
    (OUT / "flood.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=TURNS, help=f"the customer's turns per phase (default {TURNS})")
    parser.add_argument("--clients", type=int, default=FLOOD_CLIENTS, help=f"flood clients (default {FLOOD_CLIENTS})")
    parser.add_argument("--rate", type=float, default=FLOOD_RATE, help=f"messages a second per flood client (default {FLOOD_RATE:g})")
    parser.add_argument("--reconnect-pause", type=float, default=RECONNECT_PAUSE,
                        help=f"seconds before a refused flood client tries again (default {RECONNECT_PAUSE:g})")
    parser.add_argument("--diagnose", action="store_true",
                        help=f"then the flood's messages alone and its connections alone, {DIAGNOSTIC_TURNS} turns each (adds ~90 s)")
    parser.add_argument("--flood-worker", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--address", default=FLOOD_ADDRESS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    plan = FloodPlan(args.clients, args.rate, args.reconnect_pause)
    if args.flood_worker:
        counts = asyncio.run(flood(args.flood_worker, plan, args.address))
        print(json.dumps(asdict(counts)), flush=True)
        return
    report = run(plan, args.turns, args.diagnose)
    print(write(report))
    for phase in ("quiet", "flood"):
        if report["ours"][phase]["customer_errors"] or report["ours"][phase]["empty_replies"]:
            say(f"{phase}: the customer got errors or empty replies: {report['ours'][phase]['customer_errors']}")


if __name__ == "__main__":
    main()
