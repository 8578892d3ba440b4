"""Building, persisting, loading and searching the index, with the real model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.build import build_index, open_index
from index.errors import GuidesUnavailable, IndexCorrupt, IndexNotReady
from index.search import CURRENT, DENSE, load_index
from index.store import LexicalStore
from tests.conftest import ROOT, SEEDS, TODAY


def test_seed_index_holds_every_unit_of_every_guide(seed_index):
    assert sorted(seed_index.guides) == [
        "ally-financial/engineering-manager",
        "ally-financial/product-manager",
        "ally-financial/software-engineer",
        "ally-financial/solutions-architect",
        "ally-financial/technical-program-manager",
    ]
    kinds = [s.kind for s in seed_index.sections if s.guide_id == "ally-financial/software-engineer"]
    # 3 regions, 3 targets, 4 levers, 4 premiums, 1 mapping, 1 tags line, 3 paragraphs, 1 sources
    # list, and the 3 rows of the pay table as written
    assert sorted(kinds) == sorted(
        ["pay"] * 3
        + ["table"] * 3
        + ["target"] * 3
        + ["lever"] * 4
        + ["premium"] * 4
        + ["level_mapping", "dna", "sources"]
        + ["narrative"] * 3
    )
    assert seed_index.manifest.model == "all-MiniLM-L6-v2" and seed_index.manifest.dimension == 384
    assert len(seed_index.dense) == len(seed_index.sections) == 115


def test_section_keeps_its_citation(seed_index):
    section = seed_index.section("ally-financial/software-engineer#pay-charlotte-nc")
    assert (section.source_path, section.start_line, section.end_line) == (
        "seeds/ally-financial/software-engineer.md",
        62,
        62,
    )
    assert (
        section.text
        == "Charlotte, NC: Base Salary $116K–$145K · Stock (RSU/4yr) $21K–$42K · Bonus $19K–$36K · Total Comp $156K–$223K"
    )
    lever = seed_index.section("ally-financial/product-manager#lever-2")
    assert (lever.start_line, lever.end_line, lever.title) == (54, 55, "Lever 2: AI Product Management Lever")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("RSU lever for product managers", "ally-financial/product-manager#lever-2"),
        ("base range software engineer Charlotte", "ally-financial/software-engineer#pay-charlotte-nc"),
        (
            "what is responsible AI experience worth for a TPM",
            "ally-financial/technical-program-manager#premium-responsible-ai-institute-membership-compliance-program-integration",
        ),
        ("Senior TPM equivalent at Discover", "ally-financial/technical-program-manager#level-mapping"),
        ("engineering manager negotiate up target New York", "ally-financial/engineering-manager#target-new-york"),
        ("sign-on bonus script", "ally-financial/engineering-manager#lever-4"),
    ],
)
def test_search_lands_on_the_right_unit(seed_index, embedder, query, expected):
    hits = seed_index.search(query, embedder.embed([query])[0], k=3)
    assert hits[0].section.id == expected


def test_search_can_be_restricted_to_guides_and_kinds(seed_index, embedder):
    query = "how do I get more RSUs"
    hits = seed_index.search(
        query, embedder.embed([query])[0], k=4, guide_ids=["ally-financial/software-engineer"], kinds=["lever"]
    )
    assert {h.section.guide_id for h in hits} == {"ally-financial/software-engineer"}
    assert hits[0].section.id in {
        "ally-financial/software-engineer#lever-3",
        "ally-financial/software-engineer#lever-4",
    }


def test_rebuild_with_nothing_changed_writes_nothing(seed_index_dir, embedder):
    before = (seed_index_dir / CURRENT).read_text()
    result = build_index(SEEDS, seed_index_dir, embedder, root=ROOT, today=TODAY)
    assert result.up_to_date and (seed_index_dir / CURRENT).read_text() == before


def test_changed_guide_is_the_only_one_reembedded(seeds_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    first = build_index(seeds_copy, index_dir, embedder, today=TODAY)
    assert (first.embedded, first.reused) == (115, 0)
    path = seeds_copy / "ally-financial/software-engineer.md"
    path.write_text(path.read_text().replace("a base of $135K", "a base salary of $137K"))
    second = build_index(seeds_copy, index_dir, embedder, today=TODAY)
    assert (second.embedded, second.reused) == (23, 92)
    index = load_index(index_dir, embedder.name)
    assert index.guides["ally-financial/software-engineer"].levers[0].asks[0].amount.low == 137_000
    # reused vectors are the ones a fresh build computes (to bf16 batching noise)
    fresh = build_index(seeds_copy, tmp_path / "fresh", embedder, today=TODAY)
    assert fresh.embedded == 115
    cosines = (load_index(tmp_path / "fresh").dense.vectors() * index.dense.vectors()).sum(axis=1)
    assert cosines.min() > 0.995


def test_figure_only_edit_updates_figures_without_reembedding(seeds_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY)
    path = seeds_copy / "ally-financial/software-engineer.md"
    path.write_text(path.read_text().replace("a base of $135K", "a base of $137K"))
    result = build_index(seeds_copy, index_dir, embedder, today=TODAY)
    assert (result.up_to_date, result.embedded, result.reused) == (False, 0, 115)
    index = load_index(index_dir, embedder.name)
    assert index.guides["ally-financial/software-engineer"].levers[0].asks[0].amount.low == 137_000
    assert "$137K" in index.section("ally-financial/software-engineer#lever-1").text


def test_broken_guide_is_skipped_and_the_rest_indexed(seeds_copy, tmp_path, embedder):
    # Only a real contradiction keeps a guide out: frontmatter figures no row of the body states.
    path = seeds_copy / "ally-financial/software-engineer.md"
    path.write_text(path.read_text().replace("base_low: 116000", "base_low: 118000"))
    result = build_index(seeds_copy, tmp_path / "index", embedder, today=TODAY)
    assert list(result.manifest.skipped) == ["seeds/ally-financial/software-engineer.md"]
    assert result.manifest.skipped["seeds/ally-financial/software-engineer.md"].errors == [
        "seeds/ally-financial/software-engineer.md:22: error [frontmatter-mismatch] Charlotte, NC base salary: "
        "frontmatter says $118K–$145K but the table (line 62) says $116K–$145K"
    ]
    assert result.guides == 4
    # the skipped file is remembered, so it does not force a rebuild on every load
    assert build_index(seeds_copy, tmp_path / "index", embedder, today=TODAY).up_to_date


def test_corrupted_index_file_is_detected_and_rebuilt(seeds_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY)
    generation = index_dir / (index_dir / CURRENT).read_text()
    with (generation / DENSE).open("r+b") as f:
        f.seek(200)
        f.write(b"\x00\x01\x02\x03")
    with pytest.raises(IndexCorrupt, match="dense.faiss is missing or does not match its checksum"):
        load_index(index_dir, embedder.name)
    reasons: list[str] = []
    index = open_index(seeds_copy, index_dir, embedder, on_rebuild=reasons.append)
    assert len(index.sections) == 115 and "does not match its checksum" in reasons[0]


def test_index_built_with_another_model_is_not_used(seed_index_dir):
    with pytest.raises(IndexNotReady, match="built with model 'all-MiniLM-L6-v2', but 'other-model' is configured"):
        load_index(seed_index_dir, "other-model")


def test_changed_guide_files_trigger_a_rebuild_on_open(seeds_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY)
    shutil.copy(seeds_copy / "ally-financial/product-manager.md", seeds_copy / "ally-financial/product-manager-2.md")
    path = seeds_copy / "ally-financial/product-manager-2.md"
    path.write_text(path.read_text().replace("### Product Manager |", "### Senior Product Manager |"))
    reasons: list[str] = []
    index = open_index(seeds_copy, index_dir, embedder, on_rebuild=reasons.append)
    assert reasons == ["guide files differ from the index: 1 new (seeds/ally-financial/product-manager-2.md)"]
    assert "ally-financial/senior-product-manager" in index.guides


def test_crash_mid_build_leaves_the_previous_index_usable(seeds_copy, tmp_path, embedder, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY)
    path = seeds_copy / "ally-financial/software-engineer.md"
    path.write_text(path.read_text().replace("a base of $135K", "a base of $137K"))

    def crash(self, where: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(LexicalStore, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        build_index(seeds_copy, index_dir, embedder, today=TODAY)
    index = load_index(index_dir, embedder.name)
    assert index.guides["ally-financial/software-engineer"].levers[0].asks[0].amount.low == 135_000
    assert [p.name for p in index_dir.iterdir() if p.name.startswith(".building")] == []


def test_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexNotReady, match="run `negotiate build`"):
        load_index(tmp_path / "nothing-here")


def test_guides_folder_gone_serves_the_last_good_index_saying_why(seeds_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY)
    seeds_copy.rename(tmp_path / "unmounted")  # gone, as when a volume is not mounted
    fallbacks: list[str] = []
    index = open_index(seeds_copy, index_dir, embedder, on_fallback=fallbacks.append)
    reason = (
        f"the guide files could not be checked for changes: guides folder {seeds_copy} cannot be read: "
        "No such file or directory"
    )
    assert (index.fallback_reason, fallbacks) == (reason, [reason])
    assert len(index.guides) == 5 and len(index.sections) == 115
    # Building from the missing folder is refused: an empty index would replace the good one.
    with pytest.raises(GuidesUnavailable, match="cannot be read: No such file or directory"):
        build_index(seeds_copy, index_dir, embedder, today=TODAY)
    assert len(load_index(index_dir, embedder.name).guides) == 5


def test_guides_folder_unreadable_with_no_index_to_fall_back_on_is_an_error(tmp_path, embedder):
    (tmp_path / "seeds").symlink_to("seeds")  # a loop: cannot be listed
    with pytest.raises(GuidesUnavailable, match=r"guides folder .*seeds cannot be read: "):
        open_index(tmp_path / "seeds", tmp_path / "index", embedder)


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from index.lock import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_rebuild_that_cannot_run_serves_the_last_good_index_saying_why(seeds_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY)
    path = seeds_copy / "ally-financial/software-engineer.md"
    path.write_text(path.read_text().replace("a base of $135K", "a base of $137K"))
    other = subprocess.Popen(  # another build that holds the index's lock
        [sys.executable, "-c", HOLD_THE_LOCK, str(index_dir)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == "locked\n"
        rebuilds: list[str] = []
        index = open_index(seeds_copy, index_dir, embedder, on_rebuild=rebuilds.append, lock_timeout=0.5)
        assert rebuilds == ["guide files differ from the index: 1 changed (seeds/ally-financial/software-engineer.md)"]
        assert index.fallback_reason is not None
        assert index.fallback_reason.startswith(
            f"rebuilding the index failed: another build of {index_dir} is running (process {other.pid} on "
        )
        assert index.guides["ally-financial/software-engineer"].levers[0].asks[0].amount.low == 135_000
    finally:
        other.kill()
        other.wait()
    # Once it is gone, the next open rebuilds.
    index = open_index(seeds_copy, index_dir, embedder, lock_timeout=5)
    assert index.fallback_reason is None
    assert index.guides["ally-financial/software-engineer"].levers[0].asks[0].amount.low == 137_000
