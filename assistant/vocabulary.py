"""The names a question can use, built from the indexed guides: companies, roles, regions and
competitors, each with the aliases people type (abbreviations, nicknames, typos).

A guide added to the index is understood as soon as the vocabulary is rebuilt from it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from assistant.aliases import (
    JOB_NOUNS,
    KNOWN_EMPLOYERS,
    KNOWN_PLACES,
    LEVEL_NUMERALS,
    PLACE_NICKNAMES,
    ROLE_ABBREVIATIONS,
    ROLE_SYNONYMS,
    SENIORITY_WORDS,
    US_STATES,
)
from index.model import Guide

# Two-letter state codes that are also everyday words are only read as states in capitals.
_WORDLIKE_STATES = {"in", "me", "or", "hi", "oh", "ok", "la", "de", "co", "pa", "ma", "id", "al", "ga", "ne", "ct"}
_STOP = frozenset("a an the at in for of to as and or i my me what how do doe with on about".split())
FUZZY_CUTOFF = 86  # rapidfuzz ratio; catches "softwre engeneer", not "product" for "project"
MAX_NGRAM = 6  # the longest title or place phrase matched as one


def tokens_of(text: str) -> list[str]:
    """Lowercased word tokens with abbreviations expanded and synonyms folded."""
    text = text.lower().replace("&", " and ").replace("'s", "")
    out: list[str] = []
    for token in re.findall(r"[a-z0-9]+(?:\.[a-z0-9]+)*", text):
        if len(token) > 2 and token.endswith("s") and not token.endswith("ss") and not token.isdigit():
            token = token[:-1]  # "PMs" -> "pm", "managers" -> "manager" (same on both sides)
        expanded = ROLE_ABBREVIATIONS.get(token, token)
        out.extend(ROLE_SYNONYMS.get(t, t) for t in expanded.split())
    return out


@dataclass(frozen=True)
class Match:
    value: str  # the canonical thing matched: role slug, region name, company slug, competitor
    start: int  # token span in tokens_of(question)
    end: int


class _Phrases:
    """Token phrases -> values, with exact n-gram lookup first and fuzzy matching second."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._by_length: dict[int, list[str]] | None = None  # fuzzy choices, built on first use

    def add(self, phrase: str | Iterable[str], value: str) -> None:
        words = tuple(tokens_of(phrase) if isinstance(phrase, str) else phrase)
        if words and len(words) <= MAX_NGRAM:
            self.exact[words].add(value)
            self._by_length = None

    def find(self, words: list[str], fuzzy: bool = True) -> list[Match]:
        matches: list[Match] = []
        taken = [False] * len(words)
        by_length = self._by_length
        if by_length is None:  # built whole, then published: concurrent readers never see it half-filled
            by_length = defaultdict(list)
            for phrase in self.exact:
                by_length[len(phrase)].append(" ".join(phrase))
            self._by_length = by_length
        for n in range(MAX_NGRAM, 0, -1):  # longest first: "new york" before "york"
            for i in range(len(words) - n + 1):
                if any(taken[i : i + n]):
                    continue
                gram = tuple(words[i : i + n])
                values = self.exact.get(gram)
                if values is None and fuzzy and n in by_length and len(" ".join(gram)) >= 6 and not set(gram) <= _STOP:
                    best = process.extractOne(
                        " ".join(gram), by_length[n], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
                    )
                    values = self.exact[tuple(best[0].split())] if best else None
                if values:
                    matches.extend(Match(v, i, i + n) for v in sorted(values))
                    taken[i : i + n] = [True] * n
        return sorted(matches, key=lambda m: m.start)


@dataclass(frozen=True)
class Reading:
    roles: list[str]
    regions: list[str]
    companies: list[str]
    competitors: list[str]
    seniority: str | None
    unknown: list[str]  # employers, places and job titles named that no guide covers


# Folded the way questions are ("Goldman Sachs" -> "goldman sach"), so they match.
_OTHER_NAMES = {name: " ".join(tokens_of(name)) for name in sorted(KNOWN_EMPLOYERS | KNOWN_PLACES)}


def _seniority(words: list[str], roles: list[Match]) -> str | None:
    said = [SENIORITY_WORDS[w] for w in words if w in SENIORITY_WORDS]
    for m in roles:  # "Software Engineer II": a numeral right after a role
        if m.end < len(words) and words[m.end] in LEVEL_NUMERALS:
            said.append(LEVEL_NUMERALS[words[m.end]])
    return " ".join(dict.fromkeys(said)) or None


