"""One JSON error shape for every failure, each domain error mapped to a status once.

{"error": {"status": 422, "code": "invalid_request", "field": "question", "message": "…"}}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assistant.conversation import UnknownConversation
from assistant.core import BadQuestion
from assistant.storage import UnknownMessage
from index.errors import IndexNotReady
from web.limits import RateLimited
from web.owners import Unauthorized

log = logging.getLogger(__name__)


class GuideNotFound(LookupError):
    pass


def error(status: int, code: str, message: str, field: str | None = None, **extra: object) -> JSONResponse:
    body: dict[str, object] = {"status": status, "code": code, "message": message}
    if field:
        body["field"] = field
    body.update(extra)
    return JSONResponse({"error": body}, status_code=status)


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems: list[dict[str, Any]] = list(exc.errors())
    first: dict[str, Any] = problems[0] if problems else {"loc": ("body",), "msg": "invalid request", "type": ""}
    if first.get("type") == "json_invalid":
        return error(
            422,
            "invalid_json",
            f"request body is not valid JSON: {first.get('ctx', {}).get('error', first['msg'])}",
            "body",
        )
    field = _field(first["loc"])
    message = f"{field}: {first['msg'].removeprefix('Value error, ')}"
    details = [{"field": _field(p["loc"]), "message": p["msg"].removeprefix("Value error, ")} for p in problems]
    return error(422, "invalid_request", message, field, details=details)


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI could not parse the body
        why = {UnicodeDecodeError: "is not UTF-8", RecursionError: "nests too deep"}.get(
            type(exc.__cause__), "could not be parsed"
        )
        return error(400, "invalid_json", f"request body {why}", "body")
    codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 503: "unavailable"}
    response = error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))
    response.headers.update(exc.headers or {})  # 405 keeps its Allow
    return response


def route_of(request: Request) -> str:
    """The route's template ("/api/v1/conversations/{conversation_id}"): logs never hold ids."""
    route = request.scope.get("route")
    return getattr(route, "path", None) or ("/static/…" if request.url.path.startswith("/static/") else "(no route)")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]

    @app.exception_handler(BadQuestion)
    async def bad_question(request: Request, exc: BadQuestion) -> JSONResponse:
        return error(422, "invalid_request", f"question: {exc}", "question")

    @app.exception_handler(GuideNotFound)
    async def guide_not_found(request: Request, exc: GuideNotFound) -> JSONResponse:
        return error(404, "not_found", str(exc), "guide_id")

    @app.exception_handler(UnknownMessage)
    async def unknown_message(request: Request, exc: UnknownMessage) -> JSONResponse:
        return error(404, "not_found", str(exc), "message_id")

    @app.exception_handler(UnknownConversation)
    async def unknown_conversation(request: Request, exc: UnknownConversation) -> JSONResponse:
        return error(404, "not_found", str(exc), "conversation_id")

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
        response = error(401, "unauthorized", str(exc), "authorization")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> JSONResponse:
        response = error(429, "rate_limited", str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(IndexNotReady)
    async def not_ready(request: Request, exc: IndexNotReady) -> JSONResponse:
        return error(503, "not_ready", str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its trace for us; the client gets no internals.
        log.exception("unhandled error on %s %s", request.method, route_of(request))
        return error(500, "internal_error", "internal server error")
