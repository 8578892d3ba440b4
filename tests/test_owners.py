"""Conversations belong to whoever started them: a browser session or an API key. Nobody else
can read, continue, rate or delete them, ids are issued by the server, and old ones are
forgotten on request."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.cli import app as cli
from assistant.core import Assistant
from assistant.settings import new_api_key
from assistant.storage import SQLiteStore, open_store
from tests.conftest import TODAY
from tests.postgres import run_sql
from web.app import create_app
from web.owners import SESSION_COOKIE

QUESTION = {"question": "I was offered 150k base as a software engineer in Charlotte, is it good?"}


@pytest.fixture
def web_settings(web_settings, database):
    """The app's settings, on each backend."""
    return web_settings.model_copy(update={"database": database})


@pytest.fixture
def app(web_settings, seed_index, embedder):
    return create_app(web_settings, Assistant(seed_index, embedder, today=TODAY))


def started(client: TestClient) -> dict:  # type: ignore[type-arg]
    response = client.post("/api/v1/query", json=QUESTION)
    assert response.status_code == 200
    return response.json()


def test_the_first_question_sets_a_private_session_cookie_and_a_server_issued_id(app):
    with TestClient(app) as alice:
        response = alice.post("/api/v1/query", json=QUESTION)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert len(response.json()["conversation_id"]) >= 24  # unguessable, and not the client's choice


def test_someone_else_cannot_read_continue_rate_or_delete_a_conversation(app):
    with TestClient(app) as alice, TestClient(app) as mallory:
        answer = started(alice)
        cid, mid = answer["conversation_id"], answer["message_id"]
        assert mallory.get(f"/api/v1/conversations/{cid}").status_code == 404
        steer = mallory.post("/api/v1/query", json={"question": "what about New York?", "conversation_id": cid})
        assert steer.status_code == 404
        rate = mallory.post("/api/v1/feedback", json={"conversation_id": cid, "message_id": mid, "rating": "down"})
        assert rate.status_code == 404
        assert mallory.delete(f"/api/v1/conversations/{cid}").status_code == 404
        # …and the owner still has it, untouched
        [kept] = alice.get(f"/api/v1/conversations/{cid}").json()["answers"]
        assert kept["question"] == QUESTION["question"]


def test_a_session_started_on_one_server_process_continues_on_another(app, web_settings, seed_index, embedder):
    # Another process with the same settings (database and secret file): another worker, or
    # a server on another port behind the same address.
    other = create_app(web_settings, Assistant(seed_index, embedder, today=TODAY))
    with TestClient(app) as first, TestClient(other) as second:
        answer = started(first)
        second.cookies.update(first.cookies)
        follow_up = second.post(
            "/api/v1/query", json={"question": "what about New York?", "conversation_id": answer["conversation_id"]}
        )
        assert follow_up.status_code == 200, follow_up.text
        assert "set-cookie" not in follow_up.headers  # the cookie was accepted, not replaced
        [listed] = second.get("/api/v1/conversations").json()
    assert listed["conversation_id"] == answer["conversation_id"]


def test_a_forged_cookie_owns_nothing(app):
    with TestClient(app) as alice, TestClient(app) as mallory:
        cid = started(alice)["conversation_id"]
        token = alice.cookies[SESSION_COOKIE].split(".")[0]
        mallory.cookies.set(SESSION_COOKIE, f"{token}.{'0' * 64}")
        assert mallory.get(f"/api/v1/conversations/{cid}").status_code == 404


