"""Figure coverage: every money amount in a guide's body is in a typed fact or reported.

The parser claims figures as facts (pay cells, asks, targets, premiums). This pass reads the
body's lines again and lists every amount no fact holds, saying where it stands and why it
is not a fact, so lint can show it: a figure is never silently nowhere.
"""

from __future__ import annotations

import re

from index.blocks import Block
from index.claims import KINDS, Claim
from index.lexicon import lexicon
from index.model import Guide, Lines, UnreadFigure
from index.money import find_money, is_currency_code

# Anything written like an amount (a currency sign or code against digits): what the money
# reader cannot read of these is reported too.
_FIGURE_LIKE = re.compile(r"(?:[$€£¥₹]|\b[A-Z]{3}\s?)\d[\d,.]*\s?[kKmMbBL]?\b")

NOT_READ = "written like an amount, but not read as one"
# Reasons that mean a reader may be missing a figure (a warning); the others are asides (info).
SERIOUS = {NOT_READ} | {kind.reason for kind in KINDS.values() if kind.serious}


def _claimed(guide: Guide) -> list[tuple[Lines, float, float]]:
    facts: list[tuple[Lines, float, float]] = []
    for pay in guide.pay:
        for component in pay.components():
            figure = pay.get(component)
            if figure is not None and component not in pay.derived:
                facts.append((pay.lines, figure.low, figure.high))
        facts += [(pay.lines, a.money.low, a.money.high) for a in pay.extras if a.money is not None]
    for lever in guide.levers:
        facts += [(lever.lines, a.amount.low, a.amount.high) for a in lever.asks if a.amount]
    facts += [(t.lines, t.amount.low, t.amount.high) for t in guide.targets]
    facts += [(p.lines, p.amount.low, p.amount.high) for p in guide.premiums if p.amount]
    return facts


def unread_figures(
    guide: Guide, blocks: list[Block], claimed: dict[int, Claim], body_lines: list[str], offset: int
) -> tuple[int, list[UnreadFigure]]:
    """(how many amounts in the body are held by facts, the amounts that are not)."""
    lex = lexicon()
    facts = _claimed(guide)
    unread: list[UnreadFigure] = []
    read = 0
    for i, block in enumerate(blocks):
        claim = claimed.get(i, Claim("heading" if block.kind == "heading" else "narrative"))
        where, reason = claim.block.label, claim.reason
        for number in range(block.lines.start, block.lines.end + 1):
            text = body_lines[number - offset - 1] if 0 <= number - offset - 1 < len(body_lines) else ""
            mentions = find_money(
                text, guide.currency, prose=True, count_nouns=lex.count_nouns, exclusions=lex.money_exclusions
            )
            if block.kind == "table" and number > block.lines.start + 1:  # cells (not the header) are money
                mentions = find_money(text, guide.currency, bare_numbers=True, exclusions=lex.money_exclusions)
            spans = []
            for m in mentions:
                spans.append((m.start, m.end))
                if any(
                    lines.start <= number <= lines.end and (low, high) == (m.range.low, m.range.high)
                    for lines, low, high in facts
                ):
                    read += 1
                    continue
                why = reason if m.range.is_pay else "a company figure (billions), not pay"
                unread.append(UnreadFigure(text=text[m.start : m.end], line=number, where=where, reason=why))
            for like in _FIGURE_LIKE.finditer(text):
                written = like.group(0)
                inside = any(s <= like.start() < e for s, e in spans)
                excluded = lex.money_exclusions.search(written) or (
                    written[:1].isalpha() and not is_currency_code(written[:3])
                )
                if not inside and not excluded:
                    unread.append(UnreadFigure(text=written.strip(), line=number, where=where, reason=NOT_READ))
    return read, unread
