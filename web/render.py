"""Answer Markdown -> safe HTML, with citation marks turned into links to the guide page, and
what people take away drawn: the counter email as a card with Copy, ranges as inline SVG bars.

Raw HTML in Markdown is escaped (html=False) and markdown-it refuses javascript: links, so
nothing from a guide or a question can inject markup or script. The card and the bars come
from typed values through autoescaping templates. Templates mark where they go with link
reference definitions (`[email-start]: #`, `[bars]: #`), which Markdown renders as nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from assistant.answer import Answer, Citation, RangeBar

_md = MarkdownIt("commonmark", {"html": False}).enable("table")
_MARK = re.compile(r"\[(\d+)\]")
_EMAIL = re.compile(r"^\[email-start\]: #\n(.*?)^\[email-end\]: #\n?", re.M | re.S)
_BARS = re.compile(r"^\[bars\]: #\n?", re.M)
_parts = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(default=True)
)


def guide_url(guide_id: str, anchor: str | None = None) -> str:
    return f"/guides/{guide_id}" + (f"#{anchor}" if anchor else "")


def citation_url(citation: Citation) -> str:
    return guide_url(citation.guide_id, citation.section_id.partition("#")[2])


@lru_cache(maxsize=4096)
def markdown_html(markdown: str) -> str:
    """Rendering is pure: the same Markdown (citation links included) gives the same HTML."""
    return _md.render(markdown)


def linked_markdown(answer: Answer, base_url: str = "") -> str:
    """The answer's Markdown with each citation mark [n] made a link to its guide section."""
    by_n = {c.n: c for c in answer.citations}

    def link(m: re.Match[str]) -> str:
        citation = by_n.get(int(m.group(1)))
        if citation is None:
            return m.group(0)
        title = f"{citation.source_path}:{citation.start_line}–{citation.end_line}".replace('"', "")
        return f'[\\[{citation.n}\\]]({base_url}{citation_url(citation)} "{title}")'

    return _MARK.sub(link, answer.answer_markdown)


def answer_html(answer: Answer) -> str:
    html: list[str] = []
    for kind, text in takeaways(linked_markdown(answer)):
        if kind == "email" and answer.email is not None:
            html.append(email_card(answer))
        elif kind == "bars" and answer.bars:
            html.append(bars_svg(answer.bars))
        elif kind == "markdown":
            html.append(markdown_html(text))
    return "".join(html)


def takeaways(markdown: str) -> list[tuple[str, str]]:
    """The Markdown in pieces: ("markdown", text), and where the email and the bars go
    (("email", its Markdown), ("bars", "")), for each channel to draw them its own way."""
    pieces: list[tuple[str, str]] = []
    at = 0
    marks = sorted([*_EMAIL.finditer(markdown), *_BARS.finditer(markdown)], key=lambda m: m.start())
    for mark in marks:
        pieces.append(("markdown", markdown[at : mark.start()]))
        pieces.append(("email", mark.group(1)) if mark.re is _EMAIL else ("bars", ""))
        at = mark.end()
    pieces.append(("markdown", markdown[at:]))
    return [(kind, text) for kind, text in pieces if kind != "markdown" or text.strip()]


def email_card(answer: Answer) -> Markup:
    assert answer.email is not None
    cited = sorted({n for p in answer.email.paragraphs for n in p.cites})
    sources = [c for c in answer.citations if c.n in cited]
    return Markup(_parts.get_template("_email.html").render(email=answer.email, sources=sources, url=citation_url))


# The drawing's geometry, in SVG user units (the SVG scales to its box).
WIDTH, LABEL, ROW, PAD = 640, 190, 46, 0.06


def bars_svg(bars: list[RangeBar]) -> Markup:
    """The band, the target zone within it, and the person's figure, per bar. Bars of one
    measure share a scale, so regions compare at a glance; an offer's components (a base and
    a bonus differ tenfold) each get their own."""
    scales = {measure: _scale([b for b in bars if b.measure == measure]) for measure in {b.measure for b in bars}}
    rows = []
    for i, bar in enumerate(bars):
        x = scales[bar.measure]
        status = None
        if bar.offer is not None:
            status = "below" if bar.offer < bar.low else "above" if bar.offer > bar.high else "within"
        rows.append(
            {
                "bar": bar,
                "y": i * ROW,
                "x_low": x(bar.low),
                "x_high": x(bar.high),
                "x_target_low": x(bar.target_low) if bar.target_low is not None else None,
                "x_target_high": x(bar.target_high) if bar.target_high is not None else None,
                "x_offer": x(bar.offer) if bar.offer is not None else None,
                "status": status,
            }
        )
    return Markup(_parts.get_template("_bars.html").render(rows=rows, width=WIDTH, height=len(bars) * ROW + 8))


def _scale(bars: list[RangeBar]) -> Callable[[float], float]:
    values = [v for b in bars for v in (b.low, b.high, b.offer, b.target_low, b.target_high) if v is not None]
    pad = ((max(values) - min(values)) or max(max(values), 1)) * PAD
    start, end = min(values) - pad, max(values) + pad

    def x(value: float) -> float:
        return round(LABEL + (value - start) / (end - start) * (WIDTH - LABEL - 24), 1)

    return x
