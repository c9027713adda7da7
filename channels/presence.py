"""Whether a conversation has an open socket on any instance: in memory for one process, in Redis
(with expiring entries, refreshed while the socket lives) for several."""
from __future__ import annotations

import time
from typing import Dict, Optional


class Presence:
    """Open sockets per conversation, in this process."""

    def __init__(self) -> None:
        self._sockets: Dict[str, set] = {}

    async def add(self, conversation_id: str, sid: str) -> None:
        self._sockets.setdefault(conversation_id, set()).add(sid)

    async def remove(self, conversation_id: str, sid: str) -> None:
        self._sockets.get(conversation_id, set()).discard(sid)

    async def online(self, conversation_id: str) -> bool:
        return bool(self._sockets.get(conversation_id))

    async def refresh(self) -> None:
        """Nothing to refresh in memory."""

    def local(self) -> Dict[str, set]:
        return self._sockets


class RedisPresence(Presence):
    """Open sockets per conversation across instances. Each entry expires unless its instance keeps
    refreshing it, so a crashed instance does not leave conversations looking online for ever."""

    TTL_SECONDS = 45

    def __init__(self, url: str, instance: str) -> None:
        super().__init__()
        import redis.asyncio as redis

        self.redis = redis.from_url(url)
        self.instance = instance

    def _key(self, conversation_id: str) -> str:
        return f"travel-assistant:presence:{conversation_id}"

    async def add(self, conversation_id: str, sid: str) -> None:
        await super().add(conversation_id, sid)
        await self.redis.hset(self._key(conversation_id), f"{self.instance}:{sid}", time.time() + self.TTL_SECONDS)

    async def remove(self, conversation_id: str, sid: str) -> None:
        await super().remove(conversation_id, sid)
        await self.redis.hdel(self._key(conversation_id), f"{self.instance}:{sid}")

    async def online(self, conversation_id: str) -> bool:
        entries = await self.redis.hgetall(self._key(conversation_id))
        now = time.time()
        return any(float(expiry) > now for expiry in entries.values())

    async def refresh(self) -> None:
        for conversation_id, sids in list(self.local().items()):
            for sid in list(sids):
                await self.redis.hset(self._key(conversation_id), f"{self.instance}:{sid}", time.time() + self.TTL_SECONDS)


def make_presence(redis_url: Optional[str], instance: str) -> Presence:
    return RedisPresence(redis_url, instance) if redis_url else Presence()
