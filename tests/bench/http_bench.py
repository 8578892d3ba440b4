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
from index.build import build_index
from index.embed import SentenceTransformerEmbedder

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


def run(work: Path, seeds: Path, gold: Path, seconds: int = 10) -> list[str]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: `make bench` installs it (apt-get install wrk)")
    index_dir, database = work / "index-seeds-http", work / "http-bench.db"
    database.unlink(missing_ok=True)
    build_index(seeds, index_dir, SentenceTransformerEmbedder())
    port = _free_port()
    env = {
        **os.environ,
        "NEGOTIATE_INDEX_DIR": str(index_dir),
        "NEGOTIATE_SEEDS_DIR": str(seeds),
        "NEGOTIATE_DATABASE": str(database),
        "NEGOTIATE_PORT": str(port),
        # wrk is one client at one address: measured here is speed, not the per-client limits
        **{f"NEGOTIATE_RATE_{name}": "100000000/minute" for name in ("QUERY", "FEEDBACK", "READ")},
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "web"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        questions = [c.question for c in load_gold(gold)]
        lines = ["| mix | clients | requests/s | p50 | p99 | non-2xx |", "|---|---|---|---|---|---|"]
        for mix, unique in (("gold questions, repeated", False), ("every question unique", True)):
            script = work / f"wrk-{'unique' if unique else 'repeat'}.lua"
            _script(script, questions, unique)
            _wrk(url, script, 1, 2)  # warm-up
            for clients in (1, 16):
                r = _wrk(url, script, clients, seconds)
                lines.append(
                    f"| {mix} | {clients} | {r['rps']:.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['errors']:.0f} |"
                )
                print(lines[-1], flush=True)  # noqa: T201 - a benchmark reports to its terminal
        process = psutil.Process(server.pid)
        peak = int(re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{server.pid}/status").read_text()).group(1)) / 1024  # type: ignore[union-attr]
        lines.append(
            f"\nServer resident memory after the runs: {process.memory_info().rss / 2**20:.0f} MiB (peak {peak:.0f} MiB)."
        )
        print(lines[-1], flush=True)  # noqa: T201
        return lines
    finally:
        server.terminate()
        server.wait(10)
