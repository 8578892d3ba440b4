"""Limits that keep one client from taking the server from everyone: requests per minute,
request bodies, and reading a question in time linear in its length."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

import pytest
from fastapi.testclient import TestClient

from assistant.core import Assistant
from assistant.nlu.mentions import Reader
from assistant.nlu.vocabulary import Vocabulary
from index.parse import parse_guide
from tests.conftest import ROOT, SEEDS, TODAY
from web.app import create_app
from web.limits import RateLimited, RateLimits


@pytest.fixture
def strict_settings(web_settings, database):
    """Small limits, to reach them quickly; counted in each backend."""
    return web_settings.model_copy(
        update={
            "database": database,
            "rate_query": "3/minute",
            "rate_feedback": "2/minute",
            "rate_read": "2/minute",
            "max_body": 4096,
        }
    )


@pytest.fixture
def strict(strict_settings, seed_index, embedder):
    """The app with small limits."""
    with TestClient(create_app(strict_settings, Assistant(seed_index, embedder, today=TODAY))) as client:
        yield client


def test_too_many_questions_get_429_with_retry_after(strict):
    # The first question counts against the address (a client that keeps no cookie is always
    # counted there); the rest against the session it was given.
    codes = [strict.post("/api/v1/query", json={"question": "hi"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    refused = strict.post("/api/v1/query", json={"question": "hi"})
    assert refused.json()["error"]["code"] == "rate_limited"
    # A sliding window: three hits this minute still weigh 2 of 3 a third of the way into the
    # next one, so the wait is at most 80 s (see RateLimits).
    assert 1 <= int(refused.headers["retry-after"]) <= 80


def test_two_server_processes_share_one_count(strict, strict_settings, seed_index, embedder):
    # Another app over the same database and secret: another worker, or a process on another port.
    other = create_app(strict_settings, Assistant(seed_index, embedder, today=TODAY))
    with TestClient(other) as second:
        first_answer = strict.post("/api/v1/query", json={"question": "hi"})  # counted against the address
        assert first_answer.status_code == 200
        second.cookies.update(strict.cookies)  # the same browser, its session cookie issued by the first
        codes = [strict.post("/api/v1/query", json={"question": "hi"}).status_code for _ in range(2)]
        codes += [second.post("/api/v1/query", json={"question": "hi"}).status_code for _ in range(2)]
    assert codes == [200, 200, 200, 429]


def test_the_sliding_window_carries_the_last_window_over_its_edge(store):
    now = [1_000_019.0]  # a second before a minute's edge (1,000,020 = 16,667 minutes)
    limits = RateLimits({"query": "3/minute"}, store, clock=lambda: now[0])
    for _ in range(3):
        limits.hit("query", "ip:1")
    now[0] += 2  # just past the edge: the three still count almost fully
    with pytest.raises(RateLimited) as refused:
        limits.hit("query", "ip:1")
    assert refused.value.retry_after == 19  # a third of the new minute: 2 of 3 left, room for one
    now[0] += 19
    limits.hit("query", "ip:1")
    with pytest.raises(RateLimited):
        limits.hit("query", "ip:1")


def test_ratings_and_conversation_reads_are_limited_too(strict):
    answer = strict.post("/api/v1/query", json={"question": "SWE pay in Detroit"}).json()
    rating = {"conversation_id": answer["conversation_id"], "message_id": answer["message_id"], "rating": "up"}
    assert [strict.post("/api/v1/feedback", json=rating).status_code for _ in range(3)] == [201, 201, 429]
    read = f"/api/v1/conversations/{answer['conversation_id']}"
    assert [strict.get(read).status_code for _ in range(3)] == [200, 200, 429]


def test_limits_count_per_client(strict):
    for _ in range(5):
        strict.post("/api/v1/query", json={"question": "hi"})
    other = TestClient(strict.app)  # another browser: its own session, its own count
    assert [other.post("/api/v1/query", json={"question": "hi"}).status_code for _ in range(3)] == [200] * 3


def test_a_client_that_keeps_no_cookie_is_counted_by_its_address(strict):
    codes = []
    for _ in range(4):
        strict.cookies.clear()
        codes.append(strict.post("/api/v1/query", json={"question": "hi"}).status_code)
    assert codes == [200, 200, 200, 429]


def test_a_body_over_the_limit_is_refused_before_it_is_read(strict):
    response = strict.post("/api/v1/query", content=b"x" * 5000, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == {
        "status": 413,
        "code": "body_too_large",
        "message": "the request body is over 4096 bytes",
        "field": "body",
    }


def test_a_streamed_body_is_cut_off_at_the_limit(strict):
    def chunks():  # no Content-Length: the body arrives in pieces
        for _ in range(100):
            yield b"x" * 1024

    response = strict.post("/api/v1/query", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_slack_may_send_bigger_bodies_than_the_api(strict):
    # Slack's limit is its own (1 MiB by default); here Slack is not configured, so 503 — not 413.
    assert strict.post("/slack/events", content=b"x" * 8000).status_code == 503


# -- reading is linear ---------------------------------------------------------------------


@cache
def reader() -> Reader:
    return Reader(Vocabulary.of(parse_guide(p, ROOT) for p in sorted(SEEDS.rglob("*.md"))))


def lines_run(work: Callable[[], object]) -> int:
    """How many lines of Python run doing `work`: a count of work that no machine's speed changes."""
    count = 0

    def trace(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("unit", ["$1", "1k ", "base 1 ", "Ab ", "in Boston, MA ", "offered 140K base, 30K stock "])
def test_reading_a_crafted_question_is_linear_in_its_length(unit):
    # Each pattern runs once over the question, so the regex engine's share is linear too;
    # what could be quadratic is Python's: a loop over figures inside a loop over figures.
    reader().read(unit * 10)  # warm: lazy loads are not the question's work
    short = lines_run(lambda: reader().read((unit * 2000)[:1000]))
    long = lines_run(lambda: reader().read((unit * 2000)[:2000]))
    assert long / short < 2.3, (short, long)
