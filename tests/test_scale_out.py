"""When one box is outgrown: two real server processes (`negotiate serve` on two ports) share
one PostgreSQL database, one built index and one secret file. A conversation continues on
either of them, and a client's rate limit is one count across both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from assistant.evaluate import load_gold
from assistant.settings import new_api_key
from tests.bench.scale_bench import CLIENTS, UNLIMITED, kept, load
from tests.conftest import ROOT, SEEDS
from tests.postgres import run_sql
from tests.test_chat_page import free_port

NEGOTIATE = Path(sys.executable).with_name("negotiate")
LIMIT = 3  # questions a minute per client, low enough to reach


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> Path:
    """The seeds' index, built once, as an operator would: `negotiate build`."""
    index = tmp_path_factory.mktemp("shared-index")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [str(NEGOTIATE), "build", str(SEEDS), "--index", str(index)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return index


def serve(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(NEGOTIATE), "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    pytest.fail(f"{url} was not ready in 180 s:\n{log.read_text()[-3000:]}")


@contextmanager
def servers_on_one_postgres(work: Path, built_index: Path, postgres, name: str, env_extra: dict[str, str]):
    """Two `negotiate serve` processes on two ports sharing one new database, the index and a secret."""
    database = postgres.create_database(name)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "NEGOTIATE_DATABASE": database,
        "NEGOTIATE_INDEX_DIR": str(built_index),
        "NEGOTIATE_SEEDS_DIR": str(SEEDS),
        "NEGOTIATE_SECRET_FILE": str(work / "secret"),  # one secret: either signs, either verifies
        "NEGOTIATE_TODAY": "2026-11-21",
        **env_extra,
    }
    ports = free_port(), free_port()
    logs = [work / f"server-{port}.log" for port in ports]
    processes = [serve(port, env, log) for port, log in zip(ports, logs, strict=True)]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process, log in zip(urls, processes, logs, strict=True):
            wait_ready(url, process, log)
        yield urls, database
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)
        postgres.drop_database(name)


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, built_index, postgres):
    key, digest = new_api_key()
    other_key, other_digest = new_api_key()
    limits = {"NEGOTIATE_RATE_QUERY": f"{LIMIT}/minute", "NEGOTIATE_API_KEYS": f"{digest},{other_digest}"}
    work = tmp_path_factory.mktemp("two-servers")
    with servers_on_one_postgres(work, built_index, postgres, "scale_out", limits) as (urls, database):
        yield urls, database, key, other_key


def test_a_conversation_alternating_between_two_servers_keeps_its_context(two_servers):
    (a, b), database, _, _ = two_servers
    with httpx.Client(timeout=60) as first, httpx.Client(timeout=60) as second:
        asked = first.post(f"{a}/api/v1/query", json={"question": "base range for a software engineer in Charlotte?"})
        assert asked.status_code == 200
        cid = asked.json()["conversation_id"]
        second.cookies = first.cookies  # the same browser; its session was signed by server A
        follow_up = second.post(f"{b}/api/v1/query", json={"question": "what about New York?", "conversation_id": cid})
        assert follow_up.status_code == 200, follow_up.text
        answer = follow_up.json()
        assert answer["entities"]["role"] == "software-engineer" and answer["entities"]["region"] == "New York"
        assert "$130K–$163K" in answer["answer_markdown"]
        third = first.post(f"{a}/api/v1/query", json={"question": "and in Charlotte?", "conversation_id": cid})
        assert third.status_code == 200 and third.json()["entities"]["role"] == "software-engineer"
        redrawn = second.get(f"{b}/api/v1/conversations/{cid}").json()["answers"]
    assert [x["question"] for x in redrawn] == [
        "base range for a software engineer in Charlotte?",
        "what about New York?",
        "and in Charlotte?",
    ]
    assert run_sql(database, "SELECT seq FROM turns WHERE conversation_id = ? ORDER BY seq", cid) == [(1,), (2,), (3,)]
    channels = run_sql(database, "SELECT channel, COUNT(*) FROM questions GROUP BY channel")
    assert ("web", 3) in channels  # logged for the content team by whichever server answered


def test_a_rate_limit_is_one_count_across_both_servers(two_servers):
    (a, b), _, key, other_key = two_servers
    question = {"question": "SWE pay in Detroit"}
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {key}"}) as client:
        on_a = [client.post(f"{a}/api/v1/query", json=question).status_code for _ in range(LIMIT)]
        on_b = client.post(f"{b}/api/v1/query", json=question)
    assert on_a == [200] * LIMIT
    assert on_b.status_code == 429 and on_b.json()["error"]["code"] == "rate_limited"
    assert int(on_b.headers["retry-after"]) >= 1
    # B refuses this client only: another client still gets its answer there
    other = httpx.post(f"{b}/api/v1/query", json=question, headers={"X-API-Key": other_key}, timeout=60)
    assert other.status_code == 200


def test_sixteen_clients_across_both_servers_lose_no_turn(tmp_path_factory, built_index, postgres):
    """The benchmark's load, briefly: 16 clients holding conversations, each turn on the other
    server; every turn answered with a 200 is stored once."""
    openings = [c.question for c in load_gold(ROOT / "tests" / "gold.yaml")]
    work = tmp_path_factory.mktemp("sixteen")
    with servers_on_one_postgres(work, built_index, postgres, "sixteen", UNLIMITED) as (urls, database):
        tally, _ = load(urls, openings, seconds=5)
        stored, lost, duplicated = kept(database, tally.answered, set())
    assert CLIENTS <= len(tally.answered) == stored and tally.failed == 0
    assert (lost, duplicated) == (0, 0)
