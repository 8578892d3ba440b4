"""The HTTP API through the real app: answers, guides, feedback, health, and every bad input."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from assistant.core import Assistant
from assistant.storage import SQLiteStore
from tests.conftest import TODAY
from web.app import create_app
from web.deps import get_assistant


def test_query_answers_with_exact_figures_and_citations(client):
    response = client.post(
        "/api/v1/query", json={"question": "What's the base range for a software engineer in Charlotte?"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["intent"] == "pay_range"
    assert body["entities"]["role"] == "software-engineer" and body["entities"]["region"] == "Charlotte, NC"
    assert "| Base Salary | $116K–$145K |" in body["answer_markdown"]
    assert "<td>$116K–$145K</td>" in body["answer_html"]
    assert '<a href="/guides/ally-financial/software-engineer#pay-charlotte-nc"' in body["answer_html"]
    assert body["citations"][0]["source_path"] == "seeds/ally-financial/software-engineer.md"
    assert (body["citations"][0]["start_line"], body["citations"][0]["end_line"]) == (62, 62)
    assert {"facts", "follow_ups", "conversation_id", "message_id"} <= body.keys()


def test_follow_up_uses_the_conversation(client):
    first = client.post("/api/v1/query", json={"question": "SWE pay in Charlotte"}).json()
    second = client.post(
        "/api/v1/query", json={"question": "what about New York?", "conversation_id": first["conversation_id"]}
    ).json()
    assert second["conversation_id"] == first["conversation_id"]
    assert second["entities"]["region"] == "New York" and "$130K–$163K" in second["answer_markdown"]


def test_an_unknown_conversation_id_is_404_never_a_new_conversation(client):
    response = client.post(
        "/api/v1/query", json={"question": "what about New York?", "conversation_id": "never-seen-1"}
    )
    assert response.status_code == 404
    assert response.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": "no conversation 'never-seen-1'",
        "field": "conversation_id",
    }


def test_query_empty_question_returns_422_naming_the_field(client):
    for question in ("", "   \n\t "):
        response = client.post("/api/v1/query", json={"question": question})
        assert response.status_code == 422
        assert response.json()["error"] == {
            "status": 422,
            "code": "invalid_request",
            "message": "question: must not be empty or only whitespace",
            "field": "question",
            "details": [{"field": "question", "message": "must not be empty or only whitespace"}],
        }


def test_query_over_2000_characters_returns_422(client):
    response = client.post("/api/v1/query", json={"question": "a" * 2001})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "question"
    assert response.json()["error"]["message"] == "question: String should have at most 2000 characters"


def test_query_malformed_json_returns_422(client):
    response = client.post("/api/v1/query", content=b'{"question": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_json", "body")
    assert error["message"].startswith("request body is not valid JSON")


def test_query_wrong_types_return_422_naming_the_field(client):
    assert client.post("/api/v1/query", json={"question": 42}).json()["error"]["field"] == "question"
    bad_id = client.post("/api/v1/query", json={"question": "hi", "conversation_id": ["x"]}).json()["error"]
    assert bad_id["field"] == "conversation_id"
    missing = client.post("/api/v1/query", json={}).json()["error"]
    assert (missing["field"], missing["message"]) == ("question", "question: Field required")


def test_guides_list_has_regions_dates_and_stale_flag(client):
    guides = client.get("/api/v1/guides").json()
    assert [g["id"] for g in guides] == [
        "ally-financial/engineering-manager",
        "ally-financial/product-manager",
        "ally-financial/software-engineer",
        "ally-financial/solutions-architect",
        "ally-financial/technical-program-manager",
    ]
    swe = guides[2]
    assert swe == {
        "id": "ally-financial/software-engineer",
        "company": "Ally Financial",
        "role": "Software Engineer",
        "regions": ["Detroit, MI (HQ)", "Charlotte, NC", "New York"],
        "last_updated": "2026-02-23",
        "next_review_due": "2026-05-23",
        "stale": True,
    }
    assert guides[1]["stale"] is False and guides[1]["last_updated"] is None  # no frontmatter, no dates


def test_guide_detail_is_the_parsed_structure(client):
    guide = client.get("/api/v1/guides/ally-financial/technical-program-manager").json()
    assert guide["pay"][1]["region"] == "Charlotte, NC"
    assert guide["pay"][1]["total"] == {
        "low": 181000,
        "high": 260000,
        "currency": "USD",
        "period": "year",
        "bound": "",
        "style": "",
    }
    assert (guide["pay"][1]["where"], guide["pay"][1]["level"], guide["pay"][1]["extras"]) == (
        "Charlotte, NC",
        None,
        [],
    )
    assert [lv["name"] for lv in guide["levers"]][0] == "Program Criticality Lever"
    assert guide["level_mapping"]["competitors"] == ["Capital One", "Discover", "SoFi", "Chime"]


def test_unknown_guide_returns_404(client):
    response = client.get("/api/v1/guides/acme/astronaut")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": "no guide 'acme/astronaut'; GET /api/v1/guides lists them",
        "field": "guide_id",
    }


def test_feedback_is_stored(client, web_settings):
    answer = client.post("/api/v1/query", json={"question": "PM levers for RSUs"}).json()
    response = client.post(
        "/api/v1/feedback",
        json={
            "conversation_id": answer["conversation_id"],
            "message_id": answer["message_id"],
            "rating": "up",
            "comment": "spot on",
        },
    )
    assert response.status_code == 201 and response.json()["status"] == "stored"
    [stored] = SQLiteStore(web_settings.database).feedback(answer["message_id"])
    assert (stored.rating, stored.comment, stored.conversation_id) == ("up", "spot on", answer["conversation_id"])


def test_feedback_for_unknown_message_or_bad_rating_is_refused(client):
    answer = client.post("/api/v1/query", json={"question": "help"}).json()
    unknown = client.post(
        "/api/v1/feedback", json={"conversation_id": answer["conversation_id"], "message_id": "nope", "rating": "up"}
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "message_id"
    bad = client.post(
        "/api/v1/feedback",
        json={"conversation_id": answer["conversation_id"], "message_id": answer["message_id"], "rating": "meh"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "rating"


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready == {"status": "ready", "generation": ready["generation"], "guides": 5}
    assert ready["generation"].startswith("gen-")


def test_not_ready_while_loading(web_settings, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr("web.app._load", lambda app, settings: release.wait(30))
    with TestClient(create_app(web_settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").status_code == 503 and client.get("/readyz").json() == {"status": "loading"}
        query = client.post("/api/v1/query", json={"question": "hi"})
        assert query.status_code == 503
        assert query.json()["error"] == {
            "status": 503,
            "code": "not_ready",
            "message": "the index and model are still loading",
        }
        release.set()


def test_index_that_cannot_load_is_reported(web_settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = web_settings.model_copy(update={"index_dir": blocker / "index"})
    with TestClient(create_app(settings)) as client:
        deadline = time.time() + 60
        while client.get("/readyz").json()["status"] == "loading" and time.time() < deadline:
            time.sleep(0.1)
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json() == {"status": "failed", "error": "the index could not be loaded; see the server log"}
        query = client.post("/api/v1/query", json={"question": "hi"}).json()["error"]
        assert query["message"] == "the index could not be loaded; see the server log"
        assert "a-file" not in ready.text + str(query)  # no paths or causes leak to clients


def test_empty_guide_folder_answers_without_figures(web_settings, tmp_path, embedder):
    from index.build import build_index
    from index.search import load_index

    (tmp_path / "empty").mkdir()
    build_index(tmp_path / "empty", tmp_path / "empty-index", embedder)
    with TestClient(
        create_app(web_settings, Assistant(load_index(tmp_path / "empty-index"), embedder, today=TODAY))
    ) as client:
        body = client.post("/api/v1/query", json={"question": "SWE pay in Detroit"}).json()
        assert body["citations"] == [] and "$" not in body["answer_markdown"]
        assert client.get("/").status_code == 200


def test_server_error_is_json_without_a_trace(client, caplog):
    class Broken:
        def ask(self, question, conversation_id=None, owner=None):
            raise RuntimeError("secret internal detail")

    client.app.dependency_overrides[get_assistant] = lambda: Broken()
    response = client.post("/api/v1/query", json={"question": "hi"})
    client.app.dependency_overrides.clear()
    assert response.status_code == 500
    assert response.json() == {"error": {"status": 500, "code": "internal_error", "message": "internal server error"}}
    assert "secret internal detail" not in response.text
    assert "secret internal detail" in caplog.text  # logged for us


def test_follow_up_works_after_a_server_restart(web_settings, seed_index, embedder):
    with TestClient(create_app(web_settings, Assistant(seed_index, embedder, today=TODAY))) as before:
        first = before.post("/api/v1/query", json={"question": "TPM pay in Detroit"}).json()
    with TestClient(create_app(web_settings, Assistant(seed_index, embedder, today=TODAY))) as after:
        after.cookies = before.cookies  # the same browser: its session outlives the server
        second = after.post(
            "/api/v1/query", json={"question": "and in Charlotte?", "conversation_id": first["conversation_id"]}
        ).json()
        history = after.get(f"/api/v1/conversations/{first['conversation_id']}").json()
    assert second["entities"]["role"] == "technical-program-manager" and "$128K–$168K" in second["answer_markdown"]
    assert [a["question"] for a in history["answers"]] == ["TPM pay in Detroit", "and in Charlotte?"]


def test_concurrent_turns_in_one_conversation_are_all_kept(client, web_settings):
    conversation = client.post("/api/v1/query", json={"question": "SWE pay in Detroit"}).json()["conversation_id"]
    errors: list[int] = []

    def ask(n: int) -> None:
        response = client.post(
            "/api/v1/query", json={"question": f"SWE pay in Detroit #{n}", "conversation_id": conversation}
        )
        if response.status_code != 200:
            errors.append(response.status_code)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = client.get(f"/api/v1/conversations/{conversation}").json()["answers"]
    assert sorted(a["question"] for a in kept[1:]) == sorted(f"SWE pay in Detroit #{n}" for n in range(24))


def test_http_cannot_address_slack_conversations(client):
    # Slack's conversation keys contain ":"; HTTP ids may not, so neither side reaches the other.
    query = client.post("/api/v1/query", json={"question": "hi", "conversation_id": "slack:0123456789abcdef"})
    assert query.status_code == 422 and query.json()["error"]["field"] == "conversation_id"
    history = client.get("/api/v1/conversations/slack:0123456789abcdef")
    assert history.status_code == 422 and history.json()["error"]["field"] == "conversation_id"


def test_pages_render_and_escape(client):
    chat = client.get("/")
    assert (
        chat.status_code == 200
        and "What&#39;s the base salary range for an Engineering Manager at Ally Financial in Detroit?" in chat.text
    )
    assert "script-src 'self'" in chat.headers["content-security-policy"]
    guides = client.get("/guides").text
    assert "Stale · 2025-Q4" in guides and "No review date" in guides
    page = client.get("/guides/ally-financial/software-engineer").text
    assert 'id="pay-charlotte-nc"' in page and "seeds/ally-financial/software-engineer.md</code>, line 62" in page
    assert client.get("/guides/acme/astronaut").status_code == 404


def test_markup_in_a_question_is_never_rendered(client):
    body = client.post("/api/v1/query", json={"question": "<script>alert(1)</script> SWE pay in <b>Detroit</b>"}).json()
    assert "<script>" not in body["answer_html"] and "<b>" not in body["answer_html"]


def test_static_assets_are_cache_busted_by_content(client):
    page = client.get("/").text
    src = page.split('src="')[1].split('"')[0]
    assert src.startswith("/static/chat.js?v=")
    assert client.get(src).headers["cache-control"] == "public, max-age=31536000, immutable"


def test_api_answers_are_never_cached_and_pages_never_framed(client):
    answer = client.post("/api/v1/query", json={"question": "SWE pay in Detroit"})
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in client.get("/").headers["content-security-policy"]
    assert "strict-transport-security" not in answer.headers  # served over http here


def test_hsts_is_sent_when_the_public_url_is_https(web_settings, seed_index, embedder):
    settings = web_settings.model_copy(update={"public_url": "https://negotiate.example.com"})
    with TestClient(create_app(settings, Assistant(seed_index, embedder, today=TODAY))) as client:
        response = client.post("/api/v1/query", json={"question": "SWE pay in Detroit"})
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_method_is_405_naming_the_allowed_ones(client):
    response = client.get("/api/v1/query")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("body", "why"),
    [(b'{"question": "\xff\xfe"}', "request body is not UTF-8"), (b"[" * 100_000 + b"]" * 100_000, None)],
)
def test_a_body_that_is_not_utf8_json_gets_the_json_error_shape(client, body, why):
    response = client.post("/api/v1/query", content=body, headers={"Content-Type": "application/json"})
    error = response.json()["error"]
    if why is None:  # too deep to parse: refused by size first (64 KiB), either way naming the body
        assert response.status_code in (400, 413) and error["field"] == "body"
    else:
        assert (response.status_code, error["code"], error["message"], error["field"]) == (
            400,
            "invalid_json",
            why,
            "body",
        )


def test_json_nested_too_deep_within_the_size_limit_is_400(client):
    body = b"[" * 30_000 + b"]" * 30_000  # 60 KB: under the limit, far deeper than any parser recurses
    response = client.post("/api/v1/query", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "status": 400,
        "code": "invalid_json",
        "message": "request body nests too deep",
        "field": "body",
    }


def test_the_schema_says_what_the_server_enforces(client):
    spec = client.get("/openapi.json").json()
    question = spec["components"]["schemas"]["Query"]["properties"]["question"]
    assert (question["minLength"], question["maxLength"], question["pattern"]) == (1, 2000, r"\S")
    responses = spec["paths"]["/api/v1/query"]["post"]["responses"]
    assert {"400", "401", "404", "413", "422", "429"} <= responses.keys()
    assert "delete" in spec["paths"]["/api/v1/conversations/{conversation_id}"]


def test_readyz_says_when_the_last_good_index_is_served(seeds_copy, tmp_path, web_settings, embedder, caplog):
    from assistant.nlu.pipeline import IntentArtifacts
    from index.build import build_index

    index_dir = tmp_path / "index"
    build_index(seeds_copy, index_dir, embedder, today=TODAY, extras=IntentArtifacts())
    seeds_copy.rename(tmp_path / "unmounted")  # the guides' volume is gone at start-up
    settings = web_settings.model_copy(update={"seeds_dir": seeds_copy, "index_dir": index_dir})
    with TestClient(create_app(settings)) as client:
        deadline = time.time() + 120
        while (ready := client.get("/readyz")).status_code != 200 and time.time() < deadline:
            time.sleep(0.2)
        answer = client.post("/api/v1/query", json={"question": "SWE pay in Detroit"})
    assert ready.json()["warning"].startswith("serving the last good index")
    assert str(tmp_path) not in ready.text  # server paths stay in the log
    assert "serving the last good index: the guide files could not be checked" in caplog.text
    assert answer.status_code == 200 and "$" in answer.json()["answer_markdown"]


# -- the content team's question log ---------------------------------------------------------


def logged(web_settings) -> list:  # type: ignore[type-arg]
    store = SQLiteStore(web_settings.database)
    return store.question_records()


def test_each_question_asked_on_the_chat_page_is_logged_without_its_figures(client, web_settings):
    answer = client.post(
        "/api/v1/query", json={"question": "I was offered 150k base as a software engineer in Charlotte, is it good?"}
    ).json()
    [record] = logged(web_settings)
    assert (record.message_id, record.channel, record.intent, record.status) == (
        answer["message_id"],
        "web",
        answer["intent"],
        "answered",
    )
    assert record.question == "I was offered [amount] base as a software engineer in Charlotte, is it good?"
    assert record.guides == ["ally-financial/software-engineer"]


def test_a_question_asked_with_an_api_key_is_logged_as_the_api(web_settings, seed_index, embedder):
    from assistant.settings import new_api_key

    key, digest = new_api_key()
    app = create_app(web_settings.model_copy(update={"api_keys": digest}), Assistant(seed_index, embedder, today=TODAY))
    with TestClient(app) as api_client:
        api_client.post(
            "/api/v1/query",
            json={"question": "What does a staff platform engineer make at Initech?"},
            headers={"Authorization": f"Bearer {key}"},
        )
    [record] = logged(web_settings)
    assert (record.channel, record.status) == ("api", "not_covered")
    assert (record.missing, record.missing_name) == ("company", "Initech")


def test_a_question_log_that_cannot_be_written_costs_no_one_their_answer(client, web_settings, caplog):
    import sqlite3

    with sqlite3.connect(web_settings.database) as db:  # a real failure: the table is gone
        db.execute("DROP TABLE questions")
    response = client.post("/api/v1/query", json={"question": "SWE pay in Charlotte"})
    assert response.status_code == 200 and "$116K–$145K" in response.json()["answer_markdown"]
    assert "could not record a question for the content team: OperationalError" in caplog.text
    assert "Charlotte" not in caplog.text
