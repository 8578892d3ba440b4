"""Answering benchmark: warm in-process `ask` latency over the gold set, and how much of it
is embedding the query. The query-vector cache is cleared before each question, so every
ask pays for its embedding as a first-time question does."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np

from assistant.core import Assistant
from assistant.evaluate import load_gold
from assistant.nlu.pipeline import IntentArtifacts
from index.build import build_index
from index.embed import Embedder, make_embedder
from index.search import load_index


class TimedEmbedder:
    """Passes through to the real embedder, adding up the time spent in it."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.spent = inner, 0.0
        self.name, self.precision = inner.name, inner.precision

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed(self, texts):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.spent += time.perf_counter() - started


def run(work: Path, seeds: Path, gold: Path, backends: list[str], rounds: int = 5) -> list[str]:
    lines = [
        "| backend | embed one question p50 / p99 | ask p50 | ask p99 | share embedding the query "
        "| p50 without the embedding |",
        "|---|---|---|---|---|---|",
    ]
    crafted_lines: list[str] = []
    for backend in backends:
        line, assistant = _one(work, seeds, gold, backend, rounds)
        lines.append(line)
        print(line, flush=True)  # noqa: T201 - a benchmark reports to its terminal
        if not crafted_lines:
            crafted_lines = crafted(assistant)
    lines += ["", *crafted_lines]
    print("\n".join(crafted_lines), flush=True)  # noqa: T201
    return lines


def _one(work: Path, seeds: Path, gold: Path, backend: str, rounds: int) -> tuple[str, Assistant]:
    embedder = make_embedder(backend=backend)  # type: ignore[arg-type]
    index_dir = work / f"index-seeds-ask-{backend}"
    build_index(seeds, index_dir, embedder, extras=IntentArtifacts())
    timed = TimedEmbedder(embedder)
    assistant = Assistant(load_index(index_dir), timed, today=date(2026, 11, 21))  # type: ignore[arg-type]
    cases = load_gold(gold)
    for case in cases[:10]:  # warm up: first calls pay for lazy imports and allocations
        assistant.ask(case.question)
    singles = []
    for _ in range(rounds):
        for case in cases:
            started = time.perf_counter()
            embedder.embed([case.question])
            singles.append((time.perf_counter() - started) * 1000)
    totals, embeds = [], []
    for _ in range(rounds):
        for case in cases:
            conversation = None
            for earlier in case.context:
                conversation = assistant.ask(earlier, conversation).conversation_id
            assistant.embed_query.cache_clear()  # type: ignore[attr-defined]
            timed.spent = 0.0
            started = time.perf_counter()
            assistant.ask(case.question, conversation)
            totals.append((time.perf_counter() - started) * 1000)
            embeds.append(timed.spent * 1000)
    total, embed, single = np.array(totals), np.array(embeds), np.array(singles)
    line = (
        f"| {backend} | {np.percentile(single, 50):.1f} / {np.percentile(single, 99):.1f} ms "
        f"| {np.percentile(total, 50):.1f} ms | {np.percentile(total, 99):.1f} ms "
        f"| {embed.sum() / total.sum():.0%} | {np.percentile(total - embed, 50):.1f} ms |"
    )
    return line, assistant


# Questions of the longest allowed length, made to be as much work as possible for each
# reader: amounts, bare numbers, capitalised names, "City, ST" places, plain words.
CRAFTED = {
    '"$1" × 1000': "$1" * 1000,
    '"1k " × 666': "1k " * 667,
    '"base 1 " × 285': "base 1 " * 286,
    '"Ab " × 666': "Ab " * 667,
    '"in Boston, MA " × 140': "in Boston, MA " * 143,
    "an ordinary question × 22": "I was offered 140K base + 30K stock in Detroit as a software engineer, good? " * 27,
}


def crafted(assistant: Assistant, rounds: int = 5) -> list[str]:
    """The worst cases of reading a question: each the 2,000-character maximum."""
    lines = ["| crafted question (2,000 characters) | reading p50 | whole ask p50 |", "|---|---|---|"]
    for name, text in CRAFTED.items():
        text = text[:2000]
        reads, asks = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            assistant.nlu.read(text)
            reads.append((time.perf_counter() - started) * 1000)
            assistant.embed_query.cache_clear()  # type: ignore[attr-defined]
            started = time.perf_counter()
            assistant.ask(text)
            asks.append((time.perf_counter() - started) * 1000)
        lines.append(f"| {name} | {np.median(reads):.1f} ms | {np.median(asks):.1f} ms |")
    return lines
