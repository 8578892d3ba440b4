"""An Answer as Slack Block Kit messages.

The answer's Markdown is walked with markdown-it and written as Slack mrkdwn (bold, italics,
links, lists); tables become aligned preformatted blocks, quoted scripts get sections of their
own, citations go in context blocks. Slack's limits (50 blocks a message, 3,000 characters a
section) are met by splitting, never by cutting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from assistant.answer import Answer, RangeBar
from web.render import citation_url, linked_markdown, takeaways

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_CONTEXT_ELEMENTS = 10
_md = MarkdownIt("commonmark", {"html": False}).enable("table")

Block = dict[str, Any]


@dataclass
class Message:
    blocks: list[Block]
    text: str  # the notification and screen-reader fallback


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(token: Token) -> str:
    out: list[str] = []
    links: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind in ("strong_open", "strong_close"):
            out.append("*")
        elif kind in ("em_open", "em_close"):
            out.append("_")
        elif kind == "code_inline":
            out.append(f"`{escape(child.content)}`")
        elif kind == "link_open":
            links.append(str(child.attrs.get("href", "")))
            out.append("\x00")  # where the link text starts
        elif kind == "link_close":
            start = len(out) - 1 - out[::-1].index("\x00")
            label = "".join(out[start + 1 :])
            out[start:] = [f"<{links.pop()}|{label}>"]
    return "".join(out)


def _plain(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def _table(tokens: list[Token]) -> str:
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_plain(token))
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows)))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "```\n" + "\n".join(lines) + "\n```"


def _pieces(markdown: str) -> list[tuple[str, str]]:
    """("text" | "quote" | "pre" | "divider", mrkdwn) in reading order."""
    tokens = _md.parse(markdown)
    pieces: list[tuple[str, str]] = []
    i, prefix = 0, []  # prefix: the markers of the lists we are inside
    while i < len(tokens):
        token = tokens[i]
        if token.type == "table_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
            pieces.append(("pre", _table(tokens[i:end])))
            i = end
        elif token.type == "blockquote_open":
            depth, j, lines = 1, i + 1, []
            while depth:
                depth += tokens[j].nesting if tokens[j].type.startswith("blockquote") else 0
                if tokens[j].type == "inline":
                    lines.append(_inline(tokens[j]))
                j += 1
            pieces.append(("quote", "\n".join("> " + line for text in lines for line in text.split("\n"))))
            i = j - 1
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            prefix.append(0 if token.type == "ordered_list_open" else -1)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            prefix.pop()
        elif token.type == "list_item_open" and prefix and prefix[-1] >= 0:
            prefix[-1] += 1
        elif token.type == "inline":
            text = _inline(token)
            if tokens[i - 1].type == "heading_open":
                text = f"*{text}*"
            if prefix and tokens[i - 2].type == "list_item_open":
                marker = "•" if prefix[-1] < 0 else f"{prefix[-1]}."
                text = "    " * (len(prefix) - 1) + f"{marker} {text}"
            pieces.append(("text", text))
        elif token.type == "hr":
            pieces.append(("divider", ""))
        i += 1
    return pieces


def _sections(pieces: list[tuple[str, str]]) -> list[Block]:
    blocks: list[Block] = []
    buffer: list[str] = []

    def section(text: str) -> None:
        while text:  # a section holds at most MAX_SECTION characters: split at a line end
            cut = len(text) if len(text) <= MAX_SECTION else (text.rfind("\n", 0, MAX_SECTION) + 1 or MAX_SECTION)
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:cut].rstrip("\n")}})
            text = text[cut:]

    def flush() -> None:
        if buffer:
            section("\n".join(buffer))
            buffer.clear()

    for kind, text in pieces:
        if kind == "text":
            buffer.append(text)
        else:
            flush()
            if kind == "divider":
                blocks.append({"type": "divider"})
            elif kind == "pre" and len(text) > MAX_SECTION:
                body = text.strip("`\n").split("\n")
                chunk: list[str] = []
                for line in body:  # long tables: several preformatted sections
                    if sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION - 10:
                        section("```\n" + "\n".join(chunk) + "\n```")
                        chunk = []
                    chunk.append(line)
                section("```\n" + "\n".join(chunk) + "\n```")
            else:
                section(text)
    flush()
    return blocks


def _citations(answer: Answer, base_url: str) -> list[Block]:
    elements = []
    for c in answer.citations:
        lines = f"{c.start_line}" if c.start_line == c.end_line else f"{c.start_line}–{c.end_line}"
        where = f"`{c.source_path}:{lines}`"
        text = f"<{base_url}{citation_url(c)}|[{c.n}]> {escape(c.guide_title)} — {escape(c.section)} · {where}"
        elements.append({"type": "mrkdwn", "text": text[:MAX_SECTION]})
    return [
        {"type": "context", "elements": elements[i : i + MAX_CONTEXT_ELEMENTS]}
        for i in range(0, len(elements), MAX_CONTEXT_ELEMENTS)
    ]


@dataclass(frozen=True)
class AnswerRef:
    """The answer a button stands for: its conversation and message."""

    conversation: str
    message: str


def button_value(answer: Answer) -> str:
    return json.dumps({"c": answer.conversation_id, "m": answer.message_id})


def read_button_value(value: object) -> AnswerRef | None:
    """The answer a pressed button names, if its value is one `button_value` wrote; None for
    anything else (a button of an older release, or a value no button of ours sent)."""
    if not isinstance(value, str):
        return None
    try:
        ref = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not isinstance(ref, dict):
        return None
    conversation, message = ref.get("c"), ref.get("m")
    if not (isinstance(conversation, str) and conversation and isinstance(message, str) and message):
        return None
    return AnswerRef(conversation, message)


def _actions(answer: Answer) -> Block:
    value = button_value(answer)
    return {
        "type": "actions",
        "block_id": "answer_actions",
        "elements": [
            {
                "type": "button",
                "action_id": "feedback_up",
                "text": {"type": "plain_text", "text": "👍", "emoji": True},
                "value": value,
            },
            {
                "type": "button",
                "action_id": "feedback_down",
                "text": {"type": "plain_text", "text": "👎", "emoji": True},
                "value": value,
            },
            {
                "type": "button",
                "action_id": "share",
                "text": {"type": "plain_text", "text": "Share in channel"},
                "value": value,
            },
        ],
    }


def answer_messages(
    answer: Answer, base_url: str, question: str | None = None, interactive: bool = True, shared_by: str | None = None
) -> list[Message]:
    """One or more messages (split at Slack's block limit) carrying the whole answer."""
    head: list[Block] = []
    if question is not None:  # a slash command's asker cannot see their own command
        head.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"*You asked:* {escape(question)}"[:MAX_SECTION]}],
            }
        )
    if shared_by:
        head.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by <@{shared_by}>"}]})
    pieces: list[tuple[str, str]] = []
    for kind, text in takeaways(linked_markdown(answer, base_url)):
        if kind == "email" and answer.email is not None:  # one block, to copy whole
            pieces.append(("pre", "```\n" + escape(answer.email.plain_text) + "\n```"))
        elif kind == "bars" and answer.bars:
            pieces.append(("pre", "```\n" + "\n".join(text_bar(b) for b in answer.bars) + "\n```"))
        elif kind == "markdown":
            pieces += _pieces(text)
    body = _sections(pieces)
    tail = _citations(answer, base_url) + ([_actions(answer)] if interactive else [])
    blocks = head + body + tail
    fallback = answer.answer_markdown[:MAX_SECTION]
    messages = [blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)]
    return [Message(chunk, fallback if n == 0 else "(continued)") for n, chunk in enumerate(messages)]


