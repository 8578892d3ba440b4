"""Limits that keep one client from taking the server from everyone: requests per client per
window, counted in the store so every server process of a deployment shares one count, and
request bodies refused before they are read."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from limits import RateLimitItem, parse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PRUNE_EVERY = 60.0  # seconds between sweeps of ended windows, per process


class HitCounter(Protocol):
    """The part of the store that counts (assistant.storage.base.Store)."""

    def hits(self, key: str, window_start: int) -> int: ...

    def add_hit(self, key: str, window_start: int, expires: int, cap: int) -> bool: ...

    def prune(self, now: float) -> None: ...


class RateLimited(Exception):
    def __init__(self, limit: str, retry_after: int) -> None:
        super().__init__(f"too many requests: the limit is {limit}; try again in {retry_after} s")
        self.retry_after = retry_after


class RateLimits:
    """Named limits ("query": "30/minute"), counted per client key in `counter` (the store), so
    every process sharing the database shares the counts.

    A sliding window, estimated from two fixed ones (as Cloudflare and nginx's limit_req do):
    the previous window's count, weighted by the share of it the sliding window still covers,
    plus the current one's. Only admitted requests count, each in one atomic upsert, so two
    processes never both take the last place; no client can burst twice the limit across a
    window's edge, as with fixed windows. The price: after a full burst, the wait can exceed
    one period (up to 4/3 of it for 3 a minute), and Retry-After says so."""

    def __init__(self, rules: dict[str, str], counter: HitCounter, clock: Callable[[], float] = time.time) -> None:
        self.rules: dict[str, RateLimitItem] = {name: parse(rule) for name, rule in rules.items()}
        self.counter = counter
        self.clock = clock
        self._last_prune = 0.0

    def hit(self, name: str, client: str) -> None:
        rule = self.rules[name]
        period, limit, now = rule.get_expiry(), rule.amount, self.clock()
        start = int(now // period * period)
        key = f"{name}:{client}"
        previous = self.counter.hits(key, start - period)
        carried = previous * (1 - (now - start) / period)
        cap = math.floor(limit - carried + 1e-9)  # the hits this window may still take, at most
        if cap < 1 or not self.counter.add_hit(key, start, start + 2 * period, cap):
            current = self.counter.hits(key, start)
            raise RateLimited(str(rule), retry_after(limit, period, now, start, previous, current))
        if now - self._last_prune > PRUNE_EVERY:
            self._last_prune = now
            self.counter.prune(now)


def retry_after(limit: int, period: int, now: float, start: int, previous: int, current: int) -> int:
    """Seconds until the estimate (previous × the share left + current) leaves room for one more."""
    if current < limit and previous:
        # In this window, once enough of the previous one has slid out of view.
        at = start + period * (1 - (limit - 1 - current) / previous)
    else:
        # In the next one, once enough of this window has slid out of view.
        at = start + period * (2 - (limit - 1) / current) if current else start + period
    return max(1, math.ceil(at - now))


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
