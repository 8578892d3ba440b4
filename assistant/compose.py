"""Filling answer templates: the citation ledger, the facts list, and the Jinja2 environment.

Templates receive typed views whose figures are already formatted as the guides write them;
they only lay them out. Every figure passes through `Ledger.fact`, which ties it to the
numbered citation of the section it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jinja2 import Environment, PackageLoader, StrictUndefined

from assistant.answer import Citation, Fact, RangeBar
from index.model import COMPONENT_NAMES, RECURRING, Component, Guide, Pay
from index.money import MoneyRange, format_amount
from index.search import SearchIndex
from index.sections import Section, SectionKind, section_id


def make_environment() -> Environment:
    return Environment(
        loader=PackageLoader("assistant", "templates"),
        undefined=StrictUndefined,  # a missing field is a bug, never a silent blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # Markdown out; the web channel escapes when it renders HTML
    )


@dataclass
class Ledger:
    """Citations numbered in order of first use, and the facts that rest on them."""

    index: SearchIndex
    citations: list[Citation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def cite(self, guide: Guide, kind: SectionKind, key: str = "") -> int:
        sid = section_id(guide.id, kind, key)
        for citation in self.citations:
            if citation.section_id == sid:
                return citation.n
        section = self.index.section(sid)
        if section is None:
            raise KeyError(f"no section {sid} in the index")
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                section_id=sid,
                guide_id=guide.id,
                guide_title=guide.title,
                section=section.heading if section.title == section.heading else f"{section.heading} › {section.title}",
                source_path=section.source_path,
                start_line=section.start_line,
                end_line=section.end_line,
                excerpt=section.text,
            )
        )
        return n

    def quote(self, guide: Guide, section: Section) -> int:
        """Cite a retrieved section whose lines are quoted as they are (no typed figure)."""
        n = self.cite(guide, section.kind, section.key)
        self.facts.append(Fact(kind="quote", guide_id=guide.id, label=section.heading, value=section.text, citation=n))
        return n

    def fact(
        self, guide: Guide, kind: SectionKind, key: str, fact_kind: str, label: str, value: str, derived: bool = False
    ) -> int:
        n = self.cite(guide, kind, key)
        self.facts.append(
            Fact(kind=fact_kind, guide_id=guide.id, label=label, value=value, citation=n, derived=derived)
        )
        return n


@dataclass(frozen=True)
class Cell:
    value: str  # "$116K–$145K", "—"
    note: str = ""  # "10–20% of base" for a figure derived from a share of base


@dataclass(frozen=True)
class PayRow:
    label: str  # the region, or in a table of roles the role
    cite: int
    labels: dict[str, str]  # component (or "extra:<n>") -> the guide's name for it, e.g. "Stock (RSU/4yr)"
    cells: dict[str, Cell]  # component (or "extra:<n>") -> its figure
    target: str | None = None
    target_component: str | None = None
    target_cite: int | None = None


def pay_row(ledger: Ledger, guide: Guide, pay: Pay, label: str | None = None, with_target: bool = True) -> PayRow:
    """A pay row as shown, each figure registered with its citation."""
    n = ledger.cite(guide, "pay", pay.region)
    cells: dict[str, Cell] = {}
    for component in pay.components():
        figure = pay.get(component)
        percent = pay.percents.get(component)
        derived = component in pay.derived
        value = str(figure) if figure else "—"
        note = f"{percent} of base" if percent else ""
        if component == "total" and (parts := parts_of(pay)) is not None:
            note = f"its parts add up to {parts}"
            ledger.fact(
                guide, "pay", pay.region, "sum", f"Base + stock + bonus · {pay.region}", str(parts), derived=True
            )
        cells[component] = Cell(value, note)
        if figure:
            ledger.fact(
                guide,
                "pay",
                pay.region,
                "range",
                f"{COMPONENT_NAMES[component]} · {pay.region}",
                value,
                derived=derived,
            )
    extras: dict[str, Cell] = {}
    extra_labels: dict[str, str] = {}
    for amount in pay.extras:
        key = f"extra:{amount.label}"
        if key in extras:  # a second figure of one column ("$5/hr", "up to $6/hr"): one cell
            extras[key] = Cell(f"{extras[key].value}; {amount}")
        else:
            extras[key], extra_labels[key] = Cell(str(amount)), amount.label
        ledger.fact(guide, "pay", pay.region, "range", f"{amount.label} · {pay.region}", str(amount))
    target = guide.target_for(pay.region) if with_target else None
    target_cite = None
    if target:
        target_cite = ledger.fact(
            guide, "target", target.region, "target", f"Negotiate-up target · {target.region}", str(target.amount)
        )
    labels: dict[str, str] = {c: pay.labels.get(c) or COMPONENT_NAMES[c] for c in cells}
    labels |= extra_labels
    return PayRow(
        label or pay.region,
        n,
        labels,
        {**cells, **extras},
        str(target.amount) if target else None,
        component_name(target.component) if target else None,
        target_cite,
    )


def parts_of(pay: Pay) -> MoneyRange | None:
    """What a row's base, stock and bonus add up to, when that is not its stated total (lint
    warns of the same): said beside the total, so no one takes the total on trust."""
    total = pay.total
    parts = [r for c in RECURRING if (r := pay.get(c)) is not None]
    if total is None or len(parts) < 2 or pay.derived or pay.percents:
        return None
    if any(not r.same_basis(total) for r in parts):
        return None
    low, high = sum(r.low for r in parts), sum(r.high for r in parts)
    one_off = [r for c in ("sign_on", "relocation") if (r := pay.get(c)) is not None and r.currency == total.currency]
    sums = {(low, high)} | {(low + r.low, high + r.high) for r in one_off}
    if len(one_off) == 2:
        sums.add((low + one_off[0].low + one_off[1].low, high + one_off[0].high + one_off[1].high))
    if (total.low, total.high) in sums:
        return None
    return MoneyRange(low=low, high=high, currency=total.currency, period=total.period, style=total.style)


def range_bar(
    label: str,
    component: Component,
    band: MoneyRange,
    cite: int,
    offer: int | float | None = None,
    target: MoneyRange | None = None,
) -> RangeBar:
    """A range to draw: the guide's band, its target zone, the person's own figure."""
    return RangeBar(
        label=label,
        measure=COMPONENT_NAMES[component],
        low=band.low,
        high=band.high,
        currency=band.currency,
        target_low=target.low if target else None,
        target_high=target.high if target else None,
        offer=offer,
        low_text=format_amount(band.low, band.currency, style=band.style),
        high_text=format_amount(band.high, band.currency, style=band.style),
        offer_text=format_amount(offer, band.currency, style=band.style) if offer is not None else None,
        cite=cite,
    )


def stale_note(guide: Guide, today: date) -> str | None:
    """Shown once with a stale guide's figures: its data quarter and the missed review date."""
    if not guide.is_stale(today):
        return None
    quarter = f" from {guide.salary_data_quarter}" if guide.salary_data_quarter else ""
    return f"figures{quarter}; review was due {guide.next_review_due}."


def component_name(component: str | None) -> str:
    return COMPONENT_NAMES.get(component or "", "pay").lower()