BAR_CELLS = 16


def text_bar(bar: RangeBar) -> str:
    """A range as a line of text: the band, its target zone (═), the person's figure (●)."""
    cells = ["─"] * BAR_CELLS

    def cell(value: float) -> int:
        return min(BAR_CELLS - 1, max(0, round((value - bar.low) / ((bar.high - bar.low) or 1) * (BAR_CELLS - 1))))

    if bar.target_low is not None and bar.target_high is not None:
        for i in range(cell(bar.target_low), cell(bar.target_high) + 1):
            cells[i] = "═"
    before = after = " "
    if bar.offer is not None:
        if bar.offer < bar.low:
            before = "●"
        elif bar.offer > bar.high:
            after = "●"
        else:
            cells[cell(bar.offer)] = "●"
    line = f"{bar.label}: {before}{bar.low_text} ├{''.join(cells)}┤ {bar.high_text}{after}"
    return line + (f"  yours {bar.offer_text}" if bar.offer_text else "")


def usage_blocks(examples: list[str]) -> list[Block]:
    lines = "\n".join(f"• `/negotiate {escape(q)}`" for q in examples)
    text = (
        "*Negotiation Assistant* — exact figures and scripts from our negotiation guides, every one cited.\n"
        f"Ask in plain words:\n{lines}\n"
        "You can also mention me in a channel (I answer in a thread) or send me a direct message; "
        "follow-ups in the same thread keep their context. Answers to `/negotiate` are visible only to you "
        "until you press *Share in channel*."
    )
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
