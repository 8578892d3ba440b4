"""Checks on parsed guides: what would make an answer wrong, stale or incomplete.

Errors make a guide unusable (it is not indexed); warnings are shown to the author and
carried into answers where they matter (stale data); info is for the record.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from index.coverage import SERIOUS
from index.errors import GuideError
from index.folder import MAX_GUIDE_BYTES, GuideFolder, read_folder, shown_path
from index.lexicon import lexicon
from index.model import COMPONENT_NAMES, PAY_COMPONENTS, RECURRING, Component, Guide, Pay
from index.money import MoneyRange, format_amount
from index.parse import parse_guide
from index.places import fold
from index.text import slugify
from index.workers import spawn_pool


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    file: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity} [{self.code}] {self.message}"


@dataclass
class GuideReport:
    file: str  # as shown in messages and citations
    path: Path  # where it is on disk
    guide: Guide | None
    findings: list[Finding]
    digest: str | None = None  # for an entry that is no readable file: stands in for its sha256

    @property
    def ok(self) -> bool:
        return self.guide is not None and not any(f.severity is Severity.ERROR for f in self.findings)


# The kinds of content a guide can have, as named in "section missing" warnings.
SECTION_KINDS = {
    "dna_tags": "negotiation DNA tags line",
    "narrative": "negotiation DNA paragraphs",
    "level_mapping": "level mapping table",
    "premiums": "premiums list",
    "levers": "numbered levers with scripts",
    "targets": "negotiate-up targets",
    "sources": "evidence & sources list",
}


def guide_files(path: Path, max_bytes: int = MAX_GUIDE_BYTES) -> list[Path]:
    """The readable guides under `path` (a folder, searched recursively, or one file)."""
    return read_folder(path, max_bytes).guides if path.exists() else []


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def _parse(file: Path, root: Path | None, max_bytes: int) -> Guide | GuideError:
    try:
        return parse_guide(file, root, max_bytes)
    except GuideError as err:
        return err


def lint_path(
    path: Path, root: Path | None = None, today: date | None = None, *, max_guide_bytes: int = MAX_GUIDE_BYTES
) -> list[GuideReport]:
    """Parse and check every guide under `path`; one broken guide never hides the others.
    Nothing there (a missing path) is no guides. Guides over `max_guide_bytes` are reported,
    not read."""
    if not path.exists():
        return []
    return lint_folder(read_folder(path, max_guide_bytes), root, today, max_guide_bytes=max_guide_bytes)


def lint_folder(
    folder: GuideFolder, root: Path | None = None, today: date | None = None, *, max_guide_bytes: int = MAX_GUIDE_BYTES
) -> list[GuideReport]:
    """`lint_path` for a folder already read: every guide, and a report for each entry that
    cannot be one (a dangling symlink, a folder named like a guide, an oversized file)."""
    files = folder.guides
    if len(files) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        # Spawned workers that die with this process: a build killed mid-lint leaves none behind.
        with spawn_pool() as pool:
            parsed = list(pool.map(_parse, files, [root] * len(files), [max_guide_bytes] * len(files), chunksize=32))
    else:
        parsed = [_parse(file, root, max_guide_bytes) for file in files]
    reports = []
    for file, result in zip(files, parsed, strict=True):
        if isinstance(result, GuideError):
            finding = Finding(Severity.ERROR, result.file, result.line, "parse", result.message)
            reports.append(GuideReport(result.file, file, None, [finding]))
        else:
            reports.append(GuideReport(result.source_path, file, result, check_guide(result, today or date.today())))
    for bad in folder.bad:
        shown = shown_path(bad.path, root)
        reports.append(
            GuideReport(
                shown, bad.path, None, [Finding(Severity.ERROR, shown, None, bad.code, bad.message)], bad.digest
            )
        )
    reports.sort(key=lambda r: r.path)
    _missing_sections(reports)
    return reports


def check_guide(guide: Guide, today: date) -> list[Finding]:
    """Every check that needs only this guide."""
    findings: list[Finding] = []

    def add(severity: Severity, line: int | None, code: str, message: str) -> None:
        findings.append(Finding(severity, guide.source_path, line, code, message))

    if guide.declared is None:
        add(Severity.INFO, 1, "no-frontmatter", "no frontmatter: company, role and figures are derived from the body")
    else:
        _check_declared(guide, add)
    for pay in guide.pay:
        _check_total(pay, add)
    if not guide.pay:
        add(
            Severity.WARNING,
            guide.title_line,
            "untyped-pay",
            "no pay table or list was typed: pay questions are answered by quoting the guide's own lines",
        )
    _check_unique(guide, add)
    if guide.is_stale(today):
        assert guide.next_review_due is not None and guide.declared is not None
        quarter = f" ({guide.salary_data_quarter} data)" if guide.salary_data_quarter else ""
        add(
            Severity.WARNING,
            guide.declared.field_lines.get("next_review_due"),
            "stale",
            f"next_review_due {guide.next_review_due} is before today ({today}): figures may be stale{quarter}",
        )
    _check_levers_and_targets(guide, add)
    _report_unread(guide, add)
    return findings


def _report_unread(guide: Guide, add) -> None:  # type: ignore[no-untyped-def]
    """Every amount no fact holds, one finding per line and reason: nothing silently lost."""
    grouped: dict[tuple[int, str, str], list[str]] = {}
    for figure in guide.unread:
        grouped.setdefault((figure.line, figure.where, figure.reason), []).append(figure.text)
    for (line, where, reason), texts in grouped.items():
        # A pay cell no reader understood is named by its row and column: a warning too.
        serious = reason in SERIOUS or (where == "pay table" and reason.startswith("row "))
        severity = Severity.WARNING if serious else Severity.INFO
        add(severity, line, "figure-not-a-fact", f"{', '.join(texts)} ({where}): {reason}")


@dataclass(frozen=True)
class Coverage:
    """Where a guide's money amounts ended up: in facts, in lint messages, or lost (never)."""

    in_facts: int
    in_lint: int

    def __str__(self) -> str:
        return f"figures: {self.in_facts} in facts, {self.in_lint} reported by lint, 0 lost"


