"""Whatever else is in the guides folder, every readable guide is linted and indexed, and
every entry that cannot be read as a guide is reported by name, with what is wrong with it:
symlink loops, dangling symlinks, folders named like guides, FIFOs, links out of the folder
(never followed), and files over the size limit (never read whole)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from index.build import build_index, open_index
from index.lint import Severity, lint_path
from index.search import load_index
from tests.conftest import ROOT, SEEDS, TODAY

GUIDE = "ally-financial/software-engineer.md"


def loop(entry: Path, elsewhere: Path) -> None:
    entry.symlink_to(entry.name)


def dangling(entry: Path, elsewhere: Path) -> None:
    entry.symlink_to("deleted-guide.md")


def folder(entry: Path, elsewhere: Path) -> None:
    entry.mkdir()


def fifo(entry: Path, elsewhere: Path) -> None:
    os.mkfifo(entry)  # reading it would wait forever for a writer


def link_to_a_file_outside(entry: Path, elsewhere: Path) -> None:
    entry.symlink_to(elsewhere / "private.md")


def link_to_a_folder_outside(entry: Path, elsewhere: Path) -> None:
    entry.symlink_to(elsewhere)


def link_to_a_folder_inside(entry: Path, elsewhere: Path) -> None:
    entry.symlink_to(".")


# (entry name, how it is made, the error reported for it; {elsewhere} is a folder beside seeds/)
ODD_ENTRIES: list[tuple[str, Callable[[Path, Path], None], str]] = [
    ("loop.md", loop, "[symlink-loop] is a symlink loop (loop.md -> loop.md): not read"),
    ("gone.md", dangling, "[dangling-symlink] is a symlink to deleted-guide.md, which does not exist"),
    ("archive.md", folder, "[not-a-file] is a folder, not a guide file (guides inside it are read)"),
    ("pipe.md", fifo, "[not-a-file] is a FIFO, not a guide file: not read"),
    (
        "leak.md",
        link_to_a_file_outside,
        "[outside-folder] is a symlink to {elsewhere}/private.md, outside the guides folder: not followed",
    ),
    (
        "more",
        link_to_a_folder_outside,
        "[outside-folder] is a symlink to {elsewhere}, outside the guides folder: not followed",
    ),
    (
        "again",
        link_to_a_folder_inside,
        "[symlinked-folder] is a symlink to the folder .: folders are not followed through symlinks, "
        "so no guide in it is indexed",
    ),
]
IDS = [make.__name__ for _, make, _ in ODD_ENTRIES]


def folder_with(tmp_path: Path, name: str, make: Callable[[Path, Path], None]) -> tuple[Path, Path]:
    """seeds/ with one real guide and one odd entry beside it; elsewhere/ with a guide no link
    may lead the build to. Returns (seeds, elsewhere)."""
    seeds, elsewhere = tmp_path / "seeds", tmp_path / "elsewhere"
    (seeds / "ally-financial").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(SEEDS / GUIDE, seeds / GUIDE)
    shutil.copy(SEEDS / "ally-financial/product-manager.md", elsewhere / "private.md")
    make(seeds / "ally-financial" / name, elsewhere)
    return seeds, elsewhere


@pytest.mark.parametrize(("name", "make", "error"), ODD_ENTRIES, ids=IDS)
def test_lint_reports_an_odd_entry_by_name_and_checks_the_guide_beside_it(tmp_path, name, make, error):
    seeds, elsewhere = folder_with(tmp_path, name, make)
    reports = lint_path(seeds, tmp_path, TODAY)
    assert [(r.file, r.ok) for r in reports] == sorted(
        [(f"seeds/{GUIDE}", True), (f"seeds/ally-financial/{name}", False)]
    )
    errors = [str(f) for r in reports for f in r.findings if f.severity is Severity.ERROR]
    assert errors == [f"seeds/ally-financial/{name}: error " + error.format(elsewhere=elsewhere)]


@pytest.mark.parametrize(("name", "make", "error"), ODD_ENTRIES, ids=IDS)
def test_build_skips_an_odd_entry_naming_it_and_indexes_the_rest(tmp_path, embedder, name, make, error):
    seeds, elsewhere = folder_with(tmp_path, name, make)
    index_dir = tmp_path / "index"
    result = build_index(seeds, index_dir, embedder, today=TODAY)
    assert sorted(load_index(index_dir, embedder.name).guides) == ["ally-financial/software-engineer"]
    skipped = result.manifest.skipped
    assert list(skipped) == [f"seeds/ally-financial/{name}"]
    assert skipped[f"seeds/ally-financial/{name}"].errors == [
        f"seeds/ally-financial/{name}: error " + error.format(elsewhere=elsewhere)
    ]
    # Remembered as skipped: it does not force a rebuild on every open, and nothing is stale.
    assert build_index(seeds, index_dir, embedder, today=TODAY).up_to_date
    reasons: list[str] = []
    assert open_index(seeds, index_dir, embedder, on_rebuild=reasons.append).fallback_reason is None
    assert reasons == []


def test_an_entry_fixed_since_the_build_is_indexed_by_the_next_open(tmp_path, embedder):
    seeds, _ = folder_with(tmp_path, "gone.md", dangling)
    index_dir = tmp_path / "index"
    build_index(seeds, index_dir, embedder, today=TODAY)
    (seeds / "ally-financial/gone.md").unlink()
    shutil.copy(SEEDS / "ally-financial/product-manager.md", seeds / "ally-financial/gone.md")
    reasons: list[str] = []
    index = open_index(seeds, index_dir, embedder, on_rebuild=reasons.append)
    assert reasons == ["guide files differ from the index: 1 changed (seeds/ally-financial/gone.md)"]
    assert sorted(index.guides) == ["ally-financial/product-manager", "ally-financial/software-engineer"]
    assert index.manifest.skipped == {}


def oversized(path: Path, size: int) -> None:
    """A real guide, padded with an HTML comment (invisible in Markdown) to exactly `size` bytes."""
    text = (SEEDS / GUIDE).read_bytes()
    path.write_bytes(text + b"<!--" + b"x" * (size - len(text) - 9) + b"-->\n\n")
    assert path.stat().st_size == size


def test_a_guide_over_the_size_limit_is_reported_with_its_size_and_skipped(seeds_copy, tmp_path, embedder):
    oversized(seeds_copy / "ally-financial/huge.md", 2 << 20)
    errors = [
        str(f) for r in lint_path(seeds_copy, tmp_path, TODAY) for f in r.findings if f.severity is Severity.ERROR
    ]
    message = (
        "seeds/ally-financial/huge.md: error [too-large] is 2.0 MiB (2,097,152 bytes), over the limit of "
        "1.0 MiB (1,048,576 bytes) for a guide: not read"
    )
    assert errors == [message]
    result = build_index(seeds_copy, tmp_path / "index", embedder, today=TODAY)
    assert result.guides == 5
    assert result.manifest.skipped["seeds/ally-financial/huge.md"].errors == [message]


def test_the_size_limit_is_the_callers_to_set(seeds_copy, tmp_path, embedder):
    # The five seeds are 7.7-9.5 KB: a limit of 8,600 bytes keeps the three smaller ones.
    result = build_index(seeds_copy, tmp_path / "index", embedder, today=TODAY, max_guide_bytes=8_600)
    assert result.guides == 3
    assert {path: s.errors for path, s in result.manifest.skipped.items()} == {
        "seeds/ally-financial/engineering-manager.md": [
            "seeds/ally-financial/engineering-manager.md: error [too-large] is 9,502 bytes, over the limit of "
            "8,600 bytes for a guide: not read"
        ],
        "seeds/ally-financial/technical-program-manager.md": [
            "seeds/ally-financial/technical-program-manager.md: error [too-large] is 8,780 bytes, over the limit of "
            "8,600 bytes for a guide: not read"
        ],
    }
    # The same limit, given when opening, finds the index up to date.
    reasons: list[str] = []
    open_index(seeds_copy, tmp_path / "index", embedder, max_guide_bytes=8_600, on_rebuild=reasons.append)
    assert reasons == []


# VmHWM, the peak resident memory of this program (getrusage's ru_maxrss would count the
# parent's memory at the fork too).
LINT_AND_REPORT_PEAK = """
import re, sys
from pathlib import Path
from index.lint import lint_path
reports = lint_path(Path(sys.argv[1]))
peak_kib = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(sum(r.ok for r in reports), len(reports), int(peak_kib) // 1024)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads its peak memory from /proc")
def test_an_oversized_guide_is_never_read_into_memory(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "ally-financial").mkdir(parents=True)
    shutil.copy(SEEDS / GUIDE, seeds / GUIDE)
    with (seeds / "ally-financial/huge.md").open("wb") as f:
        f.truncate(4 << 30)  # 4 GiB, sparse: costs no disk, but reading it would cost 4 GiB of memory
    done = subprocess.run(
        [sys.executable, "-c", LINT_AND_REPORT_PEAK, str(seeds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    ok, total, peak_mib = map(int, done.stdout.split())
    assert (ok, total) == (1, 2)
    assert peak_mib < 400  # linting the one real guide takes ~180 MiB
