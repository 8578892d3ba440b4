"""Read one guide file into a `Guide`.

The body is the source of truth and is read by the shape of its blocks, not by heading
names (headings vary between guides): the money table is the compensation table, a
numbered item followed by a quoted blockquote is a lever, a bold-labelled bullet is a
premium, a blockquote naming the regions with money is the negotiate-up strategy, a plain
numbered list is the sources. The frontmatter, when present, adds dates and is kept as
`Guide.declared` so lint can check it against the body.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from index.blocks import Block, Inline, Item, parse_blocks
from index.errors import GuideError
from index.model import (
    PAY_COMPONENTS,
    Ask,
    Declared,
    Guide,
    Heading,
    LevelMapping,
    LevelRow,
    Lever,
    Lines,
    Paragraph,
    Pay,
    Premium,
    Source,
    Target,
)
from index.money import CURRENCY_BY_SYMBOL, MoneyFormatError, MoneyRange, find_money, parse_money_range
from index.vocab import (
    REGION_HEADER,
    city_of,
    component_near,
    component_of_header,
    slugify,
    split_sentences,
)

_TITLE_SUFFIX = re.compile(r"(?:\s+(?:global|negotiation|compensation|salary|offer|playbook|guide))+\s*$", re.I)
_ASKING = re.compile(
    r"\b(?:I'd|I would|I'm|I am|I want|let's|we)\b.{0,40}?\b(?:like|looking|ask|asking|want|"
    r"discuss|target|see|push|propose|expect)\b|\bjustif(?:y|ies)\b|\bwarrants?\b",
    re.I,
)
_PERCENT = re.compile(r"\d+(?:\.\d+)?(?:\s*[–-]\s*\d+(?:\.\d+)?)?%")
_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
_EMPTY_CELL = {"", "-", "–", "—", "n/a", "na", "none"}


def parse_guide(path: Path, root: Path | None = None) -> Guide:
    """Parse the guide at `path`; `root` is the folder its citation path is relative to."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise GuideError(shown, None, f"not UTF-8 text ({err.reason} at byte {err.start})") from err
    return parse_text(text, shown)


def parse_text(text: str, source_path: str) -> Guide:
    meta, body, offset, fm_lines = _split_frontmatter(text, source_path)
    return _GuideReader(source_path, text, meta, body, offset, fm_lines).read()


def _split_frontmatter(text: str, file: str) -> tuple[dict[str, Any], str, int, list[str]]:
    """(metadata, body, lines before the body, frontmatter lines)."""
    if not text.startswith("---"):
        return {}, text, 0, []
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening "---"
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise GuideError(file, line, f"frontmatter is not valid YAML: {problem}") from err
    if not isinstance(post.metadata, dict):
        raise GuideError(file, 1, "frontmatter must be a YAML mapping of fields")
    body = post.content
    at = text.find(body) if body else len(text)
    offset = text.count("\n", 0, at)
    return dict(post.metadata), body, offset, text[:at].splitlines()


