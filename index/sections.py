"""A guide split into the units a question targets: one per region's pay row, lever,
premium, negotiate-up region, the level mapping, each DNA paragraph, and the sources.

A `Section` is what retrieval ranks and what a citation points at; its `key` ties it back
to the structured fact in the `Guide` (a region name, a lever number, a premium name).
"""

from __future__ import annotations

import re
from typing import Literal

from index.model import COMPONENT_NAMES, PAY_COMPONENTS, Guide, Lines, Model, Paragraph
from index.text import slugify

_FIGURES = re.compile(r"\s*[$€£][\d.,]+[kKmMbB]?\+?(?:\s*[–—-]\s*[$€£]?[\d.,]+[kKmMbB]?)?")

SectionKind = Literal["pay", "target", "lever", "premium", "level_mapping", "dna", "narrative", "sources"]


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
    if kind == "lever":
        return f"lever-{key}"
    return {"level_mapping": "level-mapping", "dna": "dna", "sources": "sources"}.get(kind, key)


def narrative_keys(guide: Guide) -> list[tuple[str, Paragraph]]:
    """Each narrative paragraph's key (and anchor): its heading's slug and its number."""
    return [(f"{slugify(p.heading)}-{n}", p) for n, p in enumerate(guide.narrative, start=1)]


def section_id(guide_id: str, kind: SectionKind, key: str = "") -> str:
    return f"{guide_id}#{anchor(kind, key)}"


def sections_of(guide: Guide) -> list[Section]:
    units: list[Section] = []

    def add(kind: SectionKind, key: str, heading: str, title: str, text: str, lines: Lines, anchor: str) -> None:
        units.append(
            Section(
                id=f"{guide.id}#{anchor}",
                guide_id=guide.id,
                kind=kind,
                key=key,
                heading=heading,
                title=title,
                text=text,
                source_path=guide.source_path,
                start_line=lines.start,
                end_line=lines.end,
            )
        )

    for pay in guide.pay:
        figures = " · ".join(
            f"{pay.labels.get(c, COMPONENT_NAMES[c])} {r}" for c in PAY_COMPONENTS if (r := pay.get(c))
        )
        add(
            "pay",
            pay.region,
            guide.pay_heading,
            pay.region,
            f"{pay.region}: {figures}",
            pay.lines,
            anchor("pay", pay.region),
        )
    for target in guide.targets:
        add(
            "target",
            target.region,
            guide.targets_heading,
            target.region,
            target.text,
            target.lines,
            anchor("target", target.region),
        )
    for lever in guide.levers:
        add(
            "lever",
            str(lever.number),
            lever.heading,
            f"Lever {lever.number}: {lever.name}",
            f"{lever.name}: “{lever.script}”",
            lever.lines,
            anchor("lever", str(lever.number)),
        )
    for premium in guide.premiums:
        add(
            "premium",
            premium.name,
            guide.premiums_heading,
            premium.name,
            f"{premium.name}: {premium.text}",
            premium.lines,
            anchor("premium", premium.name),
        )
    if guide.level_mapping:
        mapping = guide.level_mapping
        rows = "; ".join(
            f"{row.level} = " + ", ".join(f"{c}: {t}" for c, t in row.equivalents.items()) for row in mapping.rows
        )
        add("level_mapping", "", mapping.heading, mapping.heading, rows, mapping.lines, anchor("level_mapping"))
    if guide.dna_tags and guide.dna_lines:
        add(
            "dna",
            "",
            guide.dna_label,
            guide.dna_label,
            f"{guide.dna_label}: " + ", ".join(guide.dna_tags),
            guide.dna_lines,
            anchor("dna"),
        )
    for key, paragraph in narrative_keys(guide):
        add(
            "narrative",
            key,
            paragraph.heading,
            paragraph.heading,
            paragraph.text,
            paragraph.lines,
            anchor("narrative", key),
        )
    if guide.sources:
        text = "; ".join(f"{s.number}. {s.name}" + (f" — {s.detail}" if s.detail else "") for s in guide.sources)
        lines = Lines(start=guide.sources[0].lines.start, end=guide.sources[-1].lines.end)
        add("sources", "", guide.sources_heading, guide.sources_heading, text, lines, anchor("sources"))
    return units
