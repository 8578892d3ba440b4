"""Worker process pools that cannot outlive the process that started them.

A build killed with `kill -9` gets no chance to stop its workers. Forked workers used to live
on, waiting on a queue no one would write to again and holding a copy of every descriptor
their parent had open, the build lock among them: every later build waited on them forever.
So workers here are started with "spawn" (a fresh interpreter: it inherits no descriptor
except the pool's own pipes, and no lock or thread state of its parent) and end themselves as
soon as their parent is gone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def spawn_pool(
    workers: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    *,
    outlives_thread: bool = False,
) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process, however it ends.

    Set `outlives_thread` when the pool is kept after the thread that creates it returns (a
    long-lived embedder's): the kernel's parent-death signal follows the *thread* that
    started a worker, so such workers watch the parent process instead."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), outlives_thread, initializer, initargs),
    )


def _start_worker(
    parent: int, outlives_thread: bool, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    if outlives_thread or not _kill_me_with_parent():
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before we could ask to be told
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


def _kill_me_with_parent() -> bool:
    """Ask Linux to SIGKILL this process the moment the thread that started it ends."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0


def _watch_parent(parent: int) -> None:
    """A daemon thread that ends this process once `parent` has exited."""
    try:
        handle: int | None = os.pidfd_open(parent)  # readable once the process exits
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux, or a kernel before 5.3: poll instead
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while os.getppid() == parent:
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def spread(pool: Any, run: Callable[..., np.ndarray], texts: list[str], workers: int, batch_size: int) -> np.ndarray:
    """Embed `texts` across a pool's `workers`, interleaved so each gets a similar mix of
    lengths (callers sort by length), and put the vectors back in order."""
    slices = [texts[i::workers] for i in range(workers)]
    parts = list(pool.map(run, slices, [batch_size] * workers))
    out = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
    for i, part in enumerate(parts):
        out[i::workers] = part
    return out
