"""Parsing guides: every figure exact, with or without frontmatter, generic over formats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import GuideError
from index.money import find_money, parse_money_range
from index.parse import parse_guide, parse_text
from tests.conftest import ROOT, SEEDS

# Region -> (base, stock, bonus, total), copied by hand from the seeds' tables.
PAY = {
    "engineering-manager": {
        "Detroit, MI (HQ)": ("$165K–$218K", "$40K–$72K", "$37K–$58K", "$242K–$348K"),
        "Charlotte, NC": ("$173K–$229K", "$42K–$76K", "$39K–$61K", "$254K–$366K"),
        "New York": ("$195K–$257K", "$47K–$85K", "$44K–$69K", "$286K–$411K"),
    },
    "software-engineer": {
        "Detroit, MI (HQ)": ("$110K–$138K", "$20K–$40K", "$18K–$34K", "$148K–$212K"),
        "Charlotte, NC": ("$116K–$145K", "$21K–$42K", "$19K–$36K", "$156K–$223K"),
        "New York": ("$130K–$163K", "$24K–$47K", "$21K–$40K", "$175K–$250K"),
    },
    "technical-program-manager": {
        "Detroit, MI (HQ)": ("$122K–$160K", "$25K–$48K", "$25K–$40K", "$172K–$248K"),
        "Charlotte, NC": ("$128K–$168K", "$26K–$50K", "$26K–$42K", "$181K–$260K"),
        "New York": ("$144K–$189K", "$30K–$57K", "$29K–$47K", "$203K–$293K"),
    },
    "product-manager": {
        "Detroit, MI (HQ)": ("$128K–$168K", "$28K–$52K", "$26K–$42K", "$182K–$262K"),
        "Charlotte, NC": ("$134K–$176K", "$29K–$55K", "$27K–$44K", "$191K–$275K"),
        "New York": ("$151K–$198K", "$33K–$61K", "$31K–$50K", "$215K–$309K"),
    },
    "solutions-architect": {
        "Detroit, MI (HQ)": ("$132K–$175K", "$28K–$52K", "$28K–$45K", "$188K–$272K"),
        "Charlotte, NC": ("$139K–$184K", "$29K–$55K", "$29K–$47K", "$197K–$286K"),
        "New York": ("$156K–$207K", "$33K–$61K", "$33K–$53K", "$222K–$321K"),
    },
}
ROLES = {
    "engineering-manager": "Engineering Manager",
    "software-engineer": "Software Engineer",
    "technical-program-manager": "Technical Program Manager",
    "product-manager": "Product Manager",
    "solutions-architect": "Solutions Architect",
}
WITHOUT_FRONTMATTER = {"product-manager", "solutions-architect"}


def seed(role: str):
    return parse_guide(SEEDS / "ally-financial" / f"{role}.md", ROOT)


@pytest.mark.parametrize(
    ("role", "region", "figures"),
    [(role, region, figures) for role, regions in PAY.items() for region, figures in regions.items()],
)
def test_every_region_figure_parses_exactly(role, region, figures):
    pay = seed(role).pay_for(region)
    assert pay is not None
    assert (str(pay.base), str(pay.stock), str(pay.bonus), str(pay.total)) == figures
    assert pay.currency == "USD"


@pytest.mark.parametrize("role", PAY)
def test_guide_identity_comes_from_title_with_or_without_frontmatter(role):
    guide = seed(role)
    assert (guide.id, guide.company, guide.role) == (f"ally-financial/{role}", "Ally Financial", ROLES[role])
    assert guide.regions == ["Detroit, MI (HQ)", "Charlotte, NC", "New York"]
    assert guide.source_path == f"seeds/ally-financial/{role}.md"
    assert (guide.declared is None) == (role in WITHOUT_FRONTMATTER)
    assert guide.dna_tags[:5] == [
        "Ally.ai",
        "Empathetic Automation",
        "Responsible AI",
        "Public Equity (NYSE: ALLY)",
        "100% Digital Bank",
    ]
    assert len(guide.dna_tags) == 8


def test_frontmatter_dates_and_quality_are_kept():
    guide = seed("software-engineer")
    assert guide.last_updated == date(2026, 2, 23)
    assert guide.next_review_due == date(2026, 5, 23)
    assert (guide.data_quality, guide.salary_data_quarter) == ("high", "2025-Q4")
    assert guide.is_stale(date(2026, 11, 21)) and not guide.is_stale(date(2026, 5, 1))


def test_guide_without_frontmatter_has_no_dates_and_is_never_called_stale():
    guide = seed("product-manager")
    assert guide.next_review_due is None and not guide.is_stale(date(2030, 1, 1))


@pytest.mark.parametrize("role", sorted(set(PAY) - WITHOUT_FRONTMATTER))
def test_frontmatter_stripped_parses_to_the_same_guide(role):
    path = SEEDS / "ally-financial" / f"{role}.md"
    text = path.read_text()
    body = text.split("---\n", 2)[2]
    with_fm, without = parse_text(text, "a.md"), parse_text(body, "a.md")
    for a, b in zip(with_fm.pay, without.pay, strict=True):
        assert a.model_dump(exclude={"lines"}) == b.model_dump(exclude={"lines"})
    assert [lv.model_dump(exclude={"lines"}) for lv in with_fm.levers] == [
        lv.model_dump(exclude={"lines"}) for lv in without.levers
    ]
    assert [t.amount for t in with_fm.targets] == [t.amount for t in without.targets]
    assert (with_fm.id, with_fm.company, with_fm.role, with_fm.dna_tags) == (
        without.id,
        without.company,
        without.role,
        without.dna_tags,
    )


def test_lines_point_at_the_source_rows():
    se = seed("software-engineer")
    lines = (SEEDS / "ally-financial" / "software-engineer.md").read_text().splitlines()
    charlotte = se.pay_for("Charlotte, NC")
    assert charlotte.lines.start == 62 and lines[61].startswith("| Charlotte, NC | $116K–$145K")
    lever = se.levers[2]
    assert (lever.lines.start, lever.lines.end) == (107, 108)
    assert lines[106] == "3. **Digital-Only Impact Lever**"
    pm = seed("product-manager")  # no frontmatter: lines count from the file's first line
    assert pm.pay_for("New York").lines.start == 13 and pm.title_line == 1


def test_levers_keep_number_name_script_and_asks():
    levers = seed("engineering-manager").levers
    assert [(lv.number, lv.name) for lv in levers] == [
        (1, "People Leadership Scope Lever"),
        (2, "Responsible AI Team Building Lever"),
        (3, "Digital-First Strategic Influence Lever"),
        (4, "Employee-First Culture Leverage"),
    ]
    assert levers[0].script.startswith("I'd be managing a team that builds systems serving 11 million customers")
    asks = [(a.component, a.value) for lv in levers for a in lv.asks]
    assert asks == [("base", "$215K"), ("stock", "$68K–$72K"), ("bonus", "22–25%"), ("sign_on", "$25K–$35K")]
    assert levers[3].placeholders == ["[X]", "[Y]"]


@pytest.mark.parametrize(
    ("role", "asks"),
    [
        ("software-engineer", [[("base", "$135K")], [], [("stock", "$35K–$40K")], [("stock", "$38K")]]),
        (
            "technical-program-manager",
            [[("base", "$158K–$160K")], [("stock", "$45K–$48K")], [("total", "$242K–$248K")], [("bonus", "20%")]],
        ),
        (
            "product-manager",
            [[("base", "$165K")], [("stock", "$48K–$52K")], [("total", "$255K–$262K")], [("bonus", "20%")]],
        ),
        (
            "solutions-architect",
            [[("base", "$172K–$175K")], [("stock", "$50K–$52K")], [("total", "$265K–$272K")], [("bonus", "20%")]],
        ),
    ],
)
def test_lever_asks_name_the_component_and_skip_context_figures(role, asks):
    # "$140K+" (other markets) and "$245K TC" (a competing offer) are context, not asks.
    got = [[(a.component, a.value) for a in lv.asks] for lv in seed(role).levers]
    assert got == asks


@pytest.mark.parametrize(
    ("role", "targets"),
    [
        ("engineering-manager", ["$318K–$348K", "$334K–$366K", "$375K–$411K"]),
        ("software-engineer", ["$190K–$212K", "$200K–$223K", "$230K–$250K"]),
        ("technical-program-manager", ["$228K–$248K", "$240K–$260K", "$268K–$293K"]),
        ("product-manager", ["$240K–$262K", "$252K–$275K", "$285K–$309K"]),
        ("solutions-architect", ["$252K–$272K", "$265K–$286K", "$298K–$321K"]),
    ],
)
def test_negotiate_up_targets_per_region(role, targets):
    guide = seed(role)
    assert [(t.region, t.component, str(t.amount)) for t in guide.targets] == [
        (region, "total", target) for region, target in zip(guide.regions, targets, strict=True)
    ]


def test_premiums_level_mapping_and_sources():
    guide = seed("software-engineer")
    assert [(p.name, str(p.amount)) for p in guide.premiums] == [
        ("Responsible AI Institute Membership", "$8K–$15K"),
        ("Empathetic Automation Builder", "$10K–$18K"),
        ("100% Digital, Zero Branches — Direct Customer Impact", "$5K–$12K"),  # not "11M+ customers"
        ("Ally.ai Platform Scarcity Value", "$5K–$10K"),
    ]
    mapping = guide.level_mapping
    assert mapping.competitors == ["Capital One", "Discover", "SoFi", "Chime"]
    assert mapping.rows[2].level == "Software Engineer III"
    assert mapping.rows[2].equivalents["Capital One"] == "Senior Associate Engineer"
    assert len(guide.sources) == 7 and guide.sources[2].name == "Levels.fyi 2025 Compensation Data"
    assert len(guide.narrative) == 3 and guide.narrative[0].heading == "Negotiation DNA"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$165K–$218K", (165_000, 218_000)),
        ("$165K-$218K", (165_000, 218_000)),
        ("$165,000 - $218,000", (165_000, 218_000)),
        ("$165–218K", (165_000, 218_000)),
        ("$1.2M", (1_200_000, 1_200_000)),
        ("165k", (165_000, 165_000)),
        ("$140K to $150K", (140_000, 150_000)),
    ],
)
def test_money_accepts_the_ways_people_write_it(text, expected):
    money = parse_money_range(text)
    assert (money.low, money.high) == expected


def test_money_in_prose_needs_a_symbol_when_asked():
    assert find_money("serving 11M+ customers for $8K–$15K", prose=True)[0].range.low == 8_000
    assert [str(m.range) for m in find_money("offered 140K base + 30K stock")] == ["$140K", "$30K"]


def test_missing_title_is_an_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "x.md"
    path.write_text("Just some text.\n")
    with pytest.raises(GuideError, match=r"x\.md:1: no title"):
        parse_guide(path, tmp_path)


@pytest.mark.parametrize("i", range(0, 60, 3))
def test_synthetic_guides_of_other_shapes_parse_completely(i, tmp_path):
    # Other companies, 2-6 regions, 2-7 levers, 1-5 competitors, other headings, ~30% without
    # frontmatter: read by the same code, with nothing missing and no false findings.
    from index.lint import Severity, lint_path
    from tests.synth import generate_guide

    company, role, text = generate_guide(i)
    path = tmp_path / company / f"{role}.md"
    path.parent.mkdir()
    path.write_text(text)
    [report] = lint_path(tmp_path, tmp_path, date(2026, 11, 21))
    guide = report.guide
    assert guide.id == f"{company}/{role}"
    assert [f.code for f in report.findings if f.severity is not Severity.INFO] in ([], ["stale"])
    assert 2 <= len(guide.pay) <= 6
    assert [t.region for t in guide.targets] == guide.regions  # one target per region
    assert all(p.base and p.stock and p.bonus and p.total for p in guide.pay)
    assert guide.levers and all(lv.script for lv in guide.levers)
    assert guide.level_mapping and guide.premiums and guide.sources


def test_broken_yaml_fails_with_a_precise_error(tmp_path):
    from tests.synth import broken_variants

    path = tmp_path / "bad_yaml.md"
    path.write_text(broken_variants()["bad_yaml"])
    with pytest.raises(GuideError, match=r"^bad_yaml\.md:\d+: ") as caught:
        parse_guide(path, tmp_path)
    assert "frontmatter is not valid YAML" in str(caught.value)


def test_a_guide_is_never_turned_away_for_its_shape(tmp_path):
    # No pay table, or a garbled pay cell: the guide is read, and what was not typed is reported.
    from tests.synth import broken_variants

    for variant in ("no_table", "garbled_money"):
        path = tmp_path / f"{variant}.md"
        path.write_text(broken_variants()[variant])
        guide = parse_guide(path, tmp_path)
        assert guide.levers and guide.sources
        if variant == "garbled_money":
            assert any(f.text == "$1x5K–$2!8K" and f.where == "pay table" for f in guide.unread)
        else:
            assert guide.pay == []


def _facts(guide) -> dict:
    """A guide's facts in a plain form, as recorded in tests/guides/seeds.facts.json."""

    def lines(span):
        return [span.start, span.end] if span else None

    def text(value):
        return None if value is None else str(value)

    mapping = guide.level_mapping
    return {
        "id": guide.id,
        "company": guide.company,
        "role": guide.role,
        "title_line": guide.title_line,
        "dna_tags": guide.dna_tags,
        "dna_lines": lines(guide.dna_lines),
        "pay": [
            {"region": p.region, "lines": lines(p.lines), "currency": p.currency}
            | {c: text(p.get(c)) for c in ("base", "stock", "bonus", "total")}
            for p in guide.pay
        ],
        "levers": [
            {
                "number": lv.number,
                "name": lv.name,
                "script": lv.script,
                "lines": lines(lv.lines),
                "placeholders": lv.placeholders,
                "asks": [
                    {"component": a.component, "amount": text(a.amount), "percent": text(a.percent)} for a in lv.asks
                ],
            }
            for lv in guide.levers
        ],
        "targets": [
            {"region": t.region, "component": t.component, "amount": text(t.amount), "lines": lines(t.lines)}
            for t in guide.targets
        ],
        "premiums": [{"name": p.name, "amount": text(p.amount), "lines": lines(p.lines)} for p in guide.premiums],
        "level_mapping": {
            "our_label": mapping.our_label,
            "competitors": mapping.competitors,
            "rows": [{"level": r.level, "equivalents": r.equivalents} for r in mapping.rows],
            "lines": lines(mapping.lines),
        }
        if mapping
        else None,
        "sources": [
            {"number": s.number, "name": s.name, "detail": s.detail, "lines": lines(s.lines)} for s in guide.sources
        ],
        "narrative": [{"heading": n.heading, "text": n.text, "lines": lines(n.lines)} for n in guide.narrative],
    }


SEED_FACTS = json.loads((ROOT / "tests" / "guides" / "seeds.facts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SEED_FACTS))
def test_seeds_parse_exactly_as_before_the_variation_work(path):
    # Recorded from the parser of version 1, before it learned the variations of issue 6:
    # every figure, lever, target, premium, level row, source and paragraph, with its lines.
    assert _facts(parse_guide(ROOT / path, ROOT)) == SEED_FACTS[path]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, 50_000), seed=st.integers(0, 1_000))
def test_any_synthetic_variation_parses_to_the_facts_it_was_written_with(i, seed, tmp_path):
    # Title qualifiers, reordered and renamed columns, %-bonus, sign-on and relocation
    # columns, four currencies, 1-6 regions, lever and target shapes, bare "48k" amounts.
    from tests.expected_facts import check_guide
    from tests.synth import synthesize

    synthetic = synthesize(i, seed)
    path = tmp_path / f"{i}-{seed}" / synthetic.company_slug / f"{synthetic.role_slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)  # hypothesis may draw one case twice
    path.write_text(synthetic.text, encoding="utf-8")
    guide = parse_guide(path, tmp_path)
    wrong = [c for c in check_guide(guide, synthetic.expected) if not c.ok]
    assert wrong == []
    from index.lint import Severity
    from index.lint import check_guide as lint

    assert [str(f) for f in lint(guide, date(2026, 11, 21)) if f.severity is Severity.ERROR] == []


