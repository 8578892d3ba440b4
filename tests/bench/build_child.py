"""Build one index in a fresh process and report time and peak memory as JSON (run by the
index benchmark, so each build's memory is its own)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from index.build import build_index
from index.embed import make_embedder


def main() -> None:
    seeds, index_dir, backend = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    embedder = make_embedder(backend=backend)  # type: ignore[arg-type]
    started = time.perf_counter()
    embedder.embed(["warm up"])  # the model load is timed separately from the build
    loaded = time.perf_counter()
    result = build_index(seeds, index_dir, embedder, force=True)
    done = time.perf_counter()
    embedder.close()  # so the embedding workers' peak memory is counted below
    json.dump(
        {
            "guides": result.guides,
            "sections": result.embedded + result.reused,
            "model_load_s": loaded - started,
            "build_s": done - loaded,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "precision": embedder.precision,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
