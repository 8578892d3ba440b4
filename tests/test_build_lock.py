"""A build can be killed at any moment (`kill -9`) and the next build still runs: no worker
outlives it, no lock stays held, nothing it half-wrote stays behind. A build never waits
forever for another: it clears a lock whose owner is gone, and gives up on a live one after
a timeout, naming the process."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index, open_index
from index.errors import IndexLocked
from index.lock import LOCK, lock_owner
from tests.conftest import ROOT, SEEDS
from tests.synth import write_corpus

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches processes through /proc")

log = logging.getLogger(__name__)
NEGOTIATE = str(Path(sys.executable).with_name("negotiate"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


class HashedWords:
    """Words hashed into a small unit vector. The model's meaning is not under test here, and
    embedding 200 guides with it takes minutes of CPU; the lock, the workers and the build
    around the embedder are the real ones."""

    name, dimension, precision = "hashed-words", 64, "float32"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.full((len(texts), self.dimension), 1e-3, dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, zlib.crc32(word.encode()) % self.dimension] += 1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


# -- processes, as /proc shows them -----------------------------------------------------------


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def descendants(pid: int) -> dict[int, str]:
    """Every live process below `pid` -> its start time (to tell it from a later one with its PID)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[1] not in "ZX":
            table[int(entry.name)] = stat
    found: dict[int, str] = {}
    parents = {pid}
    while parents:
        parents = {p for p, (ppid, _, _) in table.items() if ppid in parents and p not in found}
        found |= {p: table[p][2] for p in parents}
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(processes: dict[int, str]) -> set[int]:
    """Those of `processes` still running (a zombie has exited; a reused PID is another process)."""
    return {p for p, start in processes.items() if (stat := _stat(p)) and stat[1] not in "ZX" and stat[2] == start}


def holders(path: Path) -> set[int]:
    """Processes with the file at `path` open (by inode: also after it was unlinked)."""
    target = os.stat(path)
    found = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            st = os.stat(fd)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            found.add(int(fd.parts[2]))
    return found


def wait_for(condition: Callable[[], object], timeout: float, every: float = 0.05) -> object:
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {condition}")
        time.sleep(every)
    return result


def kill_left(processes: dict[int, str]) -> None:
    """Test cleanup: end what this test started and left running (by PID, checked by start time)."""
    for pid in alive(processes):
        os.kill(pid, signal.SIGKILL)


def one_guide(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    (seeds / "ally-financial").mkdir(parents=True)
    shutil.copy(SEEDS / "ally-financial/software-engineer.md", seeds / "ally-financial")
    return seeds


# -- the tests ----------------------------------------------------------------------------


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="lint runs in worker processes only with 2+ CPUs")
def test_build_killed_mid_lint_leaves_no_worker_and_no_lock_and_the_next_build_runs(tmp_path):
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    write_corpus(seeds, 200)  # enough guides for lint to run in worker processes
    started = time.monotonic()
    build = subprocess.Popen(
        [NEGOTIATE, "build", str(seeds), "--index", str(index_dir)],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: dict[int, str] = {}
    try:

        def linting() -> bool:
            seen.update(descendants(build.pid))
            workers = [p for p in alive(seen) if "resource_tracker" not in cmdline(p)]
            return len(workers) >= 2 and (index_dir / LOCK).exists() and build.pid in holders(index_dir / LOCK)

        wait_for(linting, timeout=120)
        time.sleep(max(0.0, 2.0 - (time.monotonic() - started)))  # mid-lint, about 2 s in
        seen.update(descendants(build.pid))
        # The build holds the lock, and only the build: its workers never got the descriptor.
        assert holders(index_dir / LOCK) == {build.pid}
        assert lock_owner(index_dir).pid == build.pid  # type: ignore[union-attr]

        killed_at = time.monotonic()
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=10)
        wait_for(lambda: not alive(seen), timeout=10)
        log.info(
            "killed %.1f s in; its %d child processes gone %.2f s later",
            killed_at - started,
            len(seen),
            time.monotonic() - killed_at,
        )
        assert holders(index_dir / LOCK) == set()

        # The next one (as a server starting opens the index) takes the lock and completes.
        restarted = time.monotonic()
        fresh = subprocess.run(
            [sys.executable, "-m", "tests.test_build_lock", str(seeds), str(index_dir)],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=300,
        )
        log.info("the next build took %.1f s", time.monotonic() - restarted)
        assert fresh.returncode == 0, fresh.stderr
        assert fresh.stdout.splitlines()[-1] == "200 guides indexed"
        [taken_over] = [line for line in fresh.stderr.splitlines() if "build lock" in line]
        assert taken_over.startswith(
            f"taking over the build lock {index_dir / LOCK} from process {build.pid} on {socket.gethostname()}, since "
        )
        assert taken_over.endswith(", which exited without finishing its build")
    finally:
        build.kill()
        build.wait(timeout=10)
        kill_left(seen)


