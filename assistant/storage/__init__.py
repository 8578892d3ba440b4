"""Where conversations, feedback, the question log and the counters every server process
shares are kept: one Store protocol (base.py), two backends.

- SQLite (sqlite.py), a file: the embedded default, for processes on one machine.
- PostgreSQL (postgres.py), a postgresql:// URL: for processes on several ports or machines.

`open_store(settings.database)` picks by what NEGOTIATE_DATABASE names; either migrates its
schema at start (migrate.py, migrations/<dialect>/NNNN_*.sql).
"""

from __future__ import annotations

from pathlib import Path

from assistant.storage.base import Feedback, Store, StoreUnavailable, UnknownMessage
from assistant.storage.sqlite import SQLiteStore

URL_SCHEMES = ("postgresql", "postgres")

__all__ = ["Feedback", "SQLiteStore", "Store", "StoreUnavailable", "UnknownMessage", "open_store", "is_url"]


def is_url(database: Path | str) -> bool:
    return isinstance(database, str) and "://" in database


def open_store(database: Path | str) -> Store:
    """The store `database` names: a postgresql:// URL, or a SQLite file path."""
    if not is_url(database):
        return SQLiteStore(Path(database))
    scheme = str(database).split("://", 1)[0].lower()
    if scheme not in URL_SCHEMES:
        raise StoreUnavailable(f"a {scheme}:// database is not supported: give a file path or a postgresql:// URL")
    from assistant.storage.postgres import PostgresStore  # psycopg only where it is used

    return PostgresStore(str(database))
