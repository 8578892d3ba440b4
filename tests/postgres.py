"""A real PostgreSQL server for the tests and benchmarks, in a temporary folder: Debian's
server binaries (`make test` installs them), trust authentication, listening on 127.0.0.1 on
a free port with its socket in the folder. The system's own cluster is never touched."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

MISSING = "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: `make test` installs them (apt-get install postgresql)"
USER = "postgres"  # the OS user the server runs as when we are root (initdb refuses root)


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError(MISSING)
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    """`start()`, `url(name)`, `create_database(name)`, `stop()`. With `durable=False` (tests)
    nothing is synced to disk: a crash loses the server, which a test run throws away anyway."""

    def __init__(self, durable: bool = False) -> None:
        self.bin = bin_dir()
        self.as_root = os.geteuid() == 0
        # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
        self.root = Path(tempfile.mkdtemp(prefix="negotiate-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.durable = durable
        self.log = self.root / "server.log"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", USER, "--"] if self.as_root else []
        done = subprocess.run([*prefix, *command], cwd=self.root, capture_output=True, text=True)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()}\n{log[-2000:]}")

    def start(self) -> TempPostgres:
        if self.as_root:
            shutil.chown(self.root, USER, USER)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # a leftover pool's connections too

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def run_sql(database: Path | str, statement: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run one statement (written with `?` placeholders) on either backend: for tests that
    look at or age what the app stored."""
    if isinstance(database, Path):
        with sqlite3.connect(database) as db:
            return db.execute(statement, params).fetchall()
    with psycopg.connect(database, autocommit=True) as conn:
        cursor = conn.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []
