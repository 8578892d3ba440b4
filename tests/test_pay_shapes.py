"""Pay in any shape: rows keyed by place, level or shift, in any orientation, each figure with
its period, bound and number style — and no guide turned away for its shape."""

from __future__ import annotations

import pytest

from assistant.resolve import rows_named
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


@pytest.mark.parametrize(
    ("written", "currency", "said", "period"),
    [
        ("R$ 4.200 a R$ 5.000 por mês", "BRL", "R$ 4.200–R$ 5.000 a month", "month"),  # a range joined by "a"
        ("R$ 179,2 mil", "BRL", "R$ 179,2 mil", "year"),  # "mil" is thousands in reais, said back so
        ("$1.2 mil", "USD", "$1.2M", "year"),  # and millions in dollars
        ("49 000–56 000 kr", "SEK", "49 000–56 000 kr", "year"),  # grouped by spaces, the sign after
        ("33 zł/h", "PLN", "33 zł/hr", "hour"),
        ("145 € pro Monat", "EUR", "€145 a month", "month"),
    ],
)
def test_money_in_other_languages_and_number_styles(written, currency, said, period):
    [m] = find_money(written, currency)
    assert (str(m.range), m.range.period) == (said, period)


def test_the_rand_and_a_currency_the_guide_states_in_words():
    assert [(str(m.range), m.range.currency) for m in find_money("R 36 800 – R 41 500 per month")] == [
        ("R 36 800–R 41 500 a month", "ZAR")
    ]
    assert find_money("HR 2024 review") == []  # a letter of a word is no sign
    text = """# Mlambo Ridge — Maintenance Artisan

All amounts are ZAR, gross, as at March 2026.

| Site | B4 Artisan (per hour) | C1 Foreman (per month) |
|---|---|---|
| Richards Bay | R 148,60 – R 163,20 | 36 800 – 41 500 |
"""
    guide = parse_text(text, "mlambo/artisan.md")
    # Each column keeps the period its header says, in the currency the guide states.
    assert [(r.region, str(r.base)) for r in guide.pay] == [
        ("Richards Bay · B4 Artisan (per hour)", "R 148,60–R 163,20/hr"),
        ("Richards Bay · C1 Foreman (per month)", "R 36 800–R 41 500 a month"),
    ]


def test_a_ladder_by_classification_with_named_sites_across_is_a_grid():
    text = """# Cottonwood Flats — Lineworker

| Classification | Salina District | Dodge City District |
|---|---|---|
| Journeyman Lineworker | $46.80/hr | $45.60/hr |
| Crew Foreman (salaried, exempt) | $104,000–$118,000/yr | $100,000–$114,000/yr |
"""
    got = {region: figures for region, figures, _ in rows(text)}
    assert got["Dodge City District · Journeyman Lineworker"] == {"base": "$45.60/hr"}
    assert got["Salina District · Crew Foreman (salaried, exempt)"] == {"base": "$104K–$118K"}


def test_a_legal_form_in_the_frontmatter_is_no_contradiction_with_the_title():
    from datetime import date

    from index.lint import Severity, check_guide

    text = """---
company_display: Bergfink Velo AG
---

# Bike Mechanic | Bergfink Velo

| City | Monthly base |
|---|---|
| Zürich | CHF 4'900 – 5'500 |
"""
    guide = parse_text(text, "bergfink-velo/bike-mechanic.md")
    assert not [f for f in check_guide(guide, date(2026, 11, 21)) if f.severity is Severity.ERROR]


def test_a_salaried_row_in_an_hourly_ladder_is_paid_by_the_year():
    text = """# Tallowgate — Veterinary Technician

## Hourly pay by clinic

| Level | Boise |
|---|---|
| CVT I | $21.50–$24.00 |
| Technician Supervisor (salary) | $62,000–$70,000 |
"""
    assert [str(r.base) for r in parse_text(text, "tallowgate/vet-tech.md").pay] == ["$21.50–$24/hr", "$62K–$70K"]


def test_a_word_between_two_plain_numbers_joins_no_range():
    assert [str(m.range) for m in find_money("$5K a month", "USD")] == ["$5K a month"]


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


LEAD_INS = """### Warehouse Operations | Northgate Foods Negotiation Guide

#### Bands by level and site

**Order Selector** (hourly)
- Memphis, TN: $20.00–$22.00/hr base
- Atlanta, GA: $21.00–$23.00/hr base

**Shift Supervisor** (salaried)
- Memphis, TN: $64,000–$74,000 a year
- Atlanta, GA: $67,000–$78,000 a year

#### Sign-on and allowances

Sign-on bonuses start from $1,000. Atlanta freezer hires are offered up to $3,000.

- **Meal allowance**: 10,20 € per working day in Lisbon; 160 € a month in Madrid.
"""


def test_a_bold_line_over_a_pay_list_keys_it_as_a_level():
    assert rows(LEAD_INS)[:4] == [
        ("Memphis, TN · Order Selector", {"base": "$20–$22/hr"}, []),
        ("Atlanta, GA · Order Selector", {"base": "$21–$23/hr"}, []),
        ("Memphis, TN · Shift Supervisor", {"base": "$64K–$74K"}, []),  # a supervisor, not a shift
        ("Atlanta, GA · Shift Supervisor", {"base": "$67K–$78K"}, []),
    ]


def test_a_sentence_naming_no_kind_of_figure_takes_the_kind_of_the_one_before():
    guide = parse_text(LEAD_INS, "guide.md")
    sign_ons = [str(p.sign_on) for p in guide.pay if p.sign_on] + [
        str(a) for p in guide.pay for a in p.extras if a.component == "sign_on"
    ]
    assert sign_ons == ["from $1K", "up to $3K"] and not guide.unread


def test_an_item_labels_its_figures_and_decimal_commas_are_said_back_as_written():
    guide = parse_text(LEAD_INS, "guide.md")
    meals = [(p.where, a.label, str(a)) for p in guide.pay for a in p.extras if a.component == "allowance"]
    assert meals == [("Lisbon", "Meal allowance", "€10,20"), ("Madrid", "Meal allowance", "€160 a month")]


def test_a_heading_about_tables_is_no_key_and_a_heading_naming_a_level_keys_its_table():
    text = """### Structural Engineer | Oakbeam Partners Negotiation Guide

#### Bands by level and city

| Level | Toronto | London |
|---|---|---|
| Engineer | C$82K–C$98K | £45,000–£55,000 |
| Associate Director | C$175K–C$210K | £88,000–£105,000 |

#### Table 2 — Associate Director package by office

| Component | Toronto | London |
|---|---|---|
| Base salary | C$175K–C$210K | £88,000–£105,000 |
| Profit share (target) | C$25K–C$40K | £12,000–£20,000 |
| Total Comp (excl. sign-on) | C$200K–C$250K | £100,000–£125,000 |
"""
    got = {region: figures for region, figures, _ in rows(text)}
    assert "Bands by level and city · Toronto · Engineer" not in got
    # The package table's rows are the Associate Director rows of the grid, whichever way round
    # their keys are written; profit share is a bonus, not stock.
    assert got["Toronto · Associate Director"] == {
        "base": "CAD 175K–210K", "bonus": "CAD 25K–40K", "total": "CAD 200K–250K"
    }  # fmt: skip
    assert len(got) == 4


def test_a_monthly_figure_a_script_asks_for_is_the_base_rate():
    from index.scripts import asks_in

    [ask] = asks_in("If so, I'd like to land at 2.000 € a month.", "EUR")
    assert (ask.component, str(ask.amount)) == ("base", "€2.000 a month")


def test_a_table_of_offices_across_with_rows_named_by_period_is_each_levels_pay():
    text = """### Brewery Technician | Hollerbach Negotiation Guide

#### Stufe 1 — line operator

| | Linz | Salzburg |
|---|---|---|
| KV-Mindestgehalt | 2.610 € | 2.610 € |
| Hollerbach, monthly | 2.750 € – 2.980 € | 2.820 € – 3.060 € |

#### Stufe 2 — qualified brewer

| | Linz | Salzburg |
|---|---|---|
| KV-Mindestgehalt | 2.890 € | 2.890 € |
| Hollerbach, monthly | 3.020 € – 3.340 € | 3.100 € – 3.420 € |
"""
    got = rows(text)
    assert got[2] == ("Stufe 2 · Linz", {"base": "€3.020–€3.340 a month"}, ["floor €2.890"])
    assert len(got) == 4  # the same labels in each level's table are that level's, not a clash
    # The heading's other name for the level is a name a question may use for it.
    guide = parse_text(text, "guide.md")
    assert [(r.level, r.aka) for r in guide.pay[::2]] == [
        ("Stufe 1", ["line operator"]),
        ("Stufe 2", ["qualified brewer"]),
    ]
    assert rows_named(guide, "what does a qualified brewer make in salzburg") == [
        "Stufe 2 · Linz",
        "Stufe 2 · Salzburg",
    ]


