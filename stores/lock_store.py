"""A Redis lock store whose tickets cannot be lost when several Rasa instances take them at once.

Rasa 3.6's RedisLockStore reads a conversation's ticket lock, changes it in Python and writes it
back. Two instances issuing tickets for one conversation at the same moment both write, and one
ticket disappears: its message waits for a turn that never comes and is dropped with LockError
after TICKET_LOCK_LIFETIME (seen with fifty messages into one conversation through two
instances; tests/production). Here every change is one optimistic Redis transaction
(WATCH/MULTI/EXEC, retried on conflict), and the lock is deleted in the same transaction that
removes its last ticket.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, Text, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """`type: stores.lock_store.AtomicRedisLockStore` in endpoints.yml, with RedisLockStore's
    settings (url, port, db, password, key_prefix, ...)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], T]) -> T:
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else TicketLock(conversation_id)
                    result = change(lock)
                    pipe.multi()
                    if lock.tickets:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:  # another instance changed the lock first: read it again
                    continue

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes the ticket; the lock goes with its last ticket, in the same transaction."""
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: Text) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())
