"""HTTP benchmark: wrk against /api/v1/query on 127.0.0.1 with a mix of gold-set questions,
at 1 and 16 concurrent clients, and the server's resident memory.

Two mixes: the gold questions repeated (after the first pass the query-vector cache answers
them, as it would for suggested and follow-up chips), and every question made unique (each
request embeds its question: the worst case)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from assistant.evaluate import load_gold
from assistant.nlu.pipeline import IntentArtifacts
from index.build import build_index
from index.embed import make_embedder

LUA = """
local bodies = { %(bodies)s }
local i = 0
local unique = %(unique)s
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 100000)
end
request = function()
  i = i + 1
  local q = bodies[(i %% #bodies) + 1]
  if unique then q = q .. " #" .. math.random(1, 1000000000) end
  return wrk.format("POST", "/api/v1/query", {["Content-Type"] = "application/json"}, '{"question": "' .. q .. '"}')
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _script(path: Path, questions: list[str], unique: bool) -> None:
    bodies = ", ".join("[==[" + json.dumps(q)[1:-1] + "]==]" for q in questions)
    path.write_text(LUA % {"bodies": bodies, "unique": "true" if unique else "false"})


def _wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    threads = min(connections, 2)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


# (backend, server processes): the default, the default on both cores, and torch for comparison.
SETUPS = (("onnx", 1), ("onnx", 2), ("torch", 1))


def run(work: Path, seeds: Path, gold: Path, backends: list[str], seconds: int = 10) -> list[str]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: `make bench` installs it (apt-get install wrk)")
    questions = [c.question for c in load_gold(gold)]
    lines = [
        "| backend | workers | ready after start | mix | clients | requests/s | p50 | p99 | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    memory = []
    for backend, workers in SETUPS:
        if backend not in backends:
            continue
        ready, rss = _serve_and_measure(work, seeds, questions, backend, workers, seconds, lines)
        memory.append(f"{backend} × {workers}: " + " + ".join(f"{r:.0f}" for r in rss) + f" = {sum(rss):.0f} MiB")
    lines.append("\nResident memory after the runs (supervisor + workers): " + "; ".join(memory) + ".")
    print(lines[-1], flush=True)  # noqa: T201
    return lines


def _serve_and_measure(
    work: Path, seeds: Path, questions: list[str], backend: str, workers: int, seconds: int, lines: list[str]
) -> tuple[float, list[float]]:
    index_dir, database = work / f"index-seeds-http-{backend}", work / f"http-bench-{backend}-{workers}.db"
    database.unlink(missing_ok=True)
    build_index(seeds, index_dir, make_embedder(backend=backend), extras=IntentArtifacts())  # type: ignore[arg-type]
    port = _free_port()
    env = {
        **os.environ,
        "NEGOTIATE_INDEX_DIR": str(index_dir),
        "NEGOTIATE_SEEDS_DIR": str(seeds),
        "NEGOTIATE_DATABASE": str(database),
        "NEGOTIATE_EMBED_BACKEND": backend,
        # wrk is one client at one address: measured here is speed, not the per-client limits
        **{f"NEGOTIATE_RATE_{name}": "100000000/minute" for name in ("QUERY", "FEEDBACK", "READ")},
    }
    negotiate = Path(sys.executable).with_name("negotiate")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(negotiate), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        ready = _ready(url, workers)
        ready_s = time.perf_counter() - started
        if not ready:
            raise SystemExit(f"the {backend} server did not become ready")
        for mix, unique in (("gold questions, repeated", False), ("every question unique", True)):
            script = work / f"wrk-{'unique' if unique else 'repeat'}.lua"
            _script(script, questions, unique)
            _wrk(url, script, 1, 2)  # warm-up
            for clients in (1, 16):
                r = _wrk(url, script, clients, seconds)
                lines.append(
                    f"| {backend} | {workers} | {ready_s:.1f} s | {mix} | {clients} | {r['rps']:.0f} "
                    f"| {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['errors']:.0f} |"
                )
                print(lines[-1], flush=True)  # noqa: T201 - a benchmark reports to its terminal
        processes = [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
        return ready_s, [p.memory_info().rss / 2**20 for p in processes]
    finally:
        server.terminate()
        server.wait(20)


def _ready(url: str, workers: int) -> bool:
    """Ready when /readyz answers 200 as often in a row as there are workers (each its own)."""
    streak = 0
    for _ in range(3000):
        try:
            streak = streak + 1 if httpx.get(f"{url}/readyz").status_code == 200 else 0
        except httpx.TransportError:
            streak = 0
        if streak >= 4 * workers:
            return True
        time.sleep(0.01 if streak else 0.05)
    return False
