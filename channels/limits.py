"""How much one socket, one conversation and one address may ask of the channel.

A limit per socket alone is beaten by opening more sockets; so every message is also counted
against its conversation (all tabs of one customer) and, for anonymous visitors, against its
address (all anonymous sockets from one machine or NAT), and an address may hold only so many
sockets at once. Refusals cost a few
microseconds and never reach the NLU, so a flood from one address cannot slow down everyone
else. Counts live in this process: with several instances behind a sticky proxy each instance
limits what reaches it (docs/security.md).
"""
from __future__ import annotations

import ipaddress
import os
import time
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

PRUNE_ABOVE = 10_000  # buckets kept per kind before full (idle) ones are forgotten


class TokenBucket:
    """`capacity` events at once, refilled at `rate` per second."""

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity, self.rate = capacity, rate
        self.tokens, self.stamp = capacity, time.monotonic()
        self.refusals = 0

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until one event would be allowed (0 when it is now)."""
        self._refill()
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1
        self.refusals = 0

    @property
    def idle(self) -> bool:
        self._refill()
        return self.tokens >= self.capacity


@dataclass(frozen=True)
class LimitSettings:
    messages_per_minute: int = 30  # per socket, and per conversation across its tabs
    address_messages_per_minute: int = 30  # per address, all its anonymous visitors' sockets together
    activity_per_second: float = 2.0  # page activity per socket (burst of 20)
    sockets_per_address: int = 20
    connects_per_minute: int = 60  # new sockets per address

    @classmethod
    def from_env(cls, **overrides: Any) -> "LimitSettings":
        def number(env: str, default: float) -> float:
            return float(os.environ.get(env) or default)

        values = {
            "messages_per_minute": int(number("CHANNEL_MESSAGES_PER_MINUTE", cls.messages_per_minute)),
            "address_messages_per_minute": int(number("CHANNEL_ADDRESS_MESSAGES_PER_MINUTE", cls.address_messages_per_minute)),
            "sockets_per_address": int(number("CHANNEL_SOCKETS_PER_ADDRESS", cls.sockets_per_address)),
            "connects_per_minute": int(number("CHANNEL_CONNECTS_PER_MINUTE", cls.connects_per_minute)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class Limits:
    def __init__(self, settings: LimitSettings) -> None:
        self.settings = settings
        self._buckets: Dict[str, Dict[str, TokenBucket]] = {"socket": {}, "conversation": {}, "address": {}, "activity": {},
                                                            "connect": {}}
        self._sockets: Dict[str, int] = {}

    def _bucket(self, kind: str, key: str) -> TokenBucket:
        table = self._buckets[kind]
        bucket = table.get(key)
        if bucket is None:
            if len(table) > PRUNE_ABOVE:
                for idle in [k for k, b in table.items() if b.idle]:
                    del table[idle]
            s = self.settings
            per_minute = {"socket": s.messages_per_minute, "conversation": s.messages_per_minute,
                          "address": s.address_messages_per_minute, "connect": s.connects_per_minute}
            if kind == "activity":
                bucket = TokenBucket(capacity=20, rate=s.activity_per_second)
            else:
                bucket = TokenBucket(capacity=max(3, per_minute[kind] // 3), rate=per_minute[kind] / 60)
            table[key] = bucket
        return bucket

    def _take(self, buckets: Iterable[TokenBucket]) -> Optional[float]:
        """Takes one event from every bucket when all allow it; else the longest wait."""
        buckets = list(buckets)
        wait = max(b.wait() for b in buckets)
        if wait > 0:
            for bucket in buckets:
                bucket.refusals += 1
            return wait
        for bucket in buckets:
            bucket.take()
        return None

    def admits(self, address: str) -> Optional[str]:
        """None when `address` may open a socket now (nothing is counted), else the reason. Asked
        before the websocket upgrade, so a refusal costs no handshake."""
        if self._sockets.get(address, 0) >= self.settings.sockets_per_address:
            return f"too many open connections from your address (limit {self.settings.sockets_per_address})"
        wait = self._bucket("connect", address).wait()
        return f"too many new connections from your address; try again in {max(1, round(wait))} s" if wait else None

    def connect(self, address: str) -> Optional[str]:
        """None when a new socket from `address` is allowed (and counted), else the reason."""
        refused = self.admits(address)
        if refused:
            return refused
        self._bucket("connect", address).take()
        self._sockets[address] = self._sockets.get(address, 0) + 1
        return None

    def disconnect(self, sid: str, address: Optional[str]) -> None:
        self._buckets["socket"].pop(sid, None)
        self._buckets["activity"].pop(sid, None)
        if address in self._sockets:
            self._sockets[address] -= 1
            if self._sockets[address] <= 0:
                del self._sockets[address]

    def message(self, sid: str, conversation_id: str, address: str, anonymous: bool = True) -> Optional[float]:
        """None when the message may go on, else the seconds to wait. Anonymous visitors from one
        address share one allowance (a flood opens new anonymous conversations at will); a
        signed-in customer is limited as that customer, however many share their office's address."""
        buckets = [self._bucket("socket", sid), self._bucket("conversation", conversation_id)]
        return self._take(buckets + [self._bucket("address", address)] if anonymous else buckets)

    def activity(self, sid: str) -> Optional[float]:
        return self._take([self._bucket("activity", sid)])

    def refusals(self, sid: str) -> int:
        """Refusals in a row of this socket's messages or activity."""
        return max((self._buckets[kind][sid].refusals for kind in ("socket", "activity") if sid in self._buckets[kind]), default=0)


def _within(address: str, networks: List[ipaddress._BaseNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: Optional[str], trusted_proxies: Iterable[str]) -> str:
    """The client's address: the peer, or, when the peer is one of our proxies (addresses or
    networks such as 10.0.0.0/8), the last address in X-Forwarded-For that is not one of them
    (earlier entries are the client's own word)."""
    networks = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]
    if not forwarded_for or not _within(peer, networks):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if not _within(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer
