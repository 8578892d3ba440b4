"""Words the version-1 assistant reads questions with. The parser no longer uses them (it has
index/lexicon.yaml); the assistant's rebuild (issue 7) moves question reading into assistant/."""

from __future__ import annotations

import re

from index.model import Component

# Ordered most specific first: "sign-on bonus" must win over "bonus", "total comp" over "base".
COMPONENT_WORDS: list[tuple[Component, re.Pattern[str]]] = [
    ("sign_on", re.compile(r"\bsign(?:ing)?[- ]?on(?:\s+bonus)?\b|\bsigning bonus\b", re.I)),
    ("total", re.compile(r"\btotal(?:\s+comp(?:ensation)?)?\b|\btc\b|\bpackage\b|\boverall\b", re.I)),
    ("stock", re.compile(r"\brsus?\b|\bstock\b|\bequity\b|\bshares?\b|\bgrants?\b", re.I)),
    ("bonus", re.compile(r"\bbonus(?:es)?\b", re.I)),
    ("base", re.compile(r"\bbase\b|\bsalary\b|\bsalaries\b|\bcash\b", re.I)),
]


def city_of(region: str) -> str:
    """ "Detroit, MI (HQ)" -> "Detroit": the short name people use for a region."""
    return re.sub(r"\s*\([^)]*\)", "", region).split(",")[0].strip()
