"""The Slack bot through the real app and real Bolt: requests signed as Slack signs them; Slack's
Web API (and response_url) is a local mock server that records every call."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from slack_sdk.signature import SignatureVerifier

from assistant.core import Assistant
from assistant.storage import SQLiteStore
from tests.conftest import TODAY
from web.app import create_app
from web.slack_blocks import MAX_BLOCKS, MAX_SECTION, answer_messages

SECRET = "test-signing-secret-7f3a"
TOKEN = "xoxb-test-token-91c2"
_triggers = itertools.count(1)  # Slack gives every command and button press its own trigger_id


class SlackMock:
    """Slack's Web API on 127.0.0.1: answers ok, remembers (path, body) of every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                path = urlsplit(self.path).path  # slack_sdk sends auth.test?team_id=…
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                body = (
                    json.loads(raw)
                    if raw.startswith("{")
                    else dict(x.split("=", 1) for x in raw.split("&") if "=" in x)
                )
                mock.calls.append((path, body))
                reply = {"ok": True, "ts": "1700000000.000200", "channel": body.get("channel", "C1")}
                if path.endswith("/auth.test"):
                    reply = {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT", "user": "negotiate"}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, path_end: str) -> list[dict[str, Any]]:
        return [body for path, body in self.calls if path.endswith(path_end)]

    def wait(self, path_end: str, count: int = 1, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.time() + timeout
        while len(self.posts(path_end)) < count and time.time() < deadline:
            time.sleep(0.05)
        found = self.posts(path_end)
        assert len(found) >= count, f"expected {count} calls to {path_end}, got {self.calls}"
        return found


@pytest.fixture
def slack(web_settings, seed_index, embedder):
    mock = SlackMock()
    settings = web_settings.model_copy(
        update={
            "slack_signing_secret": SECRET,
            "slack_bot_token": TOKEN,
            "slack_api_url": f"{mock.url}/api/",
            "public_url": "https://negotiate.example.com",
        }
    )
    settings = type(settings).model_validate(
        settings.model_dump() | {"slack_signing_secret": SECRET, "slack_bot_token": TOKEN}
    )
    app = create_app(settings, Assistant(seed_index, embedder, today=TODAY))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, mock, settings
    mock.server.shutdown()


def signed(body: str, content_type: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(timestamp or int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or "",
    }


def slash_body(mock: SlackMock, text: str, trigger: str | None = None) -> str:
    """A slash command's form body; each press has its own trigger id, as in Slack."""
    return urlencode(
        {
            "token": "x",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/negotiate",
            "text": text,
            "response_url": f"{mock.url}/respond/1",
            "trigger_id": trigger or f"t{next(_triggers)}",
        }
    )


def slash(client: TestClient, mock: SlackMock, text: str, **headers: str):
    body = slash_body(mock, text)
    return client.post(
        "/slack/events", content=body, headers=signed(body, "application/x-www-form-urlencoded") | headers
    )


def event(client: TestClient, inner: dict[str, Any], event_id: str = "Ev1", **headers: str):
    body = json.dumps(
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": inner,
        }
    )
    return client.post("/slack/events", content=body, headers=signed(body, "application/json") | headers)


def action(client: TestClient, mock: SlackMock, action_id: str, value: str):
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "channel_id": "C1", "is_ephemeral": True},
        "trigger_id": f"t{next(_triggers)}",
        "response_url": f"{mock.url}/respond/2",
        "api_app_id": "A1",
        "token": "x",
        "actions": [
            {"action_id": action_id, "block_id": "answer_actions", "value": value, "type": "button", "action_ts": "1"}
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return client.post("/slack/events", content=body, headers=signed(body, "application/x-www-form-urlencoded"))


def text_of(message: dict[str, Any]) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def test_slash_command_answers_privately_with_figures_citations_and_buttons(slack):
    client, mock, _ = slack
    response = slash(client, mock, "What's the base range for a software engineer in Charlotte?")
    assert response.status_code == 200
    [reply] = mock.wait("/respond/1")
    assert reply["response_type"] == "ephemeral"
    blocks = reply["blocks"]
    assert (
        blocks[0]["elements"][0]["text"] == "*You asked:* What's the base range for a software engineer in Charlotte?"
    )
    shown = text_of(reply)
    assert "Base Salary      $116K–$145K" in shown and "Total Comp       $156K–$223K" in shown  # aligned table
    assert "*Negotiate-up target:* $200K–$223K total comp" in shown
    context = [b for b in blocks if b["type"] == "context"][-1]["elements"][0]["text"]
    assert context.startswith(
        "<https://negotiate.example.com/guides/ally-financial/software-engineer#pay-charlotte-nc|[1]>"
    )
    assert "`seeds/ally-financial/software-engineer.md:62`" in context
    actions = [b for b in blocks if b["type"] == "actions"][0]["elements"]
    assert [a["action_id"] for a in actions] == ["feedback_up", "feedback_down", "share"]


def test_empty_or_help_command_shows_usage(slack):
    client, mock, _ = slack
    for text in ("", "help"):
        response = slash(client, mock, text)
        body = response.json()
        assert body["response_type"] == "ephemeral"
        assert (
            "/negotiate What's the base salary range for an Engineering Manager at Ally Financial in Detroit?"
            in body["blocks"][0]["text"]["text"]
        )
    assert mock.posts("/respond/1") == []


def test_slack_questions_are_logged_for_the_content_team_without_figures(slack):
    client, mock, settings = slack
    slash(client, mock, "I was offered 187K base in Detroit as a SWE, is that fair?")
    mock.wait("/respond/1")
    [record] = SQLiteStore(settings.database).question_records()
    assert (record.channel, record.question) == (
        "slack",
        "I was offered [amount] base in Detroit as a SWE, is that fair?",
    )


def test_mention_answers_in_a_thread_and_follow_up_keeps_context(slack):
    client, mock, _ = slack
    event(
        client,
        {"type": "app_mention", "user": "U1", "channel": "C9", "ts": "111.1", "text": "<@UBOT> TPM pay in Detroit"},
    )
    [first] = mock.wait("/chat.postMessage")
    assert (first["channel"], first["thread_ts"]) == ("C9", "111.1")
    assert "$122K–$160K" in text_of(first)
    event(
        client,
        {
            "type": "app_mention",
            "user": "U1",
            "channel": "C9",
            "ts": "111.5",
            "thread_ts": "111.1",
            "text": "<@UBOT> what about New York?",
        },
        event_id="Ev2",
    )
    second = mock.wait("/chat.postMessage", 2)[1]
    assert second["thread_ts"] == "111.1"
    assert "$144K–$189K" in text_of(second) and "$122K–$160K" not in text_of(second)


def test_direct_message_answers_in_the_dm(slack):
    client, mock, _ = slack
    event(
        client,
        {
            "type": "message",
            "channel_type": "im",
            "user": "U1",
            "channel": "D1",
            "ts": "5.5",
            "text": "SA total comp in NYC",
        },
    )
    [reply] = mock.wait("/chat.postMessage")
    assert reply["channel"] == "D1" and "thread_ts" not in reply
    assert "$222K–$321K" in text_of(reply)


def test_bot_messages_are_ignored(slack):
    client, mock, _ = slack
    event(
        client,
        {"type": "message", "channel_type": "im", "bot_id": "BOTHER", "channel": "D1", "ts": "6.1", "text": "SWE pay?"},
    )
    event(
        client,
        {
            "type": "message",
            "channel_type": "im",
            "user": "UBOT",
            "bot_id": "BBOT",
            "channel": "D1",
            "ts": "6.2",
            "text": "x",
        },
        event_id="Ev3",
    )
    time.sleep(1.0)
    assert mock.posts("/chat.postMessage") == []


def test_retry_is_acknowledged_and_posts_nothing(slack):
    client, mock, _ = slack
    response = event(
        client,
        {"type": "app_mention", "user": "U1", "channel": "C9", "ts": "7.1", "text": "<@UBOT> PM pay"},
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert response.status_code == 200 and response.headers["x-slack-no-retry"] == "1"
    time.sleep(1.0)
    assert mock.posts("/chat.postMessage") == []


def test_bad_signature_and_replayed_timestamp_are_refused(slack, caplog):
    client, mock, _ = slack
    body = urlencode({"command": "/negotiate", "text": "SWE pay", "team_id": "T1", "channel_id": "C1", "user_id": "U1"})
    forged = client.post(
        "/slack/events", content=body, headers=signed(body, "application/x-www-form-urlencoded", secret="wrong")
    )
    unsigned = client.post("/slack/events", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    replayed = client.post(
        "/slack/events",
        content=body,
        headers=signed(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60),
    )
    assert (forged.status_code, unsigned.status_code, replayed.status_code) == (401, 401, 401)
    assert SECRET not in caplog.text and TOKEN not in caplog.text
    assert mock.posts("/respond/1") == []


def test_url_verification_echoes_the_challenge(slack):
    client, _, _ = slack
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    response = client.post("/slack/events", content=body, headers=signed(body, "application/json"))
    assert response.status_code == 200 and response.json() == {"challenge": "c-123"}


def test_feedback_button_is_stored(slack):
    client, mock, settings = slack
    slash(client, mock, "PM levers for RSUs")
    [reply] = mock.wait("/respond/1")
    value = [b for b in reply["blocks"] if b["type"] == "actions"][0]["elements"][1]["value"]
    assert action(client, mock, "feedback_down", value).status_code == 200
    [thanks] = mock.wait("/respond/2")
    assert thanks["text"] == "Thanks — your feedback is saved."
    ref = json.loads(value)
    [stored] = SQLiteStore(settings.database).feedback(ref["m"])
    assert stored.rating == "down"
    # the conversation key is a keyed hash: no team, channel or user id can be read from it
    assert stored.conversation_id.startswith("slack:") and len(stored.conversation_id) == 38
    assert not any(part in stored.conversation_id for part in ("T1", "C1", "U1"))


def test_share_reposts_the_answer_visibly_in_the_channel(slack):
    client, mock, _ = slack
    slash(client, mock, "EM target in New York")
    [reply] = mock.wait("/respond/1")
    value = [b for b in reply["blocks"] if b["type"] == "actions"][0]["elements"][2]["value"]
    action(client, mock, "share", value)
    [shared] = mock.wait("/chat.postMessage")
    assert shared["channel"] == "C1" and "$375K–$411K" in text_of(shared)
    assert "Shared by <@U1>" in text_of(shared)
    assert not any(b["type"] == "actions" for b in shared["blocks"])  # nothing left to press


def test_two_slash_questions_share_context(slack):
    client, mock, _ = slack
    slash(client, mock, "software engineer pay in Detroit")
    mock.wait("/respond/1")
    slash(client, mock, "and in Charlotte?")
    second = mock.wait("/respond/1", 2)[1]
    assert "$116K–$145K" in text_of(second)


def test_pay_typed_by_the_user_never_reaches_the_logs(slack, caplog):
    client, mock, _ = slack
    caplog.set_level(logging.DEBUG)
    slash(client, mock, "I was offered 143K base and 31K stock in Detroit as a SWE, fair?")
    mock.wait("/respond/1")
    assert "slack answered: intent=offer_eval" in caplog.text
    assert "143" not in caplog.text and "31K" not in caplog.text
    assert TOKEN not in caplog.text and SECRET not in caplog.text


def test_long_answers_are_split_within_block_kit_limits(slack, seed_index, embedder):
    answer = Assistant(seed_index, embedder, today=TODAY).ask("negotiation scripts for a solutions architect")
    long = answer.model_copy(update={"answer_markdown": "\n\n".join([answer.answer_markdown] * 40)})
    messages = answer_messages(long, "https://x")
    assert len(messages) > 1
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        assert all(len(b["text"]["text"]) <= MAX_SECTION for b in message.blocks if b["type"] == "section")
    sections = "".join(b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section")
    assert sections.count("*Lever 1: All-Digital Architecture Complexity Lever*") == 40  # nothing dropped


def test_without_secrets_the_endpoint_says_what_to_set(client):
    response = client.post("/slack/events", json={"type": "url_verification", "challenge": "x"})
    assert response.status_code == 503
    assert response.json()["error"]["message"] == (
        "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or their NEGOTIATE_ forms)."
    )
    assert client.get("/healthz").status_code == 200
