"""The Slack bot: slash command, mentions and DMs, answered with Block Kit by the same
Assistant, mounted into the FastAPI app at /slack/events (slack-bolt, async).

Before Bolt sees a request, the route checks it: signed by Slack over its exact bytes within
the 5-minute window (401 otherwise), a body Bolt can read and we handle (400 otherwise),
not a retry and not a copy of a request already answered by any worker (200, empty, not
answered). Bolt then acks within Slack's 3 seconds; answers go out through response_url or
chat.postMessage. Logs name the intent or the refusal, never the question: people type
their own pay into it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from assistant.answer import Answer
from assistant.conversation import CHANNEL_OWNER
from assistant.core import Assistant, BadQuestion
from assistant.settings import Settings
from assistant.storage import Store, UnknownMessage
from web import question_log
from web.errors import error
from web.replay import WINDOW, ReplayGuard
from web.slack_blocks import AnswerRef, Message, answer_messages, read_button_value, usage_blocks

log = logging.getLogger(__name__)
COMMAND = "/negotiate"
_MENTION = re.compile(r"<@[A-Z0-9]+>")
_WORD = re.compile(r"[a-z_]{1,40}")
NOT_CONFIGURED = "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or their NEGOTIATE_ forms)."
NO_RETRY = {"x-slack-no-retry": "1"}  # an empty 200 with this: Slack sends that request no more
HANDLED_INTERACTIONS = ("block_actions",)  # the buttons under our answers: no views, shortcuts or dialogs
BAD_BUTTON = "That button doesn't work any more; ask again."


def mount_slack(app: FastAPI, settings: Settings) -> None:
    """Serve /slack/events: the bot when Slack's secrets are set, a clear 503 otherwise."""
    if settings.slack_signing_secret is None or settings.slack_bot_token is None:
        log.warning(NOT_CONFIGURED)

        @app.post("/slack/events", include_in_schema=False)
        async def slack_off() -> JSONResponse:
            return error(503, "slack_not_configured", NOT_CONFIGURED)

        return

    handler = AsyncSlackRequestHandler(build_bolt(app, settings))
    secret = settings.slack_signing_secret.get_secret_value().encode()
    seen = ReplayGuard(app.state.store)

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        raw = await request.body()
        try:
            signed_at = verify(raw, request.headers, secret, time.time())
            inbound = read(raw, request.headers.get("content-type"))
        except Refused as refused:
            log.warning("slack request refused: %s", refused.reason)
            return refused.response()
        if retry := request.headers.get("x-slack-retry-num"):
            # Slack resends an event it thinks went unanswered. The first delivery was acked
            # and is being answered: a retry must never post twice, and must not be resent.
            log.info("slack retry ignored: %s #%s", inbound.kind, retry if retry.isdigit() else "?")
            return Response(status_code=200, headers=NO_RETRY)
        key = inbound.replay_key
        if key is not None and not await anyio.to_thread.run_sync(seen.first_seen, key, signed_at):
            log.info("slack duplicate ignored: %s", inbound.kind)
            return Response(status_code=200, headers=NO_RETRY)
        return await handler.handle(request)


class Refused(Exception):
    """A request not handed to Bolt: the status it gets, and why (logged, so never content)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> JSONResponse:
        if self.status == 401:
            return error(401, "unauthorized", "the request is not signed by Slack")
        return error(self.status, "invalid_request", f"malformed Slack request: {self.reason}")


@dataclass(frozen=True)
class Inbound:
    """A signed request as Bolt will read it."""

    kind: Literal["event", "command", "action", "other"]  # what the logs call it
    replay_key: str | None  # None: answering a copy does no harm (URL verification, SSL check)


def verify(raw: bytes, headers: Mapping[str, str], secret: bytes, now: float) -> int:
    """When Slack signed these exact bytes, if it did so within the window; Refused otherwise."""
    timestamp, signature = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
    if timestamp is None or signature is None:
        raise Refused(401, "unsigned")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise Refused(401, "malformed timestamp")
    if abs(now - int(timestamp)) > WINDOW:
        raise Refused(401, "stale timestamp")
    # Over the bytes as they came: a body that is not UTF-8 is still checked, then refused.
    digest = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(f"v0={digest}".encode(), signature.encode("latin-1")):
        raise Refused(401, "bad signature")
    return int(timestamp)


def read(raw: bytes, content_type: str | None) -> Inbound:
    """Read the body as Bolt will (slack_bolt.request.internals.parse_body), refusing what
    Bolt would fail on or we do not handle, so every 500 left is ours."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    if (content_type or "").split(";")[0] == "application/json" or text.startswith("{"):
        return _event(_json_object(text, "body"))
    try:
        form = dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise Refused(400, "form is not UTF-8") from None
    # The signed bytes name a command or a button press: Slack makes each one unique (its
    # trigger_id), so an identical body is a copy.
    body_key = f"body:{hashlib.sha256(raw).hexdigest()}"
    if "payload" in text and "payload" in form:
        _interaction(_json_object(form["payload"], "payload"))
        return Inbound("action", body_key)
    if "command" in form:
        return Inbound("command", body_key)
    return Inbound("other", None)


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, f"{what} is not a JSON object")
    return value


