"""Which guides, and which of their regions, a question is about — resolved within the company
(and role) it names, never across the index by elimination.

`Scope` is what the answer may draw figures from. A name that no guide covers leaves the
scope empty and says what was missing; a question that could mean several guides says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer import Entities
from assistant.nlu.vocabulary import Vocabulary, place_key
from index.model import Guide, Pay


@dataclass
class Scope:
    guides: list[Guide] = field(default_factory=list)
    regions: dict[str, list[str]] = field(default_factory=dict)  # guide id -> regions asked (all when absent)
    missing: list[str] = field(default_factory=list)  # what was named but is not covered, as typed
    choices: list[str] = field(default_factory=list)  # "role" / "company" / "region": what to ask for

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
            )
        if hit:
            rows.append(pay)
    return rows


def _is_area(key: str) -> bool:
    """A state, province or country key ("us/mi", "country/fr"), not a city's or an unplaced one."""
    return key.count("/") == 1 and not key.startswith(("?/", "remote/"))


def _inside(key: str, area: str) -> bool:
    if area.startswith("country/"):
        return key.split("/")[0] == area.removeprefix("country/")
    return key.startswith(area + "/")


def resolve(vocab: Vocabulary, entities: Entities, needs_role: bool) -> Scope:
    scope = Scope()
    if entities.unknown_company or entities.unknown_role:
        scope.missing = [n for n in (entities.unknown_role, entities.unknown_company) if n]
        return scope
    roles = entities.roles or ([entities.role] if entities.role else [])
    company = entities.company
    guides = [g for g in vocab.guides if company is None or g.company_slug == company]
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
        having = [g for g in guides if placed[g.id]]
        # Every place named must be covered: "Detroit vs Dallas" is not answered as "Detroit".
        unplaced = [p for p in places if not any(rows_at(g, p) for g in having or guides)]
        if not having or unplaced:
            scope.guides = guides
            scope.missing = ["that place"]  # named in the answer by finalize()
            return scope
        guides = having
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