def _unknown(words: list[str], known_matches: list[Match], roles: list[Match]) -> list[str]:
    joined = f" {' '.join(words)} "
    known = {w for m in known_matches for w in words[m.start : m.end]}
    unknown = [
        name for name, folded in _OTHER_NAMES.items() if f" {folded} " in joined and not set(folded.split()) <= known
    ]
    role_words = {w for m in roles for w in words[m.start : m.end]}
    for i, word in enumerate(words):
        if word in JOB_NOUNS and word not in role_words and word not in SENIORITY_WORDS:
            phrase = [w for w in words[max(0, i - 2) : i] if w not in _STOP and w not in SENIORITY_WORDS]
            unknown.append(" ".join([*phrase, word]))
    return unknown


class Vocabulary:
    def __init__(self, guides: Iterable[Guide]) -> None:
        self.guides = sorted(guides, key=lambda g: g.id)
        self.companies = {g.company_slug: g.company for g in self.guides}
        self.roles = {g.role_slug: g.role for g in self.guides}
        self.regions = list(dict.fromkeys(r for g in self.guides for r in g.regions))
        self.competitors = list(
            dict.fromkeys(c for g in self.guides if g.level_mapping for c in g.level_mapping.competitors)
        )
        self._roles, self._regions, self._companies, self._competitors = _Phrases(), _Phrases(), _Phrases(), _Phrases()
        self._add_roles()
        self._add_regions()
        for slug, name in self.companies.items():
            self._companies.add(name, slug)
            self._companies.add(slug.replace("-", " "), slug)
            words = tokens_of(name)
            firsts = [tokens_of(n)[:1] for n in self.companies.values()]
            if words and len(words[0]) >= 4 and firsts.count(words[:1]) == 1:  # "Acme" for "Acme Corp"
                self._companies.add(words[:1], slug)
        for name in self.competitors:
            self._competitors.add(name, name)

    def _add_roles(self) -> None:
        suffixes: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for slug, name in self.roles.items():
            words = tokens_of(name)
            self._roles.add(words, slug)
            if len(words) >= 2:
                self._roles.add([("".join(w[0] for w in name.split())).lower()], slug)  # TPM, EM, PM
            for k in range(1, len(words)):
                suffixes[tuple(words[k:])].add(slug)
        for suffix, slugs in suffixes.items():
            # "architect" or "program manager" name a role only where one role ends that way;
            # "manager" alone stays ambiguous and matches every role ending in it.
            if len(slugs) == 1 or suffix[-1] in JOB_NOUNS:
                for slug in slugs:
                    if suffix not in self._roles.exact:
                        self._roles.add(suffix, slug)

    def _add_regions(self) -> None:
        nicknames: dict[str, list[str]] = defaultdict(list)
        for nickname, city in PLACE_NICKNAMES.items():
            nicknames[city].append(nickname)
        states: dict[str, set[str]] = defaultdict(set)
        for region in self.regions:
            self._regions.add(region, region)
            bare = re.sub(r"\s*\([^)]*\)", "", region).strip()
            city, _, state = (p.strip() for p in bare.partition(","))
            self._regions.add(bare, region)
            self._regions.add(city, region)
            for nickname in nicknames.get(city.lower(), []):
                self._regions.add(nickname, region)
            if "(hq)" in region.lower():
                for word in ("hq", "headquarters", "head office"):
                    self._regions.add(word, region)
            if state.lower() in US_STATES:
                states[state.lower()].add(region)
        for code, regions in states.items():
            if len(regions) == 1:  # "Michigan" names a region only if one region is in it
                (region,) = regions
                self._regions.add(US_STATES[code], region)
                if code not in _WORDLIKE_STATES:
                    self._regions.add(code, region)

    # -- lookups -------------------------------------------------------------------------

    def read(self, text: str) -> Reading:
        """Everything the vocabulary finds in a question, tokenizing and matching once."""
        words = tokens_of(text)
        roles = self._roles.find(words)
        regions = self._regions.find(words)
        companies = self._companies.find(words, fuzzy=False)
        competitors = self._competitors.find(words, fuzzy=False)
        return Reading(
            roles=list(dict.fromkeys(m.value for m in roles)),
            regions=list(dict.fromkeys(m.value for m in regions)),
            companies=list(dict.fromkeys(m.value for m in companies)),
            competitors=list(dict.fromkeys(m.value for m in competitors)),
            seniority=_seniority(words, roles),
            unknown=_unknown(words, roles + regions + companies + competitors, roles),
        )

    def guides_for(self, role: str | None = None, company: str | None = None) -> list[Guide]:
        return [
            g
            for g in self.guides
            if (role is None or g.role_slug == role) and (company is None or g.company_slug == company)
        ]
