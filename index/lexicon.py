"""The parser's lexicon (`lexicon.yaml`) as compiled word patterns.

Authors' words live in data, not in code: adding "LTIP" as an equity word is a one-line
change to the YAML, and the tests read the same file. Questions have their own lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import yaml

from index.model import Component
from index.money import Bound, Period

LEXICON = Path(__file__).with_name("lexicon.yaml")


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """Whole-word, case-insensitive alternation; inside a phrase, spaces and hyphens are
    interchangeable and optional ("sign-on" matches "sign on" and "signon")."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = re.split(r"[\s-]+", phrase.strip())
        parts.append(r"[\s-]?".join(re.escape(w) for w in words))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)


def exclusion_pattern(patterns: list[str]) -> re.Pattern[str]:
    """Things written like money that are not ("401k"): whole words, never the end of a range
    ("364k–401k") nor its start ("401k–405k")."""
    return re.compile(
        r"(?<![\w$€£–—-])(?<!to )(?:" + "|".join(patterns) + r")(?!\w)(?!\s*(?:–|—|-|to)\s*[$€£]?\d)", re.I
    )


@dataclass(frozen=True)
class Lexicon:
    components: tuple[tuple[Component, re.Pattern[str]], ...]
    one_off_kinds: frozenset[Component]
    region_headers: re.Pattern[str]
    target_words: re.Pattern[str]
    level_words: re.Pattern[str]
    competitor_suffix: re.Pattern[str]
    source_words: re.Pattern[str]
    guide_words: re.Pattern[str]
    legal_forms: frozenset[str]
    remote_words: re.Pattern[str]
    hq_words: re.Pattern[str]
    area_words: re.Pattern[str]
    money_exclusions: re.Pattern[str]
    count_nouns: frozenset[str]
    asking: re.Pattern[str]
    target_verbs: re.Pattern[str]
    level_attributes: re.Pattern[str]
    package_words: re.Pattern[str]
    contrast_words: re.Pattern[str]
    context_words: re.Pattern[str]
    vesting_period: re.Pattern[str]
    extra_components: tuple[tuple[str, re.Pattern[str]], ...]
    schedule_words: re.Pattern[str]
    level_titles: re.Pattern[str]
    level_codes: re.Pattern[str]
    periods: tuple[tuple[Period, re.Pattern[str]], ...]
    one_off_components: frozenset[str]
    bound_words: tuple[tuple[Bound, re.Pattern[str]], ...]
    pay_words: re.Pattern[str]
    generic_labels: re.Pattern[str]  # "Rate:", "Amount:": an item label naming no kind
    sales_bases: re.Pattern[str]  # "of net sales", "of ARR": what a commission rate is a share of
    example_words: re.Pattern[str]
    bases: tuple[tuple[str, re.Pattern[str]], ...]  # ("hours", "2,080 hours a year"), ("salaries", …)

    def kind_of(self, text: str) -> str | None:
        """What a header or label names: an extra kind ("commission", "differential") or a
        classic component ("base", "stock"…), by its longest phrase ("relocation allowance"
        is relocation, "commission rate" a commission); None when it names neither."""
        found = [
            (len(m.group(0)), -n, kind)
            for n, (kind, pattern) in enumerate([*self.extra_components, *self.components])
            for m in pattern.finditer(text)
        ]
        return max(found)[2] if found else self.component_of(text)

    def first_kind(self, text: str) -> str | None:
        """The kind of figure a sentence names first ("Base hourly rates by campus; the night
        differential is separate" -> base)."""
        found = [
            (m.start(), -len(m.group(0)), kind)
            for kind, pattern in (*self.extra_components, *self.components)
            for m in pattern.finditer(text)
        ]
        return min(found)[2] if found else None

    def kinds_in(self, text: str) -> list[tuple[int, int, str]]:
        """Every word naming a kind of figure in `text`: (start, end, kind), leftmost first;
        where two overlap, the longer ("commission rate" over "commission")."""
        found = sorted(
            (
                (m.start(), m.end(), kind)
                for kind, p in (*self.extra_components, *self.components)
                for m in p.finditer(text)
            ),
            key=lambda f: (f[0], -(f[1] - f[0])),
        )
        out: list[tuple[int, int, str]] = []
        for f in found:
            if not out or f[0] >= out[-1][1]:
                out.append(f)
        return out

    def names_kind(self, text: str) -> bool:
        """Whether a header names a kind of figure in words (not only by a vesting span)."""
        return any(p.search(text) for _, p in (*self.extra_components, *self.components))

    def period_of(self, text: str) -> Period | None:
        """The period a header or an introduction names ("Hourly Rate", "Monthly base")."""
        found = [(m.start(), period) for period, pattern in self.periods if (m := pattern.search(text))]
        return min(found)[1] if found else None

    def bound_before(self, text: str) -> Bound:
        """The open bound the words just before an amount set: "up to", "from"."""
        tail = text[-24:]
        for bound, pattern in self.bound_words:
            found = list(pattern.finditer(tail))
            if found and not tail[found[-1].end() :].strip(" :~≈(+"):
                return bound
        return ""

    def component_of(self, text: str) -> Component | None:
        """The first (most specific) component any of whose words occur in `text`; a header
        with a vesting period ("BSPCE (4-yr)") is equity whatever the plan is called."""
        for component, pattern in self.components:
            if pattern.search(text):
                return component
        return "stock" if self.vesting_period.search(text) else None

    def component_words(self, text: str) -> list[tuple[int, int, Component]]:
        """Every component word in `text`: (start, end, component), leftmost first; where two
        overlap, the more specific (earlier in the lexicon) one."""
        found: list[tuple[int, int, Component]] = []
        for component, pattern in self.components:
            for m in pattern.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e, _ in found):
                    found.append((m.start(), m.end(), component))
        return sorted(found)


