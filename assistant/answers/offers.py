"""Answers about the person's own offer: where each figure sits in the guide's range, what it
could not place, and the counter email built from the guide's targets and scripts."""

from __future__ import annotations

import dataclasses

from assistant.answer import Given, RangeBar
from assistant.answers.base import Request, basis_paragraph, clarify, lacking, lever_view, levers_in_order, restate
from assistant.answers.email import counter_email
from assistant.answers.views import CounterView, OfferLine, OfferView, View
from assistant.compose import Ledger, component_name, range_bar, stale_note
from index.model import COMPONENT_NAMES, RECURRING, Basis, Component, Guide, Lever, Pay, Target
from index.money import MoneyRange, Period, format_amount


def _region(request: Request, guide: Guide) -> str | None:
    asked = request.scope.regions.get(guide.id) or []
    if len(asked) == 1:
        return asked[0]
    # Of the rows asked, the one that has pay bands to weigh an offer against (a level's pay
    # row, not the row of its quota read elsewhere).
    banded = [r for r in asked if (p := guide.pay_for(r)) is not None and p.components()]
    if len(banded) == 1:
        return banded[0]
    return guide.regions[0] if len(guide.regions) == 1 else None


def _said_as(amount: int | float, band: MoneyRange) -> str:
    """An offered figure said the way its band is: "$41/hr", "₹30 LPA"."""
    return str(MoneyRange(low=amount, high=amount, currency=band.currency, period=band.period, style=band.style))


def _basis(amount: int | float, written: str, band: MoneyRange) -> str | None:
    """Why an offered figure cannot be set against its band: a different basis (an hourly offer
    and a yearly band). A figure written with no period that is of the band's scale is taken
    to be on the band's basis ("offered 41" against $38–$46/hr); None when comparable."""
    if written == band.period:
        return None
    if written == "year" and band.low / 4 <= amount <= band.high * 4:
        return None
    per = {"year": "a year", "month": "a month", "hour": "an hour", "week": "a week", "day": "a day"}
    return (
        f"{format_amount(amount, band.currency)} {per.get(written, written)}: the guide's band is {band} "
        f"{'a year' if band.period == 'year' else ''}".strip()
        + " — which basis is your figure? (compared only like with like)"
    )


def convert(guide: Guide, amount: int | float, period: Period, band: MoneyRange) -> tuple[float, str, Basis] | None:
    """An offered figure on the band's basis, converted only on a basis the guide states (its
    hours or salaries in a year): (value, how, basis), or None when the guide states none."""
    offered = MoneyRange(low=amount, high=amount, currency=band.currency, period=period)
    restated = restate(guide, offered, band.period)
    return (restated[0].low, restated[1], restated[2]) if restated is not None else None


def _position(
    component: Component, amount: int | float, allowed: MoneyRange, cite: int, computed: bool = False
) -> OfferLine:
    position = allowed.position(amount)  # type: ignore[arg-type]
    status = "below" if amount < allowed.low else "above" if amount > allowed.high else "within"
    return OfferLine(
        component=COMPONENT_NAMES[component],
        offered=_said_as(amount, allowed),
        range=str(allowed),
        status=status,
        percent=round(max(0.0, min(1.0, position)) * 100),
        cite=cite,
        computed=computed,
    )


def _one_row(request: Request, what: str) -> tuple[Guide, Pay] | View:
    """An offer is weighed against one role's pay in one region: that row, or what to ask."""
    guides = request.scope.guides
    if len(guides) != 1:
        return clarify(request, what, ["role"], sorted({g.role for g in guides}))
    guide = guides[0]
    region = _region(request, guide)
    if region is None:
        return clarify(request, what, ["region"], guide.regions)
    pay = guide.pay_for(region)
    return (guide, pay) if pay is not None else lacking(guide, "pay figures", region)


def _target(ledger: Ledger, guide: Guide, region: str) -> tuple[Target | None, int | None]:
    target = guide.target_for(region)
    if target is None:
        return None, None
    label = f"Negotiate-up target · {target.region}"
    return target, ledger.fact(guide, "target", target.region, "target", label, str(target.amount))