class _GuideReader:
    """Holds the state of reading one guide; `read()` returns it as a `Guide`."""

    def __init__(self, file: str, text: str, meta: dict[str, Any], body: str, offset: int, fm_lines: list[str]) -> None:
        self.file, self.text, self.meta, self.fm_lines = file, text, meta, fm_lines
        self.blocks = list(parse_blocks(body, offset))

    def error(self, line: int | None, message: str) -> GuideError:
        return GuideError(self.file, line, message)

    # -- the whole guide -------------------------------------------------------------------

    def read(self) -> Guide:
        title_block = next((b for b in self.blocks if b.kind == "heading"), None)
        if title_block is None or title_block.inline is None:
            raise self.error(1, "no title: expected a heading like '### <Role> | <Company> Negotiation Guide'")
        title = title_block.inline.text
        role, company = self._role_and_company(title, title_block.lines.start)

        facts: dict[str, Any] = {"narrative": [], "premiums": [], "levers": [], "sources": [], "headings": []}
        quotes: list[Block] = []
        section = title
        blocks = self.blocks[self.blocks.index(title_block) + 1 :]
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if block.kind == "heading" and block.inline:
                section = block.inline.text
                facts["headings"].append(Heading(level=block.level, text=section, line=block.lines.start))
            elif block.kind == "paragraph" and block.inline:
                self._paragraph(block, section, facts)
            elif block.kind == "table":
                self._table(block, section, facts)
            elif block.kind == "list":
                self._list(block, following, section, facts)
            elif block.kind == "quote" and not getattr(block, "consumed", False):
                quotes.append(block)
                block.section = section  # type: ignore[attr-defined]

        pay: list[Pay] = facts.get("pay", [])
        if not pay:
            raise self.error(
                title_block.lines.start,
                "no compensation table: expected a table with a region column and money columns such as 'Base Salary'",
            )
        for block in quotes:
            targets = self._targets(block, pay)
            if targets and "targets" not in facts:
                facts["targets"], facts["targets_lines"] = targets, block.lines
                facts["targets_heading"] = (block.inline.label if block.inline else None) or block.section  # type: ignore[attr-defined]
            else:
                facts["narrative"].append(Paragraph(heading=block.section, text=block.inline.text, lines=block.lines))  # type: ignore[attr-defined,union-attr]

        # Ids become URLs and citation anchors: whatever the frontmatter says, they are slugs.
        company_slug = slugify(str(self.meta.get("company") or company))
        role_slug = slugify(str(self.meta.get("role") or role))
        return Guide(
            id=f"{company_slug}/{role_slug}",
            company=company,
            company_slug=company_slug,
            role=role,
            role_slug=role_slug,
            title=title,
            title_line=title_block.lines.start,
            source_path=self.file,
            content_hash=hashlib.sha256(self.text.encode()).hexdigest(),
            role_type=self._str("role_type"),
            last_updated=self._date("last_updated"),
            next_review_due=self._date("next_review_due"),
            data_quality=self._str("data_quality"),
            salary_data_quarter=self._str("salary_data_quarter"),
            declared=self._declared() if self.meta else None,
            **facts,
        )

    def _role_and_company(self, title: str, line: int) -> tuple[str, str]:
        if "|" in title:
            role, _, rest = title.partition("|")
            company = _TITLE_SUFFIX.sub("", rest.strip())
            if role.strip() and company:
                return role.strip(), company
        declared_role, declared_company = self.meta.get("role_display"), self.meta.get("company_display")
        if declared_role and declared_company:
            return str(declared_role), str(declared_company)
        raise self.error(line, f"title {title!r} does not name the role and company as '<Role> | <Company> ...'")

    # -- block kinds -----------------------------------------------------------------------

    def _paragraph(self, block: Block, section: str, facts: dict[str, Any]) -> None:
        inline = block.inline
        assert inline is not None
        if inline.label and inline.code_spans and "dna_tags" not in facts:
            facts["dna_tags"], facts["dna_lines"], facts["dna_label"] = inline.code_spans, block.lines, inline.label
        else:
            facts["narrative"].append(Paragraph(heading=section, text=inline.text, lines=block.lines))

    def _table(self, block: Block, section: str, facts: dict[str, Any]) -> None:
        header, *rows = block.rows
        columns = [component_of_header(h) for h in header[0]]
        if any(columns) and "pay" not in facts:
            facts["pay"], facts["pay_heading"] = self._pay_rows(header[0], columns, rows), section
        elif not any(columns) and _is_level_table(header[0]) and "level_mapping" not in facts:
            competitors = [re.sub(r"\s+(equivalent|level|title)s?$", "", h, flags=re.I) for h in header[0][1:]]
            facts["level_mapping"] = LevelMapping(
                heading=section,
                our_label=header[0][0],
                competitors=competitors,
                rows=[
                    LevelRow(level=cells[0], equivalents=dict(zip(competitors, cells[1:], strict=False)))
                    for cells, _ in rows
                ],
                lines=block.lines,
            )
        else:
            text = "; ".join(" | ".join(cells) for cells, _ in block.rows)
            facts["narrative"].append(Paragraph(heading=section, text=text, lines=block.lines))

    def _pay_rows(self, header: list[str], columns: list[Any], rows: list[tuple[list[str], int]]) -> list[Pay]:
        region_col = next((i for i, h in enumerate(header) if REGION_HEADER.search(h)), 0)
        pay = []
        for cells, line in rows:
            region = cells[region_col].strip() if region_col < len(cells) else ""
            if not region:
                raise self.error(line, "compensation row has no region in its first column")
            figures: dict[str, Any] = {}
            labels: dict[str, str] = {}
            currency = None
            for i, component in enumerate(columns):
                if component is None or i == region_col or component in figures:
                    continue
                cell = cells[i].strip() if i < len(cells) else ""
                labels[component] = header[i]
                if cell.lower() in _EMPTY_CELL:
                    continue
                currency = currency or CURRENCY_BY_SYMBOL.get(cell[:1])
                try:
                    figures[component] = parse_money_range(cell, currency or "USD")
                except MoneyFormatError as err:
                    raise self.error(line, f"compensation row {region!r}, column {header[i]!r}: {err}") from err
            pay.append(
                Pay(
                    region=region,
                    currency=currency or "USD",
                    labels=labels,
                    lines=Lines(start=line, end=line),
                    **figures,
                )
            )
        return pay

    def _list(self, block: Block, following: Block | None, section: str, facts: dict[str, Any]) -> None:
        for item in block.items:
            is_last = item is block.items[-1]
            script = item.quote or (
                following.inline.text
                if is_last and following and following.kind == "quote" and following.inline
                else None
            )
            if block.ordered and script is not None:
                end = item.lines.end
                if item.quote is None and following is not None:
                    following.consumed = True  # type: ignore[attr-defined]
                    end = following.lines.end
                facts["levers"].append(self._lever(item, script, section, Lines(start=item.lines.start, end=end)))
            elif item.inline.label and item.inline.rest:
                facts["premiums"].append(self._premium(item))
            elif block.ordered:
                name, detail = _name_and_detail(item.inline.text)
                number = item.number or len(facts["sources"]) + 1
                facts["sources"].append(Source(number=number, name=name, detail=detail, lines=item.lines))
                facts.setdefault("sources_heading", section)
            else:
                facts["narrative"].append(Paragraph(heading=section, text=item.inline.text, lines=item.lines))
        if facts["premiums"] and "premiums_heading" not in facts:
            facts["premiums_heading"] = section

    def _premium(self, item: Item) -> Premium:
        inline: Inline = item.inline
        money = find_money(inline.rest, symbol_required=True)
        return Premium(
            name=inline.label or "", text=inline.rest, amount=money[0].range if money else None, lines=item.lines
        )

    def _lever(self, item: Item, script: str, section: str, lines: Lines) -> Lever:
        script = script.strip().strip('"“”').strip()
        return Lever(
            number=item.number or 0,
            name=item.inline.text,
            script=script,
            asks=_asks(script),
            placeholders=_PLACEHOLDER.findall(script),
            heading=section,
            lines=lines,
        )

    def _targets(self, block: Block, pay: list[Pay]) -> list[Target]:
        assert block.inline is not None
        text = block.inline.rest
        aliases = sorted(
            ((alias, p.region) for p in pay for alias in region_aliases(p.region)), key=lambda a: -len(a[0])
        )
        targets: dict[str, Target] = {}
        for _, sentence in split_sentences(text):
            money = find_money(sentence, symbol_required=True)
            found = [
                (m.start(), region)
                for alias, region in aliases
                if (m := re.search(rf"\b{re.escape(alias)}\b", sentence, re.I))
            ]
            if not money or not found:
                continue
            region = min(found)[1]
            if region in targets:
                continue
            first = money[0]
            component = component_near(sentence, first.start, first.end) or "total"
            targets[region] = Target(
                region=region, component=component, amount=first.range, text=sentence, lines=block.lines
            )
        return list(targets.values())

    # -- frontmatter -----------------------------------------------------------------------

    def _field_line(self, key: str, after: int = 0) -> int:
        pattern = re.compile(rf"^\s*(?:-\s*)?{re.escape(key)}\s*:")
        for n, line in enumerate(self.fm_lines[after:], start=after + 1):
            if pattern.match(line):
                return n
        return 1

    def _str(self, key: str) -> str | None:
        value = self.meta.get(key)
        return None if value is None else str(value)

    def _date(self, key: str) -> date | None:
        value = self.meta.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as err:
            raise self.error(
                self._field_line(key), f"frontmatter field {key!r}: {value!r} is not a date like 2026-05-23"
            ) from err

    def _declared(self) -> Declared:
        comp = self.meta.get("compensation") or []
        line = self._field_line("compensation")
        if not isinstance(comp, list):
            raise self.error(line, "frontmatter field 'compensation' must be a list of regions")
        pay = []
        for entry in comp:
            line = self._field_line("region", after=line)
            if not isinstance(entry, dict) or not entry.get("region"):
                raise self.error(line, "frontmatter compensation entry has no 'region'")
            figures = {}
            for component in PAY_COMPONENTS:
                keys = [f"{component}_low", f"{component}_high"]
                if component == "total" and "total_comp_low" in entry:
                    keys = ["total_comp_low", "total_comp_high"]
                if keys[0] not in entry and keys[1] not in entry:
                    continue
                low, high = entry.get(keys[0]), entry.get(keys[1])
                if not isinstance(low, int | float) or not isinstance(high, int | float):
                    raise self.error(
                        self._field_line(keys[0], after=line - 1),
                        f"frontmatter {entry['region']!r}: {keys[0]}/{keys[1]} must both be numbers, "
                        f"got {low!r} and {high!r}",
                    )
                figures[component] = MoneyRange(
                    low=int(low), high=int(high), currency=str(entry.get("currency", "USD"))
                )
            pay.append(
                Pay(
                    region=str(entry["region"]),
                    currency=str(entry.get("currency", "USD")),
                    lines=Lines(start=line, end=line),
                    **figures,
                )
            )
        summary = self.meta.get("negotiation_dna_summary")
        fields = (
            "company",
            "company_display",
            "role",
            "role_display",
            "negotiation_dna_summary",
            "next_review_due",
            "compensation",
        )
        return Declared(
            company_slug=self._str("company"),
            company=self._str("company_display"),
            role_slug=self._str("role"),
            role=self._str("role_display"),
            dna_tags=re.findall(r"`([^`]+)`", str(summary)) if summary else None,
            pay=pay,
            data_sources=[str(s) for s in self.meta.get("data_sources") or []],
            field_lines={k: self._field_line(k) for k in fields if k in self.meta},
        )