# -- the variations content teams write (issue 6), one behaviour each ------------------------

GUIDE = """### {title}

{company} pays in three parts. {company} is the company this guide covers.

#### Pay

| Region | {headers} |
|---|{rule}
{rows}

#### Levers

{levers}

> **Negotiate Up Strategy:** In Boston, push for $200K–$230K TC by citing the market.
"""


def guide_text(
    title="Data Engineer | Acme Corp Negotiation Guide",
    headers=("Base", "Stock", "Bonus", "Total"),
    rows=("| Boston, MA | $120K–$150K | $20K–$40K | $10K–$20K | $150K–$210K |",),
    levers='1. **Equity Lever**\n> "I\'d like the RSU grant at $35K over four years."',
    company="Acme Corp",
) -> str:
    return GUIDE.format(
        title=title,
        headers=" | ".join(headers),
        rule="---|" * len(headers),
        rows="\n".join(rows),
        levers=levers,
        company=company,
    )


@pytest.mark.parametrize(
    ("title", "company", "scope"),
    [
        ("Data Engineer | Acme Corp Asia-Pacific Negotiation Guide", "Acme Corp", "Asia-Pacific"),
        ("Data Engineer | Acme Corp UK Compensation Playbook", "Acme Corp", "UK"),
        ("Data Engineer | Acme Corp (EMEA) Offer Guide", "Acme Corp", "EMEA"),
        ("Data Engineer | Acme Corp — North America Guide", "Acme Corp", "North America"),
        ("Data Engineer | Acme Corp Negotiation Guide", "Acme Corp", None),
        ("Data Engineer at Acme Corp", "Acme Corp", None),
    ],
)
def test_a_title_qualifier_is_a_scope_not_part_of_the_company(title, company, scope):
    guide = parse_text(guide_text(title=title), "flat.md")
    assert (guide.company, guide.scope, guide.id) == (company, scope, "acme-corp/data-engineer")