def test_a_frontmatter_title_naming_the_company_beside_the_role_names_the_role():
    text = """---
title: "Front Office Associate — Harbor Resorts"
employer: Harbor Resorts
---

# Harbor Resorts · Front Office Associate

| Job | Key West, FL |
|---|---|
| Night Auditor | $19.50–$21.00/hr |
"""
    guide = parse_text(text, "harbor-resorts/front-office-associate.md")
    assert (guide.role, guide.company, guide.id) == (
        "Front Office Associate", "Harbor Resorts", "harbor-resorts/front-office-associate"
    )  # fmt: skip


LADDER_IN_PROSE = """# Komorebi — Customer Success

## What it pays

**CS2 — Specialist**
- Monthly base: ¥350,000–¥420,000
- 年収 at target: ¥5.25M–¥6.3M

**CS3 — Senior Specialist**
- Monthly base: ¥440,000–¥520,000
- Stock options: 2,000–4,000

## Stock options

- Last priced round: the 2025 Series B preferred shares at ¥1,150 per share
- Paper value of a 4,000-option CS3 grant: (¥1,150 − ¥380) × 4,000 = ¥3,080,000.

## Levers

- **Make up the lost summer bonus.** "If I join on 1 May I lose my June bonus, so I'd like a sign-on of ¥600,000."

## Negotiate-up targets

- CS2 in Tokyo: ¥6.0M–¥6.3M 年収.
- CS3: ¥7.5M or more, plus 4,000 options.
"""


def test_a_ladder_in_lists_keys_its_counts_targets_and_levers_by_level():
    guide = parse_text(LADDER_IN_PROSE, "komorebi/customer-success.md")
    cs3 = [p for p in guide.pay if p.level == "CS3 — Senior Specialist"]
    # "Stock options: 2,000–4,000" counts options; "CS3" written short elsewhere is that level.
    assert [str(a) for a in cs3[0].extras] == ["2,000–4,000 Stock options"]
    assert len(cs3) == 2 and not any(p.level == "CS3" for p in guide.pay)
    # A year beside money is no money.
    assert not any("2,025" in str(a) for p in guide.pay for a in p.extras)
    # Targets named by a level's head are that level's.
    assert [(t.region, str(t.amount)) for t in guide.targets] == [
        ("CS2 — Specialist", "¥6M–¥6.3M"),
        ("CS3 — Senior Specialist", "¥7.5M"),
    ]
    # A first-person quotation is a lever's script, however it opens, and no pay row.
    assert [(lv.name, [str(a.amount) for a in lv.asks]) for lv in guide.levers] == [
        ("Make up the lost summer bonus.", ["¥600K"])
    ]
    assert rows_named(guide, "cs3 options") == ["CS3 — Senior Specialist", "CS3 — Senior Specialist · Stock options"]


def test_a_multiplier_is_read_in_the_guides_decimal_style_and_before_the_thresholds_after_it():
    text = """### Account Executive | Pitanga Negotiation Guide

#### Commission mechanics
- Accelerators: 1,5× on MRR between 100% and 130% of quota
"""
    [(_, _, extras)] = rows(text)
    assert extras == ["accelerator 1,5×"]


def test_a_grid_side_is_one_dimension_even_where_the_gazetteer_does_not_know_a_key():
    text = """### Front Office | Harbor Resorts Negotiation Guide

#### What it pays

| Job | Key West, FL | Sedona, AZ |
|---|---|---|
| Night Auditor | $19.50–$21.00/hr | $18.75–$20.00/hr |
"""
    assert [r[0] for r in rows(text)] == ["Key West, FL · Night Auditor", "Sedona, AZ · Night Auditor"]


def test_a_list_labelled_with_kinds_under_a_title_heading_is_that_levels_pay():
    text = """### Account Executive | Jabuticaba Pagamentos Negotiation Guide

#### SDR (Pré-vendas)
- Base: R$ 4.200 a R$ 5.000 por mês
- OTE: R$ 6.000 a R$ 6.800 por mês
- Split: 70/30
"""
    [(region, figures, extras)] = rows(text)
    assert region == "SDR (Pré-vendas)"
    assert figures == {"base": "R$ 4.200–R$ 5.000 a month", "total": "R$ 6.000–R$ 6.800 a month"}
    assert extras == ["split 70/30"]


