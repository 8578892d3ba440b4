"""/admin, the content team's view, in a real browser against the real server: off unless a
token is set; signed in with it; what people asked that the guides did not answer, grouped
by what was missing; thumbs-down with comments; usage and lint per guide; a CSV export —
and never an amount someone typed."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from playwright.sync_api import expect

from tests.test_chat_page import browser, running_server, server, shot  # noqa: F401

TOKEN = "content-team-token-for-tests"
UNCOVERED = [
    "what's the base range for a software engineer at Stripe in Charlotte?",
    "I was offered 182K base at Stripe as a software engineer, is that good?",
    "what's the weather like in Paris this weekend?",
]
TYPED_AMOUNTS = ["182K", "182", "163,500", "163500"]


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory, seed_index_dir):
    database = tmp_path_factory.mktemp("admin") / "negotiate.db"
    with running_server(database, seed_index_dir, NEGOTIATE_ADMIN_TOKEN=TOKEN) as url:
        yield url, _ask_and_rate(url)


def _ask_and_rate(url: str) -> dict[str, str]:
    """Someone using the chat: questions the guides cannot answer, and a thumbs-down with a
    figure in its comment. Returns their session cookie."""
    with httpx.Client(base_url=url) as user:  # someone using the chat: a session of their own
        for question in UNCOVERED:
            assert user.post("/api/v1/query", json={"question": question}).status_code == 200
        answer = user.post("/api/v1/query", json={"question": "base range for a software engineer in Charlotte?"})
        body = answer.json()
        rated = user.post(
            "/api/v1/feedback",
            json={
                "conversation_id": body["conversation_id"],
                "message_id": body["message_id"],
                "rating": "down",
                "comment": "my offer letter says 163,500 base, the range looks low",
            },
        )
        assert rated.status_code == 201
        return dict(user.cookies)


def test_the_admin_view_is_off_without_a_token(server):  # noqa: F811 - a server with no admin token
    response = httpx.get(f"{server[0]}/admin")
    assert response.status_code == 404 and "NEGOTIATE_ADMIN_TOKEN" in response.text
    assert httpx.get(f"{server[0]}/admin/questions.csv", headers={"Authorization": "Bearer x"}).status_code == 404


def test_the_admin_view_refuses_anyone_without_the_token(admin_server):
    url, session = admin_server
    assert httpx.get(f"{url}/admin").status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert httpx.get(f"{url}/admin/questions.csv", headers=wrong).status_code == 401
    assert session and httpx.get(f"{url}/admin", cookies=session).status_code == 401  # a chat session is not one


def test_the_content_team_sees_what_the_guides_did_not_answer(admin_server, browser):  # noqa: F811
    admin_server, _ = admin_server
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{admin_server}/admin")
    page.fill("#token", "a guess")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not the admin token")
    page.fill("#token", TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="What people asked")).to_be_visible()

    missing = page.locator("#missing tbody tr")
    stripe = missing.filter(has_text="Stripe")
    expect(stripe).to_have_count(1)  # both Stripe questions, one group
    expect(stripe.locator("td").nth(0)).to_have_text("a company")
    expect(stripe.locator("td").nth(2)).to_have_text("2")
    expect(stripe).to_contain_text("I was offered [amount] base at Stripe")
    expect(missing.filter(has_text="out of scope")).to_have_count(1)
    expect(page.locator("#total-questions")).to_have_text("4")

    complaint = page.locator("#complaints tbody tr").first
    expect(complaint).to_contain_text("base range for a software engineer in Charlotte?")
    expect(complaint).to_contain_text("my offer letter says [amount] base")

    usage = page.locator("#usage tbody tr").filter(has_text="Software Engineer · Ally Financial")
    expect(usage.locator("td").nth(1)).to_have_text("1")
    expect(usage.locator("td").nth(2)).to_have_text("1")
    health = page.locator("#health tbody tr").filter(has_text="seeds/ally-financial/software-engineer.md")
    expect(health).to_contain_text("2026-05-23")
    expect(health.locator(".badge.stale")).to_be_visible()
    shot(page, "20-admin")

    text = page.locator("main").inner_text()
    assert not any(amount in text for amount in TYPED_AMOUNTS)  # nothing anyone earns is shown

    download = page.request.get(f"{admin_server}/admin/questions.csv")
    assert download.ok and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text())))
    assert len(rows) == 4
    assert {r["missing"] for r in rows} == {"company", "out_of_scope", ""}
    assert not any(amount in download.text() for amount in TYPED_AMOUNTS)
    page.close()


def test_scripts_export_with_the_token_as_a_bearer(admin_server):
    response = httpx.get(f"{admin_server[0]}/admin/questions.csv", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.text.splitlines()[0] == "at,channel,intent,status,confidence,missing,missing_name,guides,question"


def test_a_forged_cookie_is_refused_and_nothing_is_cached(admin_server):
    url, _ = admin_server
    forged = httpx.get(f"{url}/admin", headers={"Cookie": "negotiate_admin=café".encode()})
    assert forged.status_code == 401  # not a 500: a cookie may hold anything
    answered = httpx.get(f"{url}/admin/questions.csv", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answered.headers["cache-control"] == "no-store"


def test_guessing_the_token_is_rate_limited(admin_server):  # last: it uses up this address's sign-ins
    url, _ = admin_server
    codes = [httpx.post(f"{url}/admin/login", data={"token": f"guess-{n}"}).status_code for n in range(12)]
    assert codes[0] == 401 and codes[-1] == 429
    assert codes.count(401) <= 10  # NEGOTIATE_RATE_ADMIN_LOGIN: 10 a minute
