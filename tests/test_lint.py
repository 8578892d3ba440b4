"""Lint: every inconsistency in the seeds is found, every broken guide gets a precise error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from index.lint import Severity, check_guide, lint_path
from index.parse import parse_guide
from tests.conftest import ROOT, SEEDS, TODAY


def findings(path: Path, root: Path, severity: Severity | None = None) -> list[str]:
    return [str(f) for r in lint_path(path, root, TODAY) for f in r.findings if severity in (None, f.severity)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def with_column(path: Path, header: str, detroit: str) -> Path:
    """The product manager's pay table with one more column, filled in the Detroit row."""
    edit(
        path,
        "| Region | Base Salary | Stock (RSU/4yr) | Bonus | Total Comp |",
        f"| Region | Base Salary | Stock (RSU/4yr) | Bonus | Total Comp | {header} |",
    )
    edit(path, "|---|---|---|---|---|", "|---|---|---|---|---|---|")
    edit(path, "| $182K–$262K |", f"| $182K–$262K | {detroit} |")
    return path


def test_seeds_have_no_errors():
    assert findings(SEEDS, ROOT, Severity.ERROR) == []


def test_every_arithmetic_inconsistency_in_the_seeds_is_reported():
    totals = [f for f in findings(SEEDS, ROOT, Severity.WARNING) if "[total-mismatch]" in f]
    assert totals == [
        "seeds/ally-financial/product-manager.md:12: warning [total-mismatch] Charlotte, NC: total low is $191K "
        "but base + stock + bonus = $134K + $29K + $27K = $190K (off by $1K)",
        "seeds/ally-financial/technical-program-manager.md:61: warning [total-mismatch] Charlotte, NC: total low is "
        "$181K but base + stock + bonus = $128K + $26K + $26K = $180K (off by $1K)",
    ]


def test_past_review_date_is_a_stale_warning_with_the_data_quarter():
    stale = [f for f in findings(SEEDS, ROOT) if "[stale]" in f]
    assert len(stale) == 3
    assert stale[0] == (
        "seeds/ally-financial/engineering-manager.md:10: warning [stale] next_review_due 2026-05-23 is before "
        "today (2026-11-21): figures may be stale (2025-Q4 data)"
    )


def test_guides_without_frontmatter_are_info():
    info = [f for f in findings(SEEDS, ROOT, Severity.INFO) if "[no-frontmatter]" in f]
    assert info == [
        "seeds/ally-financial/product-manager.md:1: info [no-frontmatter] no frontmatter: company, role and figures are derived from the body",
        "seeds/ally-financial/solutions-architect.md:1: info [no-frontmatter] no frontmatter: company, role and figures are derived from the body",
    ]


def test_bad_yaml_is_an_error_with_its_line(seeds_copy: Path):
    # The quote left open on line 22 closes at the next one, on line 49, where what follows breaks.
    edit(seeds_copy / "ally-financial/software-engineer.md", 'region: "Charlotte, NC"', 'region: "Charlotte, NC')
    assert findings(seeds_copy, seeds_copy.parent, Severity.ERROR) == [
        "seeds/ally-financial/software-engineer.md:49: error [parse] frontmatter is not valid YAML: found character "
        "that cannot start any token"
    ]


def test_yaml_error_is_reported_on_the_line_that_holds_it(seeds_copy: Path):
    edit(
        seeds_copy / "ally-financial/engineering-manager.md",
        "company_display: Ally Financial",
        "company_display: Ally: Financial",
    )
    assert findings(seeds_copy, seeds_copy.parent, Severity.ERROR) == [
        "seeds/ally-financial/engineering-manager.md:3: error [parse] frontmatter is not valid YAML: mapping values "
        "are not allowed in this context"
    ]


def test_a_guide_without_a_pay_table_is_kept_and_lint_says_its_pay_is_quoted(seeds_copy: Path):
    path = seeds_copy / "ally-financial/product-manager.md"
    text = path.read_text()
    start = text.index("| Region |")
    path.write_text(text[:start] + text[text.index("---", start) :])
    assert findings(seeds_copy, seeds_copy.parent, Severity.ERROR) == []
    assert [f for f in findings(path, seeds_copy.parent) if "[untyped-pay]" in f] == [
        "seeds/ally-financial/product-manager.md:1: warning [untyped-pay] no pay table or list was typed: pay "
        "questions are answered by quoting the guide's own lines"
    ]


