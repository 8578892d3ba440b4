"""The names a question can use, built from the indexed guides: companies (with the short
names people type), roles (with their acronyms), each guide's regions and places, the
competitors of level-mapping tables, and the guides' own words for pay components.

Rebuilt from the guides whenever the index is: a new guide is understood at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from wordfreq import zipf_frequency

from assistant.nlu.lexicon import LEXICON, question_lexicon
from assistant.nlu.registry import example_words
from index.lexicon import lexicon as guide_lexicon
from index.model import Component, Guide, Pay
from index.parse import region_aliases
from index.places import fold, place_of
from index.text import singular


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    words: tuple[str, ...]  # the role's words without seniority, as questions are compared
    seniority: frozenset[str]  # seniority words in the title itself ("Staff Software Engineer")
    companies: frozenset[str]


@dataclass(frozen=True)
class Company:
    slug: str
    name: str
    roles: tuple[str, ...]  # role slugs with a guide at this company


@dataclass
class Vocabulary:
    """Everything the guides name, keyed the way questions are matched."""

    guides: list[Guide]
    companies: dict[str, Company] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    company_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)  # folded words -> slug
    role_acronyms: dict[str, str] = field(default_factory=dict)  # "tpm" -> role slug
    competitors: dict[tuple[str, ...], str] = field(default_factory=dict)  # folded words -> name
    region_phrases: dict[tuple[str, ...], set[str]] = field(default_factory=dict)  # words -> place keys
    component_words: dict[str, Component] = field(default_factory=dict)  # a guide's own column words
    sources: dict[tuple[str, ...], str] = field(default_factory=dict)  # "levels fyi" -> "Levels.fyi"
    levels: dict[tuple[str, ...], str] = field(default_factory=dict)  # a level row's title -> "guide|guide"
    known_words: set[str] = field(default_factory=set)  # words that are no name (for open-world reading)
    question_words: frozenset[str] = frozenset()  # the intent examples' words: how people ask
    own_words: dict[str, str] = field(default_factory=dict)  # a word only one guide writes -> its id
    written: dict[str, str] = field(default_factory=dict)  # guide id -> all it writes, folded

    @classmethod
    def of(cls, guides: Iterable[Guide]) -> Vocabulary:
        vocab = cls(sorted(guides, key=lambda g: g.id))
        vocab.known_words = _common_words(vocab.guides)
        vocab.question_words = example_words()
        vocab._add_roles()
        vocab._add_companies()
        vocab._add_regions()
        vocab._add_competitors()
        vocab._add_component_words()
        vocab._add_sources()
        vocab._add_levels()
        names = {
            w for table in (vocab.company_phrases, vocab.competitors, vocab.region_phrases) for k in table for w in k
        }
        vocab.known_words -= names
        vocab.own_words = _own_words(vocab.guides, vocab.question_words)
        vocab.written = {g.id: " ".join(fold(t) for t in _all_texts(g)) for g in vocab.guides}
        return vocab

    # -- building ------------------------------------------------------------------------

    def _add_roles(self) -> None:
        lex = question_lexicon()
        by_slug: dict[str, list[Guide]] = defaultdict(list)
        for guide in self.guides:
            by_slug[guide.role_slug].append(guide)
        for slug, guides in by_slug.items():
            # "Software Development Engineer (SDE-1 to Staff)": the notes are no part of the name;
            # nor is a gendered ending ("Schichttechniker:in", "Executivo(a)").
            written = _GENDERED.sub("", guides[0].role)
            name = re.sub(r"\s*\([^)]*\)", "", written).strip() or written
            if not fold(name).strip():  # "허브 운영 (Hub Operations)": the name in Latin letters is the one typed
                name = next((n for n in re.findall(r"\(([^)]*)\)", written) if fold(n).strip()), name)
            words = lex.words(name)
            self.roles[slug] = Role(
                slug=slug,
                name=name,
                words=tuple(w for w in words if w not in lex.seniority and w not in ENGLISH_STOP_WORDS),
                seniority=frozenset(w for w in words if w in lex.seniority),
                companies=frozenset(g.company_slug for g in guides),
            )
        # "TPM", "MLE", "EAE": a role's initials; a shorter tail's ("PM" of "program manager")
        # only where no role's full initials are the same.
        # An acronym that two roles share, or that is an everyday word ("be", "re"), names none.
        full: dict[str, set[str]] = defaultdict(set)
        for role in self.roles.values():
            if len(role.name.split()) >= 2:
                full[_initials(role.name)].add(role.slug)
        for slug, guides in by_slug.items():
            # "Executivo(a) de Contas (Account Executive, SMB …)": the name in brackets, in the
            # role or the title, is said by its initials too ("AE").
            for note in re.findall(r"\(([^)]*)\)", _GENDERED.sub("", f"{guides[0].role} {guides[0].title}")):
                named = note.split(",")[0].strip()
                if 2 <= len(named.split()) <= 4 and all(w[:1].isupper() for w in named.split()):
                    full[_initials(named)].add(slug)
        tails: dict[str, set[str]] = defaultdict(set)
        for role in self.roles.values():
            parts = role.name.split()
            for k in range(1, len(parts) - 1):
                if len(parts) - k >= 3:
                    tails[_initials(" ".join(parts[k:]))].add(role.slug)
        for acronym, slugs in [*full.items(), *((a, s) for a, s in tails.items() if a not in full)]:
            if acronym and len(slugs) == 1 and acronym not in self.known_words:
                self.role_acronyms[acronym] = next(iter(slugs))

    def _add_companies(self) -> None:
        lowercase = self.known_words
        roles: dict[str, list[str]] = defaultdict(list)
        for guide in self.guides:
            roles[guide.company_slug].append(guide.role_slug)
            self.companies[guide.company_slug] = Company(guide.company_slug, guide.company, ())
        self.companies = {s: Company(c.slug, c.name, tuple(sorted(roles[s]))) for s, c in self.companies.items()}
        legal = guide_lexicon().legal_forms
        word_owner: dict[str, set[str]] = defaultdict(set)
        for company in self.companies.values():
            words = tuple(fold(company.name).split())
            self.company_phrases[words] = company.slug
            self.company_phrases[tuple(company.slug.split("-"))] = company.slug
            bare = tuple(w for w in words if w not in legal)
            self.company_phrases[bare] = company.slug
            # People shorten a name to its first words ("Kestrel Bay" for Kestrel Bay
            # Biotherapeutics): each leading run of two or more words names it too.
            for name in (bare, tuple(company.slug.split("-"))):
                for n in range(2, len(name)):
                    self.company_phrases.setdefault(name[:n], company.slug)
            for word in bare:
                word_owner[word].add(company.slug)
        role_words = {w for r in self.roles.values() for w in r.words}
        for word, owners in word_owner.items():
            # A word of one company's name that guides only ever write capitalised is its brand:
            # "lumeret" is Maison Lumeret; "capital" or "software" are words, not names.
            if len(owners) == 1 and len(word) >= 4 and word not in lowercase and word not in role_words:
                self.company_phrases.setdefault((word,), next(iter(owners)))

    def _add_regions(self) -> None:
        for guide in self.guides:
            for pay in guide.pay:
                if _titled_by_heading(pay):
                    continue  # "Sign-on, relocation, retirement": a section's figures, no place
                key = place_key(pay)
                for alias in region_aliases(pay):
                    words = tuple(fold(alias).split())
                    if words not in (("remote",), ("hq",)):  # bare "remote" is each guide's own remote row
                        for said in _said(words):
                            self.region_phrases.setdefault(said, set()).add(key)
                    # "tahoe" for South Lake Tahoe: a name's last word when it is no everyday word
                    if len(words) >= 2 and len(words[-1]) >= 5 and words[-1] not in self.known_words:
                        self.region_phrases.setdefault(words[-1:], set()).add(key)
                    # "hays", "dodge city" for Hays District, Dodge City District: a site named
                    # without the word for sites, when what is left is a name, no everyday word
                    site = tuple(fold(_SITE_WORD.sub("", alias)).split())
                    named = not any(w in ENGLISH_STOP_WORDS for w in site) and not (
                        len(site) == 1 and everyday(site[0])
                    )
                    if site and site != words and named:  # not "rest of" for "Rest of Country"
                        self.region_phrases.setdefault(site, set()).add(key)

    def _add_competitors(self) -> None:
        firsts: dict[str, set[str]] = defaultdict(set)
        for guide in self.guides:
            if guide.level_mapping:
                for name in guide.level_mapping.competitors:
                    words = tuple(fold(name).split())
                    self.competitors[words] = name
                    if len(words) > 1:
                        firsts[words[0]].add(name)
        # "Ather" for Ather Energy, "Brau" for Brau Union Österreich: a first word only one
        # competitor starts with, that is no everyday word nor a place ("Houston Methodist").
        for word, names in firsts.items():
            if len(names) == 1 and len(word) >= 4 and word not in self.known_words and not place_of(word).known:
                self.competitors.setdefault((word,), next(iter(names)))

    def _add_component_words(self) -> None:
        """A guide's own name for a component ("BSPCE (4-yr)") is a word for it in questions."""
        lex = question_lexicon()
        for guide in self.guides:
            for pay in guide.pay[:1]:
                for component, header in pay.labels.items():
                    first = fold(re.sub(r"\([^)]*\)", "", header)).split()[:1]
                    word = first[0] if first else ""
                    if len(word) >= 3 and not lex.components_in(word) and word not in self.known_words:
                        self.component_words[word] = component  # type: ignore[assignment]

    def _add_sources(self) -> None:
        """The data sources guides cite ("Glassdoor", "Levels.fyi"), by the name they start with."""
        companies = {w for phrase in self.company_phrases for w in phrase}
        for guide in self.guides:
            names = [s.name for s in guide.sources] + (guide.declared.data_sources if guide.declared else [])
            for name in names:
                head = re.split(r"\s+(?:\d{4}|[—–-])", name)[0].strip()
                words = tuple(fold(head).split())
                if not words or len(words) > 3 or set(words) & companies:
                    continue  # "Ally Financial 2025 10-K" is the company's own filing, not a site
                self.sources.setdefault(words, head)
                if len(words[0]) >= 5 and words[0] not in self.known_words:
                    self.sources.setdefault(words[:1], head)

    def _add_levels(self) -> None:
        """The titles in level-mapping tables' first column ("Director of Engineering")."""
        found: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for guide in self.guides:
            for row in guide.level_mapping.rows if guide.level_mapping else []:
                found[tuple(fold(row.level).split())].append(guide.id)
        for guide in self.guides:  # the levels and shifts pay rows are keyed by ("SDE-2", "Night shift")
            for name in _row_names(guide):
                found[name].append(guide.id)
        # A title that is also a role's name ("Product Manager") says nothing about levels.
        roles = {tuple(fold(r.name).split()) for r in self.roles.values()}
        self.levels = {k: "|".join(v) for k, v in found.items() if k and k not in roles}

    # -- lookups -------------------------------------------------------------------------

    def guides_for(self, role: str | None = None, company: str | None = None) -> list[Guide]:
        return [
            g
            for g in self.guides
            if (role is None or g.role_slug == role) and (company is None or g.company_slug == company)
        ]

    def guide(self, guide_id: str) -> Guide | None:
        return next((g for g in self.guides if g.id == guide_id), None)

    def writes(self, guide_id: str, name: str) -> bool:
        """Whether the guide writes `name` anywhere (its words in order, folded; a last word
        "Sundays" or "Sunday" alike)."""
        pattern = _written_as(name)
        return pattern is not None and pattern.search(self.written.get(guide_id, "")) is not None


