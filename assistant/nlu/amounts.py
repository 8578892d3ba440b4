"""The figures a person gives: their offer, a competing offer, what they want.

"140K base + $30,000 in RSUs", "base 140,000 bonus 15%", "180 base and 40 in stock", "a 12%
target bonus", "total around 250", "another company offered 230k total". Reading is linear in
the question's length: one pass of each pattern, then a bounded look around each figure (a
crafted question of 2,000 characters costs what an ordinary one does, per character).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from assistant.nlu.lexicon import QuestionLexicon, question_lexicon
from index.model import Component
from index.money import Percent, Period, Style, find_money, find_percents, period_at

# Clauses end at these: a figure's component is named within its own clause.
_CLAUSE = re.compile(r"[,;+/]|\band\b|\bplus\b|\bbut\b|\?|\.(?!\d)")
# A plain number ("180", "140,000", "135.000"); longer ones are no one's pay.
_BARE = re.compile(r"(?<![\w$€£.,])(\d{1,3}(?:,\d{3}){1,3}|\d{1,3}(?:\.\d{3}){1,3}|\d{1,9})(?![\w%]|[.,]\d|\s?%)")
_YEAR = range(1900, 2101)
_NEAR = 16  # characters between a figure and the component word that says what it is

ComponentWord = tuple[int, int, Component]


@dataclass(frozen=True)
class Figure:
    """One amount (or share of base) in a question, with what it is for."""

    start: int
    end: int
    text: str
    component: Component | None  # None: the person did not say what it is
    low: int | float = 0  # an hourly "$41.50" keeps its cents
    high: int | float = 0
    currency: str | None = None  # as written ("£150k"); None when unsigned
    percent: Percent | None = None  # "a 12% target bonus"
    rival: bool = False  # another employer's offer, not the person's own
    desired: bool = False  # what they want ("i want 165"), not what they were offered
    component_at: tuple[int, int] | None = None  # the words that said the component ("base")
    period: Period = "year"  # "$41/hr", "8k a month": what the figure is paid per
    style: Style = ""  # "24 LPA": the way of writing that says which band it is set against


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    low: int | float
    high: int | float
    currency: str | None = None
    percent: Percent | None = None
    period: Period = "year"
    style: Style = ""


def read_figures(question: str, guide_words: dict[str, Component] | None = None) -> list[Figure]:
    lex = question_lexicon()
    words = _component_words(question, lex, guide_words or {})
    amounts = _amounts(question, lex, words)
    if not amounts:
        return []
    clauses = [0] + [m.end() for m in _CLAUSE.finditer(question)] + [len(question) + 1]
    # Each pattern runs once over the question; a figure then looks up its clause's matches
    # (per-figure searches of long clauses were quadratic in crafted questions).
    rivals = [m.start() for m in lex.rival_words.finditer(question)]
    desires = [m.start() for m in lex.desire_words.finditer(question)]
    # One way of writing holds through a message: "base 140,000 bonus 15%" puts each word before
    # its figure, "140K base + 30K stock" after. The first figure says which.
    labels_first = _before(question, lex, words, amounts[0]) is not None
    used: set[tuple[int, int]] = set()
    figures = []
    for amount in amounts:
        i = bisect.bisect_right(clauses, amount.start)
        begin, stop = clauses[i - 1], clauses[i]
        said = _said(question, lex, words, amount, begin, labels_first, used)
        if said is not None:
            used.add((said[0], said[1]))
        figures.append(
            Figure(
                amount.start,
                amount.end,
                question[amount.start : amount.end],
                said[2] if said else None,
                amount.low,
                amount.high,
                amount.currency,
                amount.percent,
                rival=_any_within(rivals, begin, stop),
                desired=_any_within(desires, begin, amount.start),
                component_at=(said[0], said[1]) if said else None,
                period=amount.period,
                style=amount.style,
            )
        )
    return _with_shares_of_base(figures)


def _any_within(starts: list[int], begin: int, stop: int) -> bool:
    i = bisect.bisect_left(starts, begin)
    return i < len(starts) and starts[i] < stop


def _component_words(question: str, lex: QuestionLexicon, guide_words: dict[str, Component]) -> list[ComponentWord]:
    words = lex.components_in(question)
    for word, component in guide_words.items():  # a guide's own name for a component ("BSPCE")
        words += [
            (m.start(), m.end(), component) for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", question, re.I)
        ]
    return sorted(words)


def _amounts(question: str, lex: QuestionLexicon, words: list[ComponentWord]) -> list[_Amount]:
    """Money, shares of base and plain numbers that are pay, in order, none overlapping."""
    taken = bytearray(len(question) + 1)  # characters already read, or never money ("401k")
    for excluded in lex.money_exclusions.finditer(question):
        taken[excluded.start() : excluded.end()] = b"\x01" * (excluded.end() - excluded.start())
    found: list[_Amount] = []

    def add(amount: _Amount) -> None:
        if any(taken[amount.start : amount.end]):
            return
        if amount.period == "year" and lex.rate.match(question, amount.end):
            return  # a rate the money reader did not see as one
        taken[amount.start : amount.end] = b"\x01" * (amount.end - amount.start)
        found.append(amount)

    for m in find_money(question):
        if m.range.is_pay:  # "$60/hr", "8k a month": kept with their period, never as a year's pay
            currency = m.range.currency if m.signed else None
            add(
                _Amount(m.start, m.end, m.range.low, m.range.high, currency, period=m.range.period, style=m.range.style)
            )
    for p in find_percents(question):
        add(_Amount(p.start, p.end, 0, 0, percent=p.percent))
    for bare in _BARE.finditer(question):
        digits = bare.group(1).replace(",", "").replace(".", "")
        value, (start, end) = int(digits), bare.span()
        per, _ = period_at(question, end)
        if per not in (None, "year") and 5 <= value < 100_000:  # "41 an hour", "650000 a month"
            add(_Amount(start, end, value, value, period=per))
        elif value >= 10_000 and value not in _YEAR:
            add(_Amount(start, end, value, value))
        elif 20 <= value < 1_000 and (_beside(question, lex, words, start, end) or _approximate(question, lex, start)):
            add(_Amount(start, end, value * 1_000, value * 1_000))  # "180 base", "total around 250"
    return sorted(found, key=lambda a: a.start)


def _said(
    question: str,
    lex: QuestionLexicon,
    words: list[ComponentWord],
    amount: _Amount,
    begin: int,
    labels_first: bool,
    used: set[tuple[int, int]],
) -> ComponentWord | None:
    """The component word said for a figure: beside it (on the side this message writes its
    labels, else the other), else the nearest one before it in its clause ("base of 150k")."""
    after, before = _after(question, lex, words, amount), _before(question, lex, words, amount)
    for word in (before, after) if labels_first else (after, before):
        if word is not None and (word[0], word[1]) not in used:
            return word
    earlier = [w for w in words if begin <= w[0] and w[1] <= amount.start]
    return earlier[-1] if earlier else None


def _after(question: str, lex: QuestionLexicon, words: list[ComponentWord], amount: _Amount) -> ComponentWord | None:
    i = bisect.bisect_left(words, (amount.end, 0))
    if (
        i < len(words)
        and words[i][0] - amount.end <= _NEAR
        and lex.figure_links.match(question[amount.end : words[i][0]])
    ):
        return words[i]
    return None


def _before(question: str, lex: QuestionLexicon, words: list[ComponentWord], amount: _Amount) -> ComponentWord | None:
    i = bisect.bisect_right(words, (amount.start, 0)) - 1
    if i >= 0 and amount.start - words[i][1] <= _NEAR and lex.label_links.match(question[words[i][1] : amount.start]):
        return words[i]
    return None


def _beside(question: str, lex: QuestionLexicon, words: list[ComponentWord], start: int, end: int) -> bool:
    amount = _Amount(start, end, 0, 0)
    return _after(question, lex, words, amount) is not None or _before(question, lex, words, amount) is not None


def _approximate(question: str, lex: QuestionLexicon, start: int) -> bool:
    return bool(lex.approximately.search(question[max(0, start - 14) : start]))


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
