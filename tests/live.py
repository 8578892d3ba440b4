"""What the live-update tests and benchmark share: a new guide to publish, and a real server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import SEEDS

NEW_COMPANY = "Brightwater Bank"
# The new company's software engineer, asked the way people ask, and what the copied guide says.
NEW_QUESTION = "What's the base range for a software engineer at Brightwater Bank in Charlotte?"
NEW_ROW = "| Base Salary | $116K–$145K |"


def add_company_guide(seeds: Path, company: str = NEW_COMPANY) -> Path:
    """A seed guide republished under another company: its title, frontmatter and prose name
    `company` instead of Ally Financial; its figures are unchanged. Returns the new file."""
    slug = company.lower().replace(" ", "-")
    text = (SEEDS / "ally-financial" / "software-engineer.md").read_text()
    text = text.replace("Ally Financial", company).replace("ally-financial", slug).replace("Ally", company.split()[0])
    target = seeds / slug / "software-engineer.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float, not_generation: str | None = None) -> dict:
    """/readyz's body once it says ready (and, with `not_generation`, serves another one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            body = httpx.get(f"{url}/readyz", timeout=5).json()
        except httpx.TransportError:
            body = {}
        if body.get("status") == "ready" and body.get("generation") != not_generation:
            return body
        time.sleep(0.05)
    raise AssertionError(f"{url} was not ready (serving a generation other than {not_generation}) in {timeout} s")


@contextmanager
def served(app, port: int) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app behind a real uvicorn server on 127.0.0.1, in a thread; its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