def coverage_of(guide: Guide) -> Coverage:
    return Coverage(guide.figures_read, len(guide.unread))


def _same_name(said: str, body: str, scope: str | None) -> bool:
    """The frontmatter and the title name the same thing, ignoring case, punctuation, legal
    forms ("Bergfink Velo AG" is the title's "Bergfink Velo") and the title's market
    qualifier ("Acme" vs the title's "Acme UK")."""
    legal = lexicon().legal_forms

    def words(text: str) -> list[str]:
        return [w for w in fold(text).replace(".", "").split() if w not in legal]

    said_words, body_words = words(said), words(body)
    with_scope = words(f"{body} {scope or ''}")
    return said_words in (body_words, with_scope) or (bool(said_words) and with_scope[: len(said_words)] == said_words)


def _check_declared(guide: Guide, add) -> None:  # type: ignore[no-untyped-def]
    declared = guide.declared
    assert declared is not None
    lines = declared.field_lines
    for field, said, body in (
        ("company_display", declared.company, guide.company),
        ("role_display", declared.role, guide.role),
    ):
        if said is not None and not _same_name(said, body, guide.scope if field == "company_display" else None):
            # Another company is a contradiction; a role named two ways ("SDE ladder") is not.
            add(
                Severity.ERROR if field == "company_display" else Severity.WARNING,
                lines.get(field),
                "frontmatter-mismatch",
                f"frontmatter {field} is {said!r} but the title (line {guide.title_line}) says {body!r}",
            )
    if declared.dna_tags is not None and guide.dna_tags and declared.dna_tags != guide.dna_tags:
        add(
            Severity.ERROR,
            lines.get("negotiation_dna_summary"),
            "frontmatter-mismatch",
            f"frontmatter DNA tags {declared.dna_tags} differ from the body's "
            f"(line {guide.dna_lines}) {guide.dna_tags}",
        )

    def key(pay: Pay) -> str:  # "Boston" and "Boston, MA" are one region
        return pay.place.key if pay.place and pay.place.known else fold(pay.where or pay.region)

    # A place may have several rows (levels, shifts): a declared figure agrees when any row
    # of its place states it, and contradicts only when none does.
    body_by_key: dict[str, list[Pay]] = {}
    for p in guide.pay:
        body_by_key.setdefault(key(p), []).append(p)
    said_by_key = {key(p): p for p in declared.pay}
    for region_key, said_pay in said_by_key.items():
        rows = body_by_key.get(region_key)
        if rows is None:
            # A region the body's typed rows do not have may be written in a shape no reader
            # types (prose, a list): nothing read is no contradiction, and no reason to turn
            # the guide away. The frontmatter still says it; lint says the body was not read.
            add(
                Severity.WARNING,
                said_pay.lines.start,
                "frontmatter-unread",
                f"frontmatter region {said_pay.region!r} is in no pay row read from the body "
                f"(rows: {', '.join(guide.regions) or 'none'})",
            )
            continue
        body_pay = rows[0]
        region = body_pay.region if len(rows) == 1 else (body_pay.where or body_pay.region)
        for component in PAY_COMPONENTS:
            said_range = said_pay.get(component)
            stated = [r for p in rows if component not in p.derived and (r := p.get(component)) is not None]
            if said_range is not None and not any((said_range.low, said_range.high) == (r.low, r.high) for r in stated):
                add(
                    Severity.ERROR if stated else Severity.WARNING,  # a figure the body states otherwise
                    said_pay.lines.start,
                    "frontmatter-mismatch",
                    f"{region} {COMPONENT_NAMES[component].lower()}: frontmatter says {said_range} "
                    f"but the table (line {body_pay.lines.start}) says {stated[0] if stated else 'nothing'}",
                )
        for component, said_percent in said_pay.percents.items():
            body_percents = [p.percents.get(component) for p in rows]
            if said_percent not in body_percents:
                add(
                    Severity.ERROR if any(body_percents) else Severity.WARNING,
                    said_pay.lines.start,
                    "frontmatter-mismatch",
                    f"{region} {COMPONENT_NAMES[component].lower()}: frontmatter says {said_percent} of base "
                    f"but the table (line {body_pay.lines.start}) says {body_percents[0] or 'nothing'}",
                )
    if declared.pay:
        for region_key, rows in body_by_key.items():
            if region_key not in said_by_key:
                add(  # an incomplete frontmatter list contradicts nothing
                    Severity.WARNING,
                    rows[0].lines.start,
                    "frontmatter-mismatch",
                    f"table region {rows[0].where or rows[0].region!r} is missing from the frontmatter's "
                    "compensation list",
                )


