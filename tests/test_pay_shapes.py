"""Pay in any shape: rows keyed by place, level or shift, in any orientation, each figure with
its period, bound and number style — and no guide turned away for its shape."""

from __future__ import annotations

from index.money import find_money
from index.parse import parse_text

HOURLY_GRID = """### Staff Nurse | Riverbend Clinics Negotiation Guide

#### Hourly pay

Base hourly rates by site and level; the night differential is paid on top.

| Site | Nurse I | Nurse II |
|---|---|---|
| Denver, CO | $31–$35/hr | $36–$44/hr |
| Boulder, CO | $30–$34/hr | $35–$42/hr |
"""

TRANSPOSED = """### Platform Engineer | Lakeshore Systems Negotiation Guide

#### Pay by office

| | Zurich | Geneva |
|---|---|---|
| Base salary | CHF 143'000 | CHF 138'000 |
| Bonus | 10% | 8% |
"""

LADDER = """### Backend Engineer | Tamarind Works Negotiation Guide

#### CTC by level (Bengaluru)

| Level | CTC | RSUs (4-yr) | Night shift allowance |
|---|---|---|---|
| SDE-1 | ₹14–19 LPA | 400 RSUs | ₹8,000 a month |
| SDE-2 | ₹28–36 LPA | 1,200 RSUs | up to ₹12,000 a month |
"""

PROSE = """### Account Executive | Corbel Payroll Negotiation Guide

Account executives earn an OTE of $160K–$180K with a 50/50 split and 10% commission on ARR.

1. **Ramp lever**
> "I'd like a non-recoverable draw of $4,000 a month for my first three months."
"""


def rows(text: str) -> list[tuple[str, dict[str, str], list[str]]]:
    guide = parse_text(text, "guide.md")
    return [
        (p.region, {c: str(p.get(c)) for c in p.components()}, [f"{a.component} {a}" for a in p.extras])
        for p in guide.pay
    ]


def test_money_keeps_its_period_bound_and_style():
    said = [(str(m.range), m.range.period) for m in find_money("$38/hr–$46/hr, ₹23,00,000, ¥650,000 a month")]
    assert said == [("$38–$46/hr", "hour"), ("₹23,00,000", "year"), ("¥650K a month", "month")]
    assert [str(m.range) for m in find_money("CHF 143'000 and 135.000 € and ₹28–36 LPA")] == [
        "CHF 143'000",
        "€135.000",
        "₹28–36 LPA",
    ]


def test_a_grid_of_sites_by_levels_is_one_row_per_cell_paid_per_hour():
    assert rows(HOURLY_GRID) == [
        ("Denver, CO · Nurse I", {"base": "$31–$35/hr"}, []),
        ("Denver, CO · Nurse II", {"base": "$36–$44/hr"}, []),
        ("Boulder, CO · Nurse I", {"base": "$30–$34/hr"}, []),
        ("Boulder, CO · Nurse II", {"base": "$35–$42/hr"}, []),
    ]
    guide = parse_text(HOURLY_GRID, "guide.md")
    assert (guide.pay[1].where, guide.pay[1].level, guide.pay[1].place.city) == ("Denver, CO", "Nurse II", "Denver")


def test_a_transposed_table_reads_offices_as_rows_in_swiss_style():
    assert rows(TRANSPOSED) == [
        ("Zurich", {"base": "CHF 143'000", "bonus": "CHF 14'300"}, []),
        ("Geneva", {"base": "CHF 138'000", "bonus": "CHF 11'040"}, []),
    ]


def test_a_level_ladder_keeps_lpa_units_and_monthly_allowances():
    assert rows(LADDER) == [
        ("SDE-1", {"total": "₹14–19 LPA"}, ["stock 400 RSUs", "differential ₹8K a month"]),
        ("SDE-2", {"total": "₹28–36 LPA"}, ["stock 1,200 RSUs", "differential up to ₹12K a month"]),
    ]


def test_a_guide_with_pay_only_in_prose_is_kept_and_its_figures_are_reported_not_lost():
    guide = parse_text(PROSE, "corbel-payroll/account-executive.md")
    assert (guide.id, guide.pay, len(guide.levers)) == ("corbel-payroll/account-executive", [], 1)
    assert [f.text for f in guide.unread] == ["$160K–$180K"]
