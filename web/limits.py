"""Limits that keep one client from taking the server from everyone: requests per client per
minute (the `limits` library's moving window, the one slowapi is built on), and request
bodies refused before they are read."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class RateLimited(Exception):
    def __init__(self, limit: str, retry_after: int) -> None:
        super().__init__(f"too many requests: the limit is {limit}; try again in {retry_after} s")
        self.retry_after = retry_after


class RateLimits:
    """Named limits ("query": "30/minute"), counted per client key. The counts live in this
    process: with several workers each keeps its own (see README)."""

    def __init__(self, rules: dict[str, str]) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.rules: dict[str, RateLimitItem] = {name: parse(rule) for name, rule in rules.items()}

    def hit(self, name: str, client: str) -> None:
        rule = self.rules[name]
        if not self.limiter.hit(rule, name, client):
            reset, _ = self.limiter.get_window_stats(rule, name, client)
            raise RateLimited(str(rule), max(1, math.ceil(reset - time.time())))


class BodyLimit:
    """Refuse a request body over the limit for its path with 413 — from its Content-Length
    before reading anything, or as soon as a streamed body passes the limit — so an
    oversized upload costs neither memory nor the other requests' time."""

    def __init__(self, app: ASGIApp, default: int, by_prefix: dict[str, int]) -> None:
        self.app = app
        self.default = default
        self.by_prefix = by_prefix

    def limit(self, path: str) -> int:
        return next((n for prefix, n in self.by_prefix.items() if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "error": {
                "status": 413,
                "code": "body_too_large",
                "message": f"the request body is over {limit} bytes",
                "field": "body",
            }
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
