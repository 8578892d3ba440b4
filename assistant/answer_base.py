"""What every intent's answer builder shares: the guides a question is about, retrieval order,
the drafts for "which one?" and "this guide has none of that", follow-up questions, and how
a lever is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.answer import Intent
from assistant.compose import Ledger, PayRow, component_name
from assistant.understand import Understanding
from assistant.vocabulary import Vocabulary
from index.model import Guide, Lever
from index.search import Hit
from index.vocab import city_of


@dataclass
class Draft:
    template: str
    context: dict[str, Any]
    follow_ups: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A titled group of pay rows from one guide (rows are regions, or roles)."""

    title: str
    rows: list[PayRow]
    stale: str | None
    row_label: str = "Region"


TOPIC_WORDS = {
    "stock": "equity",
    "base": "base salary",
    "bonus": "bonus",
    "total": "total comp",
    "sign_on": "sign-on bonus",
}


def lever_topic(guide: Guide) -> str | None:
    """A pay component some lever of this guide asks for (equity first), as people say it."""
    asked = {a.component for lever in guide.levers for a in lever.asks if a.component}
    return next((TOPIC_WORDS[c] for c in TOPIC_WORDS if c in asked), None)


class AnswerBase:
    def __init__(self, vocab: Vocabulary, today: date) -> None:
        self.vocab, self.today = vocab, today

    def candidates(self, u: Understanding) -> list[Guide]:
        e = u.entities
        roles: list[str | None] = list(e.roles) or [e.role]
        return [g for role in roles for g in self.vocab.guides_for(role, e.company)]

    def _ranked(self, hits: list[Hit], guide: Guide, kind: str) -> list[str]:
        """Keys of `guide`'s sections of `kind`, best retrieval rank first."""
        return [h.section.key for h in hits if h.section.guide_id == guide.id and h.section.kind == kind]

    def _region_of(self, guide: Guide, region: str | None) -> str | None:
        return region if region and region in guide.regions else None

    def vocab_guide(self, guide_id: str) -> Guide:
        return next(g for g in self.vocab.guides if g.id == guide_id)

    def lacking(self, guide: Guide, what: str, region: str | None = None) -> Draft:
        """A guide that has nothing of what was asked says so (never a blank answer)."""
        context = {"title": f"{guide.role} · {guide.company}", "what": what, "region": region,
                   "regions": guide.regions if region else []}  # fmt: skip
        return Draft("lacking.md.j2", context, self.follow_ups("help", guide, None))

    def clarify(self, u: Understanding, missing: list[str], what: str) -> Draft:
        roles = [self.vocab.roles[r] for r in (u.role_choices or list(self.vocab.roles))]
        context = {"what": what, "missing": missing, "roles": roles, "regions": self.vocab.regions}
        follow = (
            [f"{what.capitalize()} for a {roles[0]} in {self.vocab.regions[0]}"] if roles and self.vocab.regions else []
        )
        return Draft("clarify.md.j2", context, follow)

    def coverage(self, asked: list[str]) -> dict[str, Any]:
        return {
            "asked": asked,
            "companies": sorted(set(self.vocab.companies.values())),
            "roles": sorted(set(self.vocab.roles.values())),
            "regions": self.vocab.regions,
        }

    def follow_ups(self, intent: Intent, guide: Guide | None, region: str | None) -> list[str]:
        """Next questions worth asking, phrased from the guide's own names and contents."""
        if guide is None or not guide.regions:
            return [f"What's the pay range for a {role}?" for role in list(self.vocab.roles.values())[:3]]
        used = region if region in guide.regions else guide.regions[0]
        city = city_of(used)
        other = next((city_of(r) for r in guide.regions if r != used), None)
        topic = lever_topic(guide)
        options = {
            "pay_range": f"What's the base range for a {guide.role} in {city}?",
            "targets": f"What should I ask for in {city}?" if guide.targets else None,
            "levers": f"How do I push for more {topic} as a {guide.role}?" if topic else None,
            "compare": f"Compare {city} and {other} for a {guide.role}" if other else None,
            "counter_draft": f"Draft my counter email for a {guide.role} offer in {city}" if guide.targets else None,
            "overview": f"Why is {guide.company} different for a {guide.role}?" if guide.narrative else None,
        }
        return [q for i, q in options.items() if q and i != intent][:3]

    def _levers_for(self, guide: Guide, component: str | None, hits: list[Hit]) -> list[Lever]:
        ranked = self._ranked(hits, guide, "lever")
        order = {key: i for i, key in enumerate(ranked)}
        levers = sorted(guide.levers, key=lambda lv: order.get(str(lv.number), len(order) + lv.number))
        if component:
            asking = [lv for lv in levers if any(a.component == component for a in lv.asks)]
            return sorted(asking, key=lambda lv: lv.number)
        return levers

    def _lever_view(self, ledger: Ledger, guide: Guide, lever: Lever) -> dict[str, Any]:
        n = ledger.cite(guide, "lever", str(lever.number))
        asks = []
        for ask in lever.asks:
            value = ask.value
            asks.append({"component": component_name(ask.component), "value": value})
            ledger.fact(
                guide,
                "lever",
                str(lever.number),
                "ask",
                f"Lever {lever.number} asks · {component_name(ask.component)}",
                value or "",
            )
        ledger.fact(guide, "lever", str(lever.number), "script", f"Lever {lever.number}: {lever.name}", lever.script)
        return {
            "number": lever.number,
            "name": lever.name,
            "script": lever.script,
            "asks": asks,
            "cite": n,
            "placeholders": lever.placeholders,
        }
