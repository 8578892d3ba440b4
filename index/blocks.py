"""Markdown body -> a flat list of typed top-level blocks, with source line ranges.

markdown-it-py does the Markdown; this module only flattens its token stream into the few
shapes a guide is made of (headings, paragraphs, tables, list items, blockquotes), keeping
both the plain text and the leading bold label (`**Name**: ...`) that guides use as keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index.model import Lines

_md = MarkdownIt("commonmark").enable("table")


@dataclass
class Inline:
    text: str  # plain text: emphasis markers dropped, code spans kept as their content
    label: str | None  # the leading **bold** words, if the text starts with them
    rest: str  # the text after the label (without the ": " that follows it)
    code_spans: list[str]


@dataclass
class Item:
    number: int | None  # None in bullet lists
    inline: Inline
    lines: Lines
    quote: str | None = None  # a blockquote nested inside the item


@dataclass
class Block:
    kind: str  # heading | paragraph | table | list | quote | hr
    lines: Lines
    level: int = 0  # heading level
    inline: Inline | None = None  # heading, paragraph, quote (all its paragraphs joined)
    rows: list[tuple[list[str], int]] = field(default_factory=list)  # table: (cells, line)
    items: list[Item] = field(default_factory=list)
    ordered: bool = False


def _inline(token: Token) -> Inline:
    parts: list[str] = []
    code: list[str] = []
    label: str | None = None
    depth = 0
    label_done = False
    label_parts: list[str] = []
    for child in token.children or []:
        if child.type == "strong_open":
            depth += 1
            continue
        if child.type == "strong_close":
            depth -= 1
            if depth == 0 and not label_done and not "".join(parts).strip():
                label = "".join(label_parts).strip()
            label_done = True
            continue
        text = {"softbreak": " ", "hardbreak": " "}.get(child.type, child.content)
        if not text:
            continue
        if child.type == "code_inline":
            code.append(child.content)
        if depth and not label_done:
            label_parts.append(text)
        else:
            parts.append(text)
            label_done = True
    rest = "".join(parts).strip()
    if label is not None:
        label = label.rstrip(":").strip()
        rest = rest.lstrip(":").strip()
    text = " ".join(x for x in (label, rest) if x) if label else rest
    return Inline(text=text, label=label, rest=rest, code_spans=code)


def _join(inlines: list[Inline]) -> Inline:
    if len(inlines) == 1:
        return inlines[0]
    first = inlines[0]
    text = " ".join(i.text for i in inlines)
    rest = " ".join([first.rest] + [i.text for i in inlines[1:]])
    return Inline(text, first.label, rest, [c for i in inlines for c in i.code_spans])


@dataclass
class _Source:
    lines: list[str]
    offset: int  # file lines before the body (the frontmatter)

    def span(self, token: Token) -> Lines:
        start, end = token.map or (0, 1)
        # markdown-it maps are 0-based [start, end) and may include trailing blank lines;
        # citations are 1-based, inclusive, and end on the block's last written line.
        while end - 1 > start and not self.lines[end - 1].strip():
            end -= 1
        return Lines(start=start + 1 + self.offset, end=max(start + 1, end) + self.offset)


def _until_close(tokens: list[Token], i: int) -> int:
    """Index of the token closing the block opened at `i`."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _table(tokens: list[Token], src: _Source) -> list[tuple[list[str], int]]:
    rows: list[tuple[list[str], int]] = []
    for tok in tokens:
        if tok.type == "tr_open":
            rows.append(([], src.span(tok).start))
        elif tok.type == "inline" and rows:
            rows[-1][0].append(_inline(tok).text)
    return rows


def _items(tokens: list[Token], src: _Source) -> list[Item]:
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "list_item_open":
            close = _until_close(tokens, i)
            inner = tokens[i + 1 : close]
            paragraphs = [t for t in inner if t.type == "inline" and t.level == tok.level + 2]
            quoted = [t for t in inner if t.type == "inline" and t.level > tok.level + 2]
            number = int(tok.info) if tok.info.isdigit() else None
            items.append(
                Item(
                    number=number,
                    inline=_join([_inline(p) for p in paragraphs]) if paragraphs else _inline(Token("inline", "", 0)),
                    lines=src.span(tok),
                    quote=" ".join(_inline(q).text for q in quoted) or None,
                )
            )
            i = close
        i += 1
    return items


def parse_blocks(body: str, offset: int = 0) -> Iterator[Block]:
    """Top-level blocks of `body`; `offset` is how many file lines precede it (frontmatter)."""
    tokens = _md.parse(body)
    src = _Source(body.splitlines(), offset)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != 0 or tok.nesting == -1:
            i += 1
            continue
        close = _until_close(tokens, i)
        inner = tokens[i + 1 : close]
        lines = src.span(tok)
        if tok.type == "heading_open":
            yield Block("heading", lines, level=int(tok.tag[1]), inline=_inline(inner[0]))
        elif tok.type == "paragraph_open":
            yield Block("paragraph", lines, inline=_inline(inner[0]))
        elif tok.type == "table_open":
            yield Block("table", lines, rows=_table(inner, src))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            yield Block("list", lines, items=_items(inner, src), ordered=tok.type == "ordered_list_open")
        elif tok.type == "blockquote_open":
            paragraphs = [_inline(t) for t in inner if t.type == "inline"]
            if paragraphs:
                yield Block("quote", lines, inline=_join(paragraphs))
        elif tok.type == "hr":
            yield Block("hr", lines)
        i = close + 1