def _event(body: dict[str, Any]) -> Inbound:
    if body.get("type") != "event_callback":
        return Inbound("other", None)  # URL verification, rate-limit notices: Bolt answers or ignores
    event_id, event = body.get("event_id"), body.get("event")
    if not (isinstance(event_id, str) and event_id and isinstance(event, dict) and isinstance(event.get("type"), str)):
        raise Refused(400, "event without an id or a type")
    return Inbound("event", f"event:{event_id}")  # a redelivery is signed anew: only its id repeats


def _interaction(payload: dict[str, Any]) -> None:
    kind = payload.get("type")
    if kind not in HANDLED_INTERACTIONS:
        named = kind if isinstance(kind, str) and _WORD.fullmatch(kind) else "?"
        raise Refused(400, f"unhandled interaction {named}")
    actions = payload.get("actions")
    if not (isinstance(actions, list) and actions and all(isinstance(a, dict) for a in actions)):
        raise Refused(400, "block actions without actions")


def build_bolt(app: FastAPI, settings: Settings) -> AsyncApp:
    assert settings.slack_signing_secret is not None and settings.slack_bot_token is not None
    token = settings.slack_bot_token.get_secret_value()
    # At DEBUG, Bolt and slack_sdk log whole request and response bodies: people's pay, in
    # questions and answers. Their loggers never go below INFO, whatever the root level.
    for name in ("slack_sdk", "slack_bolt", "web.slack.bolt"):
        logging.getLogger(name).setLevel(logging.INFO)
    bolt_log = logging.getLogger("web.slack.bolt")
    bolt = AsyncApp(
        token=token,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=AsyncWebClient(token=token, base_url=settings.slack_api_url),
        logger=bolt_log,
        # The route has verified the signature over the raw bytes already. Bolt's own check
        # raises on a timestamp that is not a number, and logs a refused request's whole body
        # (someone's question) at INFO.
        request_verification_enabled=False,
    )
    base_url = settings.public_url.rstrip("/")

    def assistant() -> Assistant | None:
        return app.state.assistant

    def store() -> Store:
        return app.state.store

    secret = settings.slack_signing_secret.get_secret_value().encode()

    def key(*parts: object) -> str:
        # Conversations are keyed by team, channel and thread (or user), hashed with the
        # signing secret: nobody can name someone else's conversation to read or steer it.
        digest = hmac.new(secret, ":".join(str(p) for p in parts).encode(), hashlib.sha256).hexdigest()
        return f"slack:{digest[:32]}"

    async def ask(question: str, conversation: str) -> Answer | Message:
        current = assistant()
        if current is None:
            return notice("I'm still loading the guides — ask again in a moment.")
        try:
            answer = await anyio.to_thread.run_sync(current.ask, question, conversation)
        except BadQuestion as problem:
            return notice(f"I can't answer that: {problem}.")
        except Exception as failure:  # noqa: BLE001 - the user hears back; the log gets no question text
            log.error("slack answer failed: %s", type(failure).__name__)
            return notice("Something went wrong on my side; please try again.")
        log.info("slack answered: intent=%s", answer.intent)
        await anyio.to_thread.run_sync(question_log.record, store(), answer, "slack")
        return answer

    def notice(text: str) -> Message:
        return Message([{"type": "section", "text": {"type": "mrkdwn", "text": text}}], text)

    def messages_for(answer: Answer | Message, question: str | None = None) -> list[Message]:
        return [answer] if isinstance(answer, Message) else answer_messages(answer, base_url, question=question)

    @bolt.command(COMMAND)
    async def slash(ack: Any, command: dict[str, Any], respond: Any) -> None:
        question = (command.get("text") or "").strip()
        current = assistant()
        if not question or question.lower() in ("help", "?"):
            examples = current.suggestions() if current else []
            await ack(response_type="ephemeral", blocks=usage_blocks(examples), text="How to use /negotiate")
            return
        await ack()  # within Slack's 3 seconds; the answer follows through response_url
        answer = await ask(question, key(command.get("team_id"), command.get("channel_id"), command.get("user_id")))
        for message in messages_for(answer, question):
            await respond(response_type="ephemeral", replace_original=False, blocks=message.blocks, text=message.text)

    async def answer_in(client: AsyncWebClient, event: dict[str, Any], thread: str | None, conversation: str) -> None:
        question = _MENTION.sub("", event.get("text") or "").strip()
        channel = event["channel"]
        if not question:
            current = assistant()
            examples = current.suggestions()[:3] if current else []
            await client.chat_postMessage(
                channel=channel, thread_ts=thread, blocks=usage_blocks(examples), text="How to ask me"
            )
            return
        for message in messages_for(await ask(question, conversation)):
            await client.chat_postMessage(channel=channel, thread_ts=thread, blocks=message.blocks, text=message.text)

    @bolt.event("app_mention")
    async def mention(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        if from_a_bot(event, context.bot_user_id):
            return
        thread = event.get("thread_ts") or event["ts"]  # always answer in the thread
        await answer_in(client, event, thread, key(context.team_id, event["channel"], thread))

    @bolt.event("message")
    async def direct_message(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        # Edits and joins carry a subtype: never answered.
        if event.get("channel_type") != "im" or event.get("subtype") or from_a_bot(event, context.bot_user_id):
            return
        thread = event.get("thread_ts")
        await answer_in(client, event, thread, key(context.team_id, event["channel"], thread or "dm"))

    async def pressed(ack: Any, action: dict[str, Any], respond: Any) -> AnswerRef | None:
        """Ack the press; the answer its button names, or None once the presser is told."""
        await ack()
        ref = read_button_value(action.get("value"))
        if ref is None:
            log.warning("slack action refused: bad button value")
            await respond(response_type="ephemeral", replace_original=False, text=BAD_BUTTON)
        return ref

    async def feedback(ack: Any, action: dict[str, Any], body: dict[str, Any], respond: Any, rating: str) -> None:
        ref = await pressed(ack, action, respond)
        if ref is None:
            return
        # Everyone in a channel sees an answer's buttons: each person's rating is their own.
        rater = key("rater", (body.get("team") or {}).get("id"), (body.get("user") or {}).get("id"))
        try:
            await anyio.to_thread.run_sync(
                store().add_feedback, ref.conversation, ref.message, rating, None, CHANNEL_OWNER, rater
            )
        except UnknownMessage:
            await respond(response_type="ephemeral", replace_original=False, text="I can't find that answer any more.")
            return
        log.info("slack feedback: %s", rating)
        await respond(response_type="ephemeral", replace_original=False, text="Thanks — your feedback is saved.")

    @bolt.action("feedback_up")
    async def feedback_up(ack: Any, action: dict[str, Any], body: dict[str, Any], respond: Any) -> None:
        await feedback(ack, action, body, respond, "up")

    @bolt.action("feedback_down")
    async def feedback_down(ack: Any, action: dict[str, Any], body: dict[str, Any], respond: Any) -> None:
        await feedback(ack, action, body, respond, "down")

    @bolt.action("share")
    async def share(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Any
    ) -> None:
        ref = await pressed(ack, action, respond)
        if ref is None:
            return
        answers = await anyio.to_thread.run_sync(store().answers, ref.conversation, CHANNEL_OWNER)
        answer = next((a for a in answers or [] if a.message_id == ref.message), None)
        if answer is None:
            await respond(response_type="ephemeral", replace_original=False, text="I can't find that answer any more.")
            return
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id"))
        user = (body.get("user") or {}).get("id")
        for message in answer_messages(answer, base_url, question=answer.question, interactive=False, shared_by=user):
            await client.chat_postMessage(channel=channel, blocks=message.blocks, text=message.text)
        log.info("slack answer shared: intent=%s", answer.intent)

    return bolt


def from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Bots are never answered, this one above all: its own answers would be asked again.
    Its messages may carry no bot_id, so its user id (from Bolt's one, cached auth.test)
    names them too."""
    return bool(event.get("bot_id")) or (bool(bot_user_id) and event.get("user") == bot_user_id)
