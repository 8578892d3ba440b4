"""The store in PostgreSQL: for several server processes, on one machine or many, sharing
conversations, feedback, the question log and the rate-limit counts.

Connections come from a small pool (psycopg_pool); each method is one transaction, committed
when its `with` block ends. Two requests in one conversation take its row's lock before
numbering a turn, so they never claim the same sequence number.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from assistant.answer import Answer
from assistant.conversation import Conversation, Turn
from assistant.storage.base import Feedback, StoreUnavailable, UnknownMessage, for_review
from assistant.storage.migrate import migrate_postgres
from assistant.usage import QuestionRecord

# Connections per process: as many as the request threads that may want one at once by default
# (NEGOTIATE_REQUEST_THREADS); a thread past that waits for one. PostgreSQL's default of 100
# connections allows a dozen such processes.
POOL_SIZE = 8
CONNECT_TIMEOUT = 10  # seconds, to reach the server at start


class PostgresStore:
    """The Store protocol (assistant.storage.base) over a PostgreSQL database."""

    def __init__(self, url: str, pool_size: int = POOL_SIZE) -> None:
        self.where = where(url)
        try:
            # One connection first: an unreachable server or a wrong password is reported now,
            # with its cause, rather than as a pool timeout on the first request.
            with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT) as conn:
                migrate_postgres(conn)
        except psycopg.Error as failure:
            raise StoreUnavailable(
                f"cannot use the PostgreSQL database {self.where}: {_reason(failure, url)}"
            ) from None
        self._url = url
        self._pool_size = pool_size
        self._pool: ConnectionPool | None = None
        self._opening = threading.Lock()

    @property
    def pool(self) -> ConnectionPool:
        """The pool, opened on first use and again after close(), like SQLite's connections."""
        with self._opening:
            if self._pool is None:
                self._pool = ConnectionPool(
                    self._url,
                    min_size=1,
                    max_size=self._pool_size,
                    kwargs={"connect_timeout": CONNECT_TIMEOUT},
                    # A connection the server dropped (restart, idle timeout) is replaced, not handed out.
                    check=ConnectionPool.check_connection,
                    name="negotiate",
                    open=True,
                )
            return self._pool

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection]:
        """A connection in a transaction: committed when the block ends, rolled back on error."""
        with self.pool.connection() as conn:
            yield conn

    # -- conversations -----------------------------------------------------------------------

    def start(self, conversation_id: str, owner: str) -> None:
        now = datetime.now(UTC)
        with self._tx() as db:
            db.execute(
                "INSERT INTO conversations (id, owner, started, updated) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                (conversation_id, owner, now, now),
            )

    def owns(self, conversation_id: str, owner: str) -> bool:
        with self._tx() as db:
            return _owns(db, conversation_id, owner)

    def get(self, conversation_id: str, owner: str) -> Conversation | None:
        with self._tx() as db:  # one round of the pool per read: the check and the rows together
            if not _owns(db, conversation_id, owner):
                return None
            rows = db.execute(
                "SELECT message_id, question, intent, entities, answer_markdown, at FROM turns "
                "WHERE conversation_id = %s ORDER BY seq",
                (conversation_id,),
            ).fetchall()
        turns = [
            Turn(message_id=m, question=q, intent=i, entities=json.loads(e), answer_markdown=a, at=at)
            for m, q, i, e, a, at in rows
        ]
        return Conversation(id=conversation_id, owner=owner, turns=turns)

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        with self._tx() as db:
            db.execute("SELECT 1 FROM conversations WHERE id = %s FOR UPDATE", (conversation_id,))
            db.execute(
                "INSERT INTO turns (conversation_id, seq, message_id, question, intent, entities, answer_markdown, "
                "answer, at) SELECT %s, COALESCE(MAX(seq), 0) + 1, %s, %s, %s, %s, %s, %s, %s "
                "FROM turns WHERE conversation_id = %s",
                (
                    conversation_id,
                    turn.message_id,
                    turn.question,
                    turn.intent,
                    turn.entities.model_dump_json(),
                    turn.answer_markdown,
                    answer.model_dump_json() if answer else None,
                    turn.at,
                    conversation_id,
                ),
            )
            db.execute("UPDATE conversations SET updated = %s WHERE id = %s", (turn.at, conversation_id))

    def answers(self, conversation_id: str, owner: str) -> list[Answer] | None:
        with self._tx() as db:
            if not _owns(db, conversation_id, owner):
                return None
            rows = db.execute(
                "SELECT answer FROM turns WHERE conversation_id = %s AND answer IS NOT NULL ORDER BY seq",
                (conversation_id,),
            ).fetchall()
        return [Answer.model_validate_json(row[0]) for row in rows]

    def conversations_of(self, owner: str, limit: int = 50) -> list[tuple[str, str, datetime]]:
        if not owner:
            return []
        with self._tx() as db:
            rows = db.execute(
                "SELECT c.id, (SELECT question FROM turns t WHERE t.conversation_id = c.id ORDER BY seq LIMIT 1), "
                "c.updated FROM conversations c WHERE c.owner = %s ORDER BY c.updated DESC LIMIT %s",
                (owner, limit),
            ).fetchall()
        return [(i, q, u) for i, q, u in rows if q is not None]

    def ratings(self, conversation_id: str, rater: str) -> dict[str, str]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT message_id, rating FROM feedback WHERE conversation_id = %s AND owner = %s",
                (conversation_id, rater),
            ).fetchall()
        return {m: r for m, r in rows}

    def delete(self, conversation_id: str, owner: str) -> bool:
        if not self.owns(conversation_id, owner):
            return False
        with self._tx() as db:  # its turns and their feedback go with it (ON DELETE CASCADE)
            # and the content team's log of its questions: deleting is deleting
            db.execute(
                "DELETE FROM questions WHERE message_id IN (SELECT message_id FROM turns WHERE conversation_id = %s)",
                (conversation_id,),
            )
            db.execute("DELETE FROM conversations WHERE id = %s", (conversation_id,))
        return True

    def forget(self, older_than: timedelta) -> int:
        cutoff = datetime.now(UTC) - older_than
        with self._tx() as db:
            db.execute(
                "DELETE FROM questions WHERE message_id IN (SELECT t.message_id FROM turns t "
                "JOIN conversations c ON c.id = t.conversation_id WHERE c.updated < %s)",
                (cutoff,),
            )
            gone = db.execute("DELETE FROM conversations WHERE updated < %s", (cutoff,)).rowcount
            db.execute("DELETE FROM questions WHERE at < %s", (cutoff,))  # kept no longer than conversations
        return gone

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
        at = datetime.now(UTC)
        unknown = UnknownMessage(f"no message {message_id!r} in conversation {conversation_id!r}")
        if not self.owns(conversation_id, owner):
            raise unknown
        with self._tx() as db:
            found = db.execute(
                "SELECT 1 FROM turns WHERE conversation_id = %s AND message_id = %s", (conversation_id, message_id)
            ).fetchone()
            if not found:
                raise unknown
            row = db.execute(
                "INSERT INTO feedback (conversation_id, message_id, rating, comment, at, owner) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (message_id, owner) "
                "DO UPDATE SET rating = excluded.rating, comment = excluded.comment, at = excluded.at RETURNING id",
                (conversation_id, message_id, rating, comment, at, rater or owner),
            ).fetchone()
        assert row is not None  # an upsert with RETURNING always returns its row
        return Feedback(
            id=row[0], conversation_id=conversation_id, message_id=message_id, rating=rating, comment=comment, at=at
        )  # type: ignore[arg-type]

    def feedback(self, message_id: str | None = None) -> list[Feedback]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT id, conversation_id, message_id, rating, comment, at FROM feedback "
                "WHERE %(m)s::text IS NULL OR message_id = %(m)s ORDER BY id",
                {"m": message_id},
            ).fetchall()
        return [Feedback(id=i, conversation_id=c, message_id=m, rating=r, comment=t, at=a) for i, c, m, r, t, a in rows]

    def feedback_for_review(self, message_id: str | None = None) -> list[Feedback]:
        return for_review(self.feedback(message_id))

    # -- the question log --------------------------------------------------------------------

    def record_question(self, record: QuestionRecord) -> None:
        if record.at.tzinfo is None:
            raise ValueError(f"{record.at!r} has no timezone: store times are compared in UTC")
        with self._tx() as db:
            db.execute(
                "INSERT INTO questions (message_id, at, channel, question, intent, status, confidence, missing, "
                "missing_name, guides) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (message_id) DO NOTHING",
                (
                    record.message_id,
                    record.at,
                    record.channel,
                    record.question,
                    record.intent,
                    record.status,
                    record.confidence,
                    record.missing,
                    record.missing_name,
                    record.guides,
                ),
            )

    def question_records(self, since: datetime | None = None, limit: int = 10000) -> list[QuestionRecord]:
        if since is not None and since.tzinfo is None:
            raise ValueError(f"{since!r} has no timezone: store times are compared in UTC")
        with self._tx() as db:
            rows = db.execute(
                "SELECT message_id, at, channel, question, intent, status, confidence, missing, missing_name, guides "
                "FROM questions WHERE %(since)s::timestamptz IS NULL OR at >= %(since)s "
                "ORDER BY at DESC, id DESC LIMIT %(limit)s",
                {"since": since, "limit": limit},
            ).fetchall()
        return [
            QuestionRecord(
                message_id=m,
                at=at,
                channel=c,
                question=q,
                intent=i,
                status=s,
                confidence=conf,
                missing=miss,
                missing_name=name,
                guides=list(g),
            )
            for m, at, c, q, i, s, conf, miss, name, g in rows
        ]

    # -- counters shared by every process: rate limits, Slack requests seen ------------------

    def hits(self, key: str, window_start: int) -> int:
        with self._tx() as db:
            row = db.execute(
                "SELECT hits FROM rate_hits WHERE key = %s AND window_start = %s", (key, window_start)
            ).fetchone()
        return row[0] if row else 0

    def add_hit(self, key: str, window_start: int, expires: int, cap: int) -> bool:
        # The conflicting row is locked while its WHERE is checked: concurrent hits queue on it.
        with self._tx() as db:
            counted = db.execute(
                "INSERT INTO rate_hits (key, window_start, hits, expires) VALUES (%s, %s, 1, %s) "
                "ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_hits.hits + 1 "
                "WHERE rate_hits.hits < %s RETURNING hits",
                (key, window_start, expires, cap),
            ).fetchone()
        return counted is not None

    def claim(self, key: str, expires: float, now: float) -> bool:
        with self._tx() as db:
            changed = db.execute(
                "INSERT INTO slack_seen (key, expires) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE slack_seen.expires < %s",
                (key, expires, now),
            ).rowcount
        return changed == 1

    def prune(self, now: float) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM rate_hits WHERE expires < %s", (now,))
            db.execute("DELETE FROM slack_seen WHERE expires < %s", (now,))

    def close(self) -> None:
        """Give the pool's connections back to the server (a later call opens a new pool)."""
        with self._opening:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def _owns(db: psycopg.Connection, conversation_id: str, owner: str) -> bool:
    row = db.execute("SELECT owner FROM conversations WHERE id = %s", (conversation_id,)).fetchone()
    return row is not None and bool(owner) and hmac.compare_digest(row[0], owner)


def where(url: str) -> str:
    """The database a URL names, for messages: host, port and database — never the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(a URL that cannot be read)"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"{parts.get('dbname') or '?'} on {host}:{port}"


def _reason(failure: psycopg.Error, url: str) -> str:
    """The driver's message, with the password struck out should it ever repeat it."""
    text = str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__
    try:
        password = conninfo_to_dict(url).get("password")
    except psycopg.ProgrammingError:
        # The URL could not be parsed: the message may quote it, password included.
        return "the URL is not a valid postgresql:// URL"
    return text.replace(str(password), "***") if password else text
