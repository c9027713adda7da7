"""Socket.io customers playing scripted conversations, and the two ways of loading a server with
them: closed loop (N customers, each waiting for the reply before the next message) and open
loop (messages started at a fixed offered rate, whatever the replies do)."""
from __future__ import annotations

import asyncio
import itertools
import random
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import socketio

REPLY_TIMEOUT_SECONDS = 30
THINK_SECONDS = 0.3  # a reply's later messages arrive before the customer's next message
HUMAN_THINK_SECONDS = (10.0, 20.0)  # reading the reply and typing the next message, at a person's pace

# (message, needs a vendor call). Anonymous customers, so stock Rasa and ours play the same script.
SCRIPTS: Dict[str, List[tuple]] = {
    "booking": [("hi", False), ("I need a flight from Boston to Lisbon", False), ("the 15th, one way", True),
                ("yes please", True), ("the cheapest one", True), ("yes", False), ("Maya Chen", False),
                ("1990-04-02", False), ("maya.chen@example.com", True)],
    "ticket status": [("hello", False), ("what's the status of ticket 1042", False), ("thanks", False)],
    "chit-chat": [("hey there", False), ("what can you do", False), ("are you a bot?", False), ("thank you", False), ("bye", False)],
    "correction": [("flights from chicago to denver on the 20th", False), ("one way", True),
                   ("actually from new york instead", True), ("never mind", False)],
}


@dataclass
class Sample:
    script: str
    vendor: bool
    sent_at: float
    latency: Optional[float]  # None: no reply within REPLY_TIMEOUT_SECONDS


@dataclass
class Results:
    samples: List[Sample] = field(default_factory=list)
    errors: int = 0  # connections refused or dropped, protocol errors

    @property
    def answered(self) -> List[float]:
        return [s.latency for s in self.samples if s.latency is not None]

    @property
    def unanswered(self) -> int:
        return sum(1 for s in self.samples if s.latency is None)


def percentile(values: List[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Customer:
    """One browser tab on a channel: ours (session_confirm is an object) or Rasa's (a bare id)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue = asyncio.Queue()
        self.session_id: Optional[str] = None
        self.client.on("bot_uttered", lambda data: self.replies.put_nowait(time.perf_counter()))

    async def open(self) -> "Customer":
        confirmed = asyncio.Event()

        def on_confirm(data: Any) -> None:
            self.session_id = data.get("session_id") if isinstance(data, dict) else data
            confirmed.set()

        self.client.on("session_confirm", on_confirm)
        await self.client.connect(self.url, transports=["websocket"], wait_timeout=15)
        await self.client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(confirmed.wait(), 15)
        return self

    async def say(self, text: str) -> Optional[float]:
        """Seconds until the first bot message, or None when none came in time."""
        while not self.replies.empty():  # stragglers of the previous turn
            self.replies.get_nowait()
        started = time.perf_counter()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        try:
            arrived = await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            return None
        return arrived - started

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()


async def play(customer: Customer, script: str, results: Results, until: float, think) -> None:
    for text, vendor in SCRIPTS[script]:
        if time.perf_counter() >= until:
            return
        sent = time.perf_counter()
        results.samples.append(Sample(script, vendor, sent, await customer.say(text)))
        await asyncio.sleep(think())


async def closed_loop(url: str, customers: int, seconds: float, progress=None, seed: int = 2026, human: bool = False) -> Results:
    """`customers` tabs, each playing random scripts back to back for `seconds`: as fast as the
    replies come (saturation), or `human`, pausing 10-20 s before each message as people do."""
    results = Results()
    rng = random.Random(seed)
    until = time.perf_counter() + seconds
    think = (lambda: rng.uniform(*HUMAN_THINK_SECONDS)) if human else (lambda: THINK_SECONDS)

    async def one(index: int) -> None:
        await asyncio.sleep(index * 0.02)  # do not open every socket in the same millisecond
        try:
            tab = await Customer(url).open()
        except Exception:
            results.errors += 1
            return
        try:
            if human:
                await asyncio.sleep(rng.uniform(0, HUMAN_THINK_SECONDS[1]))  # customers arrive spread out
            while time.perf_counter() < until:
                await play(tab, rng.choice(list(SCRIPTS)), results, until, think)
                if progress:
                    progress(len(results.samples))
        except Exception:
            results.errors += 1
        finally:
            await tab.close()

    await asyncio.gather(*(one(i) for i in range(customers)))
    return results


async def open_loop(url: str, rate: float, seconds: float, pool: int = 60) -> Results:
    """Messages started every 1/rate seconds on a pool of tabs (each tab one turn at a time)."""
    results = Results()
    tabs = [await Customer(url).open() for _ in range(pool)]
    free: asyncio.Queue = asyncio.Queue()
    for tab in tabs:
        free.put_nowait(tab)
    scripts = itertools.cycle([(name, text, vendor) for name, lines in SCRIPTS.items() for text, vendor in lines])
    tasks = []

    async def turn(name: str, text: str, vendor: bool, scheduled: float) -> None:
        tab = await free.get()
        latency = await tab.say(text)
        # Open loop: time from when the message was due, so waiting for a free tab counts too.
        results.samples.append(Sample(name, vendor, scheduled, None if latency is None else time.perf_counter() - scheduled))
        await asyncio.sleep(THINK_SECONDS)
        free.put_nowait(tab)

    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        due = start + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        name, text, vendor = next(scripts)
        tasks.append(asyncio.create_task(turn(name, text, vendor, due)))
    await asyncio.gather(*tasks)
    await asyncio.gather(*(tab.close() for tab in tabs))
    return results
