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
    )
