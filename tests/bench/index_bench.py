"""Index benchmark: build time and memory, size on disk, search latency, for the seeds and
for a synthetic corpus of 2,000 guides."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from index.embed import Embedder, make_embedder
from index.search import load_index
from tests.synth import write_corpus

# Questions shaped like the ones people ask; embedded once, outside the timed search.
QUERIES = [
    "base range for a software engineer in Charlotte",
    "how do I push for more RSUs as a PM",
    "negotiate up target in New York",
    "what is responsible AI experience worth",
    "senior level equivalent at a competitor",
    "sign-on bonus script",
    "total comp in Detroit for an engineering manager",
    "what makes this company different",
    "sources for the salary data",
    "bonus target percentage lever",
]


def dir_size_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def build(seeds: Path, index_dir: Path, backend: str) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.build_child", str(seeds), str(index_dir), backend],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def search_latency(index_dir: Path, embedder: Embedder, rounds: int = 100) -> dict:
    index = load_index(index_dir)
    vectors = embedder.embed(QUERIES)
    some_guide = next(iter(index.guides))
    timings: dict[str, list[float]] = {"all guides": [], "one guide": []}
    for _ in range(rounds):
        for query, vector in zip(QUERIES, vectors, strict=True):
            for label, guides in (("all guides", None), ("one guide", [some_guide])):
                started = time.perf_counter()
                index.search(query, vector, k=5, guide_ids=guides)
                timings[label].append((time.perf_counter() - started) * 1000)
    return {
        label: {"p50_ms": float(np.percentile(t, 50)), "p99_ms": float(np.percentile(t, 99))}
        for label, t in timings.items()
    }


def run(work: Path, seeds: Path, backends: list[str], synthetic: int = 2000) -> list[str]:
    corpus = work / f"synthetic-{synthetic}"
    shutil.rmtree(corpus, ignore_errors=True)
    write_corpus(corpus, synthetic)
    lines = [
        "| backend | corpus | guides | sections | build | peak memory | index on disk | search p50 / p99 (all) "
        "| search p50 / p99 (one guide) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for backend in backends:
        embedder = make_embedder(backend=backend)  # type: ignore[arg-type]
        for name, folder in (("seeds", seeds), (f"synthetic {synthetic}", corpus)):
            index_dir = work / f"index-{folder.name}-{backend}"
            built = build(folder, index_dir, backend)
            latency = search_latency(index_dir, embedder)
            a, o = latency["all guides"], latency["one guide"]
            lines.append(
                f"| {backend} | {name} | {built['guides']} | {built['sections']} | {built['build_s']:.1f} s "
                f"(+{built['model_load_s']:.1f} s model load, {built['precision']}) | {built['peak_rss_mib']:.0f} MiB"
                + (
                    f" (+{built['worker_peak_rss_mib']:.0f} MiB per embedding worker)"
                    if built["worker_peak_rss_mib"]
                    else ""
                )
                + f" "
                f"| {dir_size_mib(index_dir):.1f} MiB | {a['p50_ms']:.2f} / {a['p99_ms']:.2f} ms "
                f"| {o['p50_ms']:.2f} / {o['p99_ms']:.2f} ms |"
            )
            print(lines[-1], flush=True)  # noqa: T201 - a benchmark reports to its terminal
    return lines
