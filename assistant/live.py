"""Live updates: a serving process follows the index generations `negotiate build` publishes,
without a restart and without a failed or mixed answer.

How a new generation is noticed: a daemon thread reads the index's CURRENT pointer once per
`interval` (a second by default). Polling rather than watchfiles, because it is one tiny read a
second; it works where inotify does not (an index on NFS or on a volume shared by several
boxes, which is where more than one server reads one index); each worker process of
`serve --workers N` does it on its own with nothing to coordinate; and an idle server catches up
as quickly as a busy one, which a check made between requests would not.

When the pointer names another generation, it is loaded whole in this thread — requests go on
being answered from the old one meanwhile — warmed, and switched to with one assignment
(`Assistant.switch`). A generation that does not load (corrupt, another model or precision, an
intent model for other examples) is logged once, and the old one goes on serving; /readyz
says so until a later generation loads. The server never builds: it only loads what a build
published.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.core import Assistant
from assistant.snapshot import Snapshot, load_published
from index.errors import IndexNotReady
from index.search import current_generation

log = logging.getLogger(__name__)


class Follower:
    """Keeps `assistant` on the generation published in `index_dir`."""

    def __init__(
        self,
        assistant: Assistant,
        index_dir: Path,
        interval: float = 1.0,
        on_switch: Callable[[Snapshot], None] | None = None,
    ) -> None:
        self.assistant, self.index_dir, self.interval = assistant, index_dir, interval
        self.on_switch = on_switch  # after each switch, in this thread (the app re-freezes the GC)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Follower:
        self._thread = threading.Thread(target=self._run, name="follow-index", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # noqa: BLE001 - the thread must outlive any one failure; the old index serves on
                log.exception("checking for a new index generation failed")

    def check(self) -> bool:
        """Switch to the published generation if it is new and loads; True if switched."""
        published = self._published()
        served = self.assistant.snapshot.generation
        if published is None or published in (served, self.assistant.unloadable):
            return False
        log.info("index generation %s published: loading it (serving %s meanwhile)", published, served)
        try:
            snapshot = load_published(self.index_dir, self.assistant.embedder)
            self.assistant.warm(snapshot)
        except Exception as failure:  # noqa: BLE001 - whatever broke the load, the index served is still good
            self.assistant.unloadable = published
            expected = isinstance(failure, IndexNotReady)  # said in its message; anything else needs its trace
            log.log(
                logging.WARNING if expected else logging.ERROR,
                "not switching to index generation %s: %s; still serving %s",
                published,
                failure,
                served,
                exc_info=not expected,
            )
            return False
        self.assistant.switch(snapshot)
        log.info("switched to index generation %s: %d guides", snapshot.generation, len(snapshot.index.guides))
        if self.on_switch is not None:
            self.on_switch(snapshot)
        return True

    def _published(self) -> str | None:
        try:
            return current_generation(self.index_dir).name
        except (IndexNotReady, OSError):
            return None  # nothing published (yet), or the folder is briefly unreadable: nothing to switch to
