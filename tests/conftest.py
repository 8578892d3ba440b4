"""Shared fixtures: the real seeds, the real embedding model, a real index built once."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The seeds' review dates (2026-05-23) are in the past as of this date: staleness is tested.
TODAY = date(2026, 11, 21)


@pytest.fixture(scope="session")
def embedder():
    from index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, embedder) -> Path:
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(SEEDS, index_dir, embedder, root=ROOT, today=TODAY)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir, embedder):
    from index.search import load_index

    return load_index(seed_index_dir, embedder.name)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private, editable copy of the seed folder (tmp/seeds/...)."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
