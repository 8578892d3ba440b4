"""Live updates: a running server switches to each generation a build publishes, with no
failed or mixed answer; `negotiate build --watch` publishes as guides change."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.core import Assistant
from assistant.live import Follower
from assistant.nlu.pipeline import IntentArtifacts
from assistant.snapshot import load_published
from index.build import build_index
from index.search import DENSE, load_index, read_manifest
from tests.conftest import ROOT, TODAY
from tests.live import NEW_QUESTION, NEW_ROW, add_company_guide, free_port, served, wait_ready
from web.app import create_app

CHARLOTTE = "What's the base range for a software engineer at Ally Financial in Charlotte?"
CHARLOTTE_ROW = "| Base Salary | $116K–$145K |"


def _build(seeds: Path, index_dir: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    build_index(seeds, index_dir, embedder, today=TODAY, extras=IntentArtifacts())


@pytest.fixture
def published(tmp_path, seed_index_dir, seeds_copy) -> Path:
    """An index of `seeds_copy`, already published: a copy of the session's seed index (its
    paths are `seeds/…` under either root), which saves a build (mostly training the intent model)."""
    shutil.copytree(seed_index_dir, tmp_path / "index")
    return tmp_path / "index"


def test_a_running_server_switches_to_a_published_generation_without_a_failed_answer(
    seeds_copy, published, web_settings, embedder
):
    index_dir = published
    settings = web_settings.model_copy(
        update={
            "seeds_dir": seeds_copy,
            "index_dir": index_dir,
            "reload_interval": 0.2,
            "rate_query": "100000/minute",  # one client asking as fast as it can
        }
    )
    with served(create_app(settings), free_port()) as url:
        before = wait_ready(url, 120)
        assert before["guides"] == 5
        unknown = httpx.post(f"{url}/api/v1/query", json={"question": NEW_QUESTION}, timeout=30).json()
        assert unknown["status"] == "not_covered"

        answers: list[tuple[float, int, str]] = []  # (finished at, status code, answer or error)
        stop = threading.Event()

        def ask_in_a_loop() -> None:
            with httpx.Client(base_url=url, timeout=30) as http:
                while not stop.is_set():
                    try:
                        r = http.post("/api/v1/query", json={"question": CHARLOTTE})
                        answers.append((time.monotonic(), r.status_code, r.json().get("answer_markdown", r.text)))
                    except Exception as failure:  # noqa: BLE001 - counted as a failed answer
                        answers.append((time.monotonic(), 0, repr(failure)))

        loop = threading.Thread(target=ask_in_a_loop, daemon=True)
        loop.start()
        add_company_guide(seeds_copy)
        _build(seeds_copy, index_dir, embedder)  # a real build, beside the server, as `negotiate build` runs
        published = time.monotonic()
        after = wait_ready(url, 60, not_generation=before["generation"])
        switched = time.monotonic()
        time.sleep(0.5)  # and some questions on the new generation
        stop.set()
        loop.join(30)
        new = httpx.post(f"{url}/api/v1/query", json={"question": NEW_QUESTION}, timeout=30).json()

    assert after == {"status": "ready", "generation": read_manifest(index_dir).generation, "guides": 6}
    failed = [(code, text) for _, code, text in answers if code != 200 or CHARLOTTE_ROW not in text]
    assert failed == []
    assert any(t < published for t, _, _ in answers) and any(t > switched for t, _, _ in answers)
    assert new["status"] == "answered" and NEW_ROW in new["answer_markdown"]
    assert new["citations"][0]["source_path"] == "seeds/brightwater-bank/software-engineer.md"


def test_a_question_under_way_finishes_on_the_generation_it_started_with(tmp_path, seed_index, embedder):
    """A question is held inside its first step (embedding) while the assistant switches to a
    generation without the guide it asks about. It must still be answered, and cited, from the
    generation it started on; the next question sees the new one."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "ally-financial" / "software-engineer.md").unlink()
    _build(seeds, tmp_path / "index", embedder)
    without_swe = load_published(tmp_path / "index", embedder)

    assistant = Assistant(seed_index, embedder, today=TODAY)
    old = assistant.snapshot
    embedding, go_on = threading.Event(), threading.Event()
    embed = assistant.embed_query

    def embed_slowly(text: str):  # type: ignore[no-untyped-def]
        embedding.set()  # the question is under way: it has taken its snapshot
        go_on.wait(30)
        return embed(text)

    assistant.embed_query = embed_slowly
    answers = []
    under_way = threading.Thread(target=lambda: answers.append(assistant.ask(CHARLOTTE)))
    under_way.start()
    assert embedding.wait(30)
    assistant.switch(without_swe)
    go_on.set()
    under_way.join(30)
    assistant.embed_query = embed

    (answer,) = answers
    assert answer.status == "answered" and CHARLOTTE_ROW in answer.answer_markdown
    assert {(c.source_path, c.start_line) for c in answer.citations} == {
        ("seeds/ally-financial/software-engineer.md", 62),  # the Charlotte pay row
        ("seeds/ally-financial/software-engineer.md", 115),  # its negotiate-up target
    }
    assert all(old.index.section(c.section_id) for c in answer.citations)
    assert (
        assistant.snapshot is without_swe and without_swe.index.guides.get("ally-financial/software-engineer") is None
    )
    after = assistant.ask(CHARLOTTE)
    assert CHARLOTTE_ROW not in after.answer_markdown
    assert all(c.source_path != "seeds/ally-financial/software-engineer.md" for c in after.citations)


