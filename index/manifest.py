"""The manifest saved beside an index: what it was built from and with, so a load can tell
whether it is still right (same model, same guide files, same bytes on disk)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class FileEntry(BaseModel):
    sha256: str
    guide_id: str
    sections: int  # how many sections (and vectors, in order) this file contributed
    sections_sha256: str  # of the texts that were embedded: equal means the vectors still fit


class Skipped(BaseModel):
    sha256: str
    errors: list[str]


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    model: str
    precision: str = "float32"  # of the embeddings; bf16 and fp32 vectors are not mixed
    dimension: int
    built_at: datetime
    files: dict[str, FileEntry]  # source path -> entry, in vector order
    skipped: dict[str, Skipped] = {}  # source path -> why it was not indexed
    artifacts: dict[str, str] = {}  # file name in the index folder -> sha256
    extras_fingerprint: str | None = None  # of what the build's extra artifacts were made from
    # The generation folder's name, chosen before the manifest is written: what a server says
    # it serves (/readyz). None in manifests written before generations were named in them.
    generation: str | None = None

    def file_hashes(self) -> dict[str, str]:
        """Every guide file the index was built from, indexed or skipped -> its sha256."""
        return {p: e.sha256 for p, e in self.files.items()} | {p: s.sha256 for p, s in self.skipped.items()}

    def offsets(self) -> dict[str, tuple[int, int]]:
        """source path -> [start, end) of its vectors."""
        out, at = {}, 0
        for path, entry in self.files.items():
            out[path] = (at, at + entry.sections)
            at += entry.sections
        return out


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_tree(path: Path) -> str:
    """One digest over a folder's files (BM25 saves several)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(sha256_file(file).encode())
    return digest.hexdigest()


def sha256_artifact(path: Path) -> str:
    return sha256_tree(path) if path.is_dir() else sha256_file(path)
