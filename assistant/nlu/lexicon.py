"""The question lexicon (`lexicon.yaml`), loaded once into typed word sets and patterns, and the
one way questions and role names are turned into comparable tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import yaml

from index.lexicon import exclusion_pattern, phrase_pattern
from index.model import Component
from index.places import fold

LEXICON = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class QuestionLexicon:
    abbreviations: dict[str, str]
    synonyms: dict[str, str]
    seniority: frozenset[str]
    level: re.Pattern[str]
    job_nouns: frozenset[str]
    components: tuple[tuple[Component, re.Pattern[str]], ...]
    focus_high: re.Pattern[str]
    focus_low: re.Pattern[str]
    exclusions: re.Pattern[str]
    not_names: frozenset[str]
    rival_words: re.Pattern[str]
    not_claims: frozenset[str]
    referring: re.Pattern[str]
    all_roles: re.Pattern[str]
    desire_words: re.Pattern[str]
    context: dict[str, frozenset[str]]  # the words around names, by use (see lexicon.yaml)
    job_introducers: frozenset[tuple[str, str]]
    place_words: dict[tuple[str, ...], str]  # "head office" -> "hq", "wfh" -> "remote"
    fillers: frozenset[str]
    verb_endings: tuple[str, ...]
    second_ask: re.Pattern[str]  # where a second ask can start in a message
    approximately: re.Pattern[str]
    figure_links: re.Pattern[str]
    label_links: re.Pattern[str]
    rate: re.Pattern[str]
    money_exclusions: re.Pattern[str]
    slot_components: tuple[str, ...]  # fill the examples' {component} slots
    extra_kinds: tuple[tuple[str, re.Pattern[str]], ...]  # "night differential", "ot rate"
    asked_periods: tuple[tuple[str, re.Pattern[str]], ...]  # "how much a year", "monthly?"

    def asked_period(self, text: str) -> str | None:
        """The period a question asks its figures per, the first one written; None if none."""
        found = [(m.start(), period) for period, pattern in self.asked_periods if (m := pattern.search(text))]
        return min(found)[1] if found else None

    def extras_in(self, text: str) -> list[tuple[int, int, str]]:
        """Pay figures beyond the classic components that `text` asks about, leftmost first."""
        found: list[tuple[int, int, str]] = []
        for kind, pattern in self.extra_kinds:
            for m in pattern.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e, _ in found):
                    found.append((m.start(), m.end(), kind))
        return sorted(found)

    def words(self, text: str) -> list[str]:
        """Tokens a question and a role name are compared by: folded to ASCII lowercase,
        plurals dropped, short forms expanded ("swe" -> "software engineer"), synonyms
        folded ("developer" -> "engineer")."""
        out: list[str] = []
        for token in fold(text.replace("'s ", " ").replace("&", " and ")).split():
            if token not in self.abbreviations and token.endswith("s") and token[:-1] in self.abbreviations:
                token = token[:-1]  # "SWEs", "SREs"
            out.extend(self.word(t) for t in self.abbreviations.get(token, token).split())
        return out

    def word(self, token: str) -> str:
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]  # "PMs" -> "pm", "managers" -> "manager"
        return self.synonyms.get(token, token)

    def components_in(self, text: str) -> list[tuple[int, int, Component]]:
        """Component words in `text`, leftmost first; where two overlap, the more specific."""
        found: list[tuple[int, int, Component]] = []
        for component, pattern in self.components:
            for m in pattern.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e, _ in found):
                    found.append((m.start(), m.end(), component))
        return sorted(found)

    def is_level(self, token: str) -> bool:
        return bool(self.level.fullmatch(token))


@cache
def question_lexicon() -> QuestionLexicon:
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))

    def words(key: str) -> list[str]:
        return [str(w) for w in data[key]]

    return QuestionLexicon(
        abbreviations={str(k): str(v) for k, v in data["abbreviations"].items()},
        synonyms={str(k): str(v) for k, v in data["synonyms"].items()},
        seniority=frozenset(fold(w) for w in words("seniority")),
        level=re.compile(str(data["level_pattern"]), re.I),
        job_nouns=frozenset(words("job_nouns")),
        components=tuple(
            (cast(Component, k), phrase_pattern([str(w) for w in v])) for k, v in data["components"].items()
        ),
        focus_high=phrase_pattern([str(w) for w in data["focus"]["high"]]),
        focus_low=phrase_pattern([str(w) for w in data["focus"]["low"]]),
        exclusions=phrase_pattern(words("exclusions")),
        not_names=frozenset(words("not_names")),
        rival_words=phrase_pattern(words("rival_words")),
        not_claims=frozenset(w.lower() for w in words("not_claims")),
        referring=phrase_pattern(words("referring")),
        all_roles=phrase_pattern(words("all_roles")),
        desire_words=phrase_pattern(words("desire_words")),
        context={k: frozenset(str(w) for w in v) for k, v in data["context_words"].items()},
        job_introducers=frozenset(tuple(str(p).split()) for p in data["job_introducers"]),  # type: ignore[misc]
        place_words={tuple(fold(w).split()): kind for kind in ("hq", "remote") for w in words(f"{kind}_words")},
        fillers=frozenset(words("fillers")),
        verb_endings=tuple(words("verb_endings")),
        second_ask=re.compile(
            rf"(?:{_either(words('second_ask_joints'))})\s*(?=\S)"
            rf"|\s+and\s+(?=(?:{_either(words('second_ask_starters'))})\b)",
            re.I,
        ),
        approximately=re.compile(rf"(?<!\w)(?:{_either(words('approximately'))})\s*$", re.I),
        figure_links=re.compile(rf"^\s*(?:(?:{_either(words('figure_links'))})\s+)*$", re.I),
        label_links=re.compile(rf"^\s*(?:(?:{_either(words('label_links'))})\s*)*$", re.I),
        rate=re.compile(
            rf"\s*(?:/\s*(?:{_either(words('rate_units'))})\b|" + phrase_pattern(words("rate_words")).pattern + ")",
            re.I,
        ),
        money_exclusions=exclusion_pattern(words("money_exclusions")),
        slot_components=tuple(words("slot_components")),
        extra_kinds=tuple((str(k), phrase_pattern([str(w) for w in v])) for k, v in data["extra_kinds"].items()),
        asked_periods=tuple((str(k), phrase_pattern([str(w) for w in v])) for k, v in data["asked_periods"].items()),
    )


def _either(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)
