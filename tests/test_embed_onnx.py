"""The ONNX Runtime backend: the shipped model exported here, the same vectors as torch's, an
index never mixing vectors of two backends, and a server that answers without torch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.evaluate import load_gold
from index.build import build_index, open_index
from index.embed import SentenceTransformerEmbedder, make_embedder
from index.embed_onnx import OnnxEmbedder
from tests.conftest import ROOT, SEEDS, TODAY

QUESTIONS = [case.question for case in load_gold(ROOT / "tests" / "gold.yaml")]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


def test_onnx_vectors_are_torchs_vectors(cache):
    onnx = OnnxEmbedder(cache_dir=cache).embed(QUESTIONS)
    torch = SentenceTransformerEmbedder(precision="float32").embed(QUESTIONS)
    assert onnx.shape == torch.shape == (len(QUESTIONS), 384)
    assert float((onnx * torch).sum(axis=1).min()) > 0.9999
    np.testing.assert_allclose(np.linalg.norm(onnx, axis=1), 1.0, rtol=1e-6)


def test_the_export_is_made_once_and_kept(cache):
    first = OnnxEmbedder(cache_dir=cache)
    graph = first.graph
    made = graph.stat().st_mtime_ns
    again = OnnxEmbedder(cache_dir=cache)
    assert again.graph == graph and graph.stat().st_mtime_ns == made
    assert again.precision == first.precision and again.precision.startswith("onnx-float32:")


def test_int8_is_its_own_vector_space(cache):
    int8 = OnnxEmbedder(quantization="int8", cache_dir=cache)
    assert int8.precision.startswith("onnx-int8:") and int8.precision != OnnxEmbedder(cache_dir=cache).precision
    vectors = int8.embed(QUESTIONS[:20])
    float32 = OnnxEmbedder(cache_dir=cache).embed(QUESTIONS[:20])
    assert float((vectors * float32).sum(axis=1).mean()) > 0.98  # close, but not the same space


def test_an_index_built_by_torch_is_queried_by_onnx_without_rebuilding(tmp_path, cache):
    # Their vectors agree (see above): the build may use whichever is faster in bulk.
    index_dir = tmp_path / "index"
    build_index(SEEDS, index_dir, SentenceTransformerEmbedder(precision="bfloat16"), root=ROOT, today=TODAY)
    reasons: list[str] = []
    index = open_index(SEEDS, index_dir, OnnxEmbedder(cache_dir=cache), root=ROOT, on_rebuild=reasons.append)
    assert reasons == [] and index.manifest.precision == "bfloat16"


def test_int8_vectors_are_never_mixed_with_float_ones(tmp_path, cache):
    index_dir = tmp_path / "index"
    build_index(SEEDS, index_dir, OnnxEmbedder(cache_dir=cache), root=ROOT, today=TODAY)
    reasons: list[str] = []
    int8 = OnnxEmbedder(quantization="int8", cache_dir=cache)
    index = open_index(SEEDS, index_dir, int8, root=ROOT, on_rebuild=reasons.append)
    assert reasons and "onnx-float32" in reasons[0] and "onnx-int8" in reasons[0]
    assert index.manifest.precision == int8.precision


def test_auto_is_onnx_where_it_can_run():
    assert isinstance(make_embedder(), OnnxEmbedder)
    assert isinstance(make_embedder(backend="torch"), SentenceTransformerEmbedder)


SERVE_WITHOUT_TORCH = """
import sys
from assistant.settings import Settings
from web.app import create_app, _load
settings = Settings()
app = create_app(settings)
_load(app, settings)
assert app.state.assistant is not None, app.state.load_error
assert app.state.assistant.ask("base pay for a software engineer in Detroit").citations
print("torch" in sys.modules, "sentence_transformers" in sys.modules)
"""


def test_a_server_with_a_built_index_answers_without_importing_torch(seed_index_dir, tmp_path, embedder):
    env = {
        **os.environ,
        "NEGOTIATE_INDEX_DIR": str(seed_index_dir),
        "NEGOTIATE_SEEDS_DIR": str(SEEDS),
        "NEGOTIATE_DATABASE": str(tmp_path / "db.sqlite"),
        "NEGOTIATE_MODEL_CACHE": str(embedder.cache_dir),
        "HF_HUB_OFFLINE": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_TORCH], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_embedding_across_worker_processes_gives_the_same_vectors_in_order(cache):
    texts = QUESTIONS[:12]
    alone = OnnxEmbedder(cache_dir=cache).embed(texts)
    spread_out = OnnxEmbedder(cache_dir=cache, workers=2, parallel_from=4)
    try:
        together = spread_out.embed(texts)
    finally:
        spread_out.close()
    assert together.shape == alone.shape
    assert np.allclose(together, alone, atol=1e-5)
