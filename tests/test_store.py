"""The vector and term stores on their own, with synthetic vectors (no model needed)."""

from __future__ import annotations

import numpy as np

from index.store import HNSW_FROM, DenseStore, LexicalStore, tokenize


def unit_vectors(n: int, d: int = 384, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_small_store_is_exact_and_finds_each_vector_itself(tmp_path):
    vectors = unit_vectors(500)
    store = DenseStore.build(vectors)
    assert type(store.index).__name__ == "IndexFlatIP"
    assert [store.search(vectors[i], 1)[0][0] for i in (0, 17, 499)] == [0, 17, 499]
    store.save(tmp_path / "d.faiss")
    assert np.array_equal(DenseStore.load(tmp_path / "d.faiss").vectors(), vectors)


def test_large_store_switches_to_hnsw_and_keeps_recall(tmp_path):
    vectors = unit_vectors(HNSW_FROM + 1000)
    store = DenseStore.build(vectors)
    assert type(store.index).__name__ == "IndexHNSWFlat"
    probes = list(range(0, len(vectors), 997))
    assert sum(store.search(vectors[i], 1)[0][0] == i for i in probes) == len(probes)
    store.save(tmp_path / "d.faiss")
    loaded = DenseStore.load(tmp_path / "d.faiss")
    assert loaded.index.hnsw.efSearch == 128
    # a subset search scores exactly the allowed positions, whatever the index type
    allowed = np.array([5, 6, 7, 20_500])
    hits = loaded.search(vectors[20_500], 4, allowed)
    assert [p for p, _ in hits][0] == 20_500 and {p for p, _ in hits} == set(allowed.tolist())


def test_bm25_matches_plurals_and_ignores_stopwords():
    assert tokenize("How do I get more RSUs as PMs?") == ["get", "more", "rsu", "pm"]
    store = LexicalStore.build(["RSU lever for product managers", "base salary in Charlotte", "sources"])
    assert [p for p, _ in store.search("more RSUs", 3)] == [0]
    assert store.search("the of and", 3) == []
    assert [p for p, _ in store.search("charlotte salary", 3, np.array([1, 2]))] == [1]
