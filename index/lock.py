"""One build at a time per index folder (a server's auto-rebuild and a `negotiate build` could
otherwise remove each other's new generation), and a lock that a crash cannot leave wedged.

The lock is an `flock` on `index_dir/.lock`, so the kernel drops it when its holder dies,
even by `kill -9`. Two things could still wedge it, and both are handled here:

- a process that inherited the descriptor keeps the lock alive after its holder died (forked
  workers did exactly that). The descriptor is opened close-on-exec, closed in any child
  forked while it is held, and worker pools spawn rather than fork (`index.workers`);
- a lock held by something else than the process the file names (an orphan of a build from
  before this fix): the file records its owner, and a lock whose owner is gone is stale. It
  is cleared, with a log message, by removing the file: the orphan keeps its lock on a file
  no one uses any more.

Waiting for a live build is bounded: past the timeout, `IndexLocked` names the process.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.errors import IndexLocked

log = logging.getLogger(__name__)

LOCK = ".lock"
# How long a build waits for another build of the same index to finish. Embedding a few
# thousand guides takes minutes; past this something is wrong, and saying so beats waiting.
LOCK_TIMEOUT = 15 * 60.0
_POLL = 0.1

# Lock descriptors this process holds: closed in forked children, which must never keep them.
_held: set[int] = set()


def _forget_held() -> None:
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_held)


@dataclass(frozen=True)
class Owner:
    """Who holds a lock, as written into the lock file."""

    pid: int
    host: str
    since: str
    start: str | None = None  # the process's start time (Linux): a reused PID is not the owner

    def alive(self) -> bool:
        if self.host != socket.gethostname():
            return True  # another machine's process: it cannot be checked from here
        return _process_start(self.pid) == self.start if self.start else _pid_exists(self.pid)

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}, since {self.since}"


@contextmanager
def build_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the build lock of `index_dir` for the `with` block, waiting at most `timeout`
    seconds for another build to finish."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = _acquire(index_dir / LOCK, timeout)
    try:
        yield
    finally:
        try:
            # A finished build leaves the file empty: an owner still named in a free lock is a
            # build that died holding it. (Under the guard: no waiter reads it half-done.)
            with _folder_guard(index_dir, time.monotonic() + 10):
                os.ftruncate(fd, 0)
        finally:
            _held.discard(fd)
            os.close(fd)  # releases the lock


def lock_owner(index_dir: Path) -> Owner | None:
    """Who the lock file names: the holder while it is held, or a build that died holding it."""
    try:
        fd = os.open(index_dir / LOCK, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        return _read_owner(fd)
    finally:
        os.close(fd)


def _acquire(path: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    waiting_for: Owner | None = None
    while True:
        # Taking the lock and recording the owner, and judging a lock stale and removing it,
        # happen under a short lock on the folder: a new owner is never mistaken for a stale one.
        with _folder_guard(path.parent, deadline):
            held = _try_lock(path)
        if isinstance(held, int):
            return held
        if time.monotonic() >= deadline:
            raise IndexLocked(
                f"another build of {path.parent} is running ({held}); gave up after waiting {timeout:g} s. "
                f"If process {held.pid} is stuck, stop it and build again.",
                held.pid,
            )
        if held != waiting_for:
            log.info("waiting for the build in %s to finish", held)
            waiting_for = held
        time.sleep(_POLL)


def _try_lock(path: Path) -> int | Owner:
    """The locked descriptor, or the live owner that holds the lock. Clears a stale lock."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _read_owner(fd)
            os.close(fd)
            if owner is not None and owner.alive():
                return owner
            held_by = f"its owner ({owner}) has exited" if owner else "it names no owner"
            log.warning("clearing the stale build lock %s: %s, yet something still holds it", path, held_by)
            path.unlink(missing_ok=True)
            continue
        _held.add(fd)
        if (crashed := _read_owner(fd)) is not None:
            log.warning(
                "taking over the build lock %s from %s, which exited without finishing its build", path, crashed
            )
        _write_owner(fd)
        return fd


@contextmanager
def _folder_guard(folder: Path, deadline: float) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    _held.add(fd)
    try:
        while True:  # held for microseconds by anyone: a wait here is short, but bounded anyway
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(f"could not lock {folder} to take its build lock", None) from None
                time.sleep(0.01)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)


def _write_owner(fd: int) -> None:
    owner = Owner(
        pid=os.getpid(),
        host=socket.gethostname(),
        since=datetime.now(UTC).isoformat(timespec="seconds"),
        start=_process_start(os.getpid()),
    )
    data = json.dumps(owner.__dict__).encode() + b"\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def _read_owner(fd: int) -> Owner | None:
    try:
        data = os.pread(fd, 4096, 0)
        return Owner(**json.loads(data))
    except (OSError, ValueError, TypeError):
        return None  # empty (a build from before owners were recorded) or garbled


def _process_start(pid: int) -> str | None:
    """When a live process started (clock ticks since boot), or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name, in parentheses, may hold spaces
    state, start = fields[0], fields[19]
    return None if state in ("Z", "X") else start


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as err:
        return err.errno == errno.EPERM  # exists, owned by someone else
    return True
