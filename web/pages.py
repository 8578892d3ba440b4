"""Server-rendered pages: the chat, the guides index, and one page per guide whose sections
are the targets of citation links (`/guides/<id>#<anchor>`)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from assistant.core import Assistant
from web.render import markdown_html

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")  # autoescape is on for .html


@cache
def _digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """A URL that changes when the file does, so browsers may cache it for good."""
    return f"/static/{name}?v={_digest(name)}"


templates.env.globals["static"] = static_url
templates.env.filters["markdown"] = markdown_html


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC)


def swagger_files() -> StaticFiles:
    """Swagger UI 5's own files (it reads OpenAPI 3.1, which FastAPI writes), shipped in the
    swagger-ui-py package: /docs needs no CDN."""
    import swagger_ui

    return StaticFiles(directory=Path(swagger_ui.__file__).parent / "static")


router = APIRouter(include_in_schema=False)


def _assistant(request: Request) -> Assistant | None:
    return request.app.state.assistant


@router.get("/", response_class=HTMLResponse)
def chat(request: Request) -> HTMLResponse:
    assistant = _assistant(request)
    suggestions = assistant.suggestions() if assistant else []
    return templates.TemplateResponse(
        request, "chat.html", {"suggestions": suggestions, "ready": assistant is not None}
    )


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The OpenAPI docs, with Swagger UI served from here (the CSP allows nothing else)."""
    return templates.TemplateResponse(request, "docs.html", {})


@router.get("/guides", response_class=HTMLResponse)
def guides(request: Request) -> HTMLResponse:
    assistant = _assistant(request)
    rows = assistant.guides() if assistant else []
    today = assistant.today if assistant else None
    return templates.TemplateResponse(
        request, "guides.html", {"guides": rows, "today": today, "ready": assistant is not None}
    )


@router.get("/guides/{guide_id:path}", response_class=HTMLResponse)
def guide(request: Request, guide_id: str) -> HTMLResponse:
    assistant = _assistant(request)
    page = assistant.guide_page(guide_id) if assistant else None
    if assistant is None or page is None:
        return templates.TemplateResponse(
            request,
            "missing.html",
            {"guide_id": guide_id, "ready": assistant is not None},
            status_code=404 if assistant else 503,
        )
    found, sections = page
    return templates.TemplateResponse(
        request, "guide.html", {"guide": found, "sections": sections, "stale": found.is_stale(assistant.today)}
    )