ORPHAN = """
import fcntl, json, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
os.write(fd, sys.argv[2].encode())
print("locked", flush=True)
time.sleep(120)
"""


def exited_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


@pytest.mark.parametrize(
    "recorded", ["an owner that has exited", "no owner (a build from before owners were recorded)"]
)
def test_lock_held_by_an_orphan_is_cleared_with_a_log_message(tmp_path, caplog, recorded):
    seeds, index_dir = one_guide(tmp_path), tmp_path / "index"
    index_dir.mkdir()
    dead = exited_pid()
    owner = {"pid": dead, "host": socket.gethostname(), "since": "2026-01-02T03:04:05+00:00", "start": "1"}
    record = json.dumps(owner) if recorded.startswith("an owner") else ""
    # What a build killed before this fix left: a forked worker still holding the lock.
    orphan = subprocess.Popen(
        [sys.executable, "-c", ORPHAN, str(index_dir / LOCK), record], stdout=subprocess.PIPE, text=True
    )
    try:
        assert orphan.stdout is not None and orphan.stdout.readline() == "locked\n"
        with caplog.at_level(logging.WARNING, logger="index.lock"):
            result = build_index(seeds, index_dir, HashedWords(), lock_timeout=5)
        assert result.guides == 1
        held_by = (
            f"its owner (process {dead} on {socket.gethostname()}, since 2026-01-02T03:04:05+00:00) has exited"
            if record
            else "it names no owner"
        )
        assert caplog.messages == [
            f"clearing the stale build lock {index_dir / LOCK}: {held_by}, yet something still holds it"
        ]
        assert lock_owner(index_dir) is None  # released by a build that finished
    finally:
        orphan.kill()
        orphan.wait()


HOLDER = """
import sys, time
from pathlib import Path
from index.lock import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_waiting_for_a_live_build_gives_up_after_the_timeout_naming_its_process(tmp_path, caplog):
    seeds, index_dir = one_guide(tmp_path), tmp_path / "index"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(index_dir)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        with pytest.raises(IndexLocked) as caught:
            build_index(seeds, index_dir, HashedWords(), lock_timeout=1)
        # it waited its timeout, then gave up (the bound above it only says "not forever": no timing)
        assert 1 <= time.monotonic() - started < 60
        assert caught.value.pid == holder.pid
        assert str(caught.value).startswith(
            f"another build of {index_dir} is running (process {holder.pid} on {socket.gethostname()}, since "
        )
        assert str(caught.value).endswith(
            f"); gave up after waiting 1 s. If process {holder.pid} is stuck, stop it and build again."
        )
        # kill -9 of the holder releases the lock at once; the next build says whose it takes over
        holder.kill()
        holder.wait()
        with caplog.at_level(logging.WARNING, logger="index.lock"):
            assert build_index(seeds, index_dir, HashedWords(), lock_timeout=1).guides == 1
        [taken_over] = caplog.messages
        assert taken_over.startswith(f"taking over the build lock {index_dir / LOCK} from process {holder.pid} on ")
    finally:
        holder.kill()
        holder.wait()


def test_temporaries_of_a_crashed_build_are_removed_by_the_next_build_however_young(tmp_path):
    seeds, index_dir = one_guide(tmp_path), tmp_path / "index"
    build_index(seeds, index_dir, HashedWords())
    crashed = index_dir / ".building-k2j4h5"
    (crashed / "bm25").mkdir(parents=True)
    (crashed / "guides.json").write_text("[]")
    assert build_index(seeds, index_dir, HashedWords()).up_to_date
    assert sorted(p.name for p in index_dir.iterdir() if not p.name.startswith("gen-")) == [LOCK, "CURRENT"]


WORKERS_IN_A_THREAD = """
import threading, time
from index.workers import spawn_pool
pools = []
def start():
    pools.append(spawn_pool(2, outlives_thread=True))
    list(pools[0].map(abs, range(8)))
thread = threading.Thread(target=start)
thread.start()
thread.join()
time.sleep(1)  # the thread that started them has ended: they must still be there
print(" ".join(str(p) for p in pools[0]._processes), flush=True)
time.sleep(120)
"""


def test_pool_workers_outlive_the_thread_that_started_them_but_not_their_process(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKERS_IN_A_THREAD], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True
    )
    seen: dict[int, str] = {}
    try:
        assert parent.stdout is not None
        workers = [int(p) for p in parent.stdout.readline().split()]
        seen = {p: start for p, start in descendants(parent.pid).items() if p in workers}
        assert sorted(seen) == sorted(workers) and len(workers) == 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        wait_for(lambda: not alive(seen), timeout=5)
    finally:
        kill_left(seen)
        parent.kill()
        parent.wait()


if __name__ == "__main__":  # the next build in the kill -9 test: opening the index, as a server starts
    index = open_index(Path(sys.argv[1]), Path(sys.argv[2]), HashedWords(), lock_timeout=60)
    sys.stdout.write(f"{len(index.guides)} guides indexed\n")