def test_garbled_money_is_a_warning_naming_row_column_and_line(seeds_copy: Path):
    edit(seeds_copy / "ally-financial/solutions-architect.md", "$139K–$184K", "$1x9K–$18!4K")
    assert findings(seeds_copy, seeds_copy.parent, Severity.ERROR) == []
    assert [f for f in findings(seeds_copy, seeds_copy.parent, Severity.WARNING) if "figure-not-a-fact" in f] == [
        "seeds/ally-financial/solutions-architect.md:12: warning [figure-not-a-fact] $1x9K–$18!4K (pay table): row "
        "'Charlotte, NC', column 'Base Salary': not a figure or range like $165K–$218K"
    ]


def test_frontmatter_disagreeing_with_the_table_names_both_values(seeds_copy: Path):
    edit(seeds_copy / "ally-financial/software-engineer.md", "base_low: 116000", "base_low: 118000")
    assert findings(seeds_copy, seeds_copy.parent, Severity.ERROR) == [
        "seeds/ally-financial/software-engineer.md:22: error [frontmatter-mismatch] Charlotte, NC base salary: "
        "frontmatter says $118K–$145K but the table (line 62) says $116K–$145K"
    ]


def test_lever_asking_outside_every_range_is_a_warning(seeds_copy: Path):
    edit(seeds_copy / "ally-financial/software-engineer.md", "a base of $135K", "a base of $335K")
    warnings = [f for f in findings(seeds_copy, seeds_copy.parent) if "[lever-out-of-range]" in f]
    assert warnings == [
        "seeds/ally-financial/software-engineer.md:101: warning [lever-out-of-range] lever 1 (Detroit Cost Arbitrage "
        "Lever) asks base salary $335K, outside every region's range ($110K–$163K)"
    ]


def test_target_outside_its_region_is_a_warning(seeds_copy: Path):
    edit(seeds_copy / "ally-financial/product-manager.md", "push for $240K–$262K TC", "push for $240K–$290K TC")
    warnings = [f for f in findings(seeds_copy, seeds_copy.parent) if "[target-out-of-range]" in f]
    assert warnings == [
        "seeds/ally-financial/product-manager.md:65: warning [target-out-of-range] Detroit, MI (HQ) negotiate-up "
        "target $240K–$290K is outside its total comp range $182K–$262K"
    ]


def test_section_that_other_guides_have_is_reported_missing(seeds_copy: Path):
    path = seeds_copy / "ally-financial/solutions-architect.md"
    text = path.read_text()
    path.write_text(text[: text.index("#### Evidence & Sources")])
    warnings = [f for f in findings(seeds_copy, seeds_copy.parent) if "[missing-section]" in f]
    assert warnings == [
        "seeds/ally-financial/solutions-architect.md: warning [missing-section] no evidence & sources list, which 4 "
        "of the other 4 guides have"
    ]


def test_one_broken_guide_does_not_stop_the_others(seeds_copy: Path):
    # A contradiction between frontmatter and body is the one thing that rejects a guide.
    edit(seeds_copy / "ally-financial/software-engineer.md", "base_low: 116000", "base_low: 118000")
    reports = lint_path(seeds_copy, seeds_copy.parent, TODAY)
    assert [r.ok for r in reports] == [True, True, False, True, True]


def test_lint_command_exits_nonzero_only_on_errors(seeds_copy: Path):
    runner = CliRunner()
    ok = runner.invoke(app, ["lint", str(SEEDS), "--today", "2026-11-21"])
    assert ok.exit_code == 0, ok.output
    assert "5 guides: 0 errors, 5 warnings, 16 info" in ok.output
    assert "seeds/ally-financial/software-engineer.md:73: info [figure-not-a-fact]" in ok.output  # not an emoji
    assert "figures: 22 in facts, 5 reported by lint, 0 lost" in ok.output
    edit(seeds_copy / "ally-financial/software-engineer.md", "base_low: 116000", "base_low: 118000")
    bad = runner.invoke(app, ["lint", str(seeds_copy), "--today", "2026-11-21"])
    assert bad.exit_code == 1
    assert "1 errors" in bad.output and "software-engineer.md:22: error [frontmatter-mismatch]" in bad.output