def test_a_legal_form_stays_with_the_company_name():
    text = guide_text(title="Data Engineer | Firn AG Switzerland Negotiation Guide", company="Firn")
    assert (parse_text(text, "flat.md").company, parse_text(text, "flat.md").scope) == ("Firn AG", "Switzerland")


def test_a_bonus_given_as_a_share_of_base_is_kept_as_written_and_derived_in_money():
    text = guide_text(rows=("| Boston, MA | $120K–$150K | $20K–$40K | 10–20% | $150K–$210K |",))
    pay = parse_text(text, "g.md").pay[0]
    assert str(pay.percents["bonus"]) == "10–20%"
    assert (str(pay.bonus), pay.derived) == ("$12K–$30K", ["bonus"])  # 10% of $120K to 20% of $150K


def test_a_sign_on_column_before_the_bonus_is_a_component_of_its_own():
    text = guide_text(
        headers=("Base", "Sign-On", "Bonus", "Relocation", "Total"),
        rows=("| Boston, MA | $120K–$150K | $10K–$25K | $10K–$20K | $5K–$8K | $130K–$170K |",),
    )
    pay = parse_text(text, "g.md").pay[0]
    assert [(c, str(pay.get(c))) for c in pay.components()] == [
        ("base", "$120K–$150K"), ("bonus", "$10K–$20K"), ("sign_on", "$10K–$25K"),
        ("relocation", "$5K–$8K"), ("total", "$130K–$170K"),
    ]  # fmt: skip


