"""Words the guide format uses for pay components, and small text helpers shared by the
parser (reading tables and scripts) and the assistant (reading questions)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from index.model import Component

# Ordered most specific first: "sign-on bonus" must win over "bonus", "total comp" over "base".
COMPONENT_WORDS: list[tuple[Component, re.Pattern[str]]] = [
    ("sign_on", re.compile(r"\bsign(?:ing)?[- ]?on(?:\s+bonus)?\b|\bsigning bonus\b", re.I)),
    ("total", re.compile(r"\btotal(?:\s+comp(?:ensation)?)?\b|\btc\b|\bpackage\b|\boverall\b", re.I)),
    ("stock", re.compile(r"\brsus?\b|\bstock\b|\bequity\b|\bshares?\b|\bgrants?\b", re.I)),
    ("bonus", re.compile(r"\bbonus(?:es)?\b", re.I)),
    ("base", re.compile(r"\bbase\b|\bsalary\b|\bsalaries\b|\bcash\b", re.I)),
]

REGION_HEADER = re.compile(r"\b(region|location|market|city|metro|geo|area)\b", re.I)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[A-Z\"“(\[])")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets; "$1.2M" and "Levels.fyi" do not end a sentence."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, text[start : m.start()].strip()))
        start = m.end()
    out.append((start, text[start:].strip()))
    return [(s, t) for s, t in out if t]


def component_of_header(header: str) -> Component | None:
    """The pay component a table column holds, from its header ("Stock (RSU/4yr)" -> stock)."""
    for component, pattern in COMPONENT_WORDS:
        if component != "sign_on" and pattern.search(header):
            return component
    return None


def component_near(text: str, start: int, end: int) -> Component | None:
    """The component a money figure at text[start:end] refers to.

    A word right after the figure ("$245K TC") wins; otherwise the closest component word
    before it in the same clause ("the RSU component at $45K–$48K").
    """
    after = text[end : end + 12]
    for component, pattern in COMPONENT_WORDS:
        m = pattern.search(after)
        if m and m.start() <= 2:
            return component
    before = text[:start]
    best: tuple[int, int, Component] | None = None  # (end position, length, component)
    for component, pattern in COMPONENT_WORDS:
        for m in pattern.finditer(before):
            key = (m.end(), m.end() - m.start(), component)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def city_of(region: str) -> str:
    """ "Detroit, MI (HQ)" -> "Detroit": the short name people use for a region."""
    return re.sub(r"\s*\([^)]*\)", "", region).split(",")[0].strip()


def slugify(text: str) -> str:
    """ "Ingénieur Logiciel" -> "ingenieur-logiciel"; "東京" keeps its letters (a URL may hold
    them); text with no letters or digits gets a short stable hash, never an empty slug."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    kept = len(re.sub(r"[^a-z0-9]", "", ascii_slug))
    if ascii_slug and kept * 2 >= len(re.sub(r"[\W_]", "", text)):  # accents folded away, letters kept
        return ascii_slug
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-") or hashlib.sha1(text.encode()).hexdigest()[:8]
