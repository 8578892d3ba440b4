"""What a lever's script asks for, and which pay component a figure in guide prose is about.

"I'd like the RSU component increased to $48K–$52K" asks for stock $48K–$52K; "base salaries
start at $140K+" (another market) and "my competing offer at $245K TC" (a fact) are mentioned,
not asked for. Only sentences that ask (lexicon `asking_*`) yield asks.
"""

from __future__ import annotations

import re

from index.lexicon import lexicon
from index.model import Ask, Component
from index.money import MoneyMention, find_money, find_percents
from index.text import split_sentences


def money_in(text: str, currency: str) -> list[MoneyMention]:
    """Money in guide prose, as an author writes it (bare "12k" is money in `currency`)."""
    lex = lexicon()
    return [
        m
        for m in find_money(text, currency, prose=True, count_nouns=lex.count_nouns, exclusions=lex.money_exclusions)
        if m.range.is_pay
    ]


_AFTER = re.compile(r"\s*(?:in|of|as)?\s*(?:the\s+)?(?:form\s+of\s+)?$", re.I)


def component_near(text: str, start: int, end: int, figures: int = 1) -> Component | None:
    """The component a figure at text[start:end] is about.

    A component word right after it wins ("$245K TC", "40k in RSUs"); else the nearest one
    before it in the sentence ("the RSU component at $45K–$48K"). A clause naming both a
    sign-on and relocation (or "one-off") for one figure asks for a one-off package; with
    a figure each ("relocation at 10k plus a sign-on of 8k") each figure is its own.
    """
    lex = lexicon()
    words = lex.component_words(text)
    kinds = {c for _, _, c in words}
    one_time = kinds & lex.one_off_kinds
    # "a package that covers both the relocation and the forfeited bonus": one sum for two things
    covered = kinds - {"total"}
    if figures == 1 and (
        "one_off" in kinds
        or one_time == lex.one_off_kinds
        or (one_time and len(covered) >= 2 and lex.package_words.search(text))
    ):
        return "one_off"
    after = [(s, c) for s, _, c in words if s >= end and _AFTER.match(text[end:s]) and s - end <= 14]
    if after:
        return after[0][1]
    before = [c for s, e, c in words if e <= start]
    return before[-1] if before else None


def _contrasted(sentence: str, start: int) -> bool:
    """ "30% rather than 20%", "up from $150K": the figure after is not the one asked for."""
    return bool(lexicon().contrast_words.search(sentence[max(0, start - 20) : start]))


def _changes(sentence: str, start: int, end: int) -> bool:
    """ "move it from 20% to 25%": a range read across "from … to" is a change, not a range."""
    return sentence[max(0, start - 6) : start].strip().lower().endswith("from") and " to " in sentence[start:end]


def asks_in(script: str, currency: str) -> list[Ask]:
    """The figures a script asks for: money and percentages in its asking sentences. A script
    with no asking sentence at all ("A $30K sign-on would offset that") asks for the figures
    it names a component for, unless they describe someone else's offer."""
    lex = lexicon()
    sentences = split_sentences(script)
    any_asking = any(lex.asking.search(s) for _, s in sentences)
    asks: list[Ask] = []
    previous: Component | None = None
    for _, sentence in sentences:
        asking = bool(lex.asking.search(sentence))
        money = money_in(sentence, currency)
        for m in money:
            named = component_near(sentence, m.start, m.end, len(money))
            # A rate with no word for it ("2.000 € a month", "$41/hr") is the base rate.
            component = named or previous or ("base" if m.range.period in ("hour", "day", "week", "month") else None)
            previous = component
            suggested = not any_asking and named is not None and not lex.context_words.search(sentence)
            if (asking or suggested) and not m.open_ended:
                if _contrasted(sentence, m.start) and not _changes(sentence, m.start, m.end):
                    continue
                amount = m.range
                if _changes(sentence, m.start, m.end):  # "from $150K to $165K": the ask is $165K
                    amount = amount.model_copy(update={"low": amount.high})
                asks.append(Ask(component=component, amount=amount, phrase=phrase_around(sentence, m.start, m.end)))
        if asking:
            for p in find_percents(sentence):
                percent = p.percent
                if _changes(sentence, p.start, p.end):
                    percent = percent.model_copy(update={"low": percent.high})
                elif _contrasted(sentence, p.start):
                    continue
                component = component_near(sentence, p.start, p.start) or "bonus"
                asks.append(Ask(component=component, percent=percent, phrase=phrase_around(sentence, p.start, p.end)))
    return asks


def phrase_around(sentence: str, start: int, end: int) -> str:
    """The clause around a figure, for showing what is asked in the guide's own words."""
    left = max(sentence.rfind(p, 0, start) for p in (",", "—", ";", " so ", " and "))
    right_candidates = [i for p in (",", "—", ";", ".") if (i := sentence.find(p, end)) != -1]
    right = min(right_candidates) if right_candidates else len(sentence)
    return sentence[left + 1 if left >= 0 else 0 : right].strip(" —,;")