@pytest.mark.parametrize("header", ["Options", "Phantom Units", "LTIP", "BSPCE (4-yr)", "RSUs (4-yr)", "Equity"])
def test_equity_by_any_of_its_names_is_stock(header):
    text = guide_text(headers=("Base", header, "Bonus", "Total"))
    assert str(parse_text(text, "g.md").pay[0].stock) == "$20K–$40K"


def test_figures_written_with_a_currency_code_keep_it():
    text = guide_text(rows=("| Toronto, ON | CAD 120K–150K | CAD 20K–40K | CAD 10K–20K | CAD 150K–210K |",))
    guide = parse_text(text, "g.md")
    assert (guide.currency, str(guide.pay[0].base)) == ("CAD", "CAD 120K–150K")


LEVER_SHAPES = {
    "numbered": '1. **Equity Lever**\n> "I\'d like the RSU grant at 35k over four years."',
    "subheading": '### Lever 1 — Equity Lever\n\n> "I\'d like the RSU grant at 35k over four years."',
    "bullet": '- **Equity Lever**\n  > "I\'d like the RSU grant at 35k over four years."',
    "bold line": '**Equity Lever**\n\n> "I\'d like the RSU grant at 35k over four years."',
}


@pytest.mark.parametrize("shape", LEVER_SHAPES)
def test_a_lever_is_a_named_block_followed_by_its_script_whatever_its_shape(shape):
    guide = parse_text(guide_text(levers=LEVER_SHAPES[shape]), "g.md")
    assert [(lv.number, lv.name, [(a.component, a.value) for a in lv.asks]) for lv in guide.levers] == [
        (1, "Equity Lever", [("stock", "$35K")])  # "35k" is money in the guide's currency
    ]
    assert [(t.region, str(t.amount)) for t in guide.targets] == [("Boston, MA", "$200K–$230K")]


