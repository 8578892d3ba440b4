"""What people take away from the chat, in a real browser (Chromium) against the real server:
the counter email as a card whose Copy gives clean text, ranges drawn with the offer marked
where it falls, errors in view with Retry, conversations listed and reopened, ratings that
survive a reload, cited excerpts on hover, the API docs offline, and dark mode."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.test_chat_page import ask, browser, server, shot  # noqa: F401 - fixtures shared with the chat test

COUNTER = "write my counter email as a product manager in Detroit, my offer is 150k base"
OFFER = "I was offered 140K base + 30K stock + 15k bonus as a software engineer in Detroit, good?"


@pytest.fixture
def page(server, browser):  # noqa: F811 - the fixtures above
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(server[0])
    yield page
    context.close()


def test_the_counter_email_is_a_card_whose_copy_is_clean_text(page: Page):
    ask(page, COUNTER)
    card = page.locator(".message.answer").last.locator(".email-card")
    expect(card).to_be_visible()
    expect(card.locator(".email-subject")).to_contain_text("Product Manager offer — compensation")
    expect(card.locator(".email-body")).to_contain_text(
        "Thank you for the offer for the Product Manager role in Detroit"
    )
    expect(card.locator(".email-sources a").first).to_be_visible()  # its sources, under the card
    shot(page, "10-email-card")
    card.get_by_role("button", name="Copy the email").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Subject: Product Manager offer — compensation\n\nHi [Recruiter name],\n\n")
    assert "$150K base salary" in copied and "\n\nBest,\n[Your name]" in copied
    assert not re.search(r"\[\d+\]", copied) and "Copy" not in copied  # no citation marks, no button label


def test_the_offer_is_drawn_where_it_falls_in_each_range(page: Page):
    ask(page, OFFER)
    bars = page.locator(".message.answer").last.locator("figure.bars")
    expect(bars).to_be_visible()
    shot(page, "11-offer-bars")
    for group in bars.locator("g.bar").all():
        low, high, offer = (int(group.get_attribute(a) or 0) for a in ("data-low", "data-high", "data-offer"))
        band = group.locator("rect.band")
        x, width = float(band.get_attribute("x") or 0), float(band.get_attribute("width") or 0)
        marked = float(group.locator("line.offer").get_attribute("x1") or 0)
        assert marked == pytest.approx(x + (offer - low) / (high - low) * width, abs=0.2)
    stock = bars.locator("g.bar[data-offer='30000']")
    expect(stock).to_have_class("bar within")
    expect(bars.locator("g.bar[data-offer='15000']")).to_have_class("bar below")
    # …and the table stays, for screen readers
    expect(page.locator(".message.answer").last.locator("li", has_text="Bonus")).to_contain_text("below")


def test_an_error_shows_in_view_with_retry_and_keeps_the_question(page: Page):
    question = "What's the base range for a software engineer in Charlotte?"
    page.route(
        "**/api/v1/query",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"status": 503, "code": "not_ready", "message": "the index and model are still loading"}}',
        ),
    )
    page.fill("#question", question)
    page.keyboard.press("Enter")
    error = page.locator(".message.error")
    expect(error).to_contain_text("still loading")
    expect(error).to_be_in_viewport()
    expect(page.locator("#question")).to_have_value(question)
    shot(page, "12-error-retry")
    page.unroute("**/api/v1/query")
    page.fill("#question", "")
    error.get_by_role("button", name="Retry").click()
    expect(page.locator(".message.answer")).to_have_count(1, timeout=15_000)
    expect(page.locator(".message.answer td", has_text="$116K–$145K")).to_be_visible()


def test_history_lists_conversations_and_reopens_one(page: Page):
    ask(page, "SWE pay in Charlotte")
    page.get_by_role("button", name="New chat").click()
    ask(page, "How do I push for more RSUs as a PM?")
    history = page.locator("#history a")
    expect(history).to_have_count(2)
    expect(history.first).to_have_text("How do I push for more RSUs as a PM?")  # latest first
    history.last.click()
    expect(page.locator(".message.question")).to_have_text(["SWE pay in Charlotte"])
    expect(history.last).to_have_attribute("aria-current", "true")
    shot(page, "13-history")
    page.reload()  # reopens where it was
    expect(page.locator(".message.question")).to_have_text(["SWE pay in Charlotte"])


def test_a_rating_survives_reload_and_thumbs_down_asks_why(page: Page, server):  # noqa: F811
    ask(page, "SWE pay in Charlotte")
    answer = page.locator(".message.answer").last
    answer.get_by_role("button", name="▼ Not helpful").click()
    comment = answer.get_by_placeholder("What was wrong? (optional)")
    expect(comment).to_be_focused()
    comment.fill("I wanted New York")
    answer.get_by_role("button", name="Send").click()
    expect(answer.get_by_role("status")).to_have_text("Thanks — noted.")
    shot(page, "14-thumbs-down")
    page.reload()
    expect(page.locator(".message.answer").last.get_by_role("button", name="▼ Not helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    from assistant.storage import SQLiteStore

    message = page.locator(".message.answer").last.get_attribute("data-message-id")
    [stored] = SQLiteStore(server[1]).feedback(message)
    assert (stored.rating, stored.comment) == ("down", "I wanted New York")


def test_a_citation_shows_its_excerpt_on_hover(page: Page):
    ask(page, "SWE pay in Charlotte")
    mark = page.locator(".message.answer").last.locator(".body a", has_text="[1]").first
    mark.hover()
    excerpt = page.locator(".excerpt-pop")
    expect(excerpt).to_be_visible()
    expect(excerpt).to_contain_text("$116K–$145K")
    expect(excerpt.locator(".where")).to_contain_text("seeds/ally-financial/software-engineer.md:62")
    shot(page, "15-excerpt")


def test_the_api_docs_work_with_no_internet(page: Page, server):  # noqa: F811
    elsewhere: list[str] = []
    page.on("request", lambda request: None if "127.0.0.1" in request.url else elsewhere.append(request.url))
    page.goto(f"{server[0]}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/query")).to_be_visible(timeout=15_000)
    shot(page, "16-docs")
    assert elsewhere == []


def test_dark_mode_follows_the_system(server, browser):  # noqa: F811
    context = browser.new_context(color_scheme="dark", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(server[0])
    ask(page, OFFER)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 24, 30)"
    shot(page, "17-dark")
    context.close()


def test_a_wide_table_fits_a_phone(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(server[0])
    ask(page, "compare Detroit, Charlotte and New York for a software engineer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "18-phone-compare")
    page.close()