def _check_total(pay: Pay, add) -> None:  # type: ignore[no-untyped-def]
    """A total is base + stock + bonus (those the row gives), with or without its sign-on and
    relocation: authors differ on that, so any of those sums agrees. A total built on a
    share of base cannot be checked to the unit and is not."""
    parts = [c for c in RECURRING if pay.get(c) is not None]
    one_time: list[Component] = [c for c in ("sign_on", "relocation") if pay.get(c) is not None]
    if pay.total is None or len(parts) < 2 or pay.derived or pay.percents:
        return
    if len({(f.period, f.currency) for c in [*parts, "total"] if (f := pay.get(c))}) > 1:
        return  # an hourly base and a yearly total are not parts of one sum
    for end in ("low", "high"):
        values = [getattr(pay.get(c), end) for c in parts]
        stated = getattr(pay.total, end)
        sums = {sum(values) + sum(getattr(pay.get(c), end) for c in extra) for extra in _subsets(one_time)}
        if stated not in sums:
            arithmetic = " + ".join(format_amount(v, pay.currency) for v in values)
            names = " + ".join(COMPONENT_NAMES[c].split()[0].lower() for c in parts)
            add(
                Severity.WARNING,
                pay.lines.start,
                "total-mismatch",
                f"{pay.region}: total {end} is {format_amount(stated, pay.currency)} but {names} = "
                f"{arithmetic} = {format_amount(sum(values), pay.currency)} "
                f"(off by {format_amount(abs(stated - sum(values)), pay.currency)})",
            )


