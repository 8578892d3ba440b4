"""A guide split into the units a question targets: one per region's pay row, lever,
premium, negotiate-up region, the level mapping, each DNA paragraph, and the sources.

A `Section` is what retrieval ranks and what a citation points at; its `key` ties it back
to the structured fact in the `Guide` (a region name, a lever number, a premium name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from index.model import COMPONENT_NAMES, PAY_COMPONENTS, Guide, Lines, Model, Paragraph
from index.text import slugify

_FIGURES = re.compile(r"\s*[$€£][\d.,]+[kKmMbB]?\+?(?:\s*[–—-]\s*[$€£]?[\d.,]+[kKmMbB]?)?")

SectionKind = Literal["pay", "target", "lever", "premium", "level_mapping", "dna", "narrative", "sources", "table"]


class Section(Model):
    id: str  # "<guide id>#<anchor>", unique in an index
    guide_id: str
    kind: SectionKind
    key: str  # region, lever number, premium name, or "" for one-of-a-kind sections
    heading: str  # the guide heading it sits under
    title: str  # what it is, e.g. "Charlotte, NC" or "Lever 3: Digital-Only Impact Lever"
    text: str  # its words, shown as the cited excerpt
    source_path: str
    start_line: int
    end_line: int

    @property
    def anchor(self) -> str:
        return self.id.partition("#")[2]

    def search_text(self, guide: Guide) -> str:
        """What BM25 indexes: the unit's words plus where it belongs, so "RSU lever for
        product managers" can match on role, kind and content together."""
        return f"{guide.role} at {guide.company}. {self.heading}. {self.title}. {self.text}"

    def embed_text(self, guide: Guide) -> str:
        """What is embedded: the same without figures. "$116K–$145K" costs the model eight
        word pieces and adds no meaning; figures are matched exactly elsewhere."""
        text = self.text if self.kind != "sources" else self.text[:300]
        named = self.title.rpartition(": ")[2]  # "Lever 3: X" -> "X"
        title = "" if text.startswith(named) else f" {self.title}."  # said once is enough
        return _FIGURES.sub("", f"{guide.role} at {guide.company}. {self.heading}.{title} {text}")


def anchor(kind: SectionKind, key: str = "") -> str:
    """The anchor of a section within its guide: how citations and pages address it."""
    if kind in ("pay", "target", "premium"):
        return f"{kind}-{slugify(key)}"
    if kind in ("lever", "table"):
        return f"{'lever' if kind == 'lever' else 'row'}-{key}"
    return {"level_mapping": "level-mapping", "dna": "dna", "sources": "sources"}.get(kind, key)


def narrative_keys(guide: Guide) -> list[tuple[str, Paragraph]]:
    """Each narrative paragraph's key (and anchor): its heading's slug and its number."""
    return [(f"{slugify(p.heading)}-{n}", p) for n, p in enumerate(guide.narrative, start=1)]


def section_id(guide_id: str, kind: SectionKind, key: str = "") -> str:
    return f"{guide_id}#{anchor(kind, key)}"


@dataclass(frozen=True)
class Unit:
    """One section's content before it is placed in the guide: what a builder returns."""

    key: str
    heading: str
    title: str
    text: str
    lines: Lines


def _pay(guide: Guide) -> Iterator[Unit]:
    for pay in guide.pay:
        figures = [f"{pay.labels.get(c) or COMPONENT_NAMES[c]} {r}" for c in PAY_COMPONENTS if (r := pay.get(c))]
        figures += [f"{a.label or a.component.replace('_', ' ')} {a}" for a in pay.extras]
        yield Unit(pay.region, guide.pay_heading, pay.region, f"{pay.region}: {' · '.join(figures)}", pay.lines)


def _targets(guide: Guide) -> Iterator[Unit]:
    for target in guide.targets:
        yield Unit(target.region, guide.targets_heading, target.region, target.text, target.lines)


def _levers(guide: Guide) -> Iterator[Unit]:
    for lever in guide.levers:
        title = f"Lever {lever.number}: {lever.name}"
        yield Unit(str(lever.number), lever.heading, title, f"{lever.name}: “{lever.script}”", lever.lines)


def _premiums(guide: Guide) -> Iterator[Unit]:
    for premium in guide.premiums:
        text = f"{premium.name}: {premium.text}"
        yield Unit(premium.name, guide.premiums_heading, premium.name, text, premium.lines)


def _level_mapping(guide: Guide) -> Iterator[Unit]:
    if mapping := guide.level_mapping:
        rows = "; ".join(
            f"{row.level} = " + ", ".join(f"{c}: {t}" for c, t in row.equivalents.items()) for row in mapping.rows
        )
        yield Unit("", mapping.heading, mapping.heading, rows, mapping.lines)


def _dna(guide: Guide) -> Iterator[Unit]:
    if guide.dna_tags and guide.dna_lines:
        text = f"{guide.dna_label}: " + ", ".join(guide.dna_tags)
        yield Unit("", guide.dna_label, guide.dna_label, text, guide.dna_lines)


def _narrative(guide: Guide) -> Iterator[Unit]:
    for key, paragraph in narrative_keys(guide):
        yield Unit(key, paragraph.heading, paragraph.heading, paragraph.text, paragraph.lines)


def _table_rows(guide: Guide) -> Iterator[Unit]:
    for row in guide.table_rows:
        yield Unit(str(row.lines.start), row.heading, row.heading, row.text, row.lines)


def _sources(guide: Guide) -> Iterator[Unit]:
    if guide.sources:
        text = "; ".join(f"{s.number}. {s.name}" + (f" — {s.detail}" if s.detail else "") for s in guide.sources)
        lines = Lines(start=guide.sources[0].lines.start, end=guide.sources[-1].lines.end)
        yield Unit("", guide.sources_heading, guide.sources_heading, text, lines)


# One builder per kind of section, in the order sections are listed: a new kind of fact is
# one builder here (and its anchor above).
BUILDERS: dict[SectionKind, Callable[[Guide], Iterator[Unit]]] = {
    "pay": _pay,
    "target": _targets,
    "lever": _levers,
    "premium": _premiums,
    "level_mapping": _level_mapping,
    "dna": _dna,
    "narrative": _narrative,
    "sources": _sources,
    "table": _table_rows,
}


def sections_of(guide: Guide) -> list[Section]:
    return [
        Section(
            id=f"{guide.id}#{anchor(kind, unit.key)}",
            guide_id=guide.id,
            kind=kind,
            key=unit.key,
            heading=unit.heading,
            title=unit.title,
            text=unit.text,
            source_path=guide.source_path,
            start_line=unit.lines.start,
            end_line=unit.lines.end,
        )
        for kind, build in BUILDERS.items()
        for unit in build(guide)
    ]