@cache
def _written_as(name: str) -> re.Pattern[str] | None:
    """A name as a pattern over folded text, compiled once per name, not once per guide."""
    words = fold(name).replace("-", " ").split()
    if not words:
        return None
    words[-1] = singular(words[-1])
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(map(re.escape, words)) + r"s?(?!\w)")


_SITE_WORD = re.compile(rf"\s+(?:{guide_lexicon().region_headers.pattern})$", re.I)


def everyday(word: str) -> bool:
    """A word of everyday English (or a stopword): no name of a place, an employer or a product."""
    return word in ENGLISH_STOP_WORDS or zipf_frequency(word, "en") >= RARE_ZIPF


# Words rarer than this in English (Zipf scale: 3.5 is about 3 in a million words) are no
# everyday words: "zlecenie", "buyout", "Norrland" may name a guide; "lose" or "housing" never.
RARE_ZIPF = 3.5


def _own_words(guides: list[Guide], asking: frozenset[str]) -> dict[str, str]:
    """Rare words only one guide writes ("zlecenie", "buyout", "Norrland"), none of them how
    people ask: a question naming no role that uses one is about that guide. An everyday word
    one guide happens to use ("lose") names nothing."""
    writers: dict[str, set[str]] = defaultdict(set)
    for guide in guides:
        texts = [guide.title, *(h.text for h in guide.headings), *(p.text for p in guide.narrative)]
        texts += [f"{lv.name} {lv.script}" for lv in guide.levers] + [f"{p.name} {p.text}" for p in guide.premiums]
        texts += [f"{r.region} {' '.join(r.labels.values())}" for r in guide.pay]
        for word in set(re.findall(r"[a-z][a-z]{3,}", fold(" ".join(texts)))):
            writers[singular(word)].add(guide.id)
    common = set(ENGLISH_STOP_WORDS) | asking | {w for v in _strings(_lexicon_data()) for w in fold(v).split()}
    return {
        w: next(iter(ids))
        for w, ids in writers.items()
        if len(ids) == 1 and w not in common and zipf_frequency(w, "en") < RARE_ZIPF
    }


