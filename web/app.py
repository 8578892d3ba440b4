"""The FastAPI app factory: JSON API, chat and guide pages, health, and (optionally) Slack."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from assistant.core import Assistant
from assistant.live import Follower
from assistant.settings import Settings
from assistant.storage import open_store
from web import errors
from web.admin import router as admin_router
from web.api import router as api_router
from web.limits import BodyLimit, RateLimits
from web.owners import Owners, load_secret
from web.pages import router as pages_router
from web.pages import static_files, swagger_files
from web.slack import mount_slack

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    # Everything the page needs is served from here: no inline script, no third party.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
access_log = logging.getLogger("web.access")


def _load(app: FastAPI, settings: Settings) -> None:
    try:
        assistant = Assistant.from_settings(
            settings,
            conversations=app.state.store,
            on_rebuild=lambda why: log.warning("building the index: %s", why),
            on_fallback=lambda why: log.warning("serving the last good index: %s", why),
        )
        assistant.warm()  # ready means the first question is as quick as any
        _freeze()
        app.state.assistant = assistant
        log.info("ready: %d guides, index generation %s", len(assistant.guides()), assistant.snapshot.generation)
    except Exception as failure:  # noqa: BLE001 - reported by /readyz and every query
        app.state.load_error = str(failure)
        log.exception("could not load the index")
        return
    _follow(app, assistant, settings)


def _follow(app: FastAPI, assistant: Assistant, settings: Settings) -> None:
    """Switch to each generation `negotiate build` publishes, in this process (every worker
    follows on its own)."""
    if settings.reload_interval:
        app.state.follower = Follower(
            assistant, settings.index_dir, settings.reload_interval, on_switch=lambda _: _freeze()
        ).start()


def _freeze() -> None:
    """The loaded index is tens of thousands of long-lived objects: moving them out of the
    collector's sight keeps full GC passes (pauses in every request) short. After a switch,
    the generation replaced is unfrozen first, so that what refcounting leaves of it (cycles)
    is collected rather than kept for good."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """Build the app. With no `assistant`, the index and model load in the background at
    startup, so /healthz answers at once and /readyz says when answering can start."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.request_threads:
            # Fewer threads fighting for the GIL serve requests in a fairer order (tail latency).
            anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        if app.state.assistant is None:
            threading.Thread(target=_load, args=(app, settings), name="load-index", daemon=True).start()
        yield
        if app.state.follower is not None:
            app.state.follower.stop()
        app.state.store.close()  # a PostgreSQL pool's connections go back to the server

    app = FastAPI(
        title="Negotiation Assistant",
        version="0.1.0",
        description="Exact, cited answers to job-offer negotiation questions, from negotiation guides.",
        lifespan=lifespan,
        docs_url=None,  # served by pages.py from local assets: the docs work with no internet
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = open_store(settings.database)  # migrated before the first request
    https = settings.public_url.startswith("https://")
    app.state.owners = Owners(load_secret(settings.secret_path), settings.knows_key, secure=https)
    app.state.limits = RateLimits(
        {
            "query": settings.rate_query,
            "feedback": settings.rate_feedback,
            "read": settings.rate_read,
            "admin_login": settings.rate_admin_login,
        },
        app.state.store,  # counted in the database: every process shares the counts
    )
    app.state.load_error = None
    app.state.follower = None
    app.state.assistant = assistant
    if assistant is not None:
        assistant.conversations = app.state.store
    errors.install(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(admin_router)
    app.mount("/static", static_files(), name="static")
    app.mount("/docs-assets", swagger_files(), name="docs-assets")
    mount_slack(app, settings)

    app.add_middleware(BodyLimit, default=settings.max_body, by_prefix={"/slack/": settings.max_slack_body})
    app.add_middleware(GZipMiddleware, minimum_size=1024)

    @app.middleware("http")
    async def headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response: Response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if https:
            response.headers["Strict-Transport-Security"] = HSTS
        if request.url.path.startswith("/static/") and request.query_params.get("v"):
            response.headers["Cache-Control"] = (
                "public, max-age=31536000, immutable"  # the URL changes with the content
            )
        elif request.url.path.startswith(("/api/", "/admin")):
            response.headers["Cache-Control"] = "no-store"  # people's own pay: never kept by a cache
        if issued := getattr(request.state, "issued_session", None):
            app.state.owners.set_cookie(response, issued)
        # Our own access log: the route's template, never a conversation id or a query string.
        access_log.info(
            "%s %s %d %.1fms",
            request.method,
            errors.route_of(request),
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], responses={503: {"description": "Not ready yet"}})
    def readyz(request: Request) -> JSONResponse:
        """The index and the model are loaded: questions can be answered; from which generation."""
        assistant = request.app.state.assistant
        if assistant is not None:
            serving = assistant.serving()
            body: dict[str, object] = {"status": "ready", "generation": serving.generation, "guides": serving.guides}
            if serving.fallback_reason:  # the reason names server paths: it is in the log
                body["warning"] = "serving the last good index: the guides could not be checked; see the server log"
            elif serving.unloadable:
                body["warning"] = (
                    f"index generation {serving.unloadable} was published but could not be loaded: "
                    f"still serving {serving.generation}; see the server log"
                )
            return JSONResponse(body)
        if request.app.state.load_error:  # the details (paths, causes) are in the server log
            return JSONResponse({"status": "failed", "error": "the index could not be loaded; see the server log"}, 503)
        return JSONResponse({"status": "loading"}, status_code=503)

    return app
