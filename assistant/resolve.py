"""Which guides, and which of their regions, a question is about — resolved within the company
(and role) it names, never across the index by elimination. A question that names no role may
name its guide by what only that guide has: a place, a level code, a rare word of its own.

`Scope` is what the answer may draw figures from. A name that no guide covers leaves the
scope empty and says what was missing; a question that could mean several guides says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from assistant.answer import Entities
from assistant.nlu.vocabulary import Vocabulary, initial_forms, place_key, ungendered
from index.model import Guide, Pay
from index.places import fold, name_of, place_of
from index.text import singular


@dataclass
class Scope:
    guides: list[Guide] = field(default_factory=list)
    regions: dict[str, list[str]] = field(default_factory=dict)  # guide id -> regions asked (all when absent)
    missing: list[str] = field(default_factory=list)  # what was named but is not covered, as typed
    choices: list[str] = field(default_factory=list)  # "role" / "company" / "region": what to ask for
    # Guides that name the place asked in their own words but in none of their rows ("sales
    # targets are NZ$2.2m in Southland"): answered by quoting those words, not their rows.
    quoting: set[str] = field(default_factory=set)

    def regions_of(self, guide: Guide) -> list[str]:
        return self.regions.get(guide.id) or guide.regions


def rows_at(guide: Guide, place: str) -> list[Pay]:
    """The guide's pay rows at a place key, or "hq", "remote"; a state or country holds the
    rows inside it ("michigan" holds Detroit)."""
    if "|" in place:  # one typed place, several readings: any of them
        return [r for p in place.split("|") for r in rows_at(guide, p)]
    rows = []
    for pay in guide.pay:
        key = place_key(pay)
        if place == "hq":
            hit = pay.place is not None and pay.place.hq
        elif place == "remote":
            hit = pay.place is not None and pay.place.remote
        else:
            hit = (
                key == place
                or (_is_area(place) and _inside(key, place))  # "michigan" holds the guide's Detroit
                or (_is_area(key) and _inside(place, key))  # the guide's "Michigan" row holds Detroit
                or place in _part_keys(pay)  # the guide's "UK & Ireland" territory holds the UK
            )
        if hit:
            rows.append(pay)
    return rows


_JOINED = re.compile(r"\s*(?:&|\band\b|/|\+|,)\s*")


@cache
def _parts_of(where: str) -> frozenset[str]:
    parts = [p for p in _JOINED.split(where) if p]
    return frozenset(k.key for p in parts if (k := place_of(p)).known) if len(parts) > 1 else frozenset()


def _part_keys(pay: Pay) -> frozenset[str]:
    """The places a territory written as several is made of ("UK & Ireland", "Spain/Portugal"),
    when it is not itself one known place."""
    if pay.place is not None and pay.place.known or pay.level or pay.schedule:
        return frozenset()
    return _parts_of(pay.where or pay.region)


def _is_area(key: str) -> bool:
    """A state, province or country key ("us/mi", "country/fr"), not a city's or an unplaced one."""
    return key.count("/") == 1 and not key.startswith(("?/", "remote/"))


def _inside(key: str, area: str) -> bool:
    if area.startswith("country/"):
        return key.split("/")[0] == area.removeprefix("country/")
    return key.startswith(area + "/")


def resolve(
    vocab: Vocabulary, entities: Entities, needs_role: bool, question: str = "", said: dict[str, str] | None = None
) -> Scope:
    """`said`: each place key named, as the question types it ("hcmc")."""
    scope = Scope()
    said = said or {}

    def writes(g: Guide, place: str) -> bool:
        return mentions_place(vocab, g, place, said.get(place, ""))

    if entities.unknown_company or entities.unknown_role:
        scope.missing = [n for n in (entities.unknown_role, entities.unknown_company) if n]
        return scope
    roles = entities.roles or ([entities.role] if entities.role else [])
    company = entities.company
    guides = [g for g in vocab.guides if company is None or g.company_slug == company]
    if not roles and len(guides) > 1:
        # "norrland quota?", "cs3 options", "zlecenie": a question naming no role names its
        # guide by what only that guide has.
        named = named_by_rows(guides, [p for p in entities.places if p not in entities.excluded], question, writes)
        if len(named) != 1:
            named = named_by_words(vocab, named or guides, question)
        if len(named) == 1:
            guides = named
    if roles:
        guides = [g for g in guides if g.role_slug in roles]
        if not guides:
            role_names = ", ".join(vocab.roles[r].name for r in roles if r in vocab.roles)
            company_name = vocab.companies[company].name if company in vocab.companies else ""
            scope.missing = [f"{role_names} at {company_name}" if company_name else role_names]
            return scope
    elif needs_role and len({g.role_slug for g in guides}) > 1:
        scope.guides, scope.choices = guides, ["role"]
        return scope
    places = [p for p in entities.places if p not in entities.excluded]
    if places:
        placed = {g.id: [r.region for p in places for r in rows_at(g, p)] for g in guides}
        # A guide whose rows name no place (a ladder of levels "in Tokyo") holds, for a place
        # its own words name, all its rows.
        placeless = {
            g.id
            for g in guides
            if g.pay and not any(r.where or r.place for r in g.pay) and all(writes(g, p) for p in places)
        }
        for g in guides:
            if g.id in placeless:
                placed[g.id] = [r.region for r in g.pay]
        # A guide whose rows do not name a place its own words name covers it in those words.
        quoting = {
            g.id for g in guides if not placed[g.id] and g.id not in placeless and all(writes(g, p) for p in places)
        }
        having = [g for g in guides if placed[g.id] or g.id in quoting]
        # Every place named must be covered: "Detroit vs Dallas" is not answered as "Detroit".
        unplaced = [
            p
            for p in places
            if not any(rows_at(g, p) or g.id in quoting or g.id in placeless for g in having or guides)
        ]
        if not having or unplaced:
            scope.guides = guides
            scope.missing = ["that place"]  # named in the answer by finalize()
            return scope
        guides = having
        scope.quoting = {g.id for g in guides if g.id in quoting and g.pay}
        scope.regions = {g.id: list(dict.fromkeys(placed[g.id])) for g in guides}
    if entities.excluded:
        for g in guides:
            kept = [r for r in scope.regions_of(g) if not any(rows_for(g, r, x) for x in entities.excluded)]
            scope.regions[g.id] = kept
    if company is None and len({g.company_slug for g in guides}) > 1 and roles:
        scope.guides, scope.choices = guides, ["company"]
        return scope
    scope.guides = guides
    return scope


