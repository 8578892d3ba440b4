"""`make bench-peer`: our whole answer beside a plain LlamaIndex retriever on the same guides
and the same model, in one run, interleaved question by question (this machine is noisy:
the ratio from one run is the figure to trust).

The peer is what a team would build first: MarkdownNodeParser chunks, the same MiniLM
through llama-index's HuggingFace embedding, vector + BM25 fused by reciprocal rank, top 3.
It retrieves; it does not answer. Both are scored by our checker: are the expected figures
in what it returns (for the peer: the three chunks' text), and is the expected guide the one
it cites (for the peer: the top chunk's file)?
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from pathlib import Path

from assistant.core import Assistant
from assistant.evaluate import check, load_gold
from assistant.nlu.pipeline import IntentArtifacts
from index.build import build_index
from index.embed import DEFAULT_MODEL, make_embedder, resolve_model
from index.search import load_index

ROOT = Path(__file__).resolve().parents[2]


def peer_retriever(seeds: Path, key: str = "guide"):  # type: ignore[no-untyped-def]
    from llama_index.core import Document, Settings, VectorStoreIndex
    from llama_index.core.node_parser import MarkdownNodeParser
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.retrievers.bm25 import BM25Retriever

    Settings.llm = None  # retrieval only: no language model anywhere
    documents = [
        Document(
            text=path.read_text(encoding="utf-8"),
            metadata={"guide": f"{path.parent.name}/{path.stem}", "path": str(path.relative_to(seeds.parent))},
        )
        for path in sorted(seeds.rglob("*.md"))
    ]
    nodes = MarkdownNodeParser().get_nodes_from_documents(documents)
    embedding = HuggingFaceEmbedding(model_name=resolve_model(DEFAULT_MODEL), device="cpu")
    vector = VectorStoreIndex(nodes, embed_model=embedding).as_retriever(similarity_top_k=3)
    bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=3)
    return QueryFusionRetriever(
        [vector, bm25], similarity_top_k=3, num_queries=1, mode="reciprocal_rerank", use_async=False
    )


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    seeds, work = ROOT / "seeds", ROOT / "var" / "bench"
    cases = [c for c in load_gold(ROOT / "tests" / "gold.yaml") if not c.context and c.status == "answered"]
    embedder = make_embedder()
    index_dir = work / "index-seeds-peer"
    build_index(seeds, index_dir, embedder, extras=IntentArtifacts())
    ours = Assistant(load_index(index_dir), embedder, today=date(2026, 11, 21))
    peer = peer_retriever(seeds)
    for case in cases[:5]:  # warm both
        ours.ask(case.question)
        peer.retrieve(case.question)
    our_ms, peer_ms = [], []
    our_right = peer_right = our_figures = peer_figures = 0
    for case in cases:
        ours.embed_query.cache_clear()  # type: ignore[attr-defined]
        started = time.perf_counter()
        outcome = check(ours, case)
        our_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        found = peer.retrieve(case.question)
        peer_ms.append((time.perf_counter() - started) * 1000)
        expected_guide = case.cites[0].split("#")[0] if case.cites else None
        text = "\n".join(n.node.get_content() for n in found)
        our_figures += not outcome.missing_figures
        peer_figures += all(f in text for f in case.figures)
        our_right += expected_guide is None or any(c.guide_id == expected_guide for c in outcome.answer.citations[:1])
        peer_right += expected_guide is None or (bool(found) and found[0].node.metadata["guide"] == expected_guide)
    n = len(cases)
    ours_p50, peer_p50 = statistics.median(our_ms), statistics.median(peer_ms)
    lines = [
        f"{n} gold questions, interleaved, one run:",
        "",
        "| | p50 | p99 | expected figures present | expected guide first |",
        "|---|---|---|---|---|",
        f"| ours: the whole answer | {ours_p50:.1f} ms | {_p99(our_ms):.1f} ms "
        f"| {our_figures / n:.0%} | {our_right / n:.0%} |",
        f"| LlamaIndex: retrieval only | {peer_p50:.1f} ms | {_p99(peer_ms):.1f} ms "
        f"| {peer_figures / n:.0%} | {peer_right / n:.0%} |",
        "",
        f"ours / peer at p50: {ours_p50 / peer_p50:.2f} (goal ≤ 0.4)",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201 - a benchmark reports to its terminal


def _p99(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.99 * len(values)) - 1)]


if __name__ == "__main__":
    main()
