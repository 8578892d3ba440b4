"""Versioned schema migrations: numbered SQL files per dialect (`migrations/<dialect>/NNNN_name.sql`),
applied in order, each recorded in `schema_migrations`, all pending ones in one transaction.

Every server process migrates at start, so two may start at once: each takes a lock first
(PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE, the database's write
lock), and the second finds the work done. A file, once released, is never edited: a change to
the schema is a new file.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import psycopg

Dialect = Literal["sqlite", "postgres"]
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"
)
# Any constant shared by every process of this app; one advisory lock key means "migrating".
ADVISORY_LOCK = 0x6E65676F  # "nego"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: Dialect) -> list[Migration]:
    """The dialect's migrations in order; numbered 1, 2, 3… with no gap or repeat."""
    found = []
    for entry in files("assistant.storage").joinpath("migrations", dialect).iterdir():
        match = _NAME.match(entry.name)
        if match is None:
            raise RuntimeError(f"migrations/{dialect}/{entry.name}: not named like 0001_what_it_does.sql")
        found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations/{dialect}: versions must run 1, 2, 3…: {[m.version for m in found]}")
    return found


def statements(script: str) -> Iterator[str]:
    """A SQL script's statements, one by one: sqlite3's executescript would commit the
    transaction the migration runs in."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if any(line.strip() and not line.strip().startswith("--") for line in pending.splitlines()):
        raise RuntimeError(f"an incomplete SQL statement at the end of a migration: {pending.strip()[:80]!r}")


# Databases made before migrations were versioned (tables, no schema_migrations): which
# migrations their shape shows they already have. The rest run; 0001 and 0003 use IF NOT
# EXISTS, so their tables are taken as they are, rows and all.
def _has_feedback_owners(db: sqlite3.Connection) -> bool:
    return "owner" in {row[1] for row in db.execute("PRAGMA table_info(feedback)")}


SQLITE_ADOPTED: dict[int, Callable[[sqlite3.Connection], bool]] = {2: _has_feedback_owners}


def migrate_sqlite(db: sqlite3.Connection) -> list[int]:
    """Bring a SQLite database (autocommit connection) up to date; the versions applied."""
    db.execute("BEGIN IMMEDIATE")  # the write lock: a second process waits, then finds it done
    try:
        db.execute(VERSION_TABLE)
        applied = {version for (version,) in db.execute("SELECT version FROM schema_migrations")}
        unversioned = not applied and db.execute("SELECT 1 FROM sqlite_master WHERE name = 'turns'").fetchone()
        done = []
        for migration in migrations("sqlite"):
            if migration.version in applied:
                continue
            adopted = SQLITE_ADOPTED.get(migration.version)
            if not (unversioned and adopted is not None and adopted(db)):
                for statement in statements(migration.sql):
                    db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            done.append(migration.version)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return done


def migrate_postgres(conn: psycopg.Connection) -> list[int]:
    """Bring a PostgreSQL database up to date in one transaction; the versions applied."""
    done = []
    with conn.transaction():
        # Held until commit: a second process starting now waits here, then finds nothing to do.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK,))
        conn.execute(VERSION_TABLE)
        applied = {version for (version,) in conn.execute("SELECT version FROM schema_migrations")}
        for migration in migrations("postgres"):
            if migration.version in applied:
                continue
            conn.execute(migration.sql.encode())  # no parameters: the whole file in one go
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied) VALUES (%s, %s, %s)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            done.append(migration.version)
    return done