def test_the_owner_can_delete_a_conversation(app, web_settings):
    with TestClient(app) as alice:
        answer = started(alice)
        cid = answer["conversation_id"]
        alice.post(
            "/api/v1/feedback", json={"conversation_id": cid, "message_id": answer["message_id"], "rating": "up"}
        )
        assert alice.delete(f"/api/v1/conversations/{cid}").status_code == 204
        assert alice.get(f"/api/v1/conversations/{cid}").status_code == 404
    for table, column in (("turns", "conversation_id"), ("feedback", "conversation_id"), ("conversations", "id")):
        assert run_sql(web_settings.database, f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", cid) == [(0,)]


def test_rating_again_changes_the_rating_instead_of_adding_one(app, web_settings):
    with TestClient(app) as alice:
        answer = started(alice)
        rating = {"conversation_id": answer["conversation_id"], "message_id": answer["message_id"]}
        first = alice.post("/api/v1/feedback", json={**rating, "rating": "up"}).json()
        second = alice.post("/api/v1/feedback", json={**rating, "rating": "down", "comment": "too low"}).json()
    assert first["id"] == second["id"]
    store = open_store(web_settings.database)
    [stored] = store.feedback(answer["message_id"])
    store.close()
    assert (stored.rating, stored.comment) == ("down", "too low")


def test_an_api_key_owns_its_conversations(web_settings, seed_index, embedder):
    key, digest = new_api_key()
    other, other_digest = new_api_key()
    settings = web_settings.model_copy(update={"api_keys": f"{digest}, {other_digest}"})
    app = create_app(settings, Assistant(seed_index, embedder, today=TODAY))
    with TestClient(app) as client:
        answer = client.post("/api/v1/query", json=QUESTION, headers={"Authorization": f"Bearer {key}"})
        assert "set-cookie" not in answer.headers  # the key is the owner, no session needed
        cid = answer.json()["conversation_id"]
        client.cookies.clear()
        mine = client.get(f"/api/v1/conversations/{cid}", headers={"X-API-Key": key})
        theirs = client.get(f"/api/v1/conversations/{cid}", headers={"Authorization": f"Bearer {other}"})
        forged = client.get(f"/api/v1/conversations/{cid}", headers={"Authorization": "Bearer nk_guess"})
    assert (mine.status_code, theirs.status_code) == (200, 404)
    assert forged.status_code == 401 and forged.json()["error"]["field"] == "authorization"
    assert forged.headers["www-authenticate"] == "Bearer"


def test_forget_deletes_conversations_older_than_asked(app, web_settings, monkeypatch):
    with TestClient(app) as alice, TestClient(app) as bob:
        old, recent = started(alice)["conversation_id"], started(bob)["conversation_id"]
    # alice's was last continued 40 days ago
    run_sql(web_settings.database, "UPDATE conversations SET updated = '2026-10-01T00:00:00+00:00' WHERE id = ?", old)
    monkeypatch.setenv("NEGOTIATE_DATABASE", str(web_settings.database))
    result = CliRunner().invoke(cli, ["forget", "--older-than", "30d"])
    assert result.exit_code == 0, result.output
    assert "Forgot 1 conversation not continued for 30d." in result.output
    left = {row[0] for row in run_sql(web_settings.database, "SELECT DISTINCT conversation_id FROM turns")}
    assert left == {recent}


def test_forget_names_an_unreachable_database_without_its_password(monkeypatch):
    monkeypatch.setenv("NEGOTIATE_DATABASE", "postgresql://negotiate:s3cret-pw@127.0.0.1:1/negotiate")
    result = CliRunner().invoke(cli, ["forget", "--older-than", "30d"])
    assert result.exit_code == 2
    assert "cannot use the PostgreSQL database negotiate on 127.0.0.1:1" in result.output
    assert "s3cret-pw" not in result.output


def test_forget_names_a_bad_age():
    result = CliRunner().invoke(cli, ["forget", "--older-than", "a month"])
    assert result.exit_code == 2 and "'a month' is not an age like 30d, 12h or 90m" in result.output


def test_the_database_and_the_signing_secret_are_private_files(app, web_settings):
    with TestClient(app) as alice:
        started(alice)
    files = [web_settings.secret_path]
    if isinstance(web_settings.database, Path):  # PostgreSQL keeps its files its own way
        files.append(web_settings.database)
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_conversation_ids_stay_out_of_the_logs(app, caplog):
    caplog.set_level(logging.INFO, logger="web.access")
    with TestClient(app) as alice:
        cid = started(alice)["conversation_id"]
        alice.get(f"/api/v1/conversations/{cid}")
        alice.get("/api/v1/conversations/not-an-id-of-anyone")
    assert "GET /api/v1/conversations/{conversation_id} 200" in caplog.text
    assert "GET /api/v1/conversations/{conversation_id} 404" in caplog.text
    assert cid not in caplog.text and "not-an-id-of-anyone" not in caplog.text


def test_conversations_from_before_owners_belong_to_no_one(tmp_path):  # SQLite: the only backend then
    database = tmp_path / "old.db"
    with sqlite3.connect(database) as db:  # the schema before conversations had owners
        db.executescript(
            """
            CREATE TABLE turns (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL UNIQUE,
                question TEXT NOT NULL, intent TEXT NOT NULL, entities TEXT NOT NULL, answer_markdown TEXT NOT NULL,
                answer TEXT, at TEXT NOT NULL, PRIMARY KEY (conversation_id, seq));
            CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL,
                message_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT, at TEXT NOT NULL);
            INSERT INTO turns VALUES ('guessable-1', 1, 'm1', 'q', 'help', '{}', 'a', NULL, '2026-01-01T00:00:00');
            INSERT INTO feedback (conversation_id, message_id, rating, at) VALUES ('guessable-1', 'm1', 'up', '2026-01-01T00:00:00');
            INSERT INTO feedback (conversation_id, message_id, rating, at) VALUES ('guessable-1', 'm1', 'down', '2026-01-02T00:00:00');
            """
        )
    store = SQLiteStore(database)
    assert store.get("guessable-1", "") is None and store.get("guessable-1", "session:anyone") is None
    assert [f.rating for f in store.feedback("m1")] == ["down"]  # one rating per message per owner
