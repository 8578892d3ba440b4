"""One index generation, loaded: everything an answer reads that a build made — the index, and
the vocabulary, reader and intent model made from its guides.

A snapshot is never changed once made. The Assistant serves one and swaps in a newer one with
a single assignment; a question takes the snapshot once when it starts and keeps it to the end,
so it never mixes two generations, and a newer one arriving mid-question changes nothing for it.
What does not depend on the guides (the embedding model, its query-vector cache, the templates)
stays on the Assistant and is shared by every snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.nlu.pipeline import NLU, load_trained
from index.embed import Embedder
from index.errors import IndexNotReady
from index.model import Guide
from index.search import SearchIndex, load_index


@dataclass(frozen=True)
class Snapshot:
    index: SearchIndex
    nlu: NLU

    @property
    def generation(self) -> str | None:
        """The generation's name, as its manifest gives it (its folder, for older manifests);
        None for an index that was never published."""
        named = self.index.manifest.generation
        return named or (self.index.path.name if self.index.path else None)

    def guides(self) -> list[Guide]:
        return sorted(self.index.guides.values(), key=lambda g: g.id)


@dataclass(frozen=True)
class Serving:
    """What a server answers from, for health checks and logs."""

    generation: str | None
    built_at: datetime
    guides: int
    # Why the index served may be out of date: the last good one, kept at start-up when
    # checking the guides or rebuilding failed (names server paths: for the log only).
    fallback_reason: str | None = None
    # A newer published generation that could not be loaded (the one served goes on).
    unloadable: str | None = None


def load_published(index_dir: Path, embedder: Embedder) -> Snapshot:
    """The generation `index_dir` publishes now, loaded whole, checksums verified.

    It only loads what a build made: a generation whose vectors come from another model or
    precision than `embedder`'s, or whose intent model was trained on other examples, raises
    `IndexNotReady` saying so — answering from it would mean mixing vector spaces or
    training here, and making generations is the build's job."""
    index = load_index(index_dir, embedder.name, embedder.precision)
    assert index.path is not None  # loaded from disk
    nlu = load_trained(index.path, index.guides.values())
    if nlu is None:
        raise IndexNotReady(
            f"generation {index.path.name} has no intent model trained on these intent examples: "
            "rebuild it with this version (`negotiate build --force`)"
        )
    return Snapshot(index, nlu)
