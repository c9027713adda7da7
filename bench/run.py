"""`make bench` (`--quick` for a two-minute run): our assistant against stock Rasa 3.6 serving the
same model through its built-in socket.io channel, in the same run on the same machine, so every
figure is also a ratio. Writes bench/results/latest.md and latency.png and copies the table into
the README between the bench markers.

Both Rasa servers share one sandbox and one action server, so the difference is the channel (and
our turn rules); the assistant behind it is the same.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from actions.clients.flights import SliceRequest  # noqa: E402

from bench.load import SCRIPTS, Customer, Results, Sample, closed_loop, open_loop, percentile  # noqa: E402
from bench.procstats import snapshot  # noqa: E402
from tests.conftest import start_sandbox  # noqa: E402
from tests.support.assistant import MODEL, action_server, rasa_server  # noqa: E402
from tests.support.credentials import ACTION_HEADERS, API_PARAMS, REST_HEADERS  # noqa: E402

OUT = ROOT / "bench" / "results"
STOCK = "socketio:\n  user_message_evt: user_uttered\n  bot_message_evt: bot_uttered\n  session_persistence: true\n"
# Ours as shipped, but with flood limits a load generator from one address cannot trip.
OURS = ("channels.socket.SocketChannel:\n  messages_per_minute: 100000\n  address_messages_per_minute: 100000\n"
        "  sockets_per_address: 100000\n  connects_per_minute: 100000\nchannels.rest.RestChannel:\n")
PLANS = {
    "quick": {"light_turns": 12, "levels": [1, 8], "level_seconds": 10, "rates": [2, 6], "rate_seconds": 8, "scale": False, "train": False},
    "full": {"light_turns": 60, "levels": [1, 10, 50, 200], "level_seconds": 60, "soak_seconds": 300, "rates": [2, 5, 10, 15, 20],
             "rate_seconds": 30, "scale": True, "train": True},
}


def say(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def progress(label: str):
    last = {"t": 0.0}

    def show(count: int) -> None:
        if time.monotonic() - last["t"] > 2:
            last["t"] = time.monotonic()
            print(f"\r  {label}: {count} turns", end="", file=sys.stderr, flush=True)
    return show


def start_rasa(name: str, actions_url: str, folder: Path, env: Optional[Dict[str, str]] = None, endpoints: Optional[Path] = None):
    credentials = folder / f"{name}.yml"
    credentials.write_text(STOCK if name.startswith("stock") else OURS)
    server = rasa_server(actions_url, endpoints=endpoints, **(env or {}))
    server.args[server.args.index("--credentials") + 1] = str(credentials)
    started = time.perf_counter()
    server.start(timeout=240)

    async def first_answer() -> None:
        tab = await Customer(server.url).open()
        await tab.say("hello")
        await tab.close()

    asyncio.run(first_answer())
    return server, time.perf_counter() - started


def summary(results: Results, seconds: Optional[float] = None) -> Dict[str, Any]:
    answered = results.answered
    row = {"turns": len(results.samples), "p50": percentile(answered, 0.5) * 1000, "p95": percentile(answered, 0.95) * 1000,
           "p99": percentile(answered, 0.99) * 1000, "unanswered": results.unanswered, "errors": results.errors}
    if seconds:
        row["throughput"] = len(answered) / seconds
    return row


def light(url: str, turns: int) -> Dict[str, Any]:
    """One customer; latency split by turns that call a vendor and turns that do not."""
    async def run() -> Results:
        results = Results()
        tab = await Customer(url).open()
        lines = [(name, text, vendor) for name, script in SCRIPTS.items() for text, vendor in script]
        for n in range(turns):
            name, text, vendor = lines[n % len(lines)]
            results.samples.append(Sample(name, vendor, time.perf_counter(), await tab.say(text)))
            await asyncio.sleep(0.3)
        await tab.close()
        return results

    results = asyncio.run(run())
    out = {}
    for vendor in (False, True):
        values = [s.latency for s in results.samples if s.vendor == vendor and s.latency is not None]
        out["vendor" if vendor else "no vendor"] = {"p50": percentile(values, 0.5) * 1000, "p95": percentile(values, 0.95) * 1000, "n": len(values)}
    return out


def stages(rasa_url: str, actions_url: str, sandbox) -> Dict[str, float]:
    """Where one message's time goes (a flight search in one message, which validates the places
    and calls the flights API): the whole turn through the socket channel and through REST, NLU
    alone (/model/parse), the search action alone (called on the action server with the
    conversation), and the vendor call alone (the client). Each is the median of five after a
    warm-up; each whole turn is a new conversation."""
    text = "flights from boston to lisbon on the 15th, one way"
    senders = itertools.count()
    last = {}

    def rest_turn() -> None:
        last["sender"] = f"bench-stages-{next(senders)}"
        requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": last["sender"], "message": text}, headers=REST_HEADERS,
                      timeout=60).raise_for_status()

    rest = _timed(rest_turn)
    parse = _timed(lambda: requests.post(f"{rasa_url}/model/parse", json={"text": text}, params=API_PARAMS, timeout=30).raise_for_status())
    tracker = requests.get(f"{rasa_url}/conversations/{last['sender']}/tracker", params=API_PARAMS, timeout=30).json()
    domain = requests.get(f"{rasa_url}/domain", headers={"Accept": "application/json"}, params=API_PARAMS, timeout=30).json()
    body = {"next_action": "action_search_flights", "sender_id": last["sender"], "tracker": tracker, "domain": domain, "version": "3.6.2"}
    action = _timed(lambda: requests.post(f"{actions_url}/webhook", json=body, headers=ACTION_HEADERS, timeout=60).raise_for_status())
    slots = tracker.get("slots", {})
    trip = [SliceRequest(slots.get("origin") or "BOS", slots.get("destination") or "LIS",
                         date.fromisoformat(slots.get("departure_date") or (date.today() + timedelta(days=20)).isoformat()))]
    flights = sandbox.flights()
    vendor = _timed(lambda: flights.search(trip))

    async def socket_turn() -> float:
        latency = float("nan")
        tab = await Customer(rasa_url).open()  # a new conversation each time, as for REST
        latency = await tab.say(text) or latency
        await tab.close()
        await asyncio.sleep(0.3)
        return latency * 1000

    asyncio.run(socket_turn())  # warm-up
    socket = statistics.median(asyncio.run(socket_turn()) for _ in range(5))
    return {"whole turn, socket channel": socket, "whole turn, REST channel": rest, "NLU (parse)": parse,
            "search action on the action server": action, "of which the flights API call": vendor,
            "channel (socket minus REST)": socket - rest, "the rest: policies, form validation, tracker": rest - parse - action}


def _timed(call, repeat: int = 5) -> float:
    """Median milliseconds of `repeat` calls after one warm-up call."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def training() -> Dict[str, float]:
    """Full training from scratch (fresh cache) in a copy of the project files it reads."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "RASA_CACHE_DIRECTORY": str(Path(folder) / "cache"), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv/bin/rasa"), "train", "--out", folder, "--fixed-model-name", "bench"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "model_mb": (Path(folder) / "bench.tar.gz").stat().st_size / 1e6}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, Python {platform.python_version()}, Rasa 3.6.21, Linux {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run that finishes in about two minutes")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    plan = PLANS[mode]
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp())
    say(f"{mode} benchmark on {machine()}")
    sandbox = start_sandbox(f"sqlite:///{folder}/sandbox.db")
    actions = action_server(sandbox.url).start()
    report: Dict[str, Any] = {"mode": mode, "machine": machine(), "model_mb": MODEL.stat().st_size / 1e6}
    servers = {}
    try:
        # Quick mode starts both at once (cold starts then share the CPU); full mode one by one.
        say(f"starting ours and stock (cold start: process start to first answer){' together' if mode == 'quick' else ''}")
        with ThreadPoolExecutor(max_workers=2 if mode == "quick" else 1) as pool:
            started = dict(zip(("ours", "stock"), pool.map(lambda name: start_rasa(name, actions.url, folder), ("ours", "stock"))))
        for name, (server, cold) in started.items():
            servers[name] = server
            report.setdefault(name, {})["cold_start_s"] = cold
        for name, server in servers.items():
            say(f"{name}: one customer, {plan['light_turns']} turns")
            report[name]["light"] = light(server.url, plan["light_turns"])
        # Before the load runs: right after them the server is still working off their backlog.
        say("one message, stage by stage (ours)")
        report["stages"] = stages(servers["ours"].url, actions.url, sandbox)
        for name, server in servers.items():
            before = snapshot(server.process.pid)
            for level in plan["levels"]:
                say(f"{name}: {level} concurrent customers for {plan['level_seconds']} s")
                results = asyncio.run(closed_loop(server.url, level, plan["level_seconds"], progress(f"{name} x{level}")))
                print(file=sys.stderr)
                report[name].setdefault("closed", {})[level] = summary(results, plan["level_seconds"])
            for rate in plan["rates"]:
                say(f"{name}: open loop at {rate} messages/s for {plan['rate_seconds']} s")
                report[name].setdefault("open", {})[rate] = summary(asyncio.run(open_loop(server.url, rate, plan["rate_seconds"])))
            after = snapshot(server.process.pid)
            report[name]["cpu_seconds"] = after["cpu_seconds"] - before["cpu_seconds"]
            report[name]["peak_rss_mb"] = after["peak_rss_mb"]
        if plan.get("soak_seconds"):
            say(f"ours: 200 customers chatting at a person's pace (10-20 s between messages) for {plan['soak_seconds']} s")
            soak = asyncio.run(closed_loop(servers["ours"].url, 200, plan["soak_seconds"], progress("soak"), human=True))
            report["ours"]["soak"] = summary(soak, plan["soak_seconds"])
            print(file=sys.stderr)
        report["actions_peak_rss_mb"] = snapshot(actions.process.pid)["peak_rss_mb"]
    finally:
        for server in servers.values():
            server.stop()
    if plan["scale"]:
        from bench.scale import one_and_two_instances

        say("scale: one and two instances on Redis and PostgreSQL")
        report["scale"] = one_and_two_instances(actions.url, folder, start_rasa, plan["level_seconds"])
    actions.stop()
    sandbox.server.stop()
    if plan["train"]:
        say("full training from scratch")
        report["training"] = training()
    report["seconds"] = time.perf_counter() - began
    from bench.report import write

    write(report, OUT)
    say(f"done in {report['seconds']:.0f} s: {OUT / 'latest.md'}")


if __name__ == "__main__":
    main()
