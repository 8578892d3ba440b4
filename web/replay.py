"""Which Slack requests were already seen, shared by every worker process through the store.

A correctly signed request stays valid for Slack's 5-minute timestamp window, so anyone who
captures one can replay it, and Slack itself may redeliver an event. Each request's key (an
event_id, or a hash of a command's or action's signed body) is claimed in the store: the one
worker whose claim inserts the row answers, every other copy is a duplicate. The claim is one
atomic upsert, in SQLite (writers serialized across processes) as in PostgreSQL.
"""

from __future__ import annotations

import time
from typing import Protocol

WINDOW = 300.0  # seconds: Slack refuses to sign for longer, and we refuse older timestamps
PRUNE_EVERY = 60.0  # seconds between sweeps of expired keys, per process


class Claims(Protocol):
    """The part of the store that claims (assistant.storage.base.Store)."""

    def claim(self, key: str, expires: float, now: float) -> bool: ...

    def prune(self, now: float) -> None: ...


class ReplayGuard:
    """`first_seen(key, signed_at)`: True for the first copy of a request, False for any copy
    after it, in this process or any other using the same database."""

    def __init__(self, store: Claims, window: float = WINDOW) -> None:
        self.store = store
        self.window = window
        self._last_prune = 0.0

    def first_seen(self, key: str, signed_at: float) -> bool:
        """Claim `key` for a request signed at `signed_at` (Unix seconds)."""
        now = time.time()
        # A copy is a replay while its signature still verifies (until signed_at + window) and
        # a redelivery while it comes within the window of the first: the key lives for both.
        claimed = self.store.claim(key, max(now, signed_at) + self.window, now)
        if now - self._last_prune > PRUNE_EVERY:
            self._last_prune = now
            self.store.prune(now)
        return claimed