_LEVEL_HEADER = re.compile(r"\b(level|title|grade|band|equivalent|ladder)s?\b", re.I)


def _is_level_table(header: list[str]) -> bool:
    """A table mapping our levels to competitors' names levels or equivalents in its header."""
    return len(header) >= 2 and bool(
        _LEVEL_HEADER.search(header[0]) or any(_LEVEL_HEADER.search(h) for h in header[1:])
    )


def region_aliases(region: str) -> list[str]:
    """Ways a text may name a region: "Detroit, MI (HQ)" -> itself, "Detroit, MI", "Detroit"."""
    bare = re.sub(r"\s*\([^)]*\)", "", region).strip()
    return list(dict.fromkeys([region, bare, city_of(region)]))


def _name_and_detail(text: str) -> tuple[str, str]:
    """ "Levels.fyi 2025 Data — Engineer pay at banks" -> (name, detail)."""
    parts = re.split(r"\s+[—–-]\s+", text, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def _asks(script: str) -> list[Ask]:
    """The figures a script asks for: money and percentages in its asking sentences."""
    asks: list[Ask] = []
    previous = None
    for _, sentence in split_sentences(script):
        money = find_money(sentence, symbol_required=True)
        asking = bool(_ASKING.search(sentence))
        for m in money:
            component = component_near(sentence, m.start, m.end) or previous
            previous = component
            if asking and not m.open_ended:
                asks.append(Ask(component=component, amount=m.range, phrase=_phrase(sentence, m.start, m.end)))
        if asking:
            for p in _PERCENT.finditer(sentence):
                component = component_near(sentence, p.start(), p.start())
                asks.append(
                    Ask(
                        component=component,
                        percent=p.group().replace("-", "–"),
                        phrase=_phrase(sentence, p.start(), p.end()),
                    )
                )
    return asks


def _phrase(sentence: str, start: int, end: int) -> str:
    """The clause around a figure, for showing what is asked in the guide's own words."""
    left = max(sentence.rfind(p, 0, start) for p in (",", "—", ";", " so ", " and "))
    right_candidates = [i for p in (",", "—", ";", ".") if (i := sentence.find(p, end)) != -1]
    right = min(right_candidates) if right_candidates else len(sentence)
    return sentence[left + 1 if left >= 0 else 0 : right].strip(" —,;")