def test_every_figure_in_the_seeds_is_a_fact_or_reported():
    # Each amount the seeds write outside a fact, with where it stands and why it is no fact.
    reported = [f for f in findings(SEEDS / "ally-financial/software-engineer.md", ROOT) if "[figure-not-a-fact]" in f]
    assert reported == [
        "seeds/ally-financial/software-engineer.md:73: info [figure-not-a-fact] $180K, $270K+ (narrative): in narrative text, not a pay fact",
        "seeds/ally-financial/software-engineer.md:102: info [figure-not-a-fact] $140K+ (lever script): mentioned in a script, not asked for",
        "seeds/ally-financial/software-engineer.md:115: info [figure-not-a-fact] $10K–$18K (negotiate-up targets): context, not a region's target",
        "seeds/ally-financial/software-engineer.md:121: info [figure-not-a-fact] $196B+ (sources): a company figure (billions), not pay",
    ]


def test_an_amount_the_parser_cannot_read_is_a_warning_not_a_loss(seeds_copy: Path):
    # "$1,2,3K" (a typo) is written like an amount but no reader can understand it.
    edit(
        seeds_copy / "ally-financial/software-engineer.md",
        "purchasing power equivalent to $270K+",
        "purchasing power of $1,2,3K",
    )
    reported = [
        f for f in findings(seeds_copy / "ally-financial/software-engineer.md", seeds_copy.parent) if ":73:" in f
    ]
    assert reported == [
        "seeds/ally-financial/software-engineer.md:73: info [figure-not-a-fact] $180K (narrative): in narrative text, not a pay fact",
        "seeds/ally-financial/software-engineer.md:73: warning [figure-not-a-fact] $1,2,3K (narrative): written like an amount, but not read as one",
    ]


def test_a_money_column_that_is_no_pay_component_is_reported(seeds_copy: Path):
    path = with_column(seeds_copy / "ally-financial/product-manager.md", "Median Rent", "$6K")
    reported = [f for f in findings(path, seeds_copy.parent) if "Rent" in f or "$6K" in f]
    assert reported == [
        "seeds/ally-financial/product-manager.md:11: warning [figure-not-a-fact] $6K (pay table): in a column that is no pay component"
    ]


def test_an_allowance_column_is_typed_not_reported(seeds_copy: Path):
    path = with_column(seeds_copy / "ally-financial/product-manager.md", "Car Allowance", "$6K")
    assert [f for f in findings(path, seeds_copy.parent) if "$6K" in f] == []
    detroit = parse_guide(path, seeds_copy.parent).pay[0]
    assert [(a.component, a.label, str(a)) for a in detroit.extras] == [("allowance", "Car Allowance", "$6K")]


def test_frontmatter_naming_the_company_without_the_titles_market_is_no_mismatch(seeds_copy: Path):
    path = seeds_copy / "ally-financial/software-engineer.md"
    edit(
        path,
        "### Software Engineer | Ally Financial Global Negotiation Guide",
        "### Software Engineer | Ally Financial Asia-Pacific Negotiation Guide",
    )
    [report] = lint_path(path, seeds_copy.parent, TODAY)
    assert report.ok and (report.guide.company, report.guide.scope) == ("Ally Financial", "Asia-Pacific")
    edit(path, "company_display: Ally Financial", "company_display: Ally Bank")
    assert findings(path, seeds_copy.parent, Severity.ERROR) == [
        "seeds/ally-financial/software-engineer.md:3: error [frontmatter-mismatch] frontmatter company_display is "
        "'Ally Bank' but the title (line 51) says 'Ally Financial'"
    ]


def test_frontmatter_pay_the_body_writes_in_a_shape_no_reader_types_warns_and_rejects_nothing():
    from index.parse import parse_text

    guide = parse_text(
        """---
company: Ilala Surgical
role: Sales Specialist
compensation:
  - region: Durban
    base_low: 400000
    base_high: 480000
---
# Sales Specialist | Ilala Surgical Negotiation Guide

In Durban a specialist earns a basic of four hundred to four hundred and eighty thousand rand.
""",
        "guide.md",
    )
    found = check_guide(guide, TODAY)
    assert not [f for f in found if f.severity == Severity.ERROR], found
    assert any(f.code == "frontmatter-unread" and "'Durban'" in f.message for f in found)