def named_by_rows(
    guides: list[Guide], places: list[str], question: str, writes: Callable[[Guide, str], bool]
) -> list[Guide]:
    """The guides a question naming no role is about by the rows it names: each place it names
    is one of theirs, and a level code it names ("CS3", "Stufe 2", "SE-1") is one of their
    levels. Empty when the question names neither; several when several guides fit. (Words
    any guide may use, "senior" or "nights", identify nothing.)"""
    codes = {t for t in _tokens(question) if re.fullmatch(r"[a-z]+\d+[a-z]?", t)}
    coded = {g.id for g in guides if codes & {t for p in g.pay if p.level for t in _tokens(p.level)}}
    if not places and not coded:
        return []
    return [
        g
        for g in guides
        if all(rows_at(g, p) or writes(g, p) and not any(r.where or r.place for r in g.pay) for p in places)
        and (not coded or g.id in coded)
    ]


def named_by_words(vocab: Vocabulary, guides: list[Guide], question: str) -> list[Guide]:
    """The one guide of `guides` a question naming no role is about by a word only that guide
    writes ("zlecenie", "buyout"); empty when it uses none, or words of several guides."""
    owners = {
        owner
        for word in re.findall(r"[a-z][a-z]{3,}", fold(question))
        if (owner := vocab.own_words.get(singular(word)))
    }
    return [g for g in guides if g.id in owners] if len(owners) == 1 else []


# An administrative suffix the gazetteer writes and people drop: "Gimpo Si" is Gimpo.
_ADMIN_SUFFIX = re.compile(r"[\s-](?:si|shi|gun|gu|ku|ken|fu|do|xian|qu)$", re.I)


def mentions_place(vocab: Vocabulary, guide: Guide, place: str, said: str = "") -> bool:
    """Whether the guide's own words name a place: any of a typed place's readings, or the
    place as the question types it ("HCMC" for Ho Chi Minh City)."""
    names = {n for key in place.split("|") for n in (name_of(key), _ADMIN_SUFFIX.sub("", name_of(key)))}
    return any(vocab.writes(guide.id, n) for n in names | {said} if n)


def _tokens(text: str) -> list[str]:
    """Words of a level or shift name as compared: "SDE-2" and "sde 2" are "sde2", "nights" is "night"."""
    joined = re.sub(r"\b([a-z]{1,4})[\s-]+(\d)", r"\1\2", fold(re.sub(r"\([^)]*\)", " ", text)))  # notes aside
    return [t[:-1] if len(t) > 3 and t.endswith("s") else t for t in re.findall(r"[a-z0-9]+", joined)]


