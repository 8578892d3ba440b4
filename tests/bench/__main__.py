"""`make bench`: every benchmark, printed as Markdown tables to paste into the README."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from tests.bench import ask_bench, http_bench, index_bench, live_bench, scale_bench

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    machine = f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    print(f"machine: {machine}, Python {platform.python_version()}\n")  # noqa: T201
    only = set(sys.argv[1:])  # e.g. `python -m tests.bench ask` runs one part
    backends = os.environ.get("BENCH_BACKENDS", "onnx,torch").split(",")
    if not only or "index" in only:
        print("## Index\n")  # noqa: T201
        index_bench.run(work, ROOT / "seeds", backends)
    if not only or "ask" in only:
        print("\n## Answering\n")  # noqa: T201
        ask_bench.run(work, ROOT / "seeds", ROOT / "tests" / "gold.yaml", backends)
    if not only or "http" in only:
        print("\n## HTTP\n")  # noqa: T201
        http_bench.run(work, ROOT / "seeds", ROOT / "tests" / "gold.yaml", backends)
    if not only or "live" in only:
        print("\n## Live updates\n")  # noqa: T201
        live_bench.run(work, ROOT / "seeds")
    if not only or "scale" in only:
        print("\n## Scale-out: SQLite and PostgreSQL\n")  # noqa: T201
        scale_bench.run(work, ROOT / "seeds", ROOT / "tests" / "gold.yaml")


if __name__ == "__main__":
    main()
