"""What a question names, as typed mentions: roles, companies, competitors, places, pay
components, amounts, and — the world being open — roles, companies and places that no
guide covers.

Every mention keeps its span in the question, so the classifier can read the question with
its names masked ("base range for a <role> in <place>") and answers can echo what was typed.
Roles are read by `roles.RoleReader`, places by `placenames.PlaceReader`; this module reads
the rest and puts them together.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from assistant.nlu.amounts import Figure, read_figures
from assistant.nlu.lexicon import question_lexicon
from assistant.nlu.placenames import PlaceReader
from assistant.nlu.roles import RoleReader
from assistant.nlu.tokens import (
    COMPANY_MARKERS,
    CONTEXT,
    PLACE_MARKERS,
    STOPWORDS,
    Mention,
    MentionKind,
    Token,
    claim,
    mention,
    phrases,
    tokenize,
)
from assistant.nlu.vocabulary import Vocabulary
from index.model import Component
from index.places import fold

__all__ = ["Mention", "MentionKind", "Reader", "Reading", "components"]

FUZZY_MIN = 86  # rapidfuzz ratio for a misspelt name word ("charlote", "engeneer")


@dataclass
class Reading:
    """Everything a question names, in order."""

    question: str
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def of(self, *kinds: MentionKind) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def values(self, kind: MentionKind) -> list[str]:
        return list(dict.fromkeys(m.value for m in self.mentions if m.kind == kind))

    def masked(self) -> str:
        """The question with names and amounts replaced by their kind, for the classifier."""
        spans = [(m.start, m.end, f"<{m.kind.removeprefix('unknown_')}>") for m in self.mentions if m.kind in _MASKED]
        spans += [(f.start, f.end, "<amount>") for f in self.figures]
        out, at, last = [], 0, ""
        for start, end, label in sorted(spans):
            if start < at:
                continue
            between = self.question[at:start]
            if label == last and not between.strip(" ,/"):
                at = end  # "Detroit HQ" is one place, "Ally Financial" one company
                continue
            out += [between, label]
            at, last = end, label
        return "".join(out + [self.question[at:]])

    def words_before(self, mention: Mention, n: int = 2) -> list[str]:
        """The last `n` words before a mention, lower-cased, without their punctuation."""
        words = self.question[max(0, mention.start - 20 * n) : mention.start].lower().split()[-n:]
        return [w.strip(_PUNCTUATION) for w in words]


_PUNCTUATION = ".,;:!?()[]\"'“”"
_MASKED = {"role", "company", "competitor", "place", "unknown_role", "unknown_company", "unknown_place"}


class Reader:
    """Reads questions against one index's vocabulary (built once per index)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.lex = question_lexicon()
        # An employer or place no guide covers is a word outside the vocabulary's known words
        # (or one typed with a capital where a name stands).
        self.known = vocab.known_words
        self.role_reader = RoleReader(vocab, self.lex)
        self.place_reader = PlaceReader(vocab, self.lex)
        self.name_words = sorted(
            {w for phrase in vocab.company_phrases for w in phrase}
            | self.role_reader.role_words
            | {w for phrase in vocab.region_phrases for w in phrase}
            | {w for phrase in vocab.competitors for w in phrase}
        )
        self.name_set = frozenset(self.name_words)

    def read(self, question: str) -> Reading:
        reading = Reading(question)
        reading.figures = read_figures(question, self.vocab.component_words)
        tokens = tokenize(question, self.lex)
        roles, places = self.role_reader, self.place_reader
        found = roles.levels(tokens)  # read beside the roles: "Director of Engineering"
        _claim_spans(tokens, [(f.start, f.end) for f in reading.figures], "amount")  # digits are no names
        self._correct(tokens)
        found += phrases(tokens, "competitor", self.vocab.competitors, "exact")
        found += phrases(tokens, "company", self.vocab.company_phrases, "alias")
        found += phrases(tokens, "source", self.vocab.sources, "exact")
        found += places.regions(tokens)
        found += roles.roles(tokens)
        if not any(m.kind in ("role", "unknown_role") for m in found):
            found += roles.role_by_word(tokens, [m.value for m in found if m.kind == "company"])
        names = [(m.start, m.end) for m in found if m.kind in ("role", "company", "competitor")]
        # "rolling stock engineer": a pay word inside a name, or a role's own word just before
        # a role, is part of the name
        role_starts = [m.start for m in found if m.kind == "role"]
        words = [
            w
            for w in self._words(question)
            if not any(s < w.end and w.start < e for s, e in names)
            and not (
                fold(w.text) in self.role_reader.role_words
                and any(0 <= s - w.end <= 10 and " " not in question[w.end : s].strip() for s in role_starts)
            )
        ]
        _claim_spans(tokens, [(w.start, w.end) for w in words if w.kind == "component"], "component")  # "BSPCE"
        found += words
        # A pay row's level or shift ("clinical nurse II", "area supervisor") is no unknown
        # role or employer: its words are claimed before open-world names are looked for.
        levels = [m for m in found if m.kind == "level"]
        found = [m for m in found if not (m.kind in ("unknown_role", "role") and self._within_level(m, levels))]
        _claim_spans(tokens, [(m.start, m.end) for m in levels], "level")
        found += places.places(tokens)
        found += self._unknown_names(tokens)
        reading.mentions = sorted(found, key=lambda m: (m.start, m.end))
        return reading

    def _correct(self, tokens: list[Token]) -> None:
        """Misspelt name words ("softwre", "charlote") take the guide word they nearly are."""
        for token in tokens:
            word = token.folded
            if len(word) < 5 or word in self.known or not word.isalpha():
                continue
            if word in self.name_set:
                continue
            best = process.extractOne(word, self.name_words, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
            if best is not None:
                token.words = [self.lex.word(best[0])]

    def _words(self, question: str) -> list[Mention]:
        """Components, top/bottom of a range, exclusions, references to the last answer."""
        lex = self.lex
        extras = [Mention("extra", k, s, e, "exact", question[s:e]) for s, e, k in lex.extras_in(question)]
        found = [
            Mention("component", c, s, e, "exact", question[s:e])
            for s, e, c in lex.components_in(question)
            if not any(s < x.end and x.start < e for x in extras)  # "commission rate" is no bonus
        ] + extras
        for word, component in self.vocab.component_words.items():  # "bspce", a guide's own name
            for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", question, re.I):
                found.append(Mention("component", component, m.start(), m.end(), "alias", word))
        for kind, pattern, value in (
            ("focus", lex.focus_high, "high"),
            ("focus", lex.focus_low, "low"),
            ("exclusion", lex.exclusions, "except"),
            ("referring", lex.referring, "previous"),
            ("all_roles", lex.all_roles, "every"),
        ):
            found += [Mention(kind, value, m.start(), m.end(), "exact", m.group(0)) for m in pattern.finditer(question)]  # type: ignore[arg-type]
        return found

    def _unknown_names(self, tokens: list[Token]) -> list[Mention]:
        """Names no guide covers: an unexplained word after "at/for/with/vs", a possessive, or
        one before a pay or employer word ("netflix swe salary", "my walmart offer"). A capital
        alone makes no employer: "SAP TM experience" is a skill."""
        found = []
        leading = True  # only fillers and known words so far: "netflix swe salary"
        for i, token in enumerate(tokens):
            if token.claimed or not self._unexplained(token):
                leading = leading and (token.folded in STOPWORDS or token.folded in self.known)
                continue
            before = tokens[i - 1].folded if i else ""
            if self.role_reader.a_job(tokens, i):
                token.claimed = "role"
                found.append(mention("unknown_role", token.text, [token], "open-world"))
                continue
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            before_pay = after is not None and (
                (after.claimed == "role" and leading)
                or bool(self.lex.components_in(after.text))
                or after.folded in _EMPLOYER_AFTER
            )
            skill = after is not None and after.folded in _SKILL_NOUNS  # "guidewire experience" is a skill
            marked = before in COMPANY_MARKERS and (before not in _PIVOTS or i <= 3)  # "and X?" only as a pivot
            leading = False
            if skill or not (marked or before in PLACE_MARKERS or token.possessive or before_pay):
                continue
            window = [token]
            while len(window) < 3 and i + len(window) < len(tokens) and not window[-1].possessive:
                nxt = tokens[i + len(window)]
                if nxt.claimed or not self._unexplained(nxt) or not (nxt.capitalised or token.capitalised):
                    break
                window.append(nxt)
            claim(window, "unknown")
            if before in PLACE_MARKERS and before != "from":
                if not token.capitalised:
                    continue  # "in advance", "in person": the gazetteer knows every lower-case place
                kind: MentionKind = "unknown_place"
            else:
                kind = "unknown_company"
            found.append(mention(kind, " ".join(t.text for t in window), window, "open-world"))
        return found

    def _within_level(self, mention: Mention, levels: list[Mention]) -> bool:
        """A role read inside a level's words ("SDE-3") is that level, unless the role is the
        level's own guide's role."""
        for level in levels:
            if _overlap(mention, level):
                guides = [g for gid in level.value.split("|") if (g := self.vocab.guide(gid)) is not None]
                roles = {g.role_slug for g in guides}
                if mention.kind == "unknown_role" or mention.value not in roles:
                    return True
        return False

    def _unexplained(self, token: Token) -> bool:
        word = token.folded
        if not word.isalpha() or len(word) < 2 or word in self.known or word in STOPWORDS:
            return False
        if word in self.role_reader.role_words:  # "icu" of "ICU Registered Nurse" is no employer
            return False
        if word in self.lex.not_names or word in self.role_reader.job_nouns or self.lex.components_in(word):
            return False
        return not word.endswith(self.lex.verb_endings) or token.capitalised


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _claim_spans(tokens: list[Token], spans: list[tuple[int, int]], kind: str) -> None:
    """Claim the tokens starting inside any of the spans: one pass over both, in order."""
    starts = [t.start for t in tokens]
    for start, end in spans:
        i = bisect.bisect_left(starts, start)
        while i < len(tokens) and tokens[i].start < end:
            tokens[i].claimed = kind
            i += 1


_PIVOTS = CONTEXT["pivots"]
_SKILL_NOUNS = CONTEXT["skill_nouns"]
_EMPLOYER_AFTER = CONTEXT["employer_after"]


def components(reading: Reading) -> list[Component]:
    return [m.value for m in reading.of("component")]  # type: ignore[misc]
