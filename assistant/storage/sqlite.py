"""The store in a SQLite file: the embedded default, for one machine.

Each thread keeps its own connection (threads never share one, and a connection left open
spares the WAL checkpoint that closing the last one forces on every write); WAL lets
readers run beside the one writer, and each write is a single transaction, so concurrent
requests neither corrupt nor lose turns.
"""

from __future__ import annotations

import hmac
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.answer import Answer
from assistant.conversation import Conversation, Turn
from assistant.storage.base import Feedback, StoreUnavailable, UnknownMessage, for_review, utc_iso
from assistant.storage.migrate import migrate_sqlite
from assistant.usage import QuestionRecord


class SQLiteStore:
    """The Store protocol (assistant.storage.base) over one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        self.path = path
        # Writers in this process queue on a lock rather than on SQLite's busy handler, whose
        # sleep-and-retry backoff turned write contention into second-long tails under load.
        self._write = threading.Lock()
        self._local = threading.local()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _private_file(path)  # people's pay is in here: readable by this user only
            with self._db() as db:
                _when_unlocked(lambda: db.execute("PRAGMA journal_mode=WAL"))
                _when_unlocked(lambda: migrate_sqlite(db))
        except (OSError, sqlite3.DatabaseError) as failure:
            raise StoreUnavailable(f"cannot open the SQLite database {path}: {failure}") from failure

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

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._write, self._db() as db:
            # IMMEDIATE takes the write lock before reading: two requests in one conversation
            # can never both claim the same sequence number.
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    # -- conversations -----------------------------------------------------------------------

    def start(self, conversation_id: str, owner: str) -> None:
        now = datetime.now(UTC).isoformat()
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO conversations (id, owner, started, updated) VALUES (?, ?, ?, ?)",
                (conversation_id, owner, now, now),
            )

    def owns(self, conversation_id: str, owner: str) -> bool:
        with self._db() as db:
            row = db.execute("SELECT owner FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row is not None and bool(owner) and hmac.compare_digest(row[0], owner)

    def get(self, conversation_id: str, owner: str) -> Conversation | None:
        if not self.owns(conversation_id, owner):
            return None
        with self._db() as db:
            rows = db.execute(
                "SELECT message_id, question, intent, entities, answer_markdown, at FROM turns "
                "WHERE conversation_id = ? ORDER BY seq",
                (conversation_id,),
            ).fetchall()
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
        return Conversation(id=conversation_id, owner=owner, turns=turns)

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        with self._transaction() as db:
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
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (turn.at.isoformat(), conversation_id))

    def answers(self, conversation_id: str, owner: str) -> list[Answer] | None:
        """The full answers of `owner`'s conversation, oldest first (to redraw a chat); None
        when there is no such conversation of theirs."""
        if not self.owns(conversation_id, owner):
            return None
        with self._db() as db:
            rows = db.execute(
                "SELECT answer FROM turns WHERE conversation_id = ? AND answer IS NOT NULL ORDER BY seq",
                (conversation_id,),
            ).fetchall()
        return [Answer.model_validate_json(row[0]) for row in rows]

    def conversations_of(self, owner: str, limit: int = 50) -> list[tuple[str, str, datetime]]:
        """`owner`'s conversations, latest first: (id, title — its first question —, last continued)."""
        if not owner:
            return []
        with self._db() as db:
            rows = db.execute(
                "SELECT c.id, (SELECT question FROM turns t WHERE t.conversation_id = c.id ORDER BY seq LIMIT 1), "
                "c.updated FROM conversations c WHERE c.owner = ? ORDER BY c.updated DESC LIMIT ?",
                (owner, limit),
            ).fetchall()
        return [(i, q, datetime.fromisoformat(u)) for i, q, u in rows if q is not None]

    def ratings(self, conversation_id: str, rater: str) -> dict[str, str]:
        """message id -> the rater's rating, in one conversation."""
        with self._db() as db:
            rows = db.execute(
                "SELECT message_id, rating FROM feedback WHERE conversation_id = ? AND owner = ?",
                (conversation_id, rater),
            ).fetchall()
        return dict(rows)

    def delete(self, conversation_id: str, owner: str) -> bool:
        """Forget one of `owner`'s conversations: its turns, answers and feedback."""
        if not self.owns(conversation_id, owner):
            return False
        with self._transaction() as db:
            _delete(db, [conversation_id])
        return True

    def forget(self, older_than: timedelta) -> int:
        """Forget every conversation last continued longer ago than `older_than`; how many."""
        cutoff = (datetime.now(UTC) - older_than).isoformat()
        with self._transaction() as db:
            ids = [row[0] for row in db.execute("SELECT id FROM conversations WHERE updated < ?", (cutoff,))]
            _delete(db, ids)
            db.execute("DELETE FROM questions WHERE at < ?", (cutoff,))  # kept no longer than conversations
        return len(ids)

    # -- feedback ----------------------------------------------------------------------------

    def add_feedback(
        self,
        conversation_id: str,
        message_id: str,
        rating: str,
        comment: str | None,
        owner: str,
        rater: str | None = None,
    ) -> Feedback:
        """One rating per message per rater (the owner, or one of the people a channel's
        conversation is shared with): rating again changes it."""
        at = datetime.now(UTC)
        if not self.owns(conversation_id, owner):
            raise UnknownMessage(f"no message {message_id!r} in conversation {conversation_id!r}")
        with self._transaction() as db:
            found = db.execute(
                "SELECT 1 FROM turns WHERE conversation_id = ? AND message_id = ?", (conversation_id, message_id)
            ).fetchone()
            if not found:
                raise UnknownMessage(f"no message {message_id!r} in conversation {conversation_id!r}")
            (feedback_id,) = db.execute(
                "INSERT INTO feedback (conversation_id, message_id, rating, comment, at, owner) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, owner) "
                "DO UPDATE SET rating = excluded.rating, comment = excluded.comment, at = excluded.at RETURNING id",
                (conversation_id, message_id, rating, comment, at.isoformat(), rater or owner),
            ).fetchone()
        return Feedback(
            id=feedback_id,
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

    def feedback_for_review(self, message_id: str | None = None) -> list[Feedback]:
        return for_review(self.feedback(message_id))

    # -- the question log --------------------------------------------------------------------

    def record_question(self, record: QuestionRecord) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO questions (message_id, at, channel, question, intent, status, confidence, missing, "
                "missing_name, guides) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
                (
                    record.message_id,
                    utc_iso(record.at),
                    record.channel,
                    record.question,
                    record.intent,
                    record.status,
                    record.confidence,
                    record.missing,
                    record.missing_name,
                    json.dumps(record.guides),
                ),
            )

    def question_records(self, since: datetime | None = None, limit: int = 10000) -> list[QuestionRecord]:
        with self._db() as db:
            rows = db.execute(
                "SELECT message_id, at, channel, question, intent, status, confidence, missing, missing_name, guides "
                "FROM questions WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?",
                (utc_iso(since) if since else "", limit),  # UTC ISO text sorts as time; all of it is >= ""
            ).fetchall()
        return [
            QuestionRecord(
                message_id=m,
                at=datetime.fromisoformat(at),
                channel=c,
                question=q,
                intent=i,
                status=s,
                confidence=conf,
                missing=miss,
                missing_name=name,
                guides=json.loads(g),
            )
            for m, at, c, q, i, s, conf, miss, name, g in rows
        ]

    # -- counters shared by every process: rate limits, Slack requests seen ------------------

    def hits(self, key: str, window_start: int) -> int:
        with self._db() as db:
            row = db.execute(
                "SELECT hits FROM rate_hits WHERE key = ? AND window_start = ?", (key, window_start)
            ).fetchone()
        return row[0] if row else 0

    def add_hit(self, key: str, window_start: int, expires: int, cap: int) -> bool:
        with self._transaction() as db:
            counted = db.execute(
                "INSERT INTO rate_hits (key, window_start, hits, expires) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (key, window_start) DO UPDATE SET hits = hits + 1 WHERE rate_hits.hits < ? RETURNING hits",
                (key, window_start, expires, cap),
            ).fetchone()
        return counted is not None

    def claim(self, key: str, expires: float, now: float) -> bool:
        # Inserts the key, or takes over a row whose time is over; either way one row changes.
        with self._transaction() as db:
            return (
                db.execute(
                    "INSERT INTO slack_seen (key, expires) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE slack_seen.expires < ?",
                    (key, expires, now),
                ).rowcount
                == 1
            )

    def prune(self, now: float) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM rate_hits WHERE expires < ?", (now,))
            db.execute("DELETE FROM slack_seen WHERE expires < ?", (now,))

    def close(self) -> None:
        """Close this thread's connection (the store stays usable: a later call opens another)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


OPEN_TIMEOUT = 30.0  # seconds, as the connections' busy timeout


def _when_unlocked(step: Callable[[], object]) -> None:
    """Run a start-up step, waiting out other processes starting on the same new file.
    Switching to WAL (and recovering a WAL) reports "database is locked" at once, without
    SQLite's busy handler, while another process does the same: so retry, up to the timeout."""
    deadline = time.monotonic() + OPEN_TIMEOUT
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as failure:
            if "locked" not in str(failure) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _delete(db: sqlite3.Connection, ids: list[str]) -> None:
    for conversation_id in ids:
        # The content team's log of these questions goes too: deleting is deleting.
        db.execute(
            "DELETE FROM questions WHERE message_id IN (SELECT message_id FROM turns WHERE conversation_id = ?)",
            (conversation_id,),
        )
        db.execute("DELETE FROM feedback WHERE conversation_id = ?", (conversation_id,))
        db.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation_id,))
        db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))


def _private_file(path: Path) -> None:
    """Create `path` as 0600 if it is new; tighten it if it exists. SQLite gives its -wal and
    -shm files the database file's permissions."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
