"""`make bench`: every benchmark, printed as Markdown tables to paste into the README."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from tests.bench import index_bench

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}\n")  # noqa: T201
    print("## Index\n")  # noqa: T201
    index_bench.run(work, ROOT / "seeds")


if __name__ == "__main__":
    main()