def offer_eval(request: Request, ledger: Ledger) -> View:
    e = request.entities
    row = _one_row(request, "offer check")
    if not isinstance(row, tuple):
        return row
    guide, pay = row
    offer, period, unplaced = e.offer, e.offer_period, [g.text for g in e.unplaced]
    read_as = None
    if not offer and len(e.unplaced) == 1 and (placed := _placed_by_basis(e.unplaced[0], pay)) is not None:
        given, (offer, period, unplaced) = e.unplaced[0], ({placed: e.unplaced[0].value}, e.unplaced[0].period, [])
        read_as = f"{given.text} is read as your {component_name(placed)}, the {_written(pay.get(placed))} band"
    if not offer:
        return clarify(request, "offer check", ["offer figures"])
    n_pay = ledger.cite(guide, "pay", pay.region)
    lines, not_placed = [], unplaced
    bars: list[RangeBar] = []
    for component, amount in offer.items():
        allowed = pay.get(component)
        if allowed is None:
            not_placed.append(
                f"{format_amount(amount, pay.currency)} {component_name(component)} (this guide has no such range)"
            )
            continue
        ledger.fact(guide, "pay", pay.region, "range", f"{COMPONENT_NAMES[component]} · {pay.region}", str(allowed))
        if (mismatch := _basis(amount, period, allowed)) is not None:
            converted = convert(guide, amount, period, allowed)
            if converted is None:
                not_placed.append(mismatch)
                continue
            value, how, basis = converted
            key = basis_paragraph(guide, basis)
            cite = ledger.fact(guide, "narrative", key, "conversion", how, _said_as(value, allowed), derived=True)
            line = _position(component, value, allowed, n_pay)
            lines.append(dataclasses.replace(line, converted=how, converted_cite=cite))
            continue
        lines.append(_position(component, amount, allowed, n_pay))
        bars.append(
            range_bar(COMPONENT_NAMES[component], component, allowed, n_pay, amount, _zone(guide, pay, component))
        )
    same_basis = len({r.period for c in RECURRING if (r := pay.get(c))}) <= 1 and not not_placed
    if same_basis and pay.total and "total" not in offer and all(c in offer for c in RECURRING if pay.get(c)):
        total = sum(offer[c] for c in RECURRING if pay.get(c))
        ledger.fact(guide, "pay", pay.region, "range", f"Total comp · {pay.region}", str(pay.total))
        lines.append(_position("total", total, pay.total, n_pay, computed=True))
        bars.append(
            range_bar("Total comp (yours added up)", "total", pay.total, n_pay, total, _zone(guide, pay, "total"))
        )
    target = guide.target_for(pay.region)
    n_target = (
        ledger.fact(
            guide, "target", target.region, "target", f"Negotiate-up target · {target.region}", str(target.amount)
        )
        if target
        else None
    )
    # Counter where the offer is lowest in its range; never on a component already above it;
    # on the total only when it is all the person gave ("24 LPA" against a CTC band).
    weakest = min(
        (line for line in lines if not line.computed and line.status != "above"),
        key=lambda line: (line.component == "Total comp", line.percent),
        default=None,
    )
    chosen: list[Lever] = []
    if weakest is not None:
        key = next(c for c, name in COMPONENT_NAMES.items() if name == weakest.component)
        offered = offer.get(key, 0)  # type: ignore[call-overload]
        chosen = [
            lv
            for lv in levers_in_order(request, guide, key)
            if any(a.amount and a.amount.high > offered for a in lv.asks if a.component == key)
            or not any(a.amount for a in lv.asks)
        ][:2] or [lv for lv in levers_in_order(request, guide) if _asks_more(lv, offer)][:1]
    return OfferView(
        role=guide.role,
        company=guide.company,
        region=pay.region,
        pay_cite=n_pay,
        lines=lines,
        not_placed=not_placed,
        read_as=read_as,
        total_range=str(pay.total) if pay.total and not any(line.component == "Total comp" for line in lines) else None,
        target=str(target.amount) if target else None,
        target_component=component_name(target.component) if target else None,
        target_cite=n_target,
        weakest=weakest,
        levers=[lever_view(ledger, guide, lv) for lv in chosen],
        stale=stale_note(guide, request.today),
        bars=bars,
    )


