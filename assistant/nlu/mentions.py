"""What a question names, as typed mentions: roles, companies, competitors, places, pay
components, amounts, and — the world being open — roles, companies and places that no
guide covers.

Every mention keeps its span in the question, so the classifier can read the question with
its names masked ("base range for a <role> in <place>") and answers can echo what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from assistant.nlu.amounts import Figure, read_figures
from assistant.nlu.lexicon import question_lexicon
from assistant.nlu.vocabulary import Vocabulary
from index.model import Component, Place
from index.places import fold, gazetteer, region_place

MentionKind = Literal[
    "role",
    "company",
    "competitor",
    "place",
    "component",
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
# A city that is not a guide's region is read as a place when typed with a capital, after
# "in", or when it is a city this big: "in mobile" is Mobile, "mobile engineer" is not.
BIG_CITY = 100_000
_CONTEXT = question_lexicon().context
PLACE_MARKERS = _CONTEXT["place_markers"]
# After these, an unexplained word is an employer: "at X", "vs X", and the pivots of a
# follow-up ("what about X", "and X?").
COMPANY_MARKERS = _CONTEXT["company_markers"]
FUZZY_MIN = 86  # rapidfuzz ratio for a misspelt name word ("charlote", "engeneer")


@dataclass(frozen=True)
class Mention:
    kind: MentionKind
    value: str  # role slug, company slug, competitor name, place key, component, "high"/"low", …
    start: int  # character span in the question
    end: int
    how: str  # exact, acronym, alias, partial, fuzzy, gazetteer, open-world
    text: str  # as typed
    place: Place | None = None  # for places: where it is


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


_MASKED = {"role", "company", "competitor", "place", "unknown_role", "unknown_company", "unknown_place"}


@dataclass
class _Token:
    text: str  # as typed
    start: int
    end: int
    words: list[str]  # normalised words (an abbreviation may stand for several)
    claimed: str = ""  # what reading took it as ("role", "place", …); empty while free

    @property
    def folded(self) -> str:
        return fold(self.text)


_TOKEN = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*")


class Reader:
    """Reads questions against one index's vocabulary (built once per index)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.lex = question_lexicon()
        # An employer or place no guide covers is a word outside the vocabulary's known words
        # (or one typed with a capital where a name stands).
        self.known = vocab.known_words
        # A job phrase ends in a job noun, or in the last word of a title the guides hold
        # ("Data Wrangler", "Ingénieur Logiciel").
        self.job_nouns = self.lex.job_nouns | {r.words[-1] for r in vocab.roles.values() if r.words}
        self.name_words = sorted(
            {w for phrase in vocab.company_phrases for w in phrase}
            | {w for r in vocab.roles.values() for w in r.words}
            | {w for phrase in vocab.region_phrases for w in phrase}
            | {w for phrase in vocab.competitors for w in phrase}
        )

    # -- tokens ----------------------------------------------------------------------------

    def _tokens(self, question: str) -> list[_Token]:
        tokens = []
        for m in _TOKEN.finditer(question):
            text = m.group(0).rstrip("'’")
            folded = fold(text)
            if not folded:
                continue
            tokens.append(_Token(text, m.start(), m.start() + len(text), self.lex.words(text)))
        return tokens

    def _correct(self, tokens: list[_Token]) -> None:
        """Misspelt name words ("softwre", "charlote") take the guide word they nearly are."""
        for token in tokens:
            word = token.folded
            if len(word) < 5 or word in self.known or word in self.name_words or not word.isalpha():
                continue
            best = process.extractOne(word, self.name_words, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
            if best is not None:
                token.words = [self.lex.word(best[0])]

    # -- reading ---------------------------------------------------------------------------

    def read(self, question: str) -> Reading:
        reading = Reading(question)
        reading.figures = read_figures(question, self.vocab.component_words)
        tokens = self._tokens(question)
        reading.mentions += self._levels(tokens)  # read beside the roles: "Director of Engineering"
        for token in tokens:  # figures are read already: their digits are no names
            if any(f.start <= token.start < f.end for f in reading.figures):
                token.claimed = "amount"
        self._correct(tokens)
        found = reading.mentions
        found += self._phrases(tokens, "competitor", self.vocab.competitors, "exact")
        found += self._phrases(tokens, "company", self.vocab.company_phrases, "alias")
        found += self._phrases(tokens, "source", self.vocab.sources, "exact")
        found += self._regions(tokens)
        found += self._roles(tokens)
        if not any(m.kind in ("role", "unknown_role") for m in found):
            found += self._role_by_word(tokens, [m.value for m in found if m.kind == "company"])
        words = self._words(question)
        for token in tokens:  # a component word ("BSPCE") is no name
            if any(m.kind == "component" and m.start <= token.start < m.end for m in words):
                token.claimed = "component"
        found += words
        found += self._places(tokens)
        found += self._unknown_names(tokens)
        reading.mentions = sorted(found, key=lambda m: (m.start, m.end))
        return reading

    def _phrases(self, tokens: list[_Token], kind: MentionKind, table: dict, how: str) -> list[Mention]:
        """Longest-first n-gram lookup of folded words in `table` (phrase -> value)."""
        found = []
        for n in range(4, 0, -1):
            for i in range(len(tokens) - n + 1):
                window = tokens[i : i + n]
                if any(t.claimed for t in window):
                    continue
                key = tuple(w for t in window for w in fold(t.text).split())
                value = table.get(key)
                if value is None:
                    key = tuple(w for t in window for w in t.words)
                    value = table.get(key)
                if value is None:
                    continue
                for t in window:
                    t.claimed = kind
                found.append(self._mention(kind, value, window, how))
        return found

    def _levels(self, tokens: list[_Token]) -> list[Mention]:
        """Titles from level-mapping tables, without taking their words from the roles."""
        found: list[Mention] = []
        for n in range(5, 1, -1):
            for i in range(len(tokens) - n + 1):
                window = tokens[i : i + n]
                guides = self.vocab.levels.get(tuple(t.folded for t in window))
                if guides and not any(m.start <= window[0].start < m.end for m in found):
                    found.append(self._mention("level", guides, window, "exact"))
        return found

    def _mention(
        self, kind: MentionKind, value: str, window: list[_Token], how: str, place: Place | None = None
    ) -> Mention:
        start, end = window[0].start, window[-1].end
        return Mention(kind, value, start, end, how, " ".join(t.text for t in window), place)

    def _regions(self, tokens: list[_Token]) -> list[Mention]:
        """A guide's region as typed ("charlotte", "nyc", "hq", "remote", "bay area")."""
        found = []
        phrases = {k: "|".join(sorted(v)) for k, v in self.vocab.region_phrases.items()}
        for mention in self._phrases(tokens, "place", phrases, "alias"):
            for key in mention.value.split("|"):  # "Portland" may be Oregon's in one guide, Maine's in another
                found.append(Mention("place", key, mention.start, mention.end, "alias", mention.text))
        for token in tokens:
            if token.claimed:
                continue
            if token.folded in ("hq", "headquarters"):
                token.claimed = "place"
                found.append(self._mention("place", "hq", [token], "alias"))
            elif token.folded in ("remote", "remotely", "wfh"):
                token.claimed = "place"
                found.append(self._mention("place", "remote", [token], "alias"))
        return found

    def _places(self, tokens: list[_Token]) -> list[Mention]:
        """Places from the gazetteer that no guide's region is: known to be places, so a
        question about one is not answered with another place's figures."""
        found = []
        gaz = gazetteer()
        for n in range(3, 0, -1):
            for i in range(len(tokens) - n + 1):
                window = tokens[i : i + n]
                if any(t.claimed for t in window):
                    continue
                text = " ".join(t.text for t in window)
                words = fold(text).split()
                capital = all(t.text[:1].isupper() for t in window)
                marked = i > 0 and tokens[i - 1].folded in PLACE_MARKERS
                if not capital and any(w in self.known for w in words):
                    continue
                if not capital and not marked and fold(text) not in gaz.own_names and not gaz.region(text):
                    continue  # an alternate spelling typed as a word ("rest") is not a city
                if (
                    len(words) == 1
                    and len(words[0]) <= 2
                    and words[0] in self.known
                    and not (text.isupper() and marked)
                ):
                    continue  # "in", "or", "me" are words; "NY" after "in" is a state
                if len(words) == 1 and len(words[0]) == 2:  # "NY", "ny": a state or a country
                    region = gaz.region(text)
                    place = region_place(region, region.name) if region is not None else None
                else:
                    place = gaz.lookup(text, min_population=0 if capital or marked else BIG_CITY)
                if place is None:
                    continue
                for t in window:
                    t.claimed = "place"
                found.append(self._mention("place", place.key, window, "gazetteer", place))
        return found

    def _roles(self, tokens: list[_Token]) -> list[Mention]:
        """Job phrases: runs of role words and job nouns ("engineering manger", "staff eng",
        "quant dev", "SRE"), read against the indexed roles. A phrase whose words fit no role
        is a role no guide covers; one that fits several equally is left to the company."""
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            if tokens[i].claimed or not self._heads(tokens[i]):
                i += 1
                continue
            end = i
            while (
                end + 1 < len(tokens)
                and not tokens[end + 1].claimed
                and (self._heads(tokens[end + 1]) or self._role_word(tokens[end + 1]))
            ):
                end += 1
            while end > i and not self._heads(tokens[end]) and not self.lex.is_level(tokens[end].folded):
                end -= 1  # the phrase ends at its last job noun (or a level after it)
            start = i
            while start > 0 and i - start < 4 and self._modifier(tokens[start - 1]):
                start -= 1
            window = tokens[start : end + 1]
            mentions = self._role_of(window)
            if not any(m.kind == "role" and m.how == "exact" for m in mentions):
                # "bonjour product designer", "counteroffer email swe": words before a phrase
                # that names a role exactly are not part of it. ("qa engineer" stays unknown:
                # "engineer" alone names no role exactly.)
                for shorter_start in range(start + 1, i + 1):
                    shorter = self._role_of(tokens[shorter_start : end + 1])
                    if any(m.kind == "role" and m.how == "exact" for m in shorter):
                        start, window, mentions = shorter_start, tokens[shorter_start : end + 1], shorter
                        break
            if any(m.kind == "unknown_role" for m in mentions) and self._not_asked(tokens, start, end):
                # "my recruiter", "the ally recruiter", "director of product is what at…": someone
                # in the story. Only the job words are taken; the words before stay to be read.
                for t in tokens[i : end + 1]:
                    t.claimed = "person"
            else:
                found += mentions
                for t in window:
                    t.claimed = "role"
            i = end + 1
        return found

    def _role_by_word(self, tokens: list[_Token], companies: list[str]) -> list[Mention]:
        """ "elbreach backend base": with no job noun, a word only one of the named company's
        roles has ("backend" of Backend Engineer there) names that role."""
        if len(companies) != 1 or companies[0] not in self.vocab.companies:
            return []
        roles = [self.vocab.roles[r] for r in self.vocab.companies[companies[0]].roles]
        for token in tokens:
            if token.claimed or token.folded in _STOPWORDS or len(token.folded) < 3:
                continue
            fitting = [r for r in roles if any(_fits(w, word) for w in token.words for word in r.words)]
            if len(fitting) == 1 and not any(w in self.job_nouns for w in token.words):
                token.claimed = "role"
                return [self._mention("role", fitting[0].slug, [token], "word")]
        return []

    def _acronym(self, token: _Token) -> str | None:
        """The role slug a token abbreviates ("tpm", "TPMs"), if it is a role's acronym."""
        acronyms = self.vocab.role_acronyms
        return acronyms.get(token.folded) or (acronyms.get(token.folded[:-1]) if token.folded.endswith("s") else None)

    def _heads(self, token: _Token) -> bool:
        """A job noun ("engineer", "manager") or a role's acronym ("tpm", "eae")."""
        return self._acronym(token) is not None or token.words[-1] in self.job_nouns

    def _role_word(self, token: _Token) -> bool:
        return bool(token.words) and (
            any(_fits(w, r) for w in token.words for role in self.vocab.roles.values() for r in role.words)
            or token.folded in self.lex.seniority
            or self.lex.is_level(token.folded)
        )

    @staticmethod
    def _not_asked(tokens: list[_Token], start: int, end: int) -> bool:
        """Whether a job phrase no guide covers is someone in the story rather than the role
        asked about: after "my/the" (past a company's name: "the ally recruiter"), or a lone
        job noun not introduced as one's role ("as a nurse", "nurse salary")."""
        k = start - 1
        while k >= 0 and tokens[k].claimed:
            k -= 1
        before = tokens[k].folded if k >= 0 else ""
        after = tokens[end + 1].folded if end + 1 < len(tokens) else ""
        if before in _PEOPLE_DETERMINERS and after not in ("role", "job", "position"):
            return True
        introduced = bool({t.folded for t in tokens[max(0, start - 2) : start]} & _INTRODUCERS)
        return start == end and not introduced and after not in _ROLE_CONTEXT

    def _modifier(self, token: _Token) -> bool:
        """A word that can qualify a job ("platform", "qa"): not a question's own words."""
        word = token.folded
        if token.claimed or not word.isalpha() or word in self.lex.not_names or word in _STOPWORDS:
            return False
        if word in self.vocab.question_words and not self._role_word(token):
            return False
        if word in COMPANY_MARKERS or word in PLACE_MARKERS:
            return False
        return (
            not self.lex.components_in(token.text)
            and not self.lex.focus_high.fullmatch(word)
            and not (self.lex.focus_low.fullmatch(word))
        )

    def _role_of(self, window: list[_Token]) -> list[Mention]:
        lex = self.lex
        slugs = {id(t): self._acronym(t) for t in window}
        words = [w for t in window for w in ([f"={slugs[id(t)]}"] if slugs[id(t)] else t.words)]
        acronyms = [w[1:] for w in words if w.startswith("=")]
        seniority = {w for w in words if w in lex.seniority or lex.is_level(w)}
        core = [w for w in words if w not in seniority and not w.startswith("=") and w not in _GENERIC_HEADS]
        start, end, text = window[0].start, window[-1].end, " ".join(t.text for t in window)
        mentions = [
            Mention("seniority", w, start, end, "exact", text) for w in sorted(seniority - {"level", "regular"})
        ]
        scored = []
        # "senior pm": the acronym's words, with the seniority said, may be another role's
        # whole title ("Senior Product Manager"); both stay candidates for the company to pick.
        expanded = {w for slug in acronyms for w in self.vocab.roles[slug].words}
        for role in self.vocab.roles.values():
            if acronyms and role.slug not in acronyms and not (role.seniority and set(role.words) == expanded):
                continue
            if not role.seniority <= seniority:
                continue  # "software engineer" is not the "Staff Software Engineer" guide
            if not all(any(_fits(w, r) for r in role.words) for w in core):
                continue
            covered = {r for r in role.words if any(_fits(w, r) for w in core)}
            full = bool(acronyms) or covered == set(role.words)
            scored.append(((full, len(role.seniority), len(covered)), role))
        if not scored:
            if core or acronyms:
                return mentions + [Mention("unknown_role", text, start, end, "open-world", text)]
            return mentions
        scored.sort(key=lambda t: t[0], reverse=True)
        if scored[0][0][0]:  # exact: every title that fits whole, best first (the company picks)
            return mentions + [Mention("role", r.slug, start, end, "exact", text) for score, r in scored if score[0]]
        best = scored[0][0]
        return mentions + [Mention("role", r.slug, start, end, "partial", text) for score, r in scored if score == best]

    def _words(self, question: str) -> list[Mention]:
        """Components, top/bottom of a range, exclusions, references to the last answer."""
        lex = self.lex
        found = [Mention("component", c, s, e, "exact", question[s:e]) for s, e, c in lex.components_in(question)]
        for word, component in self.vocab.component_words.items():  # "bspce", a guide's own name
            for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", fold(question)):
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

    def _unknown_names(self, tokens: list[_Token]) -> list[Mention]:
        """Names no guide covers: an unexplained word after "at/for/with/vs", a possessive, or
        one before a pay or employer word ("netflix swe salary", "my walmart offer"). A capital
        alone makes no employer: "SAP TM experience" is a skill."""
        found = []
        for i, token in enumerate(tokens):
            if token.claimed or not self._unexplained(token):
                continue
            before = tokens[i - 1].folded if i else ""
            if self._a_job(tokens, i):
                token.claimed = "role"
                found.append(self._mention("unknown_role", token.text, [token], "open-world"))
                continue
            possessive = token.text.endswith(("'s", "’s"))
            leading = i == 0 or all(self._filler(t) for t in tokens[:i])
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            before_pay = after is not None and (
                (after.claimed == "role" and leading)
                or self.lex.components_in(after.text)
                or after.folded in _EMPLOYER_AFTER
            )
            skill = after is not None and after.folded in _SKILL_NOUNS  # "guidewire experience" is a skill
            marked = before in COMPANY_MARKERS and (before not in _PIVOTS or i <= 3)  # "and X?" only as a pivot
            if skill or not (marked or before in PLACE_MARKERS or possessive or before_pay):
                continue
            window = [token]
            while len(window) < 3 and i + len(window) < len(tokens):
                nxt = tokens[i + len(window)]
                if (
                    nxt.claimed
                    or not self._unexplained(nxt)
                    or (not nxt.text[:1].isupper() and not token.text[:1].isupper())
                ):
                    break
                window.append(nxt)
            for t in window:
                t.claimed = "unknown"
            text = " ".join(t.text for t in window).removesuffix("'s").removesuffix("’s")
            if before in PLACE_MARKERS and before != "from":
                if not token.text[:1].isupper():
                    continue  # "in advance", "in person": the gazetteer knows every lower-case place
                kind: MentionKind = "unknown_place"
            else:
                kind = "unknown_company"
            found.append(Mention(kind, text, window[0].start, window[-1].end, "open-world", text))
        return found

    def _a_job(self, tokens: list[_Token], i: int) -> bool:
        """An unexplained word in a job's place: "as a barista", "I'm an astronomer", "how much
        does a barista make". ("a Zorvex offer" stays an employer: offers come from employers.)"""
        before = [t.folded for t in tokens[max(0, i - 2) : i]]
        after = tokens[i + 1].folded if i + 1 < len(tokens) else ""
        introduced = before[-2:] in (["as", "a"], ["as", "an"], ["im", "a"], ["im", "an"], ["am", "a"], ["am", "an"])
        articled = bool(before) and before[-1] in ("a", "an") and after in _JOB_VERBS
        return introduced or articled

    def _unexplained(self, token: _Token) -> bool:
        word = token.folded.removesuffix("'s")
        if not word.isalpha() or len(word) < 2 or word in self.known or word in _STOPWORDS:
            return False
        if word in self.lex.not_names or word in self.lex.job_nouns or self.lex.components_in(word):
            return False
        return not word.endswith(("ing", "ed", "ly")) or token.text[:1].isupper()

    def _filler(self, token: _Token) -> bool:
        return token.folded in _STOPWORDS or token.folded in self.known


def _fits(word: str, role_word: str) -> bool:
    """A question word fits a role word: equal, or a short form of it ("eng", "quant")."""
    return word == role_word or (len(word) >= 3 and role_word.startswith(word))


_GENERIC_HEADS = _CONTEXT["generic_heads"]
_PEOPLE_DETERMINERS = _CONTEXT["people_determiners"]
_ROLE_CONTEXT = _CONTEXT["role_context"]
_INTRODUCERS = _CONTEXT["introducers"]
_PIVOTS = _CONTEXT["pivots"]
_SKILL_NOUNS = _CONTEXT["skill_nouns"]
_JOB_VERBS = _CONTEXT["job_verbs"]
_EMPLOYER_AFTER = _CONTEXT["employer_after"]
# A short general-English stopword list (scikit-learn's), for telling names from words.
_STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "im",
    "ive",
    "id",
    "dont",
    "whats",
    "hows",
    "u",
    "ur",
    "pls",
    "plz",
    "thx",
}


def components(reading: Reading) -> list[Component]:
    return [m.value for m in reading.of("component")]  # type: ignore[misc]
