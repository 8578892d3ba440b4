"""Live-update benchmark: seconds from `negotiate build` publishing (a new company's guide
added) to a running `negotiate serve` answering a question about that company — from every
worker process; and the same from the build process's exit (negative: answered before it).

What it is made of: the wait for the server's next look at the index pointer (at most
NEGOTIATE_RELOAD_INTERVAL, 1 s), loading and checking the generation, warming it, switching.

    python -m tests.bench.live_bench [runs per setup]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from assistant.nlu.pipeline import IntentArtifacts
from index.build import build_index
from index.embed import make_embedder
from index.search import CURRENT
from tests.live import NEW_ROW, add_company_guide, free_port, wait_ready

ROOT = Path(__file__).resolve().parents[2]
COMPANIES = ("Brightwater Bank", "Cedarpoint Bank", "Harborview Bank", "Stonebridge Bank", "Pinegate Bank")
WORKERS = (1, 2)


def run(work: Path, seeds: Path, runs: int = 2) -> list[str]:
    lines = [
        "| workers | run | build (subprocess) | published → answered by every worker | build exited → answered |",
        "|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201 - a benchmark reports to its terminal
    for workers in WORKERS:
        for n, (build_s, from_publish, from_exit) in enumerate(_serve_and_measure(work, seeds, workers, runs), 1):
            lines.append(f"| {workers} | {n} | {build_s:.1f} s | {from_publish:.2f} s | {from_exit:+.2f} s |")
            print(lines[-1], flush=True)  # noqa: T201
    return lines


def _serve_and_measure(work: Path, seeds: Path, workers: int, runs: int) -> list[tuple[float, float, float]]:
    here = work / f"live-{workers}"
    shutil.rmtree(here, ignore_errors=True)
    shutil.copytree(seeds, here / "seeds")
    index_dir, database = here / "index", here / "negotiate.db"
    build_index(here / "seeds", index_dir, make_embedder(), extras=IntentArtifacts())
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEGOTIATE_INDEX_DIR": str(index_dir),
        "NEGOTIATE_SEEDS_DIR": str(here / "seeds"),
        "NEGOTIATE_DATABASE": str(database),
        "NEGOTIATE_RATE_QUERY": "100000000/minute",  # the poll below is one client asking fast
    }
    negotiate = str(Path(sys.executable).with_name("negotiate"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [negotiate, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = []
    try:
        for _ in range(4 * workers):  # every worker, not just the first, has loaded the index
            wait_ready(url, 300)
        for company in COMPANIES[:runs]:
            add_company_guide(here / "seeds", company)
            started = time.time()
            build = subprocess.Popen(
                [negotiate, "build"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            exit_clock = _ExitClock(build)
            # Asked while the build runs: the server switches as soon as the build publishes,
            # and a build process goes on for a while after that (clean-up, exit).
            answered = _answered(
                url, f"What's the base range for a software engineer at {company} in Charlotte?", workers
            )
            code, exited = exit_clock.result()
            if code != 0:
                raise SystemExit("negotiate build failed")
            # A build publishes by replacing CURRENT with a file it has just written: that file's
            # modification time is the moment of publishing, to a few milliseconds.
            published = (index_dir / CURRENT).stat().st_mtime
            results.append((exited - started, answered - published, answered - exited))
    finally:
        server.terminate()
        server.wait(30)
    return results


class _ExitClock:
    """When (wall clock) a process exits, watched from a thread."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._thread = threading.Thread(target=self._wait, args=(process,), daemon=True)
        self._thread.start()

    def _wait(self, process: subprocess.Popen[bytes]) -> None:
        self.code, self.at = process.wait(), time.time()

    def result(self) -> tuple[int, float]:
        self._thread.join()
        return self.code, self.at


def _answered(url: str, question: str, workers: int, timeout: float = 300) -> float:
    """When (wall clock) the new guide was first answered in the run of answers that shows
    every worker has it: as many right answers in a row as it takes to have asked each worker
    (the kernel spreads the new connection of each question among them)."""
    streak, since, deadline = 0, 0.0, time.monotonic() + timeout
    while streak < 4 * workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"not answered within {timeout} s: {question}")
        asked = time.time()
        body = httpx.post(f"{url}/api/v1/query", json={"question": question}, timeout=30).json()
        if NEW_ROW in body.get("answer_markdown", ""):
            streak, since = streak + 1, since if streak else asked
        else:
            streak = 0
            time.sleep(0.05)  # polling while the build runs: leave it the cores
    return since


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    run(work, ROOT / "seeds", int(sys.argv[1]) if len(sys.argv) > 1 else 2)


if __name__ == "__main__":
    main()
