"""What the security audit of POST /slack/events asked for, through the real app and real Bolt:
a signed request is answered once however often it is replayed (in this worker or another),
malformed requests are refused with one log line and no traceback, and the bot never answers
itself. Slack's Web API is the local mock of test_slack.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import subprocess
import sys
import textwrap
import time
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient

from assistant.core import Assistant
from assistant.storage import SQLiteStore, open_store
from tests import test_slack
from tests.conftest import ROOT, TODAY
from tests.test_slack import SECRET, TOKEN, SlackMock, action, event, signed, slash_body
from web.app import create_app
from web.replay import ReplayGuard

slack = test_slack.slack  # the fixture: the real app, and Slack's Web API mocked
FORM = "application/x-www-form-urlencoded"
QUESTION = "I was offered 187K base in Detroit as a SWE, is that fair?"


def signed_bytes(raw: bytes, content_type: str, timestamp: str | None = None) -> dict[str, str]:
    """Headers as Slack signs any body, bytes that are not UTF-8 included."""
    ts = str(int(time.time())) if timestamp is None else timestamp
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_body(inner: dict[str, Any], event_id: str) -> str:
    return json.dumps(
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


def payload_body(payload: Any) -> str:
    return urlencode({"payload": json.dumps(payload)})


def button(mock: SlackMock, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "channel_id": "C1", "is_ephemeral": True},
        "trigger_id": "t2",
        "response_url": f"{mock.url}/respond/2",
        "api_app_id": "A1",
        "token": "x",
        "actions": [
            {"action_id": action_id, "block_id": "answer_actions", "value": value, "type": "button", "action_ts": "1"}
        ],
    }


def settle(mock: SlackMock, path_end: str, count: int) -> list[dict[str, Any]]:
    """The calls to path_end once answering is over: `count` arrive, and nothing after them."""
    mock.wait(path_end, count)
    time.sleep(1.5)
    return mock.posts(path_end)


def slack_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the Slack endpoint, Bolt and slack_sdk logged (not the access log or the test client's)."""
    return [r for r in caplog.records if r.name.startswith(("web.slack", "web.replay", "slack_bolt", "slack_sdk"))]


def feedback_value(client: TestClient, mock: SlackMock, question: str) -> str:
    body = slash_body(mock, question, trigger="t-feedback")
    client.post("/slack/events", content=body, headers=signed(body, FORM))
    [reply] = mock.wait("/respond/1")
    return str([b for b in reply["blocks"] if b["type"] == "actions"][0]["elements"][0]["value"])


# --- replays -------------------------------------------------------------------------------


def test_replayed_slash_command_is_answered_once(slack, caplog):
    client, mock, _ = slack
    caplog.set_level(logging.INFO)
    body = slash_body(mock, QUESTION)
    headers = signed(body, FORM)
    first, *replays = [client.post("/slack/events", content=body, headers=headers) for _ in range(4)]
    assert first.status_code == 200
    assert [(r.status_code, r.content) for r in replays] == [(200, b"")] * 3
    assert len(settle(mock, "/respond/1", 1)) == 1
    duplicates = [r.getMessage() for r in slack_lines(caplog) if "duplicate" in r.getMessage()]
    assert duplicates == ["slack duplicate ignored: command"] * 3
    assert "187" not in caplog.text and "Detroit" not in caplog.text


def test_replayed_mention_is_answered_once(slack):
    client, mock, _ = slack
    body = event_body(
        {"type": "app_mention", "user": "U1", "channel": "C9", "ts": "21.1", "text": "<@UBOT> TPM pay in Detroit"},
        event_id="EvReplay",
    )
    headers = signed(body, "application/json")
    responses = [client.post("/slack/events", content=body, headers=headers) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.content for r in responses[1:]] == [b"", b""]
    assert len(settle(mock, "/chat.postMessage", 1)) == 1


def test_redelivered_event_id_without_retry_header_is_answered_once(slack):
    client, mock, _ = slack
    inner = {"type": "app_mention", "user": "U1", "channel": "C9", "ts": "22.1", "text": "<@UBOT> PM pay in Charlotte"}
    first = event(client, inner, event_id="EvTwice")
    time.sleep(1.1)  # a new timestamp, so a new signature and a new body: only the event_id repeats
    again = event(client, inner, event_id="EvTwice")
    assert (first.status_code, again.status_code, again.content) == (200, 200, b"")
    assert len(settle(mock, "/chat.postMessage", 1)) == 1


def test_distinct_events_are_each_answered(slack):
    client, mock, _ = slack
    for n in (1, 2):
        event(
            client,
            {"type": "app_mention", "user": "U1", "channel": "C9", "ts": f"23.{n}", "text": "<@UBOT> SA pay in NYC"},
            event_id=f"EvDistinct{n}",
        )
    assert len(settle(mock, "/chat.postMessage", 2)) == 2


