"""Scale-out benchmark (`make bench-scale`, or `python -m tests.bench.scale_bench`): 16 clients
hold conversations — a gold question, then follow-ups that need its context — for
BENCH_SECONDS (60) against

  (a) one `negotiate serve` process on SQLite, the default;
  (b) `negotiate serve --workers 2` on PostgreSQL;
  (c) two `negotiate serve` processes on two ports on PostgreSQL, each client alternating
      between them turn by turn;

and reports requests/s, p50, p99, and turns lost: every turn a client got a 200 for must be in
the database afterwards, once. The clients are Python (httpx, asyncio) on the same two cores
as the servers, so the absolute numbers are lower than wrk's; compare the rows."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.evaluate import load_gold
from assistant.nlu.pipeline import IntentArtifacts
from assistant.settings import Settings
from index.build import build_index
from tests.bench.http_bench import _free_port, _ready
from tests.postgres import TempPostgres, run_sql

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 16
FOLLOW_UPS = ("what about New York?", "and the bonus?", "how do I negotiate more stock?", "what about Detroit?")
UNLIMITED = {f"NEGOTIATE_RATE_{name}": "100000000/minute" for name in ("QUERY", "FEEDBACK", "READ")}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failed: int = 0
    answered: list[str] = field(default_factory=list)  # message ids of every 200


async def client(n: int, urls: list[str], openings: list[str], deadline: float, tally: Tally) -> None:
    """One person: a conversation of an opening and three follow-ups, again and again."""
    turn = n  # clients start on different ports and questions
    async with httpx.AsyncClient(timeout=60) as http:
        while time.perf_counter() < deadline:
            conversation: str | None = None
            for question in (openings[turn % len(openings)], *(FOLLOW_UPS[(turn + k) % 4] for k in range(3))):
                if time.perf_counter() >= deadline:
                    break
                body: dict[str, str] = {"question": question}
                if conversation:
                    body["conversation_id"] = conversation
                url = urls[turn % len(urls)]
                turn += 1
                started = time.perf_counter()
                try:
                    response = await http.post(f"{url}/api/v1/query", json=body)
                except httpx.HTTPError:
                    tally.failed += 1
                    break
                tally.latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    tally.failed += 1
                    break
                answer = response.json()
                tally.answered.append(answer["message_id"])
                conversation = answer["conversation_id"]


def load(urls: list[str], openings: list[str], seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    started = time.perf_counter()

    async def everyone() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(client(n, urls, openings, deadline, tally) for n in range(CLIENTS)))

    asyncio.run(everyone())  # in-flight requests finish before the database is counted
    return tally, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def stored_turns(database: Path | str) -> list[str]:
    return [m for (m,) in run_sql(database, "SELECT message_id FROM turns")]


def kept(database: Path | str, answered: list[str], before: set[str]) -> tuple[int, int, int]:
    """Since `before`: (turns stored, answered turns missing from the database, turns stored
    more than once or never answered with a 200)."""
    stored = [m for m in stored_turns(database) if m not in before]
    lost = len(set(answered) - set(stored))
    duplicated = len(stored) - len(set(stored)) + len(set(stored) - set(answered))
    return len(stored), lost, duplicated


def serve(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    negotiate = Path(sys.executable).with_name("negotiate")
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(negotiate), "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def run_setup(
    name: str, database: Path | str, processes: list[int], env: dict[str, str], work: Path, openings: list[str]
) -> str:
    """`processes`: the workers of each server started (one server per entry, each on its port)."""
    env = {**env, "NEGOTIATE_DATABASE": str(database)}
    ports = [_free_port() for _ in processes]
    servers = [
        serve(env, port, workers, work / f"scale-{name[:3]}-{port}.log")
        for port, workers in zip(ports, processes, strict=True)
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, workers in zip(urls, processes, strict=True):
            if not _ready(url, workers):
                raise SystemExit(f"{name}: the server at {url} did not become ready (see {work})")
        load(urls, openings, 3)  # warm-up: every process has answered, caches as in steady use
        before = set(stored_turns(database))
        tally, took = load(urls, openings, float(os.environ.get("BENCH_SECONDS", "60")))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)
    stored, lost, duplicated = kept(database, tally.answered, before)
    requests = len(tally.latencies)
    return (
        f"| {name} | {CLIENTS} | {requests / took:.0f} | {percentile(tally.latencies, 0.5):.1f} ms "
        f"| {percentile(tally.latencies, 0.99):.1f} ms | {tally.failed} | {len(tally.answered)} "
        f"| {stored} | {lost} | {duplicated} |"
    )


def run(work: Path, seeds: Path, gold: Path) -> list[str]:
    openings = [c.question for c in load_gold(gold) if c.status == "answered"]
    index_dir = work / "index-seeds-scale"
    settings = Settings(seeds_dir=seeds, index_dir=index_dir)
    build_index(seeds, index_dir, settings.build_embedder(), extras=IntentArtifacts())
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEGOTIATE_INDEX_DIR": str(index_dir),
        "NEGOTIATE_SEEDS_DIR": str(seeds),
        "NEGOTIATE_SECRET_FILE": str(work / "scale-secret"),  # every server of a setup verifies every cookie
        **UNLIMITED,  # measured here is throughput, not the per-client limits
    }
    lines = [
        "| setup | clients | requests/s | p50 | p99 | non-200 | turns answered | turns stored | lost | duplicated |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        print(line, flush=True)  # noqa: T201 - a benchmark reports to its terminal
    sqlite = work / "scale-bench.db"
    for leftover in (sqlite, sqlite.with_name(sqlite.name + "-wal"), sqlite.with_name(sqlite.name + "-shm")):
        leftover.unlink(missing_ok=True)
    setups: list[tuple[str, list[int]]] = [
        ("(a) 1 worker, SQLite", [1]),
        ("(b) `--workers 2`, PostgreSQL", [2]),
        ("(c) 2 servers on 2 ports, PostgreSQL", [1, 1]),
    ]
    postgres = TempPostgres(durable=True).start()  # fsync on: as a deployment runs it
    try:
        for n, (name, processes) in enumerate(setups):
            database: Path | str = sqlite if n == 0 else postgres.create_database(f"scale_{n}")
            lines.append(run_setup(name, database, processes, env, work, openings))
            print(lines[-1], flush=True)  # noqa: T201
    finally:
        postgres.stop()
    return lines


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    run(work, ROOT / "seeds", ROOT / "tests" / "gold.yaml")


if __name__ == "__main__":
    main()
