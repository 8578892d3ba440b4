"""The index layer's domain errors. Each names what a person needs to fix it."""

from __future__ import annotations


class GuideError(Exception):
    """A guide that cannot be read or parsed; names the file and, where known, the line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Parsing runs in worker processes for large corpora: the error must cross back.
        return type(self), (self.file, self.line, self.message)


class IndexNotReady(Exception):
    """No usable index on disk (missing, built with another model, or for other files)."""


class IndexCorrupt(IndexNotReady):
    """An index file on disk does not match the checksum its manifest recorded."""


class GuidesUnavailable(Exception):
    """The guides folder itself cannot be listed (missing, not a folder, no permission):
    nothing can be linted or indexed from it, and an index built from it would be empty."""


class IndexLocked(Exception):
    """Another build of the same index folder has held its lock for longer than we wait."""

    def __init__(self, message: str, pid: int | None) -> None:
        super().__init__(message)
        self.pid = pid  # of the process holding the lock, when it recorded itself
