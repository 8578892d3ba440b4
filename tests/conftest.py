"""Shared fixtures: the real seeds, the real embedding model, a real index built once."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
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
    """The product's embedder, as configured by default (ONNX Runtime where it can run)."""
    from assistant.settings import Settings

    return Settings().embedder()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, embedder) -> Path:
    from assistant.nlu.pipeline import IntentArtifacts
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(SEEDS, index_dir, embedder, root=ROOT, today=TODAY, extras=IntentArtifacts())
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir, embedder):
    from index.search import load_index

    return load_index(seed_index_dir, embedder.name)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session, in a temporary folder (tests/postgres.py)."""
    from tests.postgres import TempPostgres

    server = TempPostgres().start()
    yield server
    server.stop()


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped after it."""
    name = f"test_{os.getpid()}_{next(_databases)}"
    url = postgres.create_database(name)
    yield url
    postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path) -> Path | str:
    """What NEGOTIATE_DATABASE names, for each backend: a SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "negotiate.db"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(database):
    """A fresh store, on each backend."""
    from assistant.storage import open_store

    opened = open_store(database)
    yield opened
    opened.close()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private, editable copy of the seed folder (tmp/seeds/...)."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def web_settings(tmp_path, seed_index_dir):
    from assistant.settings import Settings

    return Settings(seeds_dir=SEEDS, index_dir=seed_index_dir, database=tmp_path / "negotiate.db", today=TODAY)


@pytest.fixture
def client(web_settings, seed_index, embedder):
    """The real app over the real index, with a fresh database."""
    from fastapi.testclient import TestClient

    from assistant.core import Assistant
    from web.app import create_app

    app = create_app(web_settings, Assistant(seed_index, embedder, today=TODAY))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


VARIANTS = ROOT / "tests" / "guides" / "variants"


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory, embedder):
    """The assistant over the seeds and the outside writers' variant guides together: five
    guides of one company and fourteen of eleven others, as a content team would grow it."""
    from assistant.core import Assistant
    from assistant.nlu.pipeline import IntentArtifacts
    from index.build import build_index
    from index.search import load_index

    root = tmp_path_factory.mktemp("corpus")
    for folder in (SEEDS, VARIANTS):
        for path in folder.rglob("*.md"):
            target = root / "seeds" / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    build_index(root / "seeds", root / "index", embedder, root=root, today=TODAY, extras=IntentArtifacts())
    return Assistant(load_index(root / "index"), embedder, today=TODAY)
