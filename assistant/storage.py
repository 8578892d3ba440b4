"""Conversations and feedback in SQLite: the embedded default store for every channel.

Each thread keeps its own connection (threads never share one, and a connection left open
spares the WAL checkpoint that closing the last one forces on every write); WAL lets
readers run beside the one writer, and each write is a single transaction, so concurrent
requests neither corrupt nor lose turns.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from assistant.answer import Answer
from assistant.conversation import Conversation, Turn

SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    entities TEXT NOT NULL,
    answer_markdown TEXT NOT NULL,
    answer TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES turns(message_id),
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    at TEXT NOT NULL
);
"""


class Feedback(BaseModel):
    id: int
    conversation_id: str
    message_id: str
    rating: Literal["up", "down"]
    comment: str | None
    at: datetime


class UnknownMessage(LookupError):
    """Feedback for a message that is not in that conversation."""


class SQLiteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        # Writers in this process queue on a lock rather than on SQLite's busy handler, whose
        # sleep-and-retry backoff turned write contention into second-long tails under load.
        self._write = threading.Lock()
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (opened on first use and kept; transactions are explicit)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            db.execute("PRAGMA busy_timeout=30000")
            # In WAL mode NORMAL keeps every transaction atomic and the file consistent; it
            # only skips an fsync per commit (a power cut may drop the last turns).
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        yield db

    def get(self, conversation_id: str) -> Conversation | None:
        with self._db() as db:
            rows = db.execute(
                "SELECT message_id, question, intent, entities, answer_markdown, at FROM turns "
                "WHERE conversation_id = ? ORDER BY seq",
                (conversation_id,),
            ).fetchall()
        if not rows:
            return None
        turns = [
            Turn(
                message_id=m,
                question=q,
                intent=i,
                entities=json.loads(e),
                answer_markdown=a,
                at=datetime.fromisoformat(at),
            )
            for m, q, i, e, a, at in rows
        ]
        return Conversation(id=conversation_id, turns=turns)

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        with self._write, self._db() as db:
            # IMMEDIATE takes the write lock before reading max(seq): two requests in one
            # conversation can never both claim the same sequence number.
            db.execute("BEGIN IMMEDIATE")
            try:
                (seq,) = db.execute(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()
                db.execute(
                    "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        conversation_id,
                        seq,
                        turn.message_id,
                        turn.question,
                        turn.intent,
                        turn.entities.model_dump_json(),
                        turn.answer_markdown,
                        answer.model_dump_json() if answer else None,
                        turn.at.isoformat(),
                    ),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def answers(self, conversation_id: str) -> list[Answer]:
        """The full answers of a conversation, oldest first (to redraw a chat)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT answer FROM turns WHERE conversation_id = ? AND answer IS NOT NULL ORDER BY seq",
                (conversation_id,),
            ).fetchall()
        return [Answer.model_validate_json(row[0]) for row in rows]

    def add_feedback(self, conversation_id: str, message_id: str, rating: str, comment: str | None) -> Feedback:
        at = datetime.now(UTC)
        with self._write, self._db() as db:
            found = db.execute(
                "SELECT 1 FROM turns WHERE conversation_id = ? AND message_id = ?", (conversation_id, message_id)
            ).fetchone()
            if not found:
                raise UnknownMessage(f"no message {message_id!r} in conversation {conversation_id!r}")
            cursor = db.execute(
                "INSERT INTO feedback (conversation_id, message_id, rating, comment, at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, message_id, rating, comment, at.isoformat()),
            )
        return Feedback(
            id=cursor.lastrowid or 0,
            conversation_id=conversation_id,
            message_id=message_id,
            rating=rating,
            comment=comment,
            at=at,
        )  # type: ignore[arg-type]

    def feedback(self, message_id: str | None = None) -> list[Feedback]:
        with self._db() as db:
            query = "SELECT id, conversation_id, message_id, rating, comment, at FROM feedback"
            rows = db.execute(
                query + (" WHERE message_id = ?" if message_id else "") + " ORDER BY id",
                (message_id,) if message_id else (),
            ).fetchall()
        return [
            Feedback(id=i, conversation_id=c, message_id=m, rating=r, comment=t, at=datetime.fromisoformat(a))
            for i, c, m, r, t, a in rows
        ]
