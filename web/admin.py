"""/admin: the view for the people who write the guides — what users asked that the guides
did not answer, low-confidence answers, thumbs-down with comments, how much each guide is
used, and every guide's lint status and review date. Amounts are redacted in everything
stored for it (assistant/usage.py) and so in everything shown.

Off unless NEGOTIATE_ADMIN_TOKEN is set. A browser signs in once with the token (kept as a
signed, HttpOnly, SameSite=Strict cookie, valid until the token changes); scripts send
`Authorization: Bearer <token>`.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.settings import Settings
from assistant.usage import QuestionRecord, UsageReport, guide_health, usage_report
from web.deps import limited
from web.pages import templates

ADMIN_COOKIE = "negotiate_admin"
COOKIE_HOURS = 12
# A spreadsheet runs a cell starting with these as a formula: such cells are written as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

router = APIRouter(prefix="/admin", include_in_schema=False)


def _token(request: Request) -> str | None:
    settings: Settings = request.app.state.settings
    return settings.admin_token.get_secret_value() if settings.admin_token else None


def _cookie_value(request: Request, token: str) -> str:
    # Derived from the token: changing NEGOTIATE_ADMIN_TOKEN signs everyone out.
    return hmac.new(request.app.state.owners.secret, f"admin:{token}".encode(), hashlib.sha256).hexdigest()


def _signed_in(request: Request, token: str) -> bool:
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and presented:
        return hmac.compare_digest(presented.strip().encode(), token.encode())
    # bytes, not str: compare_digest refuses a str that is not ASCII, and a cookie may be anything
    return hmac.compare_digest(request.cookies.get(ADMIN_COOKIE, "").encode(), _cookie_value(request, token).encode())


def _refusal(request: Request) -> Response | None:
    """Why this request may not see the admin view, as a page; None when it may."""
    token = _token(request)
    if token is None:
        return templates.TemplateResponse(
            request, "admin_off.html", {}, status_code=404
        )  # off: say how to turn it on, show nothing else
    if not _signed_in(request, token):
        return templates.TemplateResponse(request, "admin_login.html", {"wrong": False}, status_code=401)
    return None


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(limited("admin_login"))])
def login(request: Request, token: str = Form(..., max_length=512)) -> Response:
    """Sign in; guesses are rate limited per client like everything else that takes input."""
    expected = _token(request)
    if expected is None:
        return templates.TemplateResponse(request, "admin_off.html", {}, status_code=404)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return templates.TemplateResponse(request, "admin_login.html", {"wrong": True}, status_code=401)
    response = RedirectResponse("/admin", status_code=303)
    response.set_cookie(
        ADMIN_COOKIE,
        _cookie_value(request, expected),
        max_age=COOKIE_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=request.app.state.owners.secure,
        path="/admin",
    )
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/admin", status_code=303)
    response.delete_cookie(ADMIN_COOKIE, path="/admin")
    return response


@router.get("", response_class=HTMLResponse)
def admin(request: Request, days: int = 28) -> Response:
    if (refused := _refusal(request)) is not None:
        return refused
    report = _report(request, max(1, min(days, 365)))
    return templates.TemplateResponse(
        request,
        "admin.html",
        {"report": report, "ready": request.app.state.assistant is not None, "peak": _peak(report)},
    )


@router.get("/questions.csv")
def questions_csv(request: Request, days: int = 28) -> Response:
    """Every recorded question of the last `days` days, redacted, newest first."""
    if (refused := _refusal(request)) is not None:
        return refused
    records = _records(request, max(1, min(days, 365)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["at", "channel", "intent", "status", "confidence", "missing", "missing_name", "guides", "question"]
    )
    for r in records:
        row = [
            r.at.isoformat(),
            r.channel,
            r.intent,
            r.status,
            f"{r.confidence:.3f}",
            r.missing or "",
            r.missing_name or "",
            " ".join(r.guides),
            r.question,
        ]
        writer.writerow([f"'{cell}" if cell.startswith(_FORMULA) else cell for cell in row])
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="questions-{stamp}.csv"'},
    )


# Enough for a year of a busy deployment; past it the page says the report is cut short.
MAX_RECORDS = 1_000_000


def _records(request: Request, days: int) -> list[QuestionRecord]:
    """The window's records (a day more, so a clock set back for demos still finds them)."""
    since = datetime.now(UTC) - timedelta(days=days + 1)
    return request.app.state.store.question_records(since=since, limit=MAX_RECORDS)


def _report(request: Request, days: int) -> UsageReport:
    settings: Settings = request.app.state.settings
    assistant = request.app.state.assistant
    today = assistant.today if assistant is not None else settings.effective_today()
    guides = assistant.guides() if assistant is not None else []
    health = guide_health(
        settings.seeds_dir,
        settings.seeds_dir.parent,
        today,
        indexed={g.id for g in guides},
        max_guide_bytes=settings.max_guide_bytes,
    )
    complaints = [
        (f.at, f.message_id, f.comment) for f in request.app.state.store.feedback_for_review() if f.rating == "down"
    ]
    return usage_report(_records(request, days), complaints, guides, health, today, days)


def _peak(report: UsageReport) -> int:
    return max((d.questions for d in report.days), default=0) or 1
