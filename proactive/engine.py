"""The proactive engine inside the channel: page activity in, offers of help out.

Each accepted activity event is looked at together with the conversation's recent activity (from
the channel's store, so every instance sees every tab); a sign of struggle becomes an offer of help
through trigger_intent (`express_difficulty` with the reason and context), unless the customer
switched offers off, said "no thanks" this session, or already had an offer within the window.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable, Dict, Optional

from channels.store import ChannelStore

from .struggle import Struggle, StruggleRules, detect

log = logging.getLogger(__name__)

OFFER_INTENT = "express_difficulty"
DECLINED_SLOT = "proactive_declined"

Trigger = Callable[[str, str, Dict[str, str]], Awaitable[Any]]
SlotReader = Callable[[str, str], Awaitable[Any]]


class ProactiveEngine:
    def __init__(self, store: ChannelStore, trigger: Trigger, read_slot: SlotReader,
                 rules: Optional[StruggleRules] = None, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.trigger = trigger
        self.read_slot = read_slot
        self.rules = rules or StruggleRules.from_env()
        self.clock = clock

    async def on_activity(self, conversation_id: str, event: Dict[str, Any]) -> Optional[Struggle]:
        """Handles one accepted event; returns the struggle it offered help for, if any."""
        if event["type"] == "proactive":
            await self.store.set_opt_out(conversation_id, not event.get("enabled", True))
            return None
        now = self.clock()
        struggle = detect(await self.store.recent_activity(conversation_id, now - self.rules.lookback_seconds), now, self.rules)
        if struggle is None:
            return None
        if await self.read_slot(conversation_id, DECLINED_SLOT):
            log.info("%s struggles (%s) but said no thanks this session", conversation_id, struggle.reason)
            return None
        if not await self.store.claim_offer(conversation_id, now, self.rules.offer_window_seconds):
            return None
        log.info("offering help to %s: %s %s", conversation_id, struggle.reason, struggle.context)
        await self.trigger(conversation_id, OFFER_INTENT, struggle.entities())
        return struggle
