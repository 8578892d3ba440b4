"""A built index, loaded: the parsed guides, their sections, and hybrid search over them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import TypeAdapter

from index.embed import vector_space
from index.errors import IndexCorrupt, IndexNotReady
from index.manifest import FORMAT_VERSION, MANIFEST, Manifest, sha256_artifact
from index.model import Guide, Model
from index.sections import Section, SectionKind
from index.store import DenseStore, LexicalStore

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the weight of top ranks

GUIDES, SECTIONS, DENSE, LEXICAL = "guides.json", "sections.json", "dense.faiss", "bm25"
CURRENT = "CURRENT"

GUIDES_JSON = TypeAdapter(list[Guide])
SECTIONS_JSON = TypeAdapter(list[Section])


class Hit(Model):
    section: Section
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


class SearchIndex:
    def __init__(
        self,
        manifest: Manifest,
        guides: list[Guide],
        sections: list[Section],
        dense: DenseStore,
        lexical: LexicalStore,
        path: Path | None = None,
    ) -> None:
        self.manifest = manifest
        self.path = path  # the generation folder it was loaded from (None when built in memory)
        # Set by `open_index` when this is the last good index served because checking the
        # guides for changes, or rebuilding, failed: why it may be out of date.
        self.fallback_reason: str | None = None
        self.guides = {g.id: g for g in guides}
        self.sections = sections
        self.dense = dense
        self.lexical = lexical
        by_guide: dict[str, list[int]] = {}
        for i, section in enumerate(sections):
            by_guide.setdefault(section.guide_id, []).append(i)
        self._by_guide = {g: np.array(ix, dtype=np.int64) for g, ix in by_guide.items()}
        self._by_id = {s.id: s for s in sections}
        kinds = np.array([s.kind for s in sections])
        self._by_kind = {kind: np.flatnonzero(kinds == kind) for kind in set(kinds.tolist())}

    def section(self, section_id: str) -> Section | None:
        return self._by_id.get(section_id)

    def sections_of(self, guide_id: str) -> list[Section]:
        """A guide's sections, in the order they stand in its file."""
        positions = self._by_guide.get(guide_id, np.zeros(0, dtype=np.int64))
        return sorted((self.sections[p] for p in positions), key=lambda s: (s.start_line, s.id))

    def _allowed(self, guide_ids: Iterable[str] | None, kinds: Iterable[SectionKind] | None) -> np.ndarray | None:
        if guide_ids is None and kinds is None:
            return None
        empty = np.zeros(0, dtype=np.int64)
        by_kind = None
        if kinds is not None:
            parts = [self._by_kind[k] for k in set(kinds) if k in self._by_kind]
            by_kind = np.sort(np.concatenate(parts)) if parts else empty
        if guide_ids is None:
            assert by_kind is not None
            return by_kind
        chosen = [self._by_guide[g] for g in guide_ids if g in self._by_guide]
        positions = np.concatenate(chosen) if chosen else empty
        return positions if by_kind is None else positions[np.isin(positions, by_kind)]

    def search(
        self,
        query: str,
        vector: np.ndarray | None,
        k: int = 5,
        mode: Mode = "hybrid",
        guide_ids: Iterable[str] | None = None,
        kinds: Iterable[SectionKind] | None = None,
    ) -> list[Hit]:
        """Best sections for a query; dense and BM25 ranks fused by reciprocal rank."""
        allowed = self._allowed(guide_ids, kinds)
        if allowed is not None and len(allowed) == 0:
            return []
        depth = max(k * 4, 20)
        dense = self.dense.search(vector, depth, allowed) if mode != "bm25" and vector is not None else []
        lexical = self.lexical.search(query, depth, allowed) if mode != "dense" else []
        ranks: dict[int, dict[str, int]] = {}
        for name, results in (("dense", dense), ("lexical", lexical)):
            for rank, (position, _) in enumerate(results, start=1):
                ranks.setdefault(position, {})[name] = rank
        scored = sorted(
            ((sum(1 / (RRF_K + r) for r in by.values()), position, by) for position, by in ranks.items()),
            key=lambda t: (-t[0], t[1]),
        )
        return [
            Hit(section=self.sections[p], score=s, dense_rank=by.get("dense"), lexical_rank=by.get("lexical"))
            for s, p, by in scored[:k]
        ]


def current_generation(index_dir: Path) -> Path:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        raise IndexNotReady(f"no index at {index_dir}: run `negotiate build`")
    generation = index_dir / pointer.read_text().strip()
    if not (generation / MANIFEST).is_file():
        raise IndexCorrupt(f"index at {index_dir} points to {generation.name}, which has no manifest")
    return generation


def read_manifest(index_dir: Path) -> Manifest:
    return _manifest_of(current_generation(index_dir))


def _manifest_of(generation: Path) -> Manifest:
    try:
        return Manifest.model_validate_json((generation / MANIFEST).read_bytes())
    except ValueError as err:
        raise IndexCorrupt(f"index manifest in {generation} is unreadable: {err}") from err


def load_index(index_dir: Path, model: str | None = None, precision: str | None = None) -> SearchIndex:
    """Load the current index, verifying every file against the manifest's checksums.
    With `model`/`precision`, refuse an index whose vectors came from another embedder."""
    generation = current_generation(index_dir)
    # The manifest of the generation just resolved, not of whatever CURRENT names by now: a
    # server reloading while a build publishes must not pair one generation's manifest with
    # another's files.
    manifest = _manifest_of(generation)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexNotReady(f"index format {manifest.format_version} is not the supported {FORMAT_VERSION}: rebuild it")
    if model is not None and manifest.model != model:
        raise IndexNotReady(f"index was built with model {manifest.model!r}, but {model!r} is configured: rebuild it")
    if precision is not None and vector_space(manifest.precision) != vector_space(precision):
        raise IndexNotReady(f"index vectors are {manifest.precision}, but the embedder runs in {precision}: rebuild it")
    for name, digest in manifest.artifacts.items():
        path = generation / name
        if not path.exists() or sha256_artifact(path) != digest:
            raise IndexCorrupt(f"index file {path} is missing or does not match its checksum: rebuild it")
    try:
        guides = GUIDES_JSON.validate_json((generation / GUIDES).read_bytes())
        sections = SECTIONS_JSON.validate_json((generation / SECTIONS).read_bytes())
        dense = DenseStore.load(generation / DENSE)
        lexical = LexicalStore.load(generation / LEXICAL, len(sections))
    except (ValueError, RuntimeError, json.JSONDecodeError) as err:
        raise IndexCorrupt(f"index in {generation} cannot be read: {err}") from err
    if len(dense) != len(sections):
        raise IndexCorrupt(f"index in {generation} has {len(dense)} vectors for {len(sections)} sections: rebuild it")
    return SearchIndex(manifest, guides, sections, dense, lexical, generation)