def _all_texts(guide: Guide) -> list[str]:
    """Everything a guide writes that a question may name: its prose, headings, rows and
    their figures' labels, levers, targets, level mapping and sources."""
    texts = [guide.title, *(h.text for h in guide.headings), *(p.text for p in guide.narrative)]
    texts += [f"{lv.name} {lv.script}" for lv in guide.levers] + [f"{p.name} {p.text}" for p in guide.premiums]
    texts += [f"{r.region} {' '.join(r.aka)} {' '.join(r.labels.values())}" for r in guide.pay]
    texts += [f"{a.label} {a.text}" for r in guide.pay for a in r.extras] + [t.text for t in guide.targets]
    texts += [f"{s.name} {s.detail}" for s in guide.sources]
    if guide.level_mapping:
        texts += guide.level_mapping.competitors
        texts += [f"{row.level} {' '.join(row.equivalents.values())}" for row in guide.level_mapping.rows]
    return texts


def _said(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """A name as people type it too: "tier 2 hub" for "Tier-2 hubs" (hyphens as spaces, the
    last word singular)."""
    spaced = tuple(w for word in words for w in word.split("-") if w)
    forms = {words, spaced}
    for form in list(forms):
        if len(form) > 1 and len(form[-1]) > 3 and form[-1].endswith("s") and not form[-1].endswith("ss"):
            forms.add((*form[:-1], form[-1][:-1]))
    return forms


def _row_names(guide: Guide) -> set[tuple[str, ...]]:
    """Ways a question names a pay row's level or shift: its name without notes ("Clinical
    Nurse II"), and the words that tell it from the guide's other levels ("II", "tier 2")."""
    names: set[tuple[str, ...]] = set()
    role_words = set(fold(_GENDERED.sub("", guide.role)).split())
    for dim in ("level", "schedule"):
        values = {v for p in guide.pay if (v := getattr(p, dim))}
        words = {v: fold(re.sub(r"\([^)]*\)", " ", _GENDERED.sub("", v))).replace(",", " ").split() for v in values}
        common = set.intersection(*(set(w) for w in words.values())) if len(words) > 1 else set()
        for tokens in words.values():
            # "Executivo(a) de Contas Pleno" under the role Executivo(a) de Contas: "Pleno".
            own = tuple(t for t in tokens if t not in role_words and t not in ENGLISH_STOP_WORDS)
            if own and len(own) < len(tokens) and len("".join(own)) > 2:
                names.add(own)
            names.add(tuple(tokens))
            telling = [t for t in tokens if t not in common]
            if telling and (len(telling) > 1 or len(telling[0]) > 2) and not telling[0].isdigit():
                names.add(tuple(telling))
            head = [t for t in tokens if t in common]
            if telling and len(head) >= 2:  # "CN II" for "Clinical Nurse II"
                names.add(("".join(t[0] for t in head), *telling))
            names.update(initial_forms(tokens))
            for row in guide.pay:  # "shift lead" for the Stufe 3 its heading calls so
                if dim == "level" and row.aka and tokens == words.get(row.level or ""):
                    names.update(tuple(fold(ungendered(a)).split()) for a in row.aka)
            if len(tokens) >= 3:
                if dim == "schedule":
                    names.add((*telling[:-1], telling[-1] + "s"))  # "nights"
    return {n for n in names if n}


# Gendered endings of job titles: "Schichttechniker:in", "Brauer*in", "Executivo(a)".
_GENDERED = re.compile(r"(?<=[a-zà-ÿ])(?::in|\*in|/in|_in|\(a\)|\(in\)|\(e\))(?![\w])")


def ungendered(title: str) -> str:
    """ "Schichtführer:in" as people type it: "Schichtführer"."""
    return _GENDERED.sub("", title)


def initial_forms(tokens: list[str]) -> list[tuple[str, ...]]:
    """A title's forms by initials: "research associate i" -> ("ra", "i"); "senior research
    associate" -> ("senior", "ra"); "assistant front office manager" -> ("afom",)."""
    forms: list[tuple[str, ...]] = []
    if len(tokens) >= 3 and re.fullmatch(r"[ivx]+|\d+", tokens[-1]):
        forms.append(("".join(t[0] for t in tokens[:-1]), tokens[-1]))
    if len(tokens) >= 3:
        forms.append((tokens[0], "".join(t[0] for t in tokens[1:])))
        forms.append(("".join(t[0] for t in tokens),))
    return forms


def _titled_by_heading(pay: Pay) -> bool:
    """A row keyed by nothing, labelled by the heading its figures stand under, when that
    heading names kinds of pay ("Ramp and draw", "Outside the CTC"): no place to ask about."""
    return not (pay.where or pay.level or pay.schedule) and guide_lexicon().names_kind(pay.region)


def place_key(pay: Pay) -> str:
    """The region's place identity ("us/ma/boston"); the region's own words when unplaced."""
    return pay.place.key if pay.place is not None and pay.place.known else f"?/{fold(pay.where or pay.region)}"


def _common_words(guides: list[Guide]) -> set[str]:
    """Words that are never a name: English stopwords, the question lexicon's and the intent
    examples' words, and every word the guides write in lower case."""
    words = set(ENGLISH_STOP_WORDS) | _lowercase_words(guides) | example_words()
    words |= {w for value in _strings(_lexicon_data()) for w in fold(value).split()}
    return words


@cache
def _lexicon_data() -> object:
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))


def _strings(data: object) -> list[str]:
    """Every string in a YAML document's values (its comments, which name examples, are not)."""
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [str(data)]


def _initials(name: str) -> str:
    return "".join(w[0] for w in fold(name).split() if w).lower()


def _lowercase_words(guides: list[Guide]) -> set[str]:
    """Words the guides write in lower case somewhere: ordinary words, not names."""
    words: set[str] = set()
    for guide in guides:
        texts = (
            [p.text for p in guide.narrative] + [lv.script for lv in guide.levers] + [p.text for p in guide.premiums]
        )
        for text in texts:
            words |= set(re.findall(r"(?<![\w-])[a-z][a-z]+(?![\w-])", text))
    return words