def test_a_generation_that_does_not_load_is_reported_and_the_old_one_serves_on(
    seeds_copy, published, web_settings, embedder, caplog
):
    index_dir = published
    assistant = Assistant(load_index(index_dir), embedder, today=TODAY)
    served_before = assistant.snapshot.generation
    follower = Follower(assistant, index_dir)
    assert follower.check() is False  # nothing new

    add_company_guide(seeds_copy)
    _build(seeds_copy, index_dir, embedder)
    broken = read_manifest(index_dir).generation
    with (index_dir / broken / DENSE).open("ab") as f:  # a disk error after publishing
        f.write(b"\0")

    with TestClient(create_app(web_settings, assistant)) as client:
        assert follower.check() is False
        ready = client.get("/readyz").json()
        answer = client.post("/api/v1/query", json={"question": CHARLOTTE}).json()
        assert follower.check() is False  # tried once per generation, not once a second
    assert ready == {
        "status": "ready",
        "generation": served_before,
        "guides": 5,
        "warning": f"index generation {broken} was published but could not be loaded: "
        f"still serving {served_before}; see the server log",
    }
    assert CHARLOTTE_ROW in answer["answer_markdown"]
    assert caplog.text.count(f"not switching to index generation {broken}") == 1
    assert "does not match its checksum" in caplog.text


def _negotiate(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """The `negotiate` command (this checkout's code, by PYTHONPATH), as people run it."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("negotiate")), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _read_until(process: subprocess.Popen[str], needle: str, seen: list[str], timeout: float) -> str:
    """Lines the process printed, until one holds `needle` (bounded: a hung watch fails the test)."""
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if needle in line:
                return line
    finally:
        timer.cancel()
    raise AssertionError(f"{needle!r} never printed; output:\n{''.join(seen)}")


def test_build_watch_publishes_new_guides_and_keeps_the_last_good_index(seeds_copy, published, tmp_path):
    index_dir = published
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "HF_HUB_OFFLINE": "1",
        "NEGOTIATE_TODAY": TODAY.isoformat(),
    }
    watch = _negotiate("build", str(seeds_copy), "--index", str(index_dir), "--watch", env=env)
    out: list[str] = []
    try:
        _read_until(watch, "Watching", out, 180)
        first = read_manifest(index_dir)
        assert len(first.files) == 5 and "Index is up to date: 5 guides" in "".join(out)

        added = add_company_guide(seeds_copy)
        line = _read_until(watch, "Indexed", out, 120)
        assert line.startswith("Indexed 6 guides")
        second = read_manifest(index_dir)
        assert second.generation != first.generation and str(added.relative_to(tmp_path)) in second.files

        added.write_text("Just some notes, no guide yet.\n")  # saved in the middle of an edit
        _read_until(watch, "Not published", out, 120)
        assert read_manifest(index_dir).generation == second.generation  # the last good one stays

        watch.send_signal(signal.SIGINT)  # Ctrl-C
        _read_until(watch, "Stopped watching", out, 30)
        assert watch.wait(30) == 0
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()
    printed = "".join(out)
    assert "✗ seeds/brightwater-bank/software-engineer.md" in printed  # the bad guide, with its findings
    assert "Traceback" not in printed


def test_a_folder_moved_away_is_a_change_to_rebuild_on(tmp_path):
    from watchfiles import Change

    from index.watch import _GuideFiles

    gone = tmp_path / "acme"  # moved out of the guides folder: nothing left to tell a folder from a file
    assert _GuideFiles()(Change.deleted, str(gone))
    assert not _GuideFiles()(Change.added, str(tmp_path / "notes.txt"))
