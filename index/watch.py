"""Changes to guide files as they happen: what `negotiate build --watch` rebuilds on.

watchfiles (inotify on Linux) rather than polling the tree: a content team's folder can hold
thousands of guides, and stat-ing each of them every second would cost more than the rebuilds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from index.folder import SUFFIX

# One save is several events (an editor's temporary file, the rename, a chmod), and a `git
# pull` or a folder copied in is many: a burst of changes ends after QUIET_MS without one, and
# makes one rebuild. A stream that never pauses is cut every DEBOUNCE_MS, so rebuilds go on.
QUIET_MS = 300
DEBOUNCE_MS = 2000


class _GuideFiles(DefaultFilter):
    """Guide files, and folders: a folder copied in (a new company's guides) may be reported
    only as itself, its files written before the watch on it began. The rebuild reads the
    whole tree, so it finds them. Anything deleted counts: a folder moved away is gone and
    can no longer be told from a file. DefaultFilter drops editors' swap files, .git and the like."""

    def __call__(self, change: Change, path: str) -> bool:
        relevant = path.endswith(SUFFIX) or change == Change.deleted or os.path.isdir(path)
        return relevant and super().__call__(change, path)


def guide_changes(seeds: Path, stop: threading.Event | None = None) -> Iterator[list[Path]]:
    """The guide files under `seeds` (a folder or one file) that were added, changed or
    removed: one sorted batch per burst of changes, until `stop` is set. The first batch is
    empty, as soon as the watch has begun: from then on no change is missed, even one made
    while the caller is busy (they wait for the next batch). Ctrl-C raises KeyboardInterrupt."""
    started = False
    # A short timeout in the watcher is what tells that it has begun (its first, empty, yield).
    for changes in watch(
        seeds,
        watch_filter=_GuideFiles(),
        debounce=DEBOUNCE_MS,
        step=QUIET_MS,
        stop_event=stop,
        rust_timeout=200,
        yield_on_timeout=True,
    ):
        if changes or not started:
            started = True
            yield sorted({Path(path) for _, path in changes})