@pytest.mark.parametrize(
    ("script", "asks"),
    [
        ("I'd like a one-time sign-on and relocation package of $25K.", [("one_off", "$25K")]),
        ("I'd like a single 30k package that covers the relocation and my lost bonus.", [("one_off", "$30K")]),
        ("I'd like a relocation package of €10K to cover it.", [("relocation", "€10K")]),
        ("I'd like the bonus target at 20% rather than the 15% in the offer.", [("bonus", "20%")]),
        ("I have an offer at $240K total. I'd like the base moved to 135k to 140k.", [("base", "$135K–$140K")]),
        ("If you can get the base to 90k I'm ready to sign.", [("base", "$90K")]),
    ],
)
def test_a_script_asks_for_what_it_asks_for(script, asks):
    from index.scripts import asks_in

    assert [(a.component, a.value) for a in asks_in(script, "USD")] == asks


@pytest.mark.parametrize(
    ("a", "b"),
    [("Boston", "Boston, MA (HQ)"), ("New York", "New York, NY"), ("Greater Toronto Area", "Toronto, ON"),
     ("Zürich", "Zurich (HQ)"), ("Remote (US)", "Remote — United States")],
)  # fmt: skip
def test_one_place_written_two_ways_is_one_place(a, b):
    from index.places import place_of

    assert place_of(a).key == place_of(b).key
    assert place_of("Portland, OR").key != place_of("Portland, ME").key


def test_a_file_over_the_size_limit_is_refused_after_reading_one_byte_past_it(tmp_path):
    # Lint skips oversized files before parsing; this holds for one that grew in between.
    path = tmp_path / "grown.md"
    path.write_bytes((SEEDS / "ally-financial/software-engineer.md").read_bytes().ljust(20_000, b"\n"))
    with pytest.raises(GuideError) as caught:
        parse_guide(path, tmp_path, max_bytes=10_000)
    assert str(caught.value) == "grown.md: is 20,000 bytes, over the limit of 10,000 bytes for a guide: not read"


@pytest.mark.parametrize(
    ("frontmatter", "error"),
    [
        # the file's line 3 holds the error
        (
            "---\ncompany: acme\nrole_display: Engineer: Senior\n---\n",
            "3: frontmatter is not valid YAML: mapping values",
        ),
        # blank lines and spaces after the opening dashes count as the file counts them
        (
            "---  \n\ncompany: acme\n\nrole_display: Engineer: Senior\n---\n",
            "5: frontmatter is not valid YAML: mapping",
        ),
        # a quote left open runs to the closing dashes (line 5); where it opened is said too
        (
            '---\ncompany: acme\nrole_display: "Engineer\nnext_review_due: 2026-05-23\n---\n',
            "5: frontmatter is not valid YAML: found unexpected end of stream "
            "(while scanning a quoted scalar started on line 3)",
        ),
    ],
)
def test_a_yaml_error_is_reported_on_its_line_in_the_file(tmp_path, frontmatter, error):
    path = tmp_path / "broken.md"
    path.write_text(frontmatter + "\n### Engineer | Acme Negotiation Guide\n")
    with pytest.raises(GuideError) as caught:
        parse_guide(path, tmp_path)
    assert str(caught.value).startswith(f"broken.md:{error}")
