"""The answers about a person's own offer: where it sits in the guide's ranges, and the
counter email built from the guide's scripts and targets."""

from __future__ import annotations

from typing import Any

from assistant.answer_base import AnswerBase, Draft
from assistant.compose import Ledger, component_name, stale_note
from assistant.understand import Understanding
from index.model import COMPONENT_NAMES, Component, Guide, Lever
from index.money import format_amount
from index.search import Hit
from index.vocab import city_of


class OfferAnswers(AnswerBase):
    def offer_eval(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        e = u.entities
        guides = self.candidates(u)
        missing = self._missing_role_or_region(u, guides)
        if missing or not e.offer:
            return self.clarify(u, missing or ["offer figures"], "offer check")
        guide = guides[0]
        pay = guide.pay_for(e.region) if e.region else None
        if pay is None:
            return Draft("not_covered.md.j2", self.coverage([e.region or "that region"]))
        n_pay = ledger.cite(guide, "pay", pay.region)
        lines = []
        for component, amount in e.offer.items():
            allowed = pay.get(component)
            if allowed is None:
                continue
            ledger.fact(guide, "pay", pay.region, "range", f"{COMPONENT_NAMES[component]} · {pay.region}", str(allowed))
            lines.append(_position(component, amount, allowed, pay.currency, n_pay))
        total = e.offer.get("total") or (
            sum(e.offer[c] for c in ("base", "stock", "bonus"))
            if all(c in e.offer for c in ("base", "stock", "bonus"))
            else None
        )
        total_line = None
        if pay.total:
            ledger.fact(guide, "pay", pay.region, "range", f"Total comp · {pay.region}", str(pay.total))
            if total is not None and "total" not in e.offer:
                total_line = _position("total", total, pay.total, pay.currency, n_pay)
        target = guide.target_for(pay.region)
        n_target = (
            ledger.fact(
                guide, "target", target.region, "target", f"Negotiate-up target · {target.region}", str(target.amount)
            )
            if target
            else None
        )
        # Counter where the offer is lowest in its range; never on a component already above it.
        weakest = min(
            (line for line in lines if line["component_key"] != "total" and line["status"] != "above"),
            key=lambda line: line["position"],
            default=None,
        )
        levers = []
        if weakest:
            offered = e.offer[weakest["component_key"]]
            levers = [
                lever
                for lever in self._levers_for(guide, weakest["component_key"], hits)
                if any(
                    a.amount and a.amount.high > offered for a in lever.asks if a.component == weakest["component_key"]
                )
                or not any(a.amount for a in lever.asks)
            ][:2]
        if weakest and not levers:
            levers = self._levers_for(guide, None, hits)[:1]
        context = {
            "role": guide.role,
            "company": guide.company,
            "region": pay.region,
            "lines": lines,
            "total_line": total_line,
            "total_range": str(pay.total) if pay.total else None,
            "pay_cite": n_pay,
            "total_known": total is not None,
            "target": str(target.amount) if target else None,
            "target_component": component_name(target.component) if target else None,
            "target_cite": n_target,
            "weakest": weakest,
            "levers": [self._lever_view(ledger, guide, lv) for lv in levers],
            "stale": stale_note(guide, self.today),
        }
        return Draft(
            "offer_eval.md.j2",
            context,
            [f"Draft my counter email for a {guide.role} offer in {city_of(pay.region)}"]
            + self.follow_ups("offer_eval", guide, pay.region)[:2],
        )

    def _missing_role_or_region(self, u: Understanding, guides: list[Guide]) -> list[str]:
        """An offer is judged against one role's ranges in one region: which is not known yet."""
        role_known = len({g.role_slug for g in guides}) == 1
        return [name for name, known in (("role", role_known), ("region", u.entities.region is not None)) if not known]

    def counter_draft(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        e = u.entities
        guides = self.candidates(u)
        missing = self._missing_role_or_region(u, guides)
        if missing:
            return self.clarify(u, missing, "counter email")
        guide = guides[0]
        if e.region not in guide.regions:
            return self.lacking(guide, "pay figures", e.region)
        target = guide.target_for(e.region) if e.region else None
        n_target = (
            ledger.fact(
                guide, "target", target.region, "target", f"Negotiate-up target · {target.region}", str(target.amount)
            )
            if target
            else None
        )
        levers = self._counter_levers(guide, e.component, e.offer, hits)
        context = {
            "role": guide.role,
            "company": guide.company,
            "region": e.region,
            "target": str(target.amount) if target else None,
            "target_component": component_name(target.component) if target else None,
            "target_cite": n_target,
            "levers": [self._lever_view(ledger, guide, lv) for lv in levers],
            "stale": stale_note(guide, self.today),
        }
        return Draft("counter_draft.md.j2", context, self.follow_ups("counter_draft", guide, e.region))

    def _counter_levers(
        self, guide: Guide, component: str | None, offer: dict[Component, int], hits: list[Hit]
    ) -> list[Lever]:
        """One lever per pay component the guide has a script for (the component asked about
        first), leaving out components where the offer is already above the guide's range."""
        above = (
            {c for c, amount in offer.items() if any((r := p.get(c)) and amount > r.high for p in guide.pay)}
            if offer
            else set()
        )
        chosen: dict[str, Lever] = {}
        for lever in sorted(guide.levers, key=lambda lv: lv.number):
            for ask in lever.asks:
                if ask.component and ask.component not in chosen and ask.component not in above:
                    chosen[ask.component] = lever
        first = chosen.get(component or "")
        rest = sorted({lv.number: lv for lv in chosen.values() if lv is not first}.values(), key=lambda lv: lv.number)
        ordered = ([first] if first else []) + [lv for lv in rest if first is None or lv.number != first.number]
        return ordered or self._levers_for(guide, None, hits)[:1]


def _position(component: str, amount: int, allowed: Any, currency: str, cite: int) -> dict[str, Any]:
    """Where an offered figure sits in the guide's range: below, within (how far in), above."""
    position = allowed.position(amount)
    status = "below" if amount < allowed.low else "above" if amount > allowed.high else "within"
    return {
        "component_key": component,
        "component": COMPONENT_NAMES[component],
        "offered": format_amount(amount, currency),
        "range": str(allowed),
        "status": status,
        "percent": round(max(0.0, min(1.0, position)) * 100),
        "position": position,
        "cite": cite,
    }
