"""Which Slack requests were already seen, shared by every worker process through SQLite.

A correctly signed request stays valid for Slack's 5-minute timestamp window, so anyone who
captures one can replay it, and Slack itself may redeliver an event. Each request's key (an
event_id, or a hash of a command's or action's signed body) is claimed in a table of the
app's database file: the one worker whose claim inserts the row answers, every other copy
is a duplicate. SQLite serializes writers across processes, so the claim is atomic.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

WINDOW = 300.0  # seconds: Slack refuses to sign for longer, and we refuse older timestamps

SCHEMA = "CREATE TABLE IF NOT EXISTS slack_seen (key TEXT PRIMARY KEY, expires REAL NOT NULL)"

# Inserts the key, or takes over a row whose window is over; either way one row changes.
# A key still inside its window changes nothing: that request is a duplicate.
CLAIM = (
    "INSERT INTO slack_seen (key, expires) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE slack_seen.expires < ?3"
)

PRUNE_EVERY = 60.0  # seconds between sweeps of expired keys, per process


class ReplayGuard:
    """`first_seen(key, signed_at)`: True for the first copy of a request, False for any copy
    after it, in this process or any other using the same database file."""

    def __init__(self, path: Path, window: float = WINDOW) -> None:
        self.path = path
        self.window = window
        self._local = threading.local()
        self._last_prune = 0.0
        path.parent.mkdir(parents=True, exist_ok=True)
        db = self._db()
        db.execute("PRAGMA journal_mode=WAL")  # as the app's store: readers never wait on a writer
        db.execute(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        """This thread's connection: sqlite3 connections are not shared between threads."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA synchronous=NORMAL")  # a key lost to a power cut only re-allows its replay
            self._local.db = db
        return db

    def first_seen(self, key: str, signed_at: float) -> bool:
        """Claim `key` for a request signed at `signed_at` (Unix seconds)."""
        now = time.time()
        # A copy is a replay while its signature still verifies (until signed_at + window) and
        # a redelivery while it comes within the window of the first: the key lives for both.
        expires = max(now, signed_at) + self.window
        db = self._db()
        claimed = db.execute(CLAIM, (key, expires, now)).rowcount == 1
        if now - self._last_prune > PRUNE_EVERY:
            self._last_prune = now
            db.execute("DELETE FROM slack_seen WHERE expires < ?", (now,))
        return claimed