def rows_named(guide: Guide, question: str) -> list[str]:
    """The guide's rows whose level or shift the question names ("at SDE-3", "nights",
    "a Clinical Nurse II"): by the words that tell that level or shift from the others."""
    asked = _tokens(question)
    bigrams = set(zip(asked, asked[1:], strict=False))
    chosen: set[str] | None = None
    for dim in ("level", "schedule"):
        values = {v for p in guide.pay if (v := getattr(p, dim))}
        if not values:
            continue
        token_sets = {v: _tokens(v) for v in values}
        # The words that tell a level from the others: not those all levels share, nor the
        # role's own ("Senior Field Service Engineer" and "Senior" rows are both "senior").
        shared = set.intersection(*(set(t) for t in token_sets.values()))
        role_words = set(_tokens(guide.role))
        # A level said by its initials ("RA I", "senior RA") names it outright.
        named = {v for v, tokens in token_sets.items() if any(_contains(asked, f) for f in initial_forms(tokens))}
        # A level named by one part alone ("CS4" of "CS4 — Lead", "addetto vendite" of "4°
        # livello · Addetto vendite"), when no other level has that part.
        parts = {v: [tuple(_tokens(part)) for part in re.split(r"\s+[—–·-]\s+", v)] for v in token_sets}
        every_part = [part for ps in parts.values() for part in set(ps)]
        named |= {
            v
            for v, ps in parts.items()
            if len(ps) > 1 and any(part and _contains(asked, part) and every_part.count(part) == 1 for part in ps)
        }
        # A level named by another name its heading gives it ("a shift lead" for Stufe 3).
        named |= {
            p.level
            for p in guide.pay
            if dim == "level" and p.level and any(_contains(asked, tuple(_tokens(ungendered(a)))) for a in p.aka)
        }
        for value, tokens in token_sets.items() if not named else ():
            # (A level made only of the role's words, "Support Specialist" of a Customer Support
            # Specialist, is told by all of them.)
            telling = (
                [(i, t) for i, t in enumerate(tokens) if t not in shared and t not in role_words]
                or [(i, t) for i, t in enumerate(tokens) if t not in role_words]
                or list(enumerate(tokens))
            )
            if not telling:
                continue
            # Named when the words only this level has are all asked ("II" of "Clinical Nurse
            # II"), or, if it has none of its own, all the words that tell it apart.
            others = {t for v, ts in token_sets.items() if v != value for t in ts}
            unique = [(i, t) for i, t in telling if t not in others] or telling
            if all(_asked(tokens, i, t, asked, bigrams) for i, t in unique):
                named.add(value)
        named = _longest(named, token_sets, asked)
        if named:
            rows = {p.region for p in guide.pay if getattr(p, dim) in named}
            # A level and a shift that no row has together ("CN II nights" where nights are a
            # differential row of their own): both sets of rows.
            chosen = rows if chosen is None else (chosen & rows) or (chosen | rows)
    return [p.region for p in guide.pay if chosen is not None and p.region in chosen]


def _longest(named: set[str], token_sets: dict[str, list[str]], asked: list[str]) -> set[str]:
    """ "assistant manager" names the Assistant Manager row, not also Manager: a level whose
    words are asked only inside a longer named level's words is that longer one."""
    return {
        v
        for v in named
        if not any(
            w != v
            and _count(token_sets[w], tuple(token_sets[v])) > 0
            and _count(asked, tuple(token_sets[v])) <= _count(asked, tuple(token_sets[w]))
            for w in named
        )
    }


def _count(words: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    return sum(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)) if n else 0


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _asked(tokens: list[str], i: int, token: str, asked: list[str], bigrams: set[tuple[str, str]]) -> bool:
    """Whether a level's word is in the question; a one-letter one ("I" of "Nurse I") only
    right after the word it follows in the level's name."""
    if len(token) <= 1:
        return i > 0 and (tokens[i - 1], token) in bigrams
    return token in asked


def narrow_to_named_rows(scope: Scope, question: str) -> None:
    """Keep, of each guide's rows in scope, those of the level or shift the question names."""
    for guide in scope.guides:
        named = rows_named(guide, question)
        kept = [r for r in scope.regions_of(guide) if r in named]
        if kept:
            scope.regions[guide.id] = kept


def rows_for(guide: Guide, region: str, place: str) -> bool:
    return any(p.region == region for p in rows_at(guide, place))


def candidate_guides(vocab: Vocabulary, entities: Entities) -> list[Guide]:
    """The guides a question's places are read against: its company's (and role's) guides,
    the role's anywhere when no company is named, else every guide."""
    roles = entities.roles or ([entities.role] if entities.role else [])
    company = [g for g in vocab.guides if g.company_slug == entities.company] if entities.company else vocab.guides
    with_role = [g for g in company if g.role_slug in roles]
    return with_role or company


def finalize(vocab: Vocabulary, entities: Entities, scope: Scope, places: list[tuple[str, str]]) -> Entities:
    """The entities as answered: regions named as their guides name them, and a place that
    none of the guides asked about has, as the unknown place. `places`: (key, as typed)."""
    guides = scope.guides or candidate_guides(vocab, entities)
    names: list[str] = []
    unknown = entities.unknown_place
    by_text: dict[str, list[str]] = {}
    for key, text in places:  # one typed place may be several keys ("Bay Area" in two guides)
        if key not in entities.excluded and key in "|".join(entities.places).split("|"):
            by_text.setdefault(text, []).append(key)
    for text, keys in by_text.items():
        found = [r.region for g in guides for key in keys for r in rows_at(g, key)]
        if found:
            names += found
        elif unknown is None:
            unknown = text
    if scope.regions:
        names = [r for g in scope.guides for r in scope.regions.get(g.id, [])]
    names = list(dict.fromkeys(names))
    update: dict[str, object] = {"unknown_place": unknown}
    if len(names) == 1:
        update |= {"region": names[0], "regions": []}
    elif names:
        update |= {"region": None, "regions": names}
    return entities.model_copy(update=update)
