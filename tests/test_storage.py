"""The store behind every channel, on both backends (a SQLite file and a real PostgreSQL
server): conversations and their owners, feedback, the content team's question log, the
counters all server processes share, and the migrations that bring a database up to date."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.answer import Entities
from assistant.conversation import Turn
from assistant.settings import Settings
from assistant.storage import SQLiteStore, StoreUnavailable, UnknownMessage, open_store
from assistant.storage.migrate import migrations
from assistant.usage import QuestionRecord
from tests.conftest import ROOT
from tests.postgres import run_sql

ALICE, MALLORY = "session:alice", "session:mallory"


def turn(message_id: str, question: str = "SWE pay in Detroit", at: datetime | None = None) -> Turn:
    return Turn(
        message_id=message_id,
        question=question,
        intent="pay_range",
        entities=Entities(),
        answer_markdown=f"answer to {question}",
        at=at or datetime.now(UTC),
    )


def record(message_id: str, at: datetime, question: str = "base range for a PM in [amount]") -> QuestionRecord:
    return QuestionRecord(
        message_id=message_id,
        at=at,
        channel="web",
        question=question,
        intent="pay_range",
        status="answered",
        confidence=0.91,
        guides=["ally-financial/product-manager"],
    )


# -- conversations ---------------------------------------------------------------------------


def test_a_conversation_keeps_its_turns_in_order_for_its_owner_only(store):
    store.start("c1", ALICE)
    store.append("c1", turn("m1", "SWE pay in Detroit"))
    store.append("c1", turn("m2", "what about New York?"))
    conversation = store.get("c1", ALICE)
    assert [t.question for t in conversation.turns] == ["SWE pay in Detroit", "what about New York?"]
    assert conversation.last.entities == Entities()
    assert store.get("c1", MALLORY) is None and store.get("c1", "") is None
    assert store.owns("c1", ALICE) and not store.owns("c1", MALLORY)
    [(cid, title, updated)] = store.conversations_of(ALICE)
    assert (cid, title) == ("c1", "SWE pay in Detroit") and updated.tzinfo is not None
    assert store.conversations_of(MALLORY) == []


def test_starting_a_conversation_twice_keeps_its_first_owner(store):
    store.start("c1", ALICE)
    store.start("c1", MALLORY)
    assert store.owns("c1", ALICE) and not store.owns("c1", MALLORY)


def test_concurrent_turns_in_one_conversation_each_get_their_own_place(store, database):
    store.start("c1", ALICE)
    other_process = open_store(database)  # its own connections, as another server process has
    try:

        def add(into, prefix: str) -> None:
            for n in range(15):
                into.append("c1", turn(f"{prefix}{n}"))

        threads = [
            threading.Thread(target=add, args=(s, p)) for s, p in ((store, "a"), (store, "b"), (other_process, "c"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other_process.close()
    assert run_sql(database, "SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM turns") == [(45, 45, 1, 45)]


def test_deleting_a_conversation_takes_its_turns_and_feedback(store, database):
    store.start("c1", ALICE)
    store.append("c1", turn("m1"))
    store.add_feedback("c1", "m1", "up", None, ALICE)
    store.record_question(record("m1", datetime.now(UTC)))
    assert store.delete("c1", MALLORY) is False
    assert store.delete("c1", ALICE) is True
    for table in ("conversations", "turns", "feedback", "questions"):  # the content team's log too
        assert run_sql(database, f"SELECT COUNT(*) FROM {table}") == [(0,)], table


def test_forget_removes_only_conversations_not_continued_since(store, database):
    store.start("old", ALICE)
    store.append("old", turn("m1", at=datetime.now(UTC) - timedelta(days=40)))
    store.add_feedback("old", "m1", "down", None, ALICE)
    store.start("new", ALICE)
    store.append("new", turn("m2"))
    store.record_question(record("m1", datetime.now(UTC) - timedelta(days=40)))
    store.record_question(record("m2", datetime.now(UTC)))
    store.record_question(record("slack-old", datetime.now(UTC) - timedelta(days=31)))  # no conversation here
    assert store.forget(timedelta(days=30)) == 1
    assert run_sql(database, "SELECT conversation_id FROM turns") == [("new",)]
    assert run_sql(database, "SELECT COUNT(*) FROM feedback") == [(0,)]
    assert [r.message_id for r in store.question_records()] == ["m2"]  # the log is kept no longer


# -- feedback ----------------------------------------------------------------------------------


def test_rating_again_changes_the_rating(store):
    store.start("c1", ALICE)
    store.append("c1", turn("m1"))
    first = store.add_feedback("c1", "m1", "up", None, ALICE)
    second = store.add_feedback("c1", "m1", "down", "too low", ALICE)
    assert first.id == second.id
    [stored] = store.feedback("m1")
    assert (stored.rating, stored.comment) == ("down", "too low")
    assert store.ratings("c1", ALICE) == {"m1": "down"}


def test_feedback_on_someone_elses_or_a_missing_message_is_refused(store):
    store.start("c1", ALICE)
    store.append("c1", turn("m1"))
    with pytest.raises(UnknownMessage):
        store.add_feedback("c1", "m1", "up", None, MALLORY)
    with pytest.raises(UnknownMessage):
        store.add_feedback("c1", "m-none", "up", None, ALICE)
    assert store.feedback() == []


def test_feedback_for_review_redacts_the_amounts_people_put_in_comments(store):
    store.start("c1", ALICE)
    store.append("c1", turn("m1"))
    store.append("c1", turn("m2"))
    store.add_feedback("c1", "m1", "down", "They offered me $150K base and 20,000 in RSUs", ALICE)
    store.add_feedback("c1", "m2", "up", None, ALICE)
    assert [f.comment for f in store.feedback_for_review()] == [
        "They offered me [amount] base and [amount] in RSUs",
        None,
    ]
    # what was given stays as given, for its owner's own use
    assert store.feedback("m1")[0].comment == "They offered me $150K base and 20,000 in RSUs"


# -- the question log --------------------------------------------------------------------------


def test_question_records_come_newest_first_from_a_time_on(store):
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for n in range(5):
        store.record_question(record(f"m{n}", start + timedelta(minutes=n)))
    newest = store.question_records()
    assert [r.message_id for r in newest] == ["m4", "m3", "m2", "m1", "m0"]
    assert newest[0] == record("m4", start + timedelta(minutes=4))  # every field as recorded
    assert [r.message_id for r in store.question_records(since=start + timedelta(minutes=2))] == ["m4", "m3", "m2"]
    assert [r.message_id for r in store.question_records(limit=2)] == ["m4", "m3"]


def test_a_question_is_recorded_once(store):
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    store.record_question(record("m1", at))
    store.record_question(record("m1", at + timedelta(seconds=1), question="again"))
    [kept] = store.question_records()
    assert kept.question == "base range for a PM in [amount]"


def test_question_log_times_must_say_their_timezone(store):
    with pytest.raises(ValueError, match="no timezone"):
        store.question_records(since=datetime(2026, 11, 20))


# -- counters every process shares -------------------------------------------------------------


def test_hits_never_pass_their_cap_however_many_processes_count(store, database):
    other_process = open_store(database)
    admitted: list[bool] = []
    try:

        def hit(into) -> None:
            for _ in range(20):
                admitted.append(into.add_hit("query:ip:1", 600, 720, 25))

        threads = [threading.Thread(target=hit, args=(s,)) for s in (store, store, other_process, other_process)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other_process.close()
    assert admitted.count(True) == 25
    assert store.hits("query:ip:1", 600) == 25 and store.hits("query:ip:1", 540) == 0


def test_a_claim_holds_until_it_expires_and_pruning_clears_what_ended(store, database):
    now = time.time()
    assert store.claim("event:Ev1", now + 1, now) is True
    assert store.claim("event:Ev1", now + 1, now) is False
    assert store.claim("event:Ev1", now + 3, now + 2) is True  # its time was over: taken over
    store.add_hit("read:ip:1", 0, 120, 5)
    store.prune(now + 10)
    assert run_sql(database, "SELECT COUNT(*) FROM slack_seen") == [(0,)]
    assert run_sql(database, "SELECT COUNT(*) FROM rate_hits") == [(0,)]


# -- migrations ----------------------------------------------------------------------------------


def dialect_of(database: Path | str) -> str:
    return "sqlite" if isinstance(database, Path) else "postgres"


def test_migrations_are_applied_in_order_once(database):
    open_store(database).close()
    open_store(database).close()  # a restart: nothing left to apply
    expected = [(m.version, m.name) for m in migrations(dialect_of(database))]  # type: ignore[arg-type]
    assert run_sql(database, "SELECT version, name FROM schema_migrations ORDER BY version") == expected
    assert expected[0] == (1, "conversations") and len(expected) >= 4


STARTER = """
import sys, time
from pathlib import Path
from assistant.storage import open_store

database = sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])
while time.time() < float(sys.argv[2]):  # every process begins together
    time.sleep(0.001)
open_store(database).close()
"""


def test_processes_starting_together_migrate_once(database):
    start = time.time() + 2
    starters = [
        subprocess.Popen([sys.executable, "-c", STARTER, str(database), str(start)], cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=60)[1].decode() for p in starters]
    assert [p.returncode for p in starters] == [0, 0, 0, 0], errors
    versions = [v for (v,) in run_sql(database, "SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, len(migrations(dialect_of(database))) + 1))  # type: ignore[arg-type]


# The tables and rows a database made before versioned migrations holds: the CREATE
# statements of that store (feedback's owner added by ALTER at start, as it did) and of the
# Slack replay guard, verbatim.
UNVERSIONED = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, started TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL UNIQUE, question TEXT NOT NULL,
    intent TEXT NOT NULL, entities TEXT NOT NULL, answer_markdown TEXT NOT NULL, answer TEXT, at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq));
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES turns(message_id), rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated);
ALTER TABLE feedback ADD COLUMN owner TEXT NOT NULL DEFAULT '';
INSERT OR IGNORE INTO conversations (id, owner, started, updated)
    SELECT conversation_id, '', MIN(at), MAX(at) FROM turns GROUP BY conversation_id;
DELETE FROM feedback WHERE id NOT IN (SELECT MAX(id) FROM feedback GROUP BY message_id, owner);
CREATE UNIQUE INDEX IF NOT EXISTS feedback_once ON feedback (message_id, owner);
CREATE TABLE IF NOT EXISTS slack_seen (key TEXT PRIMARY KEY, expires REAL NOT NULL);

INSERT INTO conversations VALUES ('c1', 'session:alice', '2026-11-01T09:00:00+00:00', '2026-11-01T09:01:00+00:00');
INSERT INTO turns VALUES ('c1', 1, 'm1', 'SWE pay in Detroit', 'pay_range', '{}', 'the range', NULL,
    '2026-11-01T09:00:00+00:00');
INSERT INTO turns VALUES ('c1', 2, 'm2', 'what about New York?', 'pay_range', '{}', 'the NY range', NULL,
    '2026-11-01T09:01:00+00:00');
INSERT INTO feedback (conversation_id, message_id, rating, comment, at, owner)
    VALUES ('c1', 'm2', 'up', 'spot on', '2026-11-01T09:02:00+00:00', 'session:alice');
INSERT INTO slack_seen VALUES ('event:Ev1', 9999999999);
"""


