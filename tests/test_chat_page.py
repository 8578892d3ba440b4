"""The chat page in a real browser (Debian's Chromium, driven by Playwright) against the real
server on a free port: ask, read exact figures, follow a citation, follow up, rate, reload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from assistant.storage import SQLiteStore
from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(database: Path, index_dir: Path, **env_extra: str) -> Iterator[str]:
    """The real app (`python -m web`) on a free port over `index_dir`, ready to answer."""
    port = free_port()
    env = {
        **os.environ,
        "NEGOTIATE_INDEX_DIR": str(index_dir),
        "NEGOTIATE_SEEDS_DIR": str(ROOT / "seeds"),
        "NEGOTIATE_DATABASE": str(database),
        "NEGOTIATE_PORT": str(port),
        "NEGOTIATE_TODAY": "2026-11-21",
        "HF_HUB_OFFLINE": "1",
        **env_extra,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "web"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/readyz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else "server exited"
        time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the server did not become ready in 120 s")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, seed_index_dir):
    database = tmp_path_factory.mktemp("web") / "negotiate.db"
    with running_server(database, seed_index_dir) as url:
        yield url, database


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def ask(page: Page, question: str) -> None:
    before = page.locator(".message.answer").count()
    page.fill("#question", question)
    page.keyboard.press("Enter")
    expect(page.locator(".message.answer")).to_have_count(before + 1, timeout=15_000)


def test_chat_answers_cites_follows_up_rates_and_survives_reload(server, browser):
    url, database = server
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(url)
    expect(page.locator("#empty .chip").first).to_be_visible()
    shot(page, "01-empty-chat")

    ask(page, "What's the base range for a software engineer in Charlotte?")
    answer = page.locator(".message.answer").last
    expect(answer.locator("td", has_text="$116K–$145K")).to_be_visible()
    expect(answer.locator(".body")).to_contain_text("Negotiate-up target: $200K–$223K total comp")
    expect(answer.locator(".citations li").first).to_contain_text("seeds/ally-financial/software-engineer.md:62")
    shot(page, "02-answer")

    ask(page, "what about New York?")
    follow_up = page.locator(".message.answer").last
    expect(follow_up.locator("td", has_text="$130K–$163K")).to_be_visible()

    follow_up.get_by_role("button", name="▲ Helpful").click()
    expect(follow_up.get_by_role("button", name="▲ Helpful")).to_have_attribute("aria-pressed", "true")
    message_id = follow_up.get_attribute("data-message-id")
    [stored] = SQLiteStore(database).feedback(message_id)
    assert stored.rating == "up"

    page.reload()
    expect(page.locator(".message.answer")).to_have_count(2)
    expect(page.locator(".message.question").first).to_have_text(
        "What's the base range for a software engineer in Charlotte?"
    )

    page.locator(".message.answer").first.locator(
        ".body a", has_text="[1]"
    ).first.click()  # the lead figure cites first
    page.wait_for_url(f"{url}/guides/ally-financial/software-engineer#pay-charlotte-nc")
    section = page.locator("#pay-charlotte-nc")
    expect(section).to_have_class("cited highlight")
    expect(section).to_contain_text("$116K–$145K")
    expect(section).to_contain_text("seeds/ally-financial/software-engineer.md, line 62")
    shot(page, "03-cited-section")
    page.close()


def test_scripts_can_be_copied_and_chips_ask(server, browser):
    url, _ = server
    context = browser.new_context(
        viewport={"width": 1000, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(url)
    ask(page, "How do I push for more RSUs as a PM?")
    answer = page.locator(".message.answer").last
    expect(answer.locator("blockquote")).to_contain_text(
        "I'd like the RSU component increased to $48K–$52K over four years."
    )
    answer.get_by_role("button", name="Copy this script").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("My experience defining product requirements") and "$48K–$52K" in copied
    chip = answer.locator(".follow-ups .chip").first
    question = chip.inner_text()
    chip.click()
    expect(page.locator(".message.question").last).to_have_text(question)
    expect(page.locator(".message.answer")).to_have_count(2, timeout=15_000)
    context.close()


def test_keyboard_only_and_phone_width(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(url)
    page.locator("#question").focus()
    page.keyboard.type("compare Detroit and New York for a product manager")
    page.keyboard.press("Enter")
    expect(page.locator(".message.answer")).to_have_count(1, timeout=15_000)
    expect(page.locator(".message.answer td", has_text="$151K–$198K")).to_be_visible()
    # nothing wider than the phone: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent")
    assert focused.startswith("BUTTON Send")
    shot(page, "04-phone")
    page.close()


def test_another_browser_sees_none_of_a_conversation(server, browser):
    url, _ = server
    mine = browser.new_context()
    page = mine.new_page()
    page.goto(url)
    ask(page, "I was offered 150k base as a software engineer in Charlotte, is it good?")
    conversation = page.evaluate("localStorage.getItem('negotiate.conversation')")
    [cookie] = [c for c in mine.cookies() if c["name"] == "negotiate_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == ""  # no script on the page can read the session

    theirs = browser.new_context()
    other = theirs.new_page()
    other.goto(url)
    other.evaluate(f"localStorage.setItem('negotiate.conversation', {conversation!r})")  # a leaked id
    other.reload()
    expect(other.locator("#empty")).to_be_visible()  # the id alone opens nothing
    expect(other.locator(".message.answer")).to_have_count(0)
    ask(other, "what about New York?")  # …and cannot steer it: the question starts a conversation of its own
    assert other.evaluate("localStorage.getItem('negotiate.conversation')") != conversation
    page.reload()
    expect(page.locator(".message.answer")).to_have_count(1)  # the owner's chat is untouched
    mine.close()
    theirs.close()


def test_the_real_server_names_no_software_and_refuses_big_bodies_unread(server):
    url, _ = server
    response = httpx.get(f"{url}/healthz")
    assert "server" not in response.headers
    port = int(url.rsplit(":", 1)[1])
    # 100 MiB announced, nothing sent: the answer comes at once, the body is never read
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(
            b"POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n"
        )
        reply = raw.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 413")