HOURLY_GUIDE = (
    HOURLY_GRID
    + """
A full-time line is 2,080 hours a year.

#### Differentials

- **Nights:** +$4/hr on every hour worked.
- **Overtime:** 1.5× base after 40 hours.

#### Shift premiums

| Shift | Premium | How it's paid |
|---|---|---|
| Weekend (Sat/Sun) | +$1.50/hr | Every weekend hour |

#### Levers

1. **Experience lever**
> "With five years on a cardiac floor I'd like $42/hr as a Nurse II."
"""
)

LADDER_GUIDE = """### Backend Engineer | Tamarind Works Negotiation Guide

#### CTC by level (Bengaluru)

| Level | CTC | RSUs (4-yr) |
|---|---|---|
| SDE-1 | ₹14–19 LPA | 400 RSUs |
| SDE-2 | ₹28–36 LPA | 1,200 RSUs |
"""


BRAZIL_GUIDE = """# Pitanga Pagamentos — Executivo(a) de Contas (Account Executive, SMB)

All our sellers work from the São Paulo office. Amounts are gross per month.

## SDR
- Base: R$ 4.200 a R$ 5.000 por mês
- OTE: R$ 6.000 a R$ 6.800 por mês

## Executivo(a) de Contas Pleno
- Base: R$ 8.400 a R$ 10.200 por mês
- OTE: R$ 14.000 a R$ 17.000 por mês

## Commission mechanics
- Quota: R$ 60 mil of new MRR per quarter for Pleno
- Accelerators: 1,5× between 100% and 130% of quota
- Garantia (recoverable draw): up to R$ 3.000 por mês in the first quarter

## Level mapping

| Pitanga | Ather Energy | Stone Pagamentos |
|---|---|---|
| SDR | Sales Associate | SDR |
| Executivo(a) de Contas Pleno | Account Manager | Executivo Pleno |
"""


ALLOWANCE_GUIDE = """# Harbour Imaging — Radiographer

## Base by city

| City | Monthly base |
|---|---|
| Hong Kong | HK$31,500–HK$36,000 |
| Singapore | S$4,300–S$5,000 |

## Allowances by shift

| Allowance | Hong Kong | Singapore |
|---|---|---|
| Night shift (per night, 2300–0800) | HK$650 | S$80 |
| On-call standby (per 24 hours, from home) | HK$450 | S$60 |

## Extras

Service charge is pooled and shared by points: about S$300–S$500 a month in 2025, never guaranteed.
"""


SITES_GUIDE = """# Fonderie des Quatre-Vents — Pattern Maker

Pattern makers work at two plants. Apprentices also spend a term at the school in Trois-Rivières, paid C$19.50/hr while there.
Sick notes go to the medical director, who answers within 14 days.

**Sherbrooke plant — 2026**

| | Pattern Maker I | Pattern Maker II |
|---|---|---|
| Base rate | C$24.10/hr | C$27.80/hr |

**Granby plant — 2026**

| | Pattern Maker I | Pattern Maker II |
|---|---|---|
| Base rate | C$23.40/hr | C$26.90/hr |

## Crew leads by district

| Classification | Kestlewold District | Marrowby District |
|---|---|---|
| Crew Lead | C$31.00/hr | C$30.20/hr |

Hours worked on Sundays are paid at double time, C$48.20/hr for a Pattern Maker I at Sherbrooke.

## Other pay

| Item | Rate or amount |
|---|---|
| Statutory holiday worked | Triple time |
| Tool allowance | C$600 a year |
"""


def test_tables_titled_by_a_bold_line_naming_a_site_are_that_sites_rows():
    got = {region: pay for region, pay, _ in rows(SITES_GUIDE)}
    assert got["Granby plant · Pattern Maker II"] == {"base": "CAD 26.90/hr"}
    assert got["Sherbrooke plant · Pattern Maker II"] == {"base": "CAD 27.80/hr"}