def test_a_database_from_before_versioned_migrations_is_adopted_with_every_row(tmp_path):
    database = tmp_path / "negotiate.db"
    with sqlite3.connect(database) as db:
        db.executescript(UNVERSIONED)
    store = SQLiteStore(database)
    assert [t.question for t in store.get("c1", ALICE).turns] == ["SWE pay in Detroit", "what about New York?"]
    assert [(f.message_id, f.rating, f.comment) for f in store.feedback()] == [("m2", "up", "spot on")]
    assert store.claim("event:Ev1", time.time() + 300, time.time()) is False  # still seen
    store.append("c1", turn("m3", "and the bonus?"))  # and it goes on where it was
    assert [t.message_id for t in store.get("c1", ALICE).turns] == ["m1", "m2", "m3"]
    with sqlite3.connect(database) as db:
        versions = [v for (v,) in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, len(migrations("sqlite")) + 1))


# -- configuration -------------------------------------------------------------------------------


def test_an_unreachable_postgres_is_named_by_host_and_never_by_password(postgres):
    with pytest.raises(StoreUnavailable) as raised:
        open_store("postgresql://negotiate:s3cret-pw@127.0.0.1:1/negotiate")
    message = str(raised.value)
    assert message.startswith("cannot use the PostgreSQL database negotiate on 127.0.0.1:1: ")
    assert "s3cret-pw" not in message and "s3cret-pw" not in repr(raised.value.__cause__)


def test_database_is_a_file_path_or_a_postgresql_url():
    assert Settings(database="var/x.db").database == Path("var/x.db")
    url = "postgresql://negotiate:pw@db.internal:5432/negotiate"
    assert Settings(database=url).database == url
    with pytest.raises(ValueError, match="a file path or a postgresql:// URL, not a mysql:// URL") as refused:
        Settings(database="mysql://negotiate:s3cret-pw@db/negotiate")
    assert "s3cret-pw" not in str(refused.value)


def test_the_signing_secret_has_a_file_even_when_the_database_is_a_url(tmp_path):
    assert Settings(database=tmp_path / "n.db").secret_path == tmp_path / "secret"
    assert Settings(database="postgresql://db/negotiate").secret_path == Path("var/secret")
    shared = tmp_path / "shared-secret"
    assert Settings(database="postgresql://db/negotiate", secret_file=shared).secret_path == shared