def _placed_by_basis(given: Given, pay: Pay) -> Component | None:
    """The one component of the row written on the figure's basis: "$38/hr" against the only
    hourly band, "24 LPA" against the only band in LPA. None when several fit ("150K": base or
    total?), so the person is asked rather than guessed for."""
    written = {c: r for c in (*RECURRING, "total") if (r := pay.get(c)) is not None}
    bands = {c: r for c, r in written.items() if r.period == given.period}
    if not bands and given.period == "year":  # "6 800 zł" with no period, of a monthly band's scale
        bands = {c: r for c, r in written.items() if _basis(given.value, "year", r) is None}
    if given.style == "lpa":
        bands = {c: r for c, r in bands.items() if r.style == "lpa"}
    if len(bands) == 1:
        return next(iter(bands))
    # A rate paid per hour, day or month with no other word is the base rate.
    return "base" if given.period != "year" and "base" in bands else None


def _written(band: MoneyRange | None) -> str:
    if band is None:
        return ""
    return (
        "LPA"
        if band.style == "lpa"
        else {"year": "yearly", "hour": "hourly", "month": "monthly"}.get(band.period, band.period)
    )


def _zone(guide: Guide, pay: Pay, component: Component) -> MoneyRange | None:
    target = guide.target_for(pay.region)
    return target.amount if target is not None and target.component == component else None


def _asks_more(lever: Lever, offer: dict[Component, int | float]) -> bool:
    """Whether the lever asks for more than the offer gives: a script asking for a $135K base
    is no counter to a $140K one."""
    asks = [a for a in lever.asks if a.amount is not None and a.component]
    return not asks or any(a.component not in offer or a.amount.high > offer[a.component] for a in asks)  # type: ignore[union-attr,index]


def counter_draft(request: Request, ledger: Ledger) -> View:
    e, guides = request.entities, request.scope.guides
    if len(guides) != 1:
        return clarify(request, "counter email", ["role"], sorted({g.role for g in guides}))
    guide = guides[0]
    region = _region(request, guide)
    if region is None:
        return clarify(request, "counter email", ["region"], guide.regions)
    pay = guide.pay_for(region)
    if pay is None:
        return lacking(guide, "pay figures", region)
    target = guide.target_for(region)
    # Never a script asking for less than the person was already offered.
    levers = [
        lv
        for lv in _counter_levers(guide, pay, e.component, e.offer) + levers_in_order(request, guide)
        if _asks_more(lv, e.offer)
    ]
    email = counter_email(
        ledger,
        guide,
        pay,
        target,
        offer=[f"{format_amount(v, pay.currency)} {component_name(c)}" for c, v in e.offer.items()],
        has_rival=bool(e.rival),
        levers=list({lv.number: lv for lv in levers}.values()),
        company_guides=request.vocab.guides_for(company=guide.company_slug),
    )
    return CounterView(
        role=guide.role, company=guide.company, region=region, email=email, stale=stale_note(guide, request.today)
    )


def _counter_levers(guide: Guide, pay: Pay, component: str | None, offer: dict[Component, int | float]) -> list[Lever]:
    """One lever per component the guide has a script for (the one asked about first), leaving
    out components where the offer is already above the region's range."""
    above = {c for c, amount in offer.items() if (r := pay.get(c)) and amount > r.high}
    chosen: dict[str, Lever] = {}
    for lever in sorted(guide.levers, key=lambda lv: lv.number):
        for ask in lever.asks:
            if ask.component and ask.component not in chosen and ask.component not in above:
                chosen[ask.component] = lever
    first = chosen.get(component or "")
    rest = sorted({lv.number: lv for lv in chosen.values() if lv is not first}.values(), key=lambda lv: lv.number)
    return ([first] if first else []) + rest
