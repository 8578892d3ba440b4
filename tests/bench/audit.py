"""The security audit's numbers, re-measured against a real server on 127.0.0.1
(`make audit`, a few minutes): server errors under fuzzing, turns lost under load and after
kill -9, the worst question's time, what a client past its limits gets, and the server's
memory while oversized bodies are sent to it."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from assistant.nlu.pipeline import IntentArtifacts
from index.build import build_index
from index.embed import make_embedder
from tests.bench.ask_bench import CRAFTED
from tests.bench.http_bench import _free_port, _script, _wrk

ROOT = Path(__file__).resolve().parents[2]
UNLIMITED = {f"NEGOTIATE_RATE_{name}": "100000000/minute" for name in ("QUERY", "FEEDBACK", "READ")}


class Server:
    def __init__(self, work: Path, index_dir: Path, database: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "NEGOTIATE_INDEX_DIR": str(index_dir),
            "NEGOTIATE_SEEDS_DIR": str(ROOT / "seeds"),
            "NEGOTIATE_DATABASE": str(database),
            "NEGOTIATE_PORT": str(self.port),
            **(env or {}),
        }
        self.log = open(work / f"server-{self.port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, "-m", "web"], env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(900):
            try:
                if httpx.get(f"{self.url}/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit("the server did not become ready")

    def rss(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no shutdown, no flush
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.log.close()


def fuzz(server: Server, examples: int) -> str:
    out = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            str(examples),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
    ).stdout
    total = re.search(r"(\d+) generated", out) or re.search(r"Test cases:\s*\n?\s*(\d+)", out)
    failures = "no server errors" if "not_a_server_error" not in out.split("Failures")[-1] else "server errors"
    return f"{total.group(1) if total else '?'} generated requests: {failures}"


def load_then_kill(work: Path, server: Server, seconds: int) -> tuple[str, Path]:
    """16 clients for `seconds`, kill -9 while they run; then count what the database kept."""
    script = work / "wrk-audit.lua"
    _script(script, ["SWE pay in Detroit", "I was offered 140K base + 30K stock in Detroit, good?"], unique=True)
    result: dict[str, float] = {}
    wrk = threading.Thread(target=lambda: result.update(_wrk(server.url, script, 16, seconds)))
    wrk.start()
    time.sleep(seconds - 2)
    server.kill()
    wrk.join()
    database = Path(server.env["NEGOTIATE_DATABASE"])
    with sqlite3.connect(database) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        turns = db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
        conversations = db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
        duplicated = db.execute(
            "SELECT COUNT(*) FROM (SELECT message_id FROM turns GROUP BY message_id HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    answered = result.get("requests", 0) - result.get("errors", 0)
    return (
        f"{answered:.0f} questions answered by 16 clients in {seconds} s, then kill -9 under load: "
        f"{turns} turns in {conversations} conversations kept (the difference: answers in flight when "
        f"killed), {duplicated} duplicated, integrity_check {integrity}",
        database,
    )


def worst_question(server: Server) -> str:
    times = []
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for name, text in CRAFTED.items():
            started = time.perf_counter()
            client.post("/api/v1/query", json={"question": text[:2000]})
            times.append(((time.perf_counter() - started) * 1000, name))
    slowest, name = max(times)
    return f"slowest crafted 2,000-character question over HTTP: {slowest:.0f} ms ({name})"


def past_the_limits(server: Server) -> str:
    codes: dict[int, int] = {}
    retry = ""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for _ in range(60):
            response = client.post("/api/v1/query", json={"question": "SWE pay in Detroit"})
            codes[response.status_code] = codes.get(response.status_code, 0) + 1
            retry = response.headers.get("retry-after", retry)
    return f"one client, 60 questions at once at the default limits: {codes} (Retry-After {retry} s)"


def oversized(server: Server) -> str:
    before = server.rss()
    slowest = 0.0
    stop = threading.Event()

    def small_requests() -> None:
        nonlocal slowest
        with httpx.Client(base_url=server.url) as client:
            while not stop.is_set():
                started = time.perf_counter()
                client.get("/healthz")
                slowest = max(slowest, time.perf_counter() - started)

    watcher = threading.Thread(target=small_requests)
    watcher.start()
    for _ in range(10):  # 100 MiB announced, and 50 MiB actually streamed without a length
        with socket.create_connection(("127.0.0.1", server.port)) as raw:
            raw.sendall(b"POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n")
            raw.recv(4096)
        with socket.create_connection(("127.0.0.1", server.port)) as raw:
            raw.sendall(b"POST /api/v1/query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"x" * (1 << 20)
            try:
                for _ in range(50):
                    raw.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except OSError:
                pass  # refused and closed after the first 64 KiB
            raw.settimeout(5)
            try:
                raw.recv(4096)
            except OSError:
                pass
    stop.set()
    watcher.join()
    return (
        f"20 oversized bodies (10 × 100 MiB announced, 10 × 50 MiB streamed): server memory "
        f"{before:.0f} → {server.rss():.0f} MiB; slowest /healthz meanwhile {slowest * 1000:.1f} ms"
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="negotiate-audit-"))
    index_dir = work / "index"
    build_index(ROOT / "seeds", index_dir, make_embedder(), extras=IntentArtifacts())
    lines = []
    server = Server(work, index_dir, work / "fuzz.db", UNLIMITED)
    try:
        lines.append(fuzz(server, int(os.environ.get("AUDIT_EXAMPLES", "400"))))
        lines.append(worst_question(server))
        lines.append(oversized(server))
    finally:
        server.stop()
    server = Server(work, index_dir, work / "load.db", UNLIMITED)
    line, database = load_then_kill(work, server, int(os.environ.get("AUDIT_SECONDS", "60")))
    lines.append(line)
    server = Server(work, index_dir, database)  # restarts on what the kill left
    try:
        with httpx.Client(base_url=server.url) as client:
            lines.append(f"restart after kill -9: /readyz {client.get('/readyz').status_code}")
        lines.append(past_the_limits(server))
    finally:
        server.stop()
    for line in lines:
        print(f"- {line}", flush=True)  # noqa: T201 - an audit reports to its terminal
    print(json.dumps({"work": str(work)}))  # noqa: T201


if __name__ == "__main__":
    main()