def test_same_question_asked_again_is_answered_again(slack):
    client, mock, _ = slack
    for trigger in ("t-first", "t-second"):  # two commands typed: each has its own trigger_id
        body = slash_body(mock, "software engineer pay in Detroit", trigger=trigger)
        assert client.post("/slack/events", content=body, headers=signed(body, FORM)).status_code == 200
    assert len(settle(mock, "/respond/1", 2)) == 2


def test_replayed_button_press_is_recorded_once(slack):
    client, mock, settings = slack
    value = feedback_value(client, mock, "PM levers for RSUs")
    body = payload_body(button(mock, "feedback_up", value))
    headers = signed(body, FORM)
    responses = [client.post("/slack/events", content=body, headers=headers) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len(settle(mock, "/respond/2", 1)) == 1
    assert [f.rating for f in SQLiteStore(settings.database).feedback(json.loads(value)["m"])] == ["up"]


def test_replay_to_another_worker_sharing_the_database_is_not_answered(slack, seed_index, embedder):
    client, mock, settings = slack
    body = slash_body(mock, "software engineer pay in Detroit")
    headers = signed(body, FORM)
    other_worker = create_app(settings, Assistant(seed_index, embedder, today=TODAY))
    with TestClient(other_worker, raise_server_exceptions=False) as other:
        assert client.post("/slack/events", content=body, headers=headers).status_code == 200
        replayed = other.post("/slack/events", content=body, headers=headers)
    assert (replayed.status_code, replayed.content) == (200, b"")
    assert len(settle(mock, "/respond/1", 1)) == 1


def test_retry_of_an_answered_event_is_acknowledged_and_not_answered_again(slack):
    client, mock, _ = slack
    inner = {"type": "app_mention", "user": "U1", "channel": "C9", "ts": "24.1", "text": "<@UBOT> EM pay in NYC"}
    event(client, inner, event_id="EvRetried")
    retry = event(client, inner, event_id="EvRetried", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})
    assert (retry.status_code, retry.content, retry.headers["x-slack-no-retry"]) == (200, b"", "1")
    assert len(settle(mock, "/chat.postMessage", 1)) == 1


# --- the replay guard across worker processes ------------------------------------------------

WORKER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from assistant.storage import open_store
    from web.replay import ReplayGuard

    guard = ReplayGuard(open_store(sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])))
    start = float(sys.argv[2])
    while time.time() < start:  # every worker begins together: the keys are contended
        time.sleep(0.001)
    print(json.dumps([key for key in json.loads(sys.argv[3]) if guard.first_seen(key, time.time())]))
    """
)


def test_replay_guard_admits_each_key_once_across_worker_processes(database):
    open_store(database).close()  # the app's own tables (and SQLite's WAL mode), as in a running server
    keys = [f"event:Ev{n}" for n in range(300)]
    start = time.time() + 3
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(database), str(start), json.dumps(keys)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    admitted = [key for worker in workers for key in json.loads(worker.communicate(timeout=120)[0])]
    assert [w.returncode for w in workers] == [0, 0, 0, 0]
    assert sorted(admitted) == sorted(keys)  # each key answered by exactly one worker


def test_replay_guard_forgets_a_key_once_its_window_is_over(store, database):
    other_store = open_store(database)  # another worker's own connections
    guard, other_worker = ReplayGuard(store, window=1), ReplayGuard(other_store)
    assert guard.first_seen("body:abc", time.time()) is True
    assert guard.first_seen("body:abc", time.time()) is False
    assert other_worker.first_seen("body:abc", time.time()) is False
    other_store.close()
    time.sleep(1.2)
    assert guard.first_seen("body:abc", time.time()) is True  # a copy this late no longer verifies


def test_replay_guard_keeps_a_key_while_its_signature_verifies(store):
    guard = ReplayGuard(store, window=1)
    signed_ahead = time.time() + 1  # Slack's clock ahead of ours: valid until a second after it says
    assert guard.first_seen("body:abc", signed_ahead) is True
    time.sleep(1.2)
    assert guard.first_seen("body:abc", signed_ahead) is False


# --- malformed requests ----------------------------------------------------------------------


NOW = int(time.time())


# Python's int() reads "1_700_000_000" and "+1700000000"; Slack only ever sends plain digits.
@pytest.mark.parametrize("timestamp", ["soon", "1.7e9", "", "-1", f"{NOW:_}", f"+{NOW}", "9" * 40])
def test_non_numeric_timestamp_is_refused_with_one_log_line(slack, caplog, timestamp):
    client, mock, _ = slack
    caplog.set_level(logging.DEBUG)
    raw = slash_body(mock, QUESTION).encode()
    response = client.post("/slack/events", content=raw, headers=signed_bytes(raw, FORM, timestamp=timestamp))
    assert response.status_code == 401
    assert [r.getMessage() for r in slack_lines(caplog)] == ["slack request refused: malformed timestamp"]
    assert not any(r.exc_info for r in caplog.records)
    assert mock.posts("/respond/1") == []


MALFORMED = {
    "payload that is not JSON": b"payload=%7Bnot+json",
    "payload that is a JSON array": b"payload=" + quote(json.dumps([{"type": "block_actions"}])).encode(),
    "payload that is not UTF-8": b"payload=%FF%FE%7B%7D",
    "body bytes that are not UTF-8": b"payload=\xff\xfe{}",
    "a view submission": payload_body({"type": "view_submission", "team": {"id": "T1"}, "view": {}}).encode(),
    "an event body that is a JSON array": b'[{"type": "event_callback"}]',
    "an event that is not an object": json.dumps({"type": "event_callback", "event_id": "E1", "event": "x"}).encode(),
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_request_is_refused_with_one_log_line(slack, caplog, raw):
    client, mock, _ = slack
    caplog.set_level(logging.DEBUG)
    content_type = "application/json" if raw.startswith((b"[", b"{")) else FORM
    response = client.post("/slack/events", content=raw, headers=signed_bytes(raw, content_type))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    [line] = slack_lines(caplog)
    assert line.getMessage().startswith("slack request refused: ") and line.exc_info is None
    assert not any(r.exc_info for r in caplog.records)
    time.sleep(0.5)
    assert mock.calls == []


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_request_without_a_valid_signature_is_refused_as_unsigned(slack, caplog, raw):
    client, _, _ = slack
    caplog.set_level(logging.DEBUG)
    headers = signed_bytes(raw, FORM) | {"X-Slack-Signature": "v0=" + "0" * 64}
    assert client.post("/slack/events", content=raw, headers=headers).status_code == 401
    assert [r.getMessage() for r in slack_lines(caplog)] == ["slack request refused: bad signature"]


def test_refused_request_logs_no_question_text(slack, caplog):
    client, mock, _ = slack
    caplog.set_level(logging.DEBUG)
    raw = slash_body(mock, QUESTION).encode()
    stale = signed_bytes(raw, FORM, timestamp=str(int(time.time()) - 6 * 60))
    forged = signed_bytes(raw, FORM) | {"X-Slack-Signature": "v0=" + "0" * 64}
    for headers in (stale, forged):
        assert client.post("/slack/events", content=raw, headers=headers).status_code == 401
    assert [r.getMessage() for r in slack_lines(caplog)] == [
        "slack request refused: stale timestamp",
        "slack request refused: bad signature",
    ]
    assert "187" not in caplog.text and "Detroit" not in caplog.text and "v0=" not in caplog.text
    assert SECRET not in caplog.text and TOKEN not in caplog.text


# --- the bot's own messages -------------------------------------------------------------------


def test_own_messages_are_ignored_even_without_bot_id(slack):
    client, mock, _ = slack
    event(
        client,
        {"type": "message", "channel_type": "im", "user": "UBOT", "channel": "D1", "ts": "31.1", "text": "SWE pay?"},
        event_id="EvOwnDm",
    )
    event(
        client,
        {"type": "app_mention", "user": "UBOT", "channel": "C9", "ts": "31.2", "text": "<@UBOT> SWE pay?"},
        event_id="EvOwnMention",
    )
    event(
        client,
        {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "31.3", "text": "SA pay in NYC"},
        event_id="EvSomeoneElse",
    )
    [reply] = settle(mock, "/chat.postMessage", 1)
    assert "$222K–$321K" in json.dumps(reply["blocks"], ensure_ascii=False)  # only the person was answered
    assert len(mock.posts("/auth.test")) == 1  # the bot's identity is learned once


# --- button values ----------------------------------------------------------------------------

BAD_VALUES = {
    "not JSON": "{oops",
    "a JSON array": '["c", "m"]',
    "missing the message": '{"c": "slack:abc"}',
    "ids that are not strings": '{"c": 1, "m": 2}',
    "empty": "",
}


@pytest.mark.parametrize("action_id", ["feedback_up", "feedback_down", "share"])
@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_bad_button_value_gets_a_notice_not_an_error(slack, caplog, action_id, value):
    client, mock, _ = slack
    caplog.set_level(logging.INFO)
    started = time.time()
    response = action(client, mock, action_id, value)
    assert response.status_code == 200 and time.time() - started < 2
    [notice] = settle(mock, "/respond/2", 1)
    assert (notice["response_type"], notice["text"]) == ("ephemeral", "That button doesn't work any more; ask again.")
    assert mock.posts("/chat.postMessage") == []
    assert "slack action refused: bad button value" in [r.getMessage() for r in slack_lines(caplog)]
    assert not any(r.exc_info or r.levelno >= logging.ERROR for r in caplog.records)
