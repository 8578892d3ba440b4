"""Find the guides in a folder, and every entry there that looks like one but cannot be read.

A guides folder is edited by people and tools: it can hold a symlink that points nowhere or at
itself, a folder named `x.md`, a FIFO, a file far too large to be a guide, or a link to a
file elsewhere on the machine. None of them may stop the others from being indexed, and none
may go unreported: each becomes a `BadEntry` that lint shows and the build records as skipped.

Nothing here reads a guide's contents; only names, links and sizes are looked at.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import GuidesUnavailable
from index.manifest import sha256_file

# A guide is a few KB of Markdown (the seeds: 8-10 KB). Parsing can cost far more memory than
# the file's size (an audit saw a 50 MB guide take a build to 6.5 GB), so a file far past any
# real guide is refused unread. Callers pass their own limit (a setting) where they need one.
MAX_GUIDE_BYTES = 1 << 20
SUFFIX = ".md"


@dataclass(frozen=True)
class BadEntry:
    """An entry in the guides folder that is not a guide that can be read, and why."""

    path: Path
    code: str  # the lint finding's code, e.g. "dangling-symlink"
    message: str  # names what is wrong, for the author

    @property
    def digest(self) -> str:
        """Stands in for a content hash in the manifest: unchanged while what is wrong stays
        the same (so it does not force a rebuild on every load), different once that changes."""
        return hashlib.sha256(f"{self.code}\0{self.message}".encode(errors="surrogateescape")).hexdigest()


@dataclass(frozen=True)
class GuideFolder:
    path: Path
    guides: list[Path] = field(default_factory=list)  # readable files, in path order
    bad: list[BadEntry] = field(default_factory=list)  # in path order


def read_folder(path: Path, max_bytes: int = MAX_GUIDE_BYTES) -> GuideFolder:
    """The guides under `path` (a folder, searched recursively, or one file), and the entries
    that cannot be guides. Raises `GuidesUnavailable` if `path` itself cannot be read."""
    try:
        top = path.resolve(strict=True)
        info = os.stat(path)
    except (OSError, RuntimeError) as err:
        raise GuidesUnavailable(f"guides folder {path} cannot be read: {_why(err)}") from err
    if not stat.S_ISDIR(info.st_mode):  # one file, named by the user: taken as it is
        problem = _check_file(path, info, max_bytes)
        return GuideFolder(path, [] if problem else [path], [problem] if problem else [])
    guides: list[Path] = []
    bad: list[BadEntry] = []
    folders = [path]
    while folders:  # a loop, not recursion: nesting depth is up to whoever made the folder
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as err:
            if folder == path:
                raise GuidesUnavailable(f"guides folder {path} cannot be read: {_why(err)}") from err
            bad.append(
                BadEntry(folder, "unreadable", f"folder cannot be read ({_why(err)}): no guide in it is indexed")
            )
            continue
        for entry in entries:
            child = Path(entry.path)
            named = entry.name.endswith(SUFFIX)
            if entry.is_symlink():
                problem_or_guide = _check_link(child, top, named, max_bytes)
                if isinstance(problem_or_guide, BadEntry):
                    bad.append(problem_or_guide)
                elif problem_or_guide:
                    guides.append(child)
            elif entry.is_dir(follow_symlinks=False):
                if named:
                    bad.append(
                        BadEntry(child, "not-a-file", "is a folder, not a guide file (guides inside it are read)")
                    )
                folders.append(child)
            elif named:
                problem = _check_file(child, entry.stat(follow_symlinks=False), max_bytes)
                if problem:
                    bad.append(problem)
                else:
                    guides.append(child)
    return GuideFolder(path, sorted(guides), sorted(bad, key=lambda b: b.path))


def file_digest(path: Path) -> str:
    """sha256 of a guide file; a file that cannot be read gets a digest of why, so the index
    remembers it as skipped (it is reported by lint) instead of the check failing."""
    try:
        return sha256_file(path)
    except OSError as err:
        return hashlib.sha256(f"unreadable\0{_why(err)}".encode()).hexdigest()


def shown_path(path: Path, root: Path | None) -> str:
    """A path as messages, citations and the manifest show it: relative to `root`. A name
    that is not UTF-8 shows its odd bytes escaped (`\\xff`): kept raw, it could not be
    written into the index's JSON, and the whole build would fail over one file name."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    return os.fsencode(shown).decode("utf-8", "backslashreplace")


def describe_size(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"


def too_large(size: int, max_bytes: int) -> str:
    return f"is {describe_size(size)}, over the limit of {describe_size(max_bytes)} for a guide: not read"


def _check_file(path: Path, info: os.stat_result, max_bytes: int) -> BadEntry | None:
    if not stat.S_ISREG(info.st_mode):
        return BadEntry(path, "not-a-file", f"is {_kind(info.st_mode)}, not a guide file: not read")
    if info.st_size > max_bytes:
        return BadEntry(path, "too-large", too_large(info.st_size, max_bytes))
    return None


def _check_link(path: Path, top: Path, named: bool, max_bytes: int) -> BadEntry | bool:
    """A symlink: a bad entry, True (a guide to read through the link), or False (nothing to
    do with guides: a link not named *.md that is not to a folder)."""
    target = os.readlink(path)
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(top):
        # Never followed: the guides folder must not become a way to read any file on the machine.
        if named or resolved.is_dir():
            return BadEntry(
                path, "outside-folder", f"is a symlink to {target}, outside the guides folder: not followed"
            )
        return False
    try:
        info = os.stat(path)
    except OSError as err:
        if not named:
            return False
        if err.errno == errno.ELOOP:
            return BadEntry(path, "symlink-loop", f"is a symlink loop ({path.name} -> {target}): not read")
        if err.errno == errno.ENOENT:
            return BadEntry(path, "dangling-symlink", f"is a symlink to {target}, which does not exist")
        return BadEntry(path, "unreadable", f"is a symlink to {target}, which cannot be followed: {_why(err)}")
    if stat.S_ISDIR(info.st_mode):
        # Folders are not followed through links: a link back up the tree would loop, and one
        # guide reached by two paths would claim its id twice.
        what = (
            "not a guide file" if named else "folders are not followed through symlinks, so no guide in it is indexed"
        )
        return BadEntry(path, "symlinked-folder", f"is a symlink to the folder {target}: {what}")
    if not named:
        return False
    return _check_file(path, info, max_bytes) or True


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _why(err: BaseException) -> str:
    return err.strerror if isinstance(err, OSError) and err.strerror else str(err)
