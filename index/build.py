"""Build the index from a folder of guides: lint, split into sections, embed what changed,
and write a new generation of the index atomically.

On disk, `index_dir/CURRENT` names the generation folder in use. A build writes a complete
new generation under a temporary name, renames it into place, then swaps `CURRENT` with an
atomic `os.replace`: a crash at any point leaves the previous index loadable. One build runs
at a time per index folder (`index.lock`), and whatever a crashed build left is removed by
the next.

Opening the index for a server (`open_index`) never loses what it had: if the guides cannot
be checked or the rebuild fails, the last good index is served, with the reason on it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

import numpy as np

from index.embed import Embedder
from index.errors import IndexNotReady
from index.folder import MAX_GUIDE_BYTES, GuideFolder, file_digest, read_folder, shown_path
from index.lint import Finding, GuideReport, Severity, lint_folder
from index.lock import LOCK_TIMEOUT, build_lock
from index.manifest import MANIFEST, FileEntry, Manifest, Skipped, sha256_artifact
from index.model import Guide
from index.search import (
    CURRENT,
    DENSE,
    GUIDES,
    GUIDES_JSON,
    LEXICAL,
    SECTIONS,
    SECTIONS_JSON,
    SearchIndex,
    load_index,
    read_manifest,
)
from index.sections import Section, sections_of
from index.store import DenseStore, LexicalStore

log = logging.getLogger(__name__)

# progress(done, total): called as sections are embedded.
Progress = Callable[[int, int], None]
EMBED_CHUNK = 1024


class Extras(Protocol):
    """More artifacts a build writes into each generation, from the guides it indexes (the
    assistant's intent model). The index layer only stores them: it never imports what
    makes them."""

    def fingerprint(self) -> str:
        """Of what the artifacts are made from besides the guides; a change rebuilds them."""
        ...

    def write(self, folder: Path, guides: list[Guide], embedder: Embedder) -> list[str]:
        """Write the artifacts into `folder`; return their file names."""
        ...


@dataclass
class BuildResult:
    manifest: Manifest
    reports: list[GuideReport] = field(default_factory=list)
    embedded: int = 0  # sections embedded by this build
    reused: int = 0  # sections whose vectors were kept from the previous index
    up_to_date: bool = False  # nothing had changed: nothing was written
    # Guide files the published index holds that now have errors, when the build was asked to
    # keep the last good index rather than drop them: nothing was written.
    held_back: list[str] = field(default_factory=list)

    @property
    def guides(self) -> int:
        return len(self.manifest.files)


def seed_hashes(seeds_dir: Path, root: Path, *, max_guide_bytes: int = MAX_GUIDE_BYTES) -> dict[str, str]:
    """Every entry the index accounts for -> its sha256 (a digest of what is wrong, for one
    that is no readable guide). Raises `GuidesUnavailable` if the folder cannot be listed."""
    return _hashes(read_folder(seeds_dir, max_guide_bytes), root)


def _hashes(folder: GuideFolder, root: Path) -> dict[str, str]:
    hashes = {shown_path(p, root): file_digest(p) for p in folder.guides}
    return hashes | {shown_path(b.path, root): b.digest for b in folder.bad}


def stale_reason(
    manifest: Manifest,
    seeds_dir: Path,
    root: Path,
    extras: Extras | None = None,
    *,
    max_guide_bytes: int = MAX_GUIDE_BYTES,
) -> str | None:
    """Why an index no longer matches the guide files (or its extras' inputs), or None."""
    return _differences(manifest, seed_hashes(seeds_dir, root, max_guide_bytes=max_guide_bytes), extras)


def _differences(manifest: Manifest, now: dict[str, str], extras: Extras | None) -> str | None:
    if extras is not None and manifest.extras_fingerprint != extras.fingerprint():
        return "the intent examples or lexicon changed since the index was built"
    then = manifest.file_hashes()
    changed = sorted(p for p in now.keys() & then.keys() if now[p] != then[p])
    added, removed = sorted(now.keys() - then.keys()), sorted(then.keys() - now.keys())
    parts = [
        f"{len(v)} {name} ({', '.join(v[:3])}{', …' if len(v) > 3 else ''})"
        for name, v in (("changed", changed), ("new", added), ("removed", removed))
        if v
    ]
    return f"guide files differ from the index: {'; '.join(parts)}" if parts else None


def build_index(
    seeds_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    root: Path | None = None,
    today: date | None = None,
    force: bool = False,
    progress: Progress | None = None,
    extras: Extras | None = None,
    max_guide_bytes: int = MAX_GUIDE_BYTES,
    lock_timeout: float = LOCK_TIMEOUT,
    keep_last_good: bool = False,
) -> BuildResult:
    """Lint the guides under `seeds_dir` and write a new generation of the index if anything
    changed. Guides over `max_guide_bytes` are skipped unread. Waits up to `lock_timeout`
    seconds for another build of `index_dir` (then raises `IndexLocked`); raises
    `GuidesUnavailable` if `seeds_dir` cannot be listed (an empty index would replace a good one).

    With `keep_last_good`, a guide the published index holds that now has errors (a save in
    the middle of an edit) writes nothing: the result's `held_back` names it, and servers keep
    answering from it as it was. Otherwise it is skipped and the new index goes without it."""
    root = root or seeds_dir.parent
    with build_lock(index_dir, lock_timeout):
        _remove_crashed_builds(index_dir)
        return _build(
            seeds_dir, index_dir, embedder, root, today, force, progress, extras, max_guide_bytes, keep_last_good
        )


def _build(
    seeds_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    root: Path,
    today: date | None,
    force: bool,
    progress: Progress | None,
    extras: Extras | None,
    max_guide_bytes: int,
    keep_last_good: bool = False,
) -> BuildResult:
    folder = read_folder(seeds_dir, max_guide_bytes)
    previous = _previous(index_dir, embedder)
    if previous and not force and _differences(previous.manifest, _hashes(folder, root), extras) is None:
        return BuildResult(previous.manifest, up_to_date=True)

    reports = lint_folder(folder, root, today, max_guide_bytes=max_guide_bytes)
    guides, skipped = _accept(reports)
    if keep_last_good and previous is not None:
        broken = sorted(path for path in skipped if path in previous.manifest.files)
        if broken:
            log.warning("not publishing: %s indexed before, now with errors", ", ".join(broken))
            return BuildResult(previous.manifest, reports, held_back=broken)
    sections = [sections_of(g) for g in guides]
    texts = [[s.embed_text(g) for s in secs] for g, secs in zip(guides, sections, strict=True)]
    vectors, reused = _vectors(guides, texts, previous, embedder, progress)
    lexical_texts = [s.search_text(g) for g, secs in zip(guides, sections, strict=True) for s in secs]

    entries = {
        g.source_path: FileEntry(sha256=g.content_hash, guide_id=g.id, sections=len(secs), sections_sha256=_digest(t))
        for g, secs, t in zip(guides, sections, texts, strict=True)
    }
    flat = [s for secs in sections for s in secs]
    manifest = Manifest(
        model=embedder.name,
        precision=embedder.precision,
        dimension=embedder.dimension,
        built_at=datetime.now(UTC),
        files=entries,
        skipped=skipped,
        extras_fingerprint=extras.fingerprint() if extras else None,
    )
    _write_generation(index_dir, manifest, guides, flat, vectors, lexical_texts, extras, embedder)
    return BuildResult(read_manifest(index_dir), reports, embedded=len(flat) - reused, reused=reused)


def open_index(
    seeds_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    root: Path | None = None,
    on_rebuild: Callable[[str], None] | None = None,
    on_fallback: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    extras: Extras | None = None,
    max_guide_bytes: int = MAX_GUIDE_BYTES,
    lock_timeout: float = LOCK_TIMEOUT,
    builder: Embedder | None = None,
) -> SearchIndex:
    """Load the index; if it is missing, corrupt, for another model or for other files, say
    why through `on_rebuild` and rebuild it first — with `builder` when given (an embedder
    faster in bulk whose vectors agree with `embedder`'s, which embeds the questions).

    If the guides cannot be checked (the folder is gone or unreadable) or the rebuild fails
    (another build holds the lock past `lock_timeout`, a disk error), the index on disk is
    still served when it loads: its `fallback_reason` says why it may be out of date, and
    `on_fallback` is told. With no loadable index to fall back on, the error is raised."""
    root = root or seeds_dir.parent
    index: SearchIndex | None
    try:
        index = load_index(index_dir, embedder.name, embedder.precision)
    except IndexNotReady as err:
        index, reason = None, str(err)
    else:
        try:
            stale = stale_reason(index.manifest, seeds_dir, root, extras, max_guide_bytes=max_guide_bytes)
        except Exception as err:  # noqa: BLE001 - whatever broke the check, the index loaded is still good
            return _fall_back(index, f"the guide files could not be checked for changes: {err}", on_fallback)
        if stale is None:
            return index
        reason = stale
    log.info("rebuilding the index: %s", reason)
    if on_rebuild:
        on_rebuild(reason)
    try:
        build_index(
            seeds_dir,
            index_dir,
            builder or embedder,
            root=root,
            progress=progress,
            extras=extras,
            max_guide_bytes=max_guide_bytes,
            lock_timeout=lock_timeout,
        )
        return load_index(index_dir, embedder.name, embedder.precision)
    except Exception as err:  # noqa: BLE001 - whatever broke the rebuild, the index loaded is still good
        if index is None:
            raise
        return _fall_back(index, f"rebuilding the index failed: {err}", on_fallback)


def _fall_back(index: SearchIndex, reason: str, on_fallback: Callable[[str], None] | None) -> SearchIndex:
    log.warning("serving the last good index (built %s): %s", index.manifest.built_at, reason, exc_info=True)
    index.fallback_reason = reason
    if on_fallback:
        on_fallback(reason)
    return index


def _previous(index_dir: Path, embedder: Embedder) -> SearchIndex | None:
    try:
        return load_index(index_dir, embedder.name, embedder.precision)
    except IndexNotReady as err:
        log.info("not reusing the previous index: %s", err)
        return None


def _accept(reports: list[GuideReport]) -> tuple[list[Guide], dict[str, Skipped]]:
    """The guides fit to index; the others, with their errors. Two files may not claim one id."""
    guides: dict[str, Guide] = {}
    skipped: dict[str, Skipped] = {}
    for report in reports:
        guide = report.guide
        if guide is not None and guide.id in guides:
            report.findings.append(
                Finding(
                    Severity.ERROR,
                    report.file,
                    guide.title_line,
                    "duplicate-id",
                    f"guide id {guide.id!r} is already used by {guides[guide.id].source_path}",
                )
            )
        if report.ok and guide is not None:
            guides[guide.id] = guide
            continue
        errors = [str(f) for f in report.findings if f.severity is Severity.ERROR]
        digest = guide.content_hash if guide else report.digest or file_digest(report.path)
        skipped[report.file] = Skipped(sha256=digest, errors=errors)
        log.warning("skipping %s: %s", report.file, "; ".join(errors))
    return list(guides.values()), skipped


def _digest(texts: list[str]) -> str:
    return hashlib.sha256("\x1e".join(texts).encode()).hexdigest()


def _vectors(
    guides: list[Guide],
    texts: list[list[str]],
    previous: SearchIndex | None,
    embedder: Embedder,
    progress: Progress | None,
) -> tuple[np.ndarray, int]:
    """One vector per section, in order; kept from `previous` where the embedded text is unchanged."""
    old_vectors, old_offsets, old_files = None, {}, {}
    if previous is not None:
        old_vectors, old_offsets, old_files = (
            previous.dense.vectors(),
            previous.manifest.offsets(),
            previous.manifest.files,
        )
    parts: list[np.ndarray | None] = []
    todo: list[str] = []
    for guide, guide_texts in zip(guides, texts, strict=True):
        old = old_files.get(guide.source_path)
        if old_vectors is not None and old is not None and old.sections_sha256 == _digest(guide_texts):
            start, end = old_offsets[guide.source_path]
            parts.append(old_vectors[start:end])
        else:
            parts.append(None)
            todo.extend(guide_texts)
    fresh = _embed(todo, embedder, progress)
    dimension = (
        fresh.shape[1] if len(fresh) else (old_vectors.shape[1] if old_vectors is not None else embedder.dimension)
    )
    out, at, reused = [], 0, 0
    for part, guide_texts in zip(parts, texts, strict=True):
        if part is None:
            out.append(fresh[at : at + len(guide_texts)])
            at += len(guide_texts)
        else:
            out.append(part)
            reused += len(part)
    vectors = np.concatenate(out) if out else np.zeros((0, dimension), dtype=np.float32)
    return np.ascontiguousarray(vectors, dtype=np.float32), reused


def _embed(texts: list[str], embedder: Embedder, progress: Progress | None) -> np.ndarray:
    """Embed in chunks (for progress), in order of length: a batch of similar lengths wastes
    little on padding (measured: ~15% faster than file order)."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    order = np.argsort([len(t) for t in texts], kind="stable")
    out: np.ndarray | None = None
    for start in range(0, len(texts), EMBED_CHUNK):
        positions = order[start : start + EMBED_CHUNK]
        vectors = embedder.embed([texts[i] for i in positions])
        if out is None:
            out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
        out[positions] = vectors
        if progress:
            progress(min(start + EMBED_CHUNK, len(texts)), len(texts))
    assert out is not None
    return out


def _write_generation(
    index_dir: Path,
    manifest: Manifest,
    guides: list[Guide],
    sections: list[Section],
    vectors: np.ndarray,
    texts: list[str],
    extras: Extras | None = None,
    embedder: Embedder | None = None,
) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=index_dir))
    tmp.chmod(0o755)  # mkdtemp makes it private; the index is meant to be read by the server
    final = index_dir / f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
    try:
        (tmp / GUIDES).write_bytes(GUIDES_JSON.dump_json(guides))
        (tmp / SECTIONS).write_bytes(SECTIONS_JSON.dump_json(sections))
        DenseStore.build(vectors).save(tmp / DENSE)
        LexicalStore.build(texts).save(tmp / LEXICAL)
        names = [GUIDES, SECTIONS, DENSE, LEXICAL]
        if extras is not None and embedder is not None:
            names += extras.write(tmp, guides, embedder)
        artifacts = {name: sha256_artifact(tmp / name) for name in names}
        # The manifest is written last: a generation without one is never loaded.
        named = manifest.model_copy(update={"artifacts": artifacts, "generation": final.name})
        (tmp / MANIFEST).write_text(named.model_dump_json(indent=2))
        _fsync_tree(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    pointer = index_dir / f".{CURRENT}.tmp"
    with pointer.open("w") as f:
        f.write(final.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer, index_dir / CURRENT)
    _remove_old_generations(index_dir, keep=final.name)
    return final


def _fsync_tree(path: Path) -> None:
    for file in path.rglob("*"):
        if file.is_file():
            with file.open("rb") as f:
                os.fsync(f.fileno())


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    """Drop superseded generations (a server that loaded one keeps its files open)."""
    for child in index_dir.iterdir():
        if child.name.startswith("gen-") and child.name != keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def _remove_crashed_builds(index_dir: Path) -> None:
    """Remove what a crashed build left: under the build lock, no other build is running, so
    every temporary generation is a dead one's (however young)."""
    for child in index_dir.iterdir():
        if child.name.startswith(".building-") and child.is_dir():
            log.info("removing %s, left by a build that did not finish", child)
            shutil.rmtree(child, ignore_errors=True)
        elif child.name == f".{CURRENT}.tmp":
            child.unlink(missing_ok=True)
