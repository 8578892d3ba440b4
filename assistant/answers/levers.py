"""Answers about how to negotiate: the guide's levers (the scripts to say), and its premiums
(what a skill or experience is worth)."""

from __future__ import annotations

from assistant.answers.base import Request, lacking, lever_view, levers_in_order, title
from assistant.answers.views import LeverGroup, LeversView, PremiumItem, PremiumsView, View
from assistant.compose import Ledger, component_name, stale_note
from assistant.nlu.lexicon import question_lexicon
from index.model import Guide, Lever
from index.money import format_amount


def _competing_first(levers: list[Lever]) -> list[Lever]:
    """With another employer's offer in hand: the levers built on a competing offer, or else
    the two best-ranked."""
    rival = question_lexicon().rival_words
    competing = [lv for lv in levers if rival.search(f"{lv.name} {lv.script}")]
    return competing or levers[:2]


def levers(request: Request, ledger: Ledger) -> View:
    e, guides = request.entities, request.scope.guides
    several = len(guides) > 1
    groups = []
    for guide in guides:
        chosen = levers_in_order(request, guide, e.component)
        if e.rival:
            chosen = _competing_first(chosen or levers_in_order(request, guide))
        if several:
            chosen = chosen[:1]
        groups.append(
            LeverGroup(title(guide), [lever_view(ledger, guide, lv) for lv in chosen], stale_note(guide, request.today))
        )
    if not any(g.levers for g in groups) and not e.component:
        return lacking(guides[0], "negotiation levers")
    rival = None
    if e.rival:
        rival = ", ".join(f"{format_amount(v)} {component_name(c)}" for c, v in e.rival.items())
    return LeversView(groups, component_name(e.component) if e.component else None, rival)


def premiums(request: Request, ledger: Ledger) -> View:
    guides = [g for g in request.scope.guides if g.premiums]
    if not guides:
        return lacking(request.scope.guides[0], "premiums")
    guide = _best_guide(request, guides)
    order = {key: i for i, key in enumerate(request.ranked(guide, "premium"))}
    chosen = sorted(guide.premiums, key=lambda p: order.get(p.name, len(order)))
    items = []
    for premium in chosen:
        value = str(premium.amount) if premium.amount else "no fixed amount"
        n = ledger.fact(guide, "premium", premium.name, "premium", premium.name, value)
        items.append(PremiumItem(premium.name, value, premium.text, n))
    return PremiumsView(title(guide), items[0], items[1:])


def _best_guide(request: Request, guides: list[Guide]) -> Guide:
    """Of several guides, the one whose premium retrieval ranked first."""
    ranked = [h.section.guide_id for h in request.hits if h.section.kind == "premium"]
    return next((g for gid in ranked for g in guides if g.id == gid), guides[0])
