"""The figures a person gives: their offer, a competing offer, what they want.

"140K base + $30,000 in RSUs", "180 base and 40 in stock", "a 12% target bonus", "total around
250", "another company offered 230k total". Reading is linear in the question's length: one
pass of the money pattern, then a bounded look around each figure (a crafted question of
2,000 characters costs what an ordinary one does, per character).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from assistant.nlu.lexicon import question_lexicon
from index.model import Component
from index.money import Percent, find_money, find_percents

# Clauses end at these: a figure's component is named within its own clause.
_CLAUSE = re.compile(r"[,;+/]|\band\b|\bplus\b|\bbut\b|\?|\.(?!\d)")
_BARE = re.compile(r"(?<![\w$€£.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w%]|[.,]\d|\s?%)")
_APPROX = re.compile(r"\b(?:around|about|roughly|approx(?:imately)?|like|near|~)\s*$", re.I)
_AFTER = re.compile(r"^\s*(?:in|of|as|for|per year|a year|/yr|annual|annually)?\s*(?:the\s+)?$", re.I)
_YEAR = range(1900, 2101)


@dataclass(frozen=True)
class Figure:
    """One amount (or share of base) in a question, with what it is for."""

    start: int
    end: int
    text: str
    component: Component | None  # None: the person did not say what it is
    low: int = 0
    high: int = 0
    currency: str | None = None  # as written ("£150k"); None when unsigned
    percent: Percent | None = None  # "a 12% target bonus"
    rival: bool = False  # another employer's offer, not the person's own
    desired: bool = False  # what they want ("i want 165"), not what they were offered


def read_figures(question: str, guide_words: dict[str, Component] | None = None) -> list[Figure]:
    lex = question_lexicon()
    excluded = [(m.start(), m.end()) for m in lex.money_exclusions.finditer(question)]
    clauses = [0] + [m.end() for m in _CLAUSE.finditer(question)] + [len(question) + 1]
    words = lex.components_in(question)
    if guide_words:
        folded = question.lower()
        for word, component in guide_words.items():
            words += [(m.start(), m.end(), component) for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", folded)]
        words.sort()
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def clause_of(position: int) -> tuple[int, int]:
        i = bisect.bisect_right(clauses, position)
        return clauses[i - 1], clauses[i]

    def add(
        start: int, end: int, low: int, high: int, currency: str | None = None, percent: Percent | None = None
    ) -> None:
        if any(s < end and start < e for s, e in excluded + taken):
            return
        begin, stop = clause_of(start)
        clause = question[begin:stop]
        component = _component(question, words, start, end, begin)
        rival = bool(lex.rival_words.search(clause))
        desired = bool(lex.desire_words.search(question[begin:start]))
        taken.append((start, end))
        figures.append(Figure(start, end, question[start:end], component, low, high, currency, percent, rival, desired))

    for m in find_money(question):
        if m.range.is_pay:
            add(m.start, m.end, m.range.low, m.range.high, m.range.currency if m.signed else None)
    for p in find_percents(question):
        add(p.start, p.end, 0, 0, percent=p.percent)
    for bare in _BARE.finditer(question):
        value = int(bare.group(1).replace(",", ""))
        start, end = bare.span()
        begin, _ = clause_of(start)
        near = _component(question, words, start, end, begin)
        approx = bool(_APPROX.search(question[max(begin, start - 12) : start]))
        if value >= 10_000 and value not in _YEAR:
            add(start, end, value, value)
        elif 20 <= value < 1_000 and (near or approx):
            add(start, end, value * 1_000, value * 1_000)  # "180 base", "total around 250"
    return _with_shares_of_base(sorted(figures, key=lambda f: f.start))


def _component(
    question: str, words: list[tuple[int, int, Component]], start: int, end: int, begin: int
) -> Component | None:
    """The component named right after a figure ("140K base", "40k in RSUs"), else the nearest
    one before it in its clause ("base of 150k")."""
    for s, _, component in words:
        if s >= end:
            if s - end <= 16 and _AFTER.match(question[end:s]):
                return component
            break
    before = [c for s, e, c in words if begin <= s and e <= start]
    return before[-1] if before else None


def _with_shares_of_base(figures: list[Figure]) -> list[Figure]:
    """A share of base ("a 12% target bonus") next to a base figure is also that much money."""
    base = next((f for f in figures if f.component == "base" and not f.rival and f.percent is None), None)
    out = []
    for figure in figures:
        if figure.percent is not None and figure.component not in (None, "base") and base is not None:
            low, high = figure.percent.of_amount(base.low)
            figure = replace(figure, low=low, high=high)
        out.append(figure)
    return out