def _subsets(items: list[Component]) -> list[list[Component]]:
    out: list[list[Component]] = [[]]
    for item in items:
        out += [s + [item] for s in out]
    return out


def _check_unique(guide: Guide, add) -> None:  # type: ignore[no-untyped-def]
    """Regions, levers and premiums are addressed by name in citations: two of one name would
    make one citation point at the other's figures."""
    for kind, keys, lines in (
        ("region", [p.region for p in guide.pay], [p.lines.start for p in guide.pay]),
        ("lever number", [str(lv.number) for lv in guide.levers], [lv.lines.start for lv in guide.levers]),
        ("premium", [p.name for p in guide.premiums], [p.lines.start for p in guide.premiums]),
    ):
        seen: dict[str, int] = {}
        for key, line in zip(keys, lines, strict=True):
            folded = slugify(key)
            if folded in seen:
                add(Severity.ERROR, line, "duplicate", f"{kind} {key!r} appears twice (first on line {seen[folded]})")
            seen.setdefault(folded, line)


def _span(guide: Guide, component: str, currency: str) -> MoneyRange | None:
    """The lowest low to the highest high of a component across the regions paid in `currency`."""
    ranges = [r for p in guide.pay if (r := p.get(component)) is not None and r.currency == currency]
    if not ranges:
        return None
    return MoneyRange(low=min(r.low for r in ranges), high=max(r.high for r in ranges), currency=currency)


def _check_levers_and_targets(guide: Guide, add) -> None:  # type: ignore[no-untyped-def]
    for lever in guide.levers:
        for ask in lever.asks:
            span = _span(guide, ask.component, ask.amount.currency) if ask.component and ask.amount else None
            if span and ask.amount and not span.covers(ask.amount):
                add(
                    Severity.WARNING,
                    lever.lines.start,
                    "lever-out-of-range",
                    f"lever {lever.number} ({lever.name}) asks {COMPONENT_NAMES[ask.component or ''].lower()} "
                    f"{ask.amount}, outside every region's range ({span})",
                )
    for target in guide.targets:
        pay = guide.pay_for(target.region)
        allowed = pay.get(target.component) if pay else None
        if allowed and allowed.currency == target.amount.currency and not allowed.covers(target.amount):
            add(
                Severity.WARNING,
                target.lines.start,
                "target-out-of-range",
                f"{target.region} negotiate-up target {target.amount} is outside its "
                f"{COMPONENT_NAMES[target.component].lower()} range {allowed}",
            )
    if guide.targets:
        covered = {t.region for t in guide.targets}
        for pay in guide.pay:
            if pay.region not in covered:
                add(
                    Severity.WARNING,
                    guide.targets_lines.start if guide.targets_lines else None,
                    "missing-target",
                    f"no negotiate-up target for region {pay.region!r}",
                )


def _present(guide: Guide) -> set[str]:
    return {kind for kind in SECTION_KINDS if getattr(guide, kind)}


def _missing_sections(reports: list[GuideReport]) -> None:
    """Warn where a guide lacks a kind of section that most of the other guides have."""
    guides = [r for r in reports if r.guide is not None]
    counts = Counter(kind for r in guides for kind in _present(r.guide))  # type: ignore[arg-type]
    for report in guides:
        assert report.guide is not None
        others = len(guides) - 1
        for kind in SECTION_KINDS.keys() - _present(report.guide):
            if others and counts[kind] * 2 > others:
                report.findings.append(
                    Finding(
                        Severity.WARNING,
                        report.file,
                        None,
                        "missing-section",
                        f"no {SECTION_KINDS[kind]}, which {counts[kind]} of the other {others} guides have",
                    )
                )
