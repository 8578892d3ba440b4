"""Answer Markdown -> safe HTML, with citation marks turned into links to the guide page.

Raw HTML in Markdown is escaped (html=False) and markdown-it refuses javascript: links, so
nothing from a guide or a question can inject markup or script.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from assistant.answer import Answer, Citation

_md = MarkdownIt("commonmark", {"html": False}).enable("table")
_MARK = re.compile(r"\[(\d+)\]")


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
    return markdown_html(linked_markdown(answer))
