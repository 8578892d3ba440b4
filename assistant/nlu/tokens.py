"""The pieces every reader of a question shares: tokens (with what has claimed them), the
typed mentions they become, and the longest-first phrase lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from assistant.nlu.lexicon import QuestionLexicon, question_lexicon
from index.model import Place
from index.places import fold

MentionKind = Literal[
    "role",
    "company",
    "competitor",
    "place",
    "component",
    "extra",
    "focus",
    "seniority",
    "exclusion",
    "referring",
    "unknown_role",
    "unknown_company",
    "unknown_place",
    "source",
    "all_roles",
    "level",
]


@dataclass(frozen=True)
class Mention:
    kind: MentionKind
    value: str  # role slug, company slug, competitor name, place key, component, "high"/"low", …
    start: int  # character span in the question
    end: int
    how: str  # exact, acronym, alias, partial, fuzzy, gazetteer, open-world
    text: str  # as typed
    place: Place | None = None  # for places: where it is
    possessive: bool = False  # typed with "'s": "Google's offer" names the employer


@dataclass
class Token:
    text: str  # as typed, without a possessive "'s"
    start: int
    end: int
    words: list[str]  # normalised words (an abbreviation may stand for several)
    folded: str  # lower-case ASCII
    before: str  # the characters between the previous token and this one (", ", " — ")
    possessive: bool = False  # typed with "'s" / "’s"
    initial: bool = False  # first of its sentence: its capital says nothing about it being a name
    claimed: str = ""  # what reading took it as ("role", "place", …); empty while free

    @property
    def capitalised(self) -> bool:
        """Typed with a capital where a word would not have one."""
        return self.text[:1].isupper() and not self.initial


_TOKEN = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.I)
_SENTENCE_END = re.compile(r"[.?!:\n]")


def tokenize(question: str, lex: QuestionLexicon | None = None) -> list[Token]:
    lex = lex or question_lexicon()
    tokens: list[Token] = []
    at = 0
    for m in _TOKEN.finditer(question):
        text = m.group(0).rstrip("'’")
        possessive = bool(_POSSESSIVE.search(text)) and len(text) > 2
        if possessive:
            text = text[:-2]
        folded = fold(text)
        if not folded:
            continue
        before = question[at : m.start()]
        initial = not tokens or bool(_SENTENCE_END.search(before))
        tokens.append(
            Token(text, m.start(), m.start() + len(text), lex.words(text), folded, before, possessive, initial)
        )
        at = m.end()
    return tokens


def typed(window: list[Token]) -> str:
    """The words as typed, with what stood between them: "Portland, ME"."""
    return window[0].text + "".join(t.before + t.text for t in window[1:])


def mention(kind: MentionKind, value: str, window: list[Token], how: str, place: Place | None = None) -> Mention:
    text = typed(window)
    return Mention(kind, value, window[0].start, window[-1].end, how, text, place, window[-1].possessive)


def claim(window: list[Token], kind: str) -> None:
    for token in window:
        token.claimed = kind


def phrases(tokens: list[Token], kind: MentionKind, table: dict[tuple[str, ...], str], how: str) -> list[Mention]:
    """Longest-first n-gram lookup of `table` (folded words -> value), by the words as typed
    and then as normalised ("swe" -> "software engineer")."""
    found = []
    longest = max((len(k) for k in table), default=0)
    for n in range(min(4, longest), 0, -1):
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            if any(t.claimed for t in window):
                continue
            value = table.get(tuple(w for t in window for w in t.folded.split()))
            if value is None:
                value = table.get(tuple(w for t in window for w in t.words))
            if value is None:
                continue
            claim(window, kind)
            found.append(mention(kind, value, window, how))
    return found


def fits(word: str, role_word: str) -> bool:
    """A question word fits a role word: equal, or a short form of it ("eng", "quant")."""
    return word == role_word or (len(word) >= 3 and role_word.startswith(word))


CONTEXT = question_lexicon().context
# scikit-learn's short general-English stopword list, and the lexicon's chat fillers ("im", "pls").
STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | question_lexicon().fillers
PLACE_MARKERS = CONTEXT["place_markers"]
# After these, an unexplained word is an employer: "at X", "vs X", and the pivots of a
# follow-up ("what about X", "and X?").
COMPANY_MARKERS = CONTEXT["company_markers"]
