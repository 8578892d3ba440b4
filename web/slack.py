"""The Slack bot: slash command, mentions and DMs, answered with Block Kit by the same
Assistant, mounted into the FastAPI app at /slack/events (slack-bolt, async).

Bolt verifies every request's signature and timestamp (401 otherwise) and acks within
Slack's 3 seconds; answers then go out through response_url or chat.postMessage. Logs name
the intent, never the question: people type their own pay into it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from assistant.answer import Answer
from assistant.core import Assistant, BadQuestion
from assistant.settings import Settings
from assistant.storage import SQLiteStore, UnknownMessage
from web.errors import error
from web.slack_blocks import Message, answer_messages, usage_blocks

log = logging.getLogger(__name__)
COMMAND = "/negotiate"
_MENTION = re.compile(r"<@[A-Z0-9]+>")
NOT_CONFIGURED = "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or their NEGOTIATE_ forms)."


def mount_slack(app: FastAPI, settings: Settings) -> None:
    """Serve /slack/events: the bot when Slack's secrets are set, a clear 503 otherwise."""
    if settings.slack_signing_secret is None or settings.slack_bot_token is None:
        log.warning(NOT_CONFIGURED)

        @app.post("/slack/events", include_in_schema=False)
        async def slack_off() -> JSONResponse:
            return error(503, "slack_not_configured", NOT_CONFIGURED)

        return

    handler = AsyncSlackRequestHandler(build_bolt(app, settings))

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Any:
        return await handler.handle(request)


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
    )
    base_url = settings.public_url.rstrip("/")

    def assistant() -> Assistant | None:
        return app.state.assistant

    def store() -> SQLiteStore:
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
        return answer

    def notice(text: str) -> Message:
        return Message([{"type": "section", "text": {"type": "mrkdwn", "text": text}}], text)

    def messages_for(answer: Answer | Message, question: str | None = None) -> list[Message]:
        return [answer] if isinstance(answer, Message) else answer_messages(answer, base_url, question=question)

    @bolt.middleware
    async def drop_retries(req: Any, resp: BoltResponse, next: Any) -> BoltResponse:
        # Slack resends an event it thinks went unanswered. The first delivery was acked and
        # is being answered: a retry must never post twice, and must not be resent again.
        if req.headers.get("x-slack-retry-num"):
            log.info("ignoring Slack retry %s", req.headers.get("x-slack-retry-num"))
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return await next()

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
        if event.get("bot_id"):
            return
        thread = event.get("thread_ts") or event["ts"]  # always answer in the thread
        await answer_in(client, event, thread, key(context.team_id, event["channel"], thread))

    @bolt.event("message")
    async def direct_message(event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        # Bots (this one included) and edits/joins carry bot_id or a subtype: never answered.
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return
        thread = event.get("thread_ts")
        await answer_in(client, event, thread, key(context.team_id, event["channel"], thread or "dm"))

    async def feedback(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, rating: str) -> None:
        await ack()
        ref = json.loads(action["value"])
        try:
            await anyio.to_thread.run_sync(store().add_feedback, ref["c"], ref["m"], rating, None)
        except UnknownMessage:
            await respond(response_type="ephemeral", replace_original=False, text="I can't find that answer any more.")
            return
        log.info("slack feedback: %s", rating)
        await respond(response_type="ephemeral", replace_original=False, text="Thanks — your feedback is saved.")

    @bolt.action("feedback_up")
    async def feedback_up(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await feedback(ack, body, action, respond, "up")

    @bolt.action("feedback_down")
    async def feedback_down(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await feedback(ack, body, action, respond, "down")

    @bolt.action("share")
    async def share(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Any
    ) -> None:
        await ack()
        ref = json.loads(action["value"])
        answers = await anyio.to_thread.run_sync(store().answers, ref["c"])
        answer = next((a for a in answers if a.message_id == ref["m"]), None)
        if answer is None:
            await respond(response_type="ephemeral", replace_original=False, text="I can't find that answer any more.")
            return
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id"))
        user = (body.get("user") or {}).get("id")
        for message in answer_messages(answer, base_url, question=answer.question, interactive=False, shared_by=user):
            await client.chat_postMessage(channel=channel, blocks=message.blocks, text=message.text)
        log.info("slack answer shared: intent=%s", answer.intent)

    return bolt
