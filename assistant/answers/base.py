"""What every builder receives, and what builders share: retrieval order, levers as shown,
the answers for "which one?", "not covered" and "this guide has none of that"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assistant.answer import Entities
from assistant.answers.views import (
    AskView,
    ClarifyView,
    Coverage,
    LackingView,
    LeverView,
    NotCoveredView,
    View,
)
from assistant.compose import Ledger, component_name
from assistant.nlu.mentions import Reading
from assistant.nlu.registry import Intent
from assistant.nlu.vocabulary import Vocabulary
from assistant.resolve import Scope
from index.model import Basis, Guide, Lever
from index.money import MoneyRange, Period
from index.search import Hit
from index.sections import narrative_keys


@dataclass(frozen=True)
class Request:
    """A decided question, ready to answer: never mutated by a builder."""

    question: str
    intent: Intent
    entities: Entities
    scope: Scope
    hits: list[Hit]
    vocab: Vocabulary
    today: date
    reading: Reading
    runner_up: Intent | None = None  # a close second reading, offered as the next question

    def ranked(self, guide: Guide, kind: str) -> list[str]:
        """Keys of `guide`'s sections of `kind`, best retrieval rank first."""
        return [h.section.key for h in self.hits if h.section.guide_id == guide.id and h.section.kind == kind]


Builder = Callable[[Request, Ledger], View]


def coverage(vocab: Vocabulary, guides: list[Guide] | None = None) -> Coverage:
    chosen = guides if guides else vocab.guides
    return Coverage(
        companies=sorted({g.company for g in chosen}),
        roles=sorted({g.role for g in chosen}),
        regions=list(dict.fromkeys(r for g in chosen for r in g.regions)),
    )


def not_covered(request: Request, asked: list[str]) -> NotCoveredView:
    """Nothing covers what was named: say what is covered, near it first (the company's own
    guides when the company is known), and show no figure."""
    e, vocab = request.entities, request.vocab
    company = vocab.companies.get(e.company or "")
    nearest = None
    guides = request.scope.guides
    if len(guides) == 1:  # the role and company are known; the place is not theirs
        guide = guides[0]
        nearest = f"{guide.role} at {guide.company} is covered in {', '.join(guide.regions)}."
    elif company is not None:
        roles = ", ".join(vocab.roles[r].name for r in company.roles)
        regions = ", ".join(dict.fromkeys(r for g in vocab.guides_for(company=company.slug) for r in g.regions))
        nearest = f"{company.name} guides cover {roles}, in {regions}."
    return NotCoveredView(asked=asked or ["that"], coverage=coverage(vocab), nearest=nearest)


def clarify(request: Request, what: str, missing: list[str], options: list[str] | None = None) -> ClarifyView:
    return ClarifyView(what=what, missing=missing, options=options or [])


def lacking(guide: Guide, what: str, region: str | None = None) -> LackingView:
    """A guide that has nothing of what was asked says so (never a blank answer)."""
    return LackingView(
        title=f"{guide.role} · {guide.company}", what=what, region=region, regions=guide.regions if region else []
    )


def lever_view(ledger: Ledger, guide: Guide, lever: Lever) -> LeverView:
    n = ledger.cite(guide, "lever", str(lever.number))
    asks = []
    for ask in lever.asks:
        asks.append(AskView(component_name(ask.component), ask.value))
        ledger.fact(
            guide,
            "lever",
            str(lever.number),
            "ask",
            f"Lever {lever.number} asks · {component_name(ask.component)}",
            ask.value,
        )
    ledger.fact(guide, "lever", str(lever.number), "script", f"Lever {lever.number}: {lever.name}", lever.script)
    return LeverView(lever.number, lever.name, lever.script, asks, lever.placeholders, n)


def levers_in_order(request: Request, guide: Guide, component: str | None = None) -> list[Lever]:
    """The guide's levers, best retrieval rank first; with a component, only those asking for it."""
    order = {key: i for i, key in enumerate(request.ranked(guide, "lever"))}
    levers = sorted(guide.levers, key=lambda lv: order.get(str(lv.number), len(order) + lv.number))
    if component:
        return sorted((lv for lv in levers if any(a.component == component for a in lv.asks)), key=lambda lv: lv.number)
    return levers


def title(guide: Guide) -> str:
    return f"{guide.role} · {guide.company}"


def basis_paragraph(guide: Guide, basis: Basis) -> str:
    """The key of the guide's paragraph that states a basis ("paid 13 times a year"): it is
    what a conversion or an answer about the basis cites."""
    keys = narrative_keys(guide)
    inside = (k for k, p in keys if p.lines.start <= basis.lines.start <= p.lines.end)
    return next(inside, next((k for k, p in keys if p.lines == basis.lines), keys[0][0]))


def restate(guide: Guide, band: MoneyRange, per: Period) -> tuple[MoneyRange, str, Basis] | None:
    """A band on another period, converted only on a basis the guide states (its salaries or
    hours in a year): (band, how, basis); None when the guide states none for that pair."""
    by = {("month", "year"): "salaries", ("year", "month"): "salaries", ("hour", "year"): "hours",
          ("year", "hour"): "hours"}  # fmt: skip
    basis = next((b for b in guide.bases if b.per_year == by.get((band.period, per))), None)
    if basis is None:
        return None
    factor = basis.value if per == "year" else 1 / basis.value
    low, high = round(band.low * factor, 2), round(band.high * factor, 2)
    count = f"{basis.value:,.0f} {basis.per_year} a year"
    written = f"{band.figure()}{' a year' if band.period == 'year' else band.per()}"  # "$83,200 a year"
    how = f"{written} {'×' if per == 'year' else '÷'} {count}"
    return band.model_copy(update={"low": low, "high": high, "period": per}), how, basis