def _period_pattern(phrases: list[str]) -> re.Pattern[str]:
    """Period words; a slashed one ("/hr") is matched as written, the others as words."""
    slashed = [re.escape(p) + r"(?![A-Za-z])" for p in phrases if p.startswith("/")]
    words = phrase_pattern([p for p in phrases if not p.startswith("/")]).pattern
    return re.compile("|".join([words, *slashed]), re.I)


@cache
def lexicon() -> Lexicon:
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    words = lambda key: [str(w) for w in data[key]]  # noqa: E731
    suffixes = "|".join(re.escape(w) for w in words("competitor_suffixes"))
    return Lexicon(
        components=tuple(
            (cast(Component, k), phrase_pattern([str(w) for w in v])) for k, v in data["components"].items()
        ),
        one_off_kinds=frozenset(cast(Component, k) for k in data["one_off_kinds"]),
        region_headers=phrase_pattern(words("region_headers")),
        target_words=phrase_pattern(words("target_words")),
        level_words=phrase_pattern(words("level_words")),
        competitor_suffix=re.compile(rf"\s+(?:{suffixes})$", re.I),
        source_words=phrase_pattern(words("source_words")),
        guide_words=phrase_pattern(words("guide_words")),
        legal_forms=frozenset(w.lower() for w in words("legal_forms")),
        remote_words=phrase_pattern(words("remote_words")),
        hq_words=phrase_pattern(words("hq_words")),
        area_words=phrase_pattern(words("area_words")),
        money_exclusions=exclusion_pattern([re.escape(w) for w in words("money_exclusions")]),
        count_nouns=frozenset(w.lower() for w in words("count_nouns")),
        asking=re.compile(
            phrase_pattern(words("asking_subjects")).pattern
            + r".{0,40}?"
            + phrase_pattern(words("asking_verbs")).pattern
            + "|"
            + phrase_pattern(words("asking_claims")).pattern,
            re.I,
        ),
        target_verbs=phrase_pattern(words("target_verbs")),
        level_attributes=phrase_pattern(words("level_attribute_words")),
        package_words=phrase_pattern(words("package_words")),
        contrast_words=re.compile(
            r"(?:" + phrase_pattern(words("contrast_words")).pattern + r")\s*(?:the|my|your|a|an|our)?\s*$", re.I
        ),
        context_words=phrase_pattern(words("context_words")),
        vesting_period=re.compile("|".join(words("vesting_period")), re.I),
        extra_components=tuple(
            (str(k), phrase_pattern([str(w) for w in v])) for k, v in data["extra_components"].items()
        ),
        schedule_words=phrase_pattern(words("schedule_words")),
        level_titles=phrase_pattern(words("level_titles")),
        level_codes=re.compile(str(data["level_codes"])),
        periods=tuple((cast(Period, k), _period_pattern([str(w) for w in v])) for k, v in data["periods"].items()),
        one_off_components=frozenset(words("one_off_components")),
        pay_words=phrase_pattern(words("pay_words")),
        generic_labels=phrase_pattern(words("generic_labels")),
        sales_bases=phrase_pattern(words("sales_bases")),
        example_words=phrase_pattern(words("example_words")),
        bases=tuple((str(k), re.compile(str(p), re.I)) for k, v in data["bases"].items() for p in v),
        bound_words=tuple(
            (cast(Bound, k), phrase_pattern([str(w) for w in v])) for k, v in data["bound_words"].items()
        ),
    )