@pytest.mark.parametrize("folder", ["fonderie-quatre-vents", "fonderie-des-quatre-vents-moulage-inc"])
def test_a_company_folder_may_leave_out_the_short_words_of_its_name_or_the_title_shorten_it(tmp_path, folder):
    from index.parse import parse_guide

    path = tmp_path / folder / "pattern-maker.md"
    path.parent.mkdir()
    path.write_text(SITES_GUIDE, encoding="utf-8")
    guide = parse_guide(path, tmp_path)  # "<Company> — <Role>": the folder says which side is which
    assert (guide.company, guide.role) == ("Fonderie des Quatre-Vents", "Pattern Maker")


@pytest.fixture(scope="module")
def shapes(tmp_path_factory, embedder):
    """The assistant over the seeds and two guides of other shapes, written here."""
    from assistant.core import Assistant
    from assistant.nlu.pipeline import IntentArtifacts
    from index.build import build_index
    from index.search import load_index
    from tests.conftest import SEEDS, TODAY

    root = tmp_path_factory.mktemp("shapes")
    for path in SEEDS.rglob("*.md"):
        target = root / "seeds" / path.relative_to(SEEDS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    for folder, text in (
        ("riverbend-clinics/staff-nurse", HOURLY_GUIDE),
        ("tamarind-works/backend-engineer", LADDER_GUIDE),
        ("pitanga-pagamentos/executivo-de-contas", BRAZIL_GUIDE),
        ("harbour-imaging/radiographer", ALLOWANCE_GUIDE),
        ("fonderie-quatre-vents/pattern-maker", SITES_GUIDE),
    ):
        (root / "seeds" / folder).parent.mkdir(parents=True, exist_ok=True)
        (root / "seeds" / f"{folder}.md").write_text(text)
    build_index(root / "seeds", root / "index", embedder, root=root, today=TODAY, extras=IntentArtifacts())
    return Assistant(load_index(root / "index"), embedder, today=TODAY)


def test_an_hourly_band_is_answered_per_hour_for_the_level_and_place_asked(shapes):
    answer = shapes.ask("riverbend staff nurse II pay in boulder")
    assert "$35–$42/hr" in answer.answer_markdown
    assert "$36–$44/hr" not in answer.answer_markdown and "$30–$34/hr" not in answer.answer_markdown
    assert {c.guide_id for c in answer.citations} == {"riverbend-clinics/staff-nurse"}


def test_a_question_naming_no_role_is_about_the_one_guide_whose_rows_it_names(shapes):
    by_place = shapes.ask("what's the pay in boulder?")  # only the nurses' guide has Boulder
    assert by_place.status == "answered" and "$30–$34/hr" in by_place.answer_markdown
    assert {c.guide_id for c in by_place.citations} == {"riverbend-clinics/staff-nurse"}
    by_code = shapes.ask("sde-2 ctc?")  # only the ladder has an SDE-2
    assert by_code.status == "answered" and "₹28–36 LPA" in by_code.answer_markdown
    # A level word any guide may use identifies nothing: asked, not guessed.
    assert shapes.ask("what's the pay for a senior?").status == "clarify"


def test_a_word_only_one_guide_writes_is_about_that_guide(shapes):
    answer = shapes.ask("is the garantia draw recoverable?")
    assert answer.status == "answered"
    assert {c.guide_id for c in answer.citations} == {"pitanga-pagamentos/executivo-a-de-contas"}
    assert "R$ 3.000 a month" in answer.answer_markdown


def test_a_rate_or_multiplier_is_said_with_what_it_applies_to(shapes):
    answer = shapes.ask("accelerators at pitanga?")
    assert "1,5×" in answer.answer_markdown and "between 100% and 130% of quota" in answer.answer_markdown


def test_a_shift_premium_the_question_names_is_its_figure(shapes):
    answer = shapes.ask("riverbend staff nurse, what about weekends, how much extra?")
    assert "$1.50/hr" in answer.answer_markdown


def test_a_table_of_allowances_by_shift_and_city_is_typed_whatever_its_notes_hold():
    got = {region: extras for region, _, extras in rows(ALLOWANCE_GUIDE)}
    # "(per night, 2300–0800)" is a note in the key cell, not money: the key column stays keys.
    assert got["Singapore · On-call standby (per 24 hours, from home)"] == ["allowance SGD 60"]


def test_what_the_typed_answer_leaves_unanswered_is_quoted_from_the_guide(shapes):
    answer = shapes.ask("harbour imaging radiographer pay in singapore, and the service charge?")
    assert "S$4,300" in answer.answer_markdown or "SGD 4,300" in answer.answer_markdown
    assert "S$300–S$500 a month" in answer.answer_markdown  # quoted as written, and cited
    assert {c.guide_id for c in answer.citations} == {"harbour-imaging/radiographer"}


def test_a_comparison_naming_nothing_picks_no_guide_to_compare(shapes):
    for question in ("which pays more?", "does the weekend one stack on top?"):
        answer = shapes.ask(question)
        assert not answer.citations, (question, answer.answer_markdown)


def test_a_follow_up_naming_another_shift_answers_that_shift_at_the_same_place(shapes):
    first = shapes.ask("harbour imaging radiographer night shift allowance in singapore")
    answer = shapes.ask("what about on-call?", first.conversation_id)
    assert "60" in answer.answer_markdown and "450" not in answer.answer_markdown


def test_a_comparison_of_an_hourly_and_a_yearly_band_ranks_and_subtracts_nothing():
    from assistant.answers.pay import _verdict
    from index.money import MoneyRange

    hourly = MoneyRange(low=33, high=36, currency="USD", period="hour")
    yearly = MoneyRange(low=66_000, high=75_000, currency="USD", period="year")
    assert _verdict([("Lead", hourly, 1), ("Supervisor", yearly, 2)], "base") is None
    assert not hourly.same_basis(yearly)


def test_a_differential_asked_for_is_the_guides_typed_figure(shapes):
    answer = shapes.ask("what's the night differential for staff nurses at riverbend?")
    assert "+$4/hr" in answer.answer_markdown or "$4/hr" in answer.answer_markdown


def test_an_hourly_offer_is_set_against_the_hourly_band(shapes):
    answer = shapes.ask("riverbend offered me $40/hr base as a nurse II in denver, good?")
    assert answer.intent == "offer_eval"
    assert "**Base salary** $40/hr: within the range $36–$44/hr, 50% of the way up" in answer.answer_markdown


def test_a_yearly_offer_against_an_hourly_band_is_converted_on_the_guides_own_basis(shapes):
    answer = shapes.ask("riverbend offered me $83,200 a year base as a nurse II in denver, fair?")
    assert "$40/hr (converted: $83,200 a year ÷ 2,080 hours a year, the basis the guide states [2])" in (
        answer.answer_markdown
    )
    assert [f for f in answer.facts if f.kind == "conversion"][0].derived


def test_an_lpa_ctc_offer_is_set_against_the_lpa_band_of_its_level(shapes):
    answer = shapes.ask("got 30 LPA CTC as SDE-2 at tamarind works, fair?")
    assert "**Total comp** ₹30 LPA: within the range ₹28–36 LPA, 25% of the way up" in answer.answer_markdown


def test_a_lone_offered_rate_is_set_against_the_one_band_written_on_its_basis(shapes):
    answer = shapes.ask("riverbend offered me $40/hr as a nurse II in denver, is that fair?")
    assert "($40/hr is read as your base salary, the hourly band)" in answer.answer_markdown
    assert "**Base salary** $40/hr: within the range $36–$44/hr" in answer.answer_markdown
    lpa = shapes.ask("got 30 LPA as SDE-2 at tamarind works, fair?")
    assert "**Total comp** ₹30 LPA: within the range ₹28–36 LPA" in lpa.answer_markdown


def test_a_lone_yearly_figure_with_two_yearly_bands_is_asked_about_not_guessed(shapes):
    answer = shapes.ask("offered 150k as a software engineer at ally in charlotte, is that fair?")
    assert answer.status == "clarify" and "offer figures" in answer.answer_markdown


def test_a_role_a_company_does_not_have_is_not_answered_with_its_guides_figures(shapes):
    answer = shapes.ask("riverbend ER tech hourly pay?")
    assert answer.status == "not_covered" and not answer.facts


def test_a_territory_written_as_several_places_holds_each_of_them():
    from assistant.resolve import rows_at
    from index.places import place_of

    text = """### Account Executive | Tern Telematics Negotiation Guide

#### OTE by territory

| Component | US East | UK & Ireland |
|---|---|---|
| OTE | $160,000–$180,000 | £90,000–£105,000 |
"""
    guide = parse_text(text, "guide.md")
    assert [r.region for r in rows_at(guide, place_of("UK").key)] == ["UK & Ireland"]
    assert [r.region for r in rows_at(guide, place_of("Ireland").key)] == ["UK & Ireland"]
    assert place_of("Ireland").key == "country/ie"  # the country, not a Massachusetts village


def test_a_role_is_named_by_the_initials_of_its_bracketed_name_and_no_gendered_ending_is_a_word(shapes):
    answer = shapes.ask("OTE for a pleno AE at pitanga?")
    assert answer.status == "answered" and "R$ 14.000–R$ 17.000 a month" in answer.answer_markdown
    assert shapes.ask("whats the base for an SDR at pitanga in são paulo").status == "answered"


def test_a_ladder_that_names_no_place_holds_the_place_its_text_names_and_no_other(shapes):
    answer = shapes.ask("pitanga SDR base in sao paulo?")
    assert "R$ 4.200–R$ 5.000 a month" in answer.answer_markdown
    refused = shapes.ask("pitanga SDR base in lisbon?")
    assert refused.status == "not_covered" and not refused.facts


def test_a_competitor_is_named_by_its_first_word(shapes):
    answer = shapes.ask("pitanga pleno = what at ather?")
    assert answer.intent == "level_mapping" and "Account Manager" in answer.answer_markdown


def test_a_level_of_one_guide_names_it_in_an_offer_and_no_alternate_spelling_is_a_place(shapes):
    answer = shapes.ask("offered R$ 9.000 a month as a pleno, fair?")
    assert answer.intent == "offer_eval" and "within the range R$ 8.400–R$ 10.200 a month" in answer.answer_markdown
    guide = shapes.index.guides["pitanga-pagamentos/executivo-a-de-contas"]
    assert not [p for p in guide.pay if p.place is not None and p.place.known]  # "for Pleno" is no Plano, TX


def test_a_band_asked_for_on_another_period_is_converted_on_the_guides_own_basis(shapes):
    answer = shapes.ask("riverbend nurse II pay in denver, how much a year?")
    assert "$74,880–$91,520" in answer.answer_markdown
    assert "× 2,080 hours a year, the basis the guide states" in answer.answer_markdown
    assert [f for f in answer.facts if f.kind == "conversion"][0].derived


def test_a_period_alone_asks_the_last_question_again_on_that_basis(shapes):
    first = shapes.ask("riverbend nurse II pay in denver")
    answer = shapes.ask("and per year?", first.conversation_id)
    assert answer.intent == "pay_range" and "$74,880–$91,520" in answer.answer_markdown


def test_a_salary_count_reads_the_extra_months_written_after_it():
    text = """### Radiographer | Harbour Health Negotiation Guide

#### Monthly pay

Both are paid 12 times a year plus a 13th month.

| Hospital | Base salary (monthly) |
|---|---|
| Sha Tin | HK$37,000–HK$44,500 |
"""
    assert [(b.per_year, b.value) for b in parse_text(text, "guide.md").bases] == [("salaries", 13)]
    said_once = text.replace("12 times a year plus a 13th month", "13 times a year (12 months plus the 13th salary)")
    assert [b.value for b in parse_text(said_once, "guide.md").bases] == [13]


def test_a_row_that_says_its_own_period_is_paid_on_it_whatever_the_table_says():
    text = """### Support Specialist | Brightwater Contact Negotiation Guide

#### Pay by role and city

Hourly rates are gross per hour; monthly rates are gross per month.

| Role | Contract | Kraków | Gdańsk |
|---|---|---|---|
| Support Associate | zlecenie, hourly | 33,00–36,00 zł/h | 32,50–35,00 zł/h |
| Support Specialist | o pracę, monthly | 6 900–7 800 zł | 6 700–7 500 zł |
"""
    got = {region: figures["base"] for region, figures, _ in rows(text)}
    assert got["Kraków · Support Associate"] == "33–36 zł/hr"
    assert got["Gdańsk · Support Specialist"] == "6 700–7 500 zł a month"


def test_a_level_written_short_elsewhere_is_the_full_level_it_ends_unless_it_has_its_own_band(shapes):
    guide = shapes.index.guides["pitanga-pagamentos/executivo-a-de-contas"]
    [quota] = [p for p in guide.pay if any(a.component == "quota" for a in p.extras)]
    assert quota.level == "Executivo(a) de Contas Pleno"  # "… per quarter for Pleno"
    assert "R$ 60 mil" in shapes.ask("quota for a pleno at pitanga?").answer_markdown


def test_a_target_with_no_component_beside_a_monthly_band_is_for_the_base():
    text = """### Brewery Technician | Hollerbach Negotiation Guide

#### Stufe 2 — qualified brewer

| | Linz | Salzburg |
|---|---|---|
| Hollerbach, monthly | 3.020 € – 3.340 € | 3.100 € – 3.420 € |

#### Negotiate-up targets

Stufe 2 in Salzburg should land at 3.250 €.
"""
    [target] = parse_text(text, "guide.md").targets
    assert (target.region, target.component, str(target.amount)) == ("Stufe 2 · Salzburg", "base", "€3.250")


def test_an_item_label_naming_no_kind_leaves_the_kind_to_its_heading():
    text = """### Account Executive | Tern Telematics Negotiation Guide

#### Commission mechanics

- **Rate:** 8% of first-year ACV on every closed-won deal.
- **Accelerator:** 1.5× on bookings above quota.
"""
    [(_, _, extras)] = rows(text)
    assert extras[0] == "commission 8% of first-year ACV"  # a commission rate, not the base rate


def test_a_site_is_named_without_its_word_for_sites(shapes):
    answer = shapes.ask("crew lead rate in kestlewold at quatre vents")  # "Kestlewold District"
    assert answer.status == "answered" and "CAD 31/hr" in answer.answer_markdown
    assert "30.20" not in answer.answer_markdown


def test_a_place_the_guide_writes_of_but_keys_no_row_by_is_answered_in_its_words(shapes):
    answer = shapes.ask("what is the pay at the school in trois-rivieres, quatre vents?")
    assert answer.status == "answered" and "C$19.50/hr" in answer.answer_markdown
    assert "24.10" not in answer.answer_markdown  # no plant's rows for a place that is no plant
    assert {c.guide_id for c in answer.citations} == {"fonderie-des-quatre-vents/pattern-maker"}
    # A place the guide never writes is still not covered, nor a job its prose only mentions.
    assert shapes.ask("pattern maker pay at quatre vents in montreal").status == "not_covered"
    counsel = shapes.ask("medical director salary at quatre vents")
    assert counsel.status == "not_covered" and not counsel.citations


def test_a_name_the_guide_writes_is_no_name_it_does_not_cover(shapes):
    # "sundays", read as an employer no guide covers, is written by the guide asked about.
    answer = shapes.ask("quatre vents, extra for sundays?")
    assert answer.status == "answered" and "C$48.20/hr" in answer.answer_markdown
    assert {c.guide_id for c in answer.citations} == {"fonderie-des-quatre-vents/pattern-maker"}


def test_a_row_no_figure_was_typed_from_is_answered_as_written(shapes):
    answer = shapes.ask("statutory holiday worked at quatre vents, what's the rate?")
    assert answer.status == "answered" and "Triple time" in answer.answer_markdown
    assert "| Component |" not in answer.answer_markdown  # no empty table for it


def test_a_level_written_as_a_grade_and_a_title_is_named_by_either():
    guide = parse_text(
        """# Negozi Ombra — Shop roles

## Monthly gross pay

| Livello | Torino | Napoli |
|---|---|---|
| 5° livello · Commesso | 1.690–1.800 € al mese | 1.640–1.750 € al mese |
| 2° livello · Responsabile negozio | 2.600–3.000 € al mese | 2.500–2.850 € al mese |
""",
        "negozi-ombra/shop-roles.md",
    )
    by_title = rows_named(guide, "offered 1.700 € a month as commesso in napoli, ok?")
    assert by_title == ["Torino · 5° livello · Commesso", "Napoli · 5° livello · Commesso"]
    by_grade = rows_named(guide, "2° livello pay?")
    assert by_grade == ["Torino · 2° livello · Responsabile negozio", "Napoli · 2° livello · Responsabile negozio"]


def test_letters_no_decomposition_takes_to_ascii_are_typed_as_people_type_them(tmp_path):
    from index.parse import parse_guide
    from index.places import place_of

    assert place_of("lodz").key == place_of("Łódź").key and place_of("da nang").key == place_of("Đà Nẵng").key
    path = tmp_path / "bogelund-omsorg" / "sosu-assistent.md"
    path.parent.mkdir()
    path.write_text("# Bøgelund Omsorg — SOSU-assistent\n\nMånedsløn kr. 31.200 a month.\n", encoding="utf-8")
    guide = parse_guide(path, tmp_path)  # the folder spells "ø" as people type it: "o"
    assert (guide.id, guide.company) == ("bogelund-omsorg/sosu-assistent", "Bøgelund Omsorg")
