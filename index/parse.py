"""Read one guide file into a `Guide`.

The body is the source of truth and is read by the shape of its blocks, not by heading
names (headings vary between guides):

- the table with a region column and pay-component columns is the pay table;
- a named block (a list item, a heading, a bold line) followed by a quoted script is a lever;
- a block naming the pay table's regions with amounts, quoted or under a target heading, holds
  the negotiate-up targets;
- a bold-labelled bullet, or a table of named amounts, is a premium;
- a plain numbered list, or a list under a sources heading, is the sources.

Every money amount in the body ends up in a typed fact or in `Guide.unread` (reported by
lint): nothing is silently lost. The frontmatter, when present, adds dates and identity and
is kept as `Guide.declared` so lint can check it against the body.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from index import coverage, prose_pay
from index.blocks import Block, Item, parse_blocks
from index.claims import Claim, ClaimKind
from index.errors import GuideError
from index.folder import MAX_GUIDE_BYTES, shown_path, too_large
from index.frontmatter import COMPANY_KEYS, ROLE_KEYS, FrontMatter, split
from index.lexicon import lexicon
from index.model import (
    Basis,
    Component,
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
    UnreadFigure,
)
from index.money import MoneyRange, find_money, is_currency_code
from index.pay import merge_pay, read_pay
from index.places import fold, gazetteer
from index.scripts import asks_in, component_near, money_in
from index.tables import Column, Table, competitor_columns, currency_named, kind_of, level_code, read_table
from index.text import inline_quote, is_script, singular, slugify, split_sentences, unquote
from index.title import identify

_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
_LEVER_NUMBER = re.compile(r"^\s*(?:lever|play|tactic|move|script)?\s*#?(\d{1,2})\s*(?:[:.—–)-]\s*|\s+)", re.I)
_LEVER_WORD = re.compile(r"^\s*(?:lever|play|tactic|move|script)\s*[:.—–-]\s*", re.I)
_EMOJI = re.compile(r"^[^\w\"“'‘(\[]+")


def parse_guide(path: Path, root: Path | None = None, max_bytes: int = MAX_GUIDE_BYTES) -> Guide:
    """Parse the guide at `path`; `root` is the folder its citation path is relative to. A
    file over `max_bytes` is refused without being read whole."""
    shown = shown_path(path, root)
    try:
        with path.open("rb") as f:
            # One byte past the limit tells "too large" apart, even for a file still growing.
            data = f.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise GuideError(shown, None, too_large(max(os.fstat(f.fileno()).st_size, len(data)), max_bytes))
    except OSError as err:
        raise GuideError(shown, None, f"cannot be read: {err.strerror or err}") from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise GuideError(shown, None, f"not UTF-8 text ({err.reason} at byte {err.start})") from err
    return parse_text(text, shown)


def parse_text(text: str, source_path: str) -> Guide:
    meta, body, offset, fm_lines = split(text, source_path)
    return _GuideReader(source_path, text, FrontMatter(meta, fm_lines, source_path), body, offset).read()


@dataclass
class _Facts:
    """What the reader has found so far; becomes the `Guide`."""

    pay: list[Pay] = field(default_factory=list)
    pay_heading: str = ""
    levers: list[Lever] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    targets_heading: str = ""
    targets_lines: Lines | None = None
    premiums: list[Premium] = field(default_factory=list)
    premiums_heading: str = ""
    level_mapping: LevelMapping | None = None
    sources: list[Source] = field(default_factory=list)
    sources_heading: str = ""
    narrative: list[Paragraph] = field(default_factory=list)
    table_rows: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    dna_tags: list[str] = field(default_factory=list)
    dna_label: str = ""
    dna_lines: Lines | None = None


class _GuideReader:
    """Holds the state of reading one guide; `read()` returns it as a `Guide`."""

    def __init__(self, file: str, text: str, front: FrontMatter, body: str, offset: int) -> None:
        self.file, self.text, self.front, self.body, self.offset = file, text, front, body, offset
        self.blocks = list(parse_blocks(body, offset))
        self.facts = _Facts()
        self.claimed: dict[int, Claim] = {}  # block index -> what it became (for figure coverage)
        self.tables: dict[int, Table] = {}
        self.sections: list[str] = []  # the heading each block stands under
        self.currency = "USD"

    def error(self, line: int | None, message: str) -> GuideError:
        return GuideError(self.file, line, message)

    # -- the whole guide -------------------------------------------------------------------

    def read(self) -> Guide:
        title_at = next((i for i, b in enumerate(self.blocks) if b.kind == "heading" and b.inline), None)
        title_block = self.blocks[title_at] if title_at is not None else None
        title = title_block.inline.text if title_block and title_block.inline else ""
        if title_at is not None:
            self.claimed[title_at] = Claim("title")
        folder = Path(self.file).parent.name or None
        body_text = "\n".join(
            b.inline.text for b in self.blocks[title_at + 1 if title_at is not None else 0 :] if b.inline
        )
        identity = identify(title, body_text, self.front.display(*COMPANY_KEYS), folder) if title else None
        if identity is None:
            # A title that does not say "<Role> | <Company>" (or no title at all) is no reason
            # to turn a guide away: the frontmatter, else the file's place (<company>/<role>.md),
            # names it.
            # A file with neither a heading nor frontmatter is not shaped like a guide yet (a
            # note, an edit half saved): it is reported, not indexed as an empty guide.
            named = title_block is not None or bool(self.front.meta)
            role = self.front.display(*ROLE_KEYS) or (_name_of_file(Path(self.file).stem) if named else "")
            company = self.front.display(*COMPANY_KEYS) or (_name_of_file(folder or "") if named else "")
            if not (role and company):
                raise self.error(1, "no title naming the role and company ('### <Role> | <Company> Negotiation "
                                    "Guide'), no frontmatter naming them, and no company folder")  # fmt: skip
            scope, folder_slug = None, slugify(folder) if folder else None
            title = title or f"{role} | {company}"
        else:
            role, company, scope = identity.role, identity.company, identity.scope
            folder_slug = slugify(folder) if folder and identity.folder_is_company else None
            declared = self.front.display(*COMPANY_KEYS)
            if folder and _names(role, folder) and not _names(company, folder):
                role, company = company, role  # "<Company> — <Role>": the folder says which is which
            elif declared and _starts(role, declared) and not _starts(company, declared):
                role, company = company, role  # the frontmatter says which side is the company
            # A role the frontmatter names outright is the role ("SDE ladder" in a title is a
            # description of it); lint warns that the two differ.
            role = self.front.display(*ROLE_KEYS) or role
        # (a title cut short by its guide words, "Medical Representative & Field Force Pay Guide",
        # leaves no dangling "&")
        role = re.sub(r"[\s&/+,:–—-]+$", "", _without(role, company)) or role
        self.company, self.role = company, role

        title_line = title_block.lines.start if title_block else 1
        section = title
        for i, block in enumerate(self.blocks):
            if block.kind == "heading" and block.inline and i != title_at:
                section = block.inline.text
                self.facts.headings.append(Heading(level=block.level, text=section, line=block.lines.start))
            self.sections.append(section)

        self.title = title
        self._read_tables()
        self._read_pay_prose()
        # One name per level before targets are matched to rows: "CS3" is "CS3 — Senior
        # Specialist", and "a shift lead" names Stufe 3 as its heading says.
        self.facts.pay = _named_also(_unify_levels(self.facts.pay), self.facts.headings)
        self._read_levers()
        self._read_targets()
        self._read_rest(title_at or 0)
        facts = self.facts
        # Citations address premiums and rows by name: one written again under another heading
        # ("KV-Mindestgehalt" in each level's table) is named by its heading too, not refused.
        facts.premiums = _distinct(facts.premiums, "name", facts.headings)
        facts.pay = _distinct(facts.pay, "region", facts.headings)
        bases = _bases(facts.narrative)
        company_slug = self.front.slug(*reversed(COMPANY_KEYS)) or folder_slug or slugify(company)
        role_slug = self.front.slug(*reversed(ROLE_KEYS)) or slugify(role)
        guide = Guide(
            id=f"{company_slug}/{role_slug}",
            company=company,
            company_slug=company_slug,
            scope=scope,
            role=role,
            role_slug=role_slug,
            title=title,
            title_line=title_line,
            source_path=self.file,
            content_hash=hashlib.sha256(self.text.encode()).hexdigest(),
            role_type=self.front.text("role_type"),
            last_updated=self.front.date("last_updated"),
            next_review_due=self.front.date("next_review_due"),
            data_quality=self.front.text("data_quality"),
            salary_data_quarter=self.front.text("salary_data_quarter"),
            declared=self.front.declared() if self.front.meta else None,
            currency=self.currency,
            bases=bases,
            **facts.__dict__,
        )
        read, unread = coverage.unread_figures(guide, self.blocks, self.claimed, self.body.splitlines(), self.offset)
        # A pay cell the reader could not read is reported once, by row and column.
        said = {f.line for f in self.unread_cells}
        unread = sorted(
            [*self.unread_cells, *(f for f in unread if not (f.line in said and f.where == "pay table"))],
            key=lambda f: f.line,
        )
        return guide.model_copy(update={"unread": unread, "figures_read": read})

    # -- tables ----------------------------------------------------------------------------

    def _context(self, i: int) -> str:
        """The words that introduce block i: its heading and the paragraph just before it."""
        before = self.blocks[i - 1] if i else None
        intro = before.inline.text if before and before.kind == "paragraph" and before.inline else ""
        return f"{self.sections[i]} {intro}"

    def _read_tables(self) -> None:
        tables = [(i, read_table(b.rows, b.lines)) for i, b in enumerate(self.blocks) if b.kind == "table" and b.rows]
        kinds: dict[int, str] = {}
        for i, table in tables:
            kinds[i] = kind_of(table, self._context(i), "pay" in kinds.values(), self.company, self.role)
        pay_tables = [(i, t) for i, t in tables if kinds[i] == "pay"]
        # Else "All amounts are ZAR, gross" in the guide's opening paragraphs says it.
        opening = " ".join(
            b.inline.text
            for b in self.blocks[:8]
            if b.kind == "paragraph" and b.inline and not find_money(b.inline.text)
        )
        stated = self.front.currency() or self.front.entry_currency() or _one_currency(opening)
        if pay_tables:
            first_i, first = pay_tables[0]
            stated = stated or currency_named(self._context(first_i))
            default = stated or _written_currency(first) or "USD"
        else:
            default = stated or "USD"
        self.unread_columns: dict[int, list[Column]] = {}
        self.unread_cells: list[UnreadFigure] = []
        for n, (i, table) in enumerate(pay_tables):
            currency = default if n == 0 else self.currency
            heading = self.sections[i]
            within = prose_pay.heading_dims(heading)[0] if heading != self.title else None
            if titled := self._bold_title(i):  # "**Limerick (Raheen) — 2026**" over the table: its key
                within = prose_pay.heading_dims(titled)[0] | (within or prose_pay.Dims())
            if within is not None and not within.level and (level := self._level_named(heading)):
                within = within | prose_pay.Dims(level=level)  # "Table 3 — Associate Director package"
            read = read_pay(table, currency, self._context(i), heading, within)
            self.facts.table_rows += _rows_as_written(table, titled or heading)
            self.facts.pay = merge_pay(self.facts.pay, read.rows)
            self.facts.pay_heading = self.facts.pay_heading or self.sections[i]
            self.claimed[i] = Claim("pay")
            self.unread_columns[i] = read.unread_columns
            self.unread_cells += read.unread_cells
            if n == 0:
                currencies = [p.currency for p in self.facts.pay]
                # The currency most rows are paid in; on a tie, the first row's (usually the HQ).
                self.currency = stated or (
                    max(dict.fromkeys(currencies), key=currencies.count) if currencies else default
                )
        if not pay_tables:
            self.currency = default
        for i, table in tables:
            if kinds[i] == "levels" and self.facts.level_mapping is None:
                self._level_mapping(i, table)
            elif kinds[i] == "premiums":
                self._premium_table(i, table)
            elif kinds[i] == "targets":
                self.tables[i] = table  # read once the regions are known, with the other targets
            elif i not in self.claimed:
                self.claimed[i] = Claim("table", "a table that is not pay, levels, premiums or targets")
                text = "; ".join(" | ".join(cells) for cells, _ in [(table.header, 0), *table.rows])
                self.facts.narrative.append(Paragraph(heading=self.sections[i], text=text, lines=table.lines))

    def _bold_title(self, i: int) -> str | None:
        """A line of only bold words just before block i, which titles it as a heading would."""
        before = self.blocks[i - 1] if i else None
        inline = before.inline if before and before.kind == "paragraph" else None
        if inline is None or not inline.label or inline.rest.strip() or len(inline.label.split()) > 8:
            return None
        return inline.label.rstrip(": ")

    def _level_mapping(self, i: int, table: Table) -> None:
        competitors = competitor_columns(table.header)
        self.facts.level_mapping = LevelMapping(
            heading=self.sections[i],
            our_label=table.header[0],
            competitors=[name for _, name in competitors],
            rows=[
                LevelRow(level=cells[0].strip(), equivalents={n: table.cell(cells, c) for c, n in competitors})
                for cells, _ in table.rows
                if cells and cells[0].strip()
            ],
            lines=table.lines,
        )
        self.claimed[i] = Claim("levels")

    def _premium_table(self, i: int, table: Table) -> None:
        name_column = table.region_column or 0
        for cells, line in table.rows:
            name = table.cell(cells, name_column).strip("*_ ")
            text = " — ".join(table.cell(cells, c.index) for c in table.columns if c.index != name_column)
            money = money_in(text, self.currency)
            self.facts.premiums.append(
                Premium(
                    name=name, text=text, amount=money[0].range if money else None, lines=Lines(start=line, end=line)
                )
            )
        self.facts.premiums_heading = self.facts.premiums_heading or self.sections[i]
        self.claimed[i] = Claim("premiums")

    # -- pay in lists and sentences -------------------------------------------------------

    def _read_pay_prose(self) -> None:
        """Pay written as lists ("- Toronto, ON: C$26–C$30/hr", "- **Nights:** +$5/hr") or as
        sentences under a heading about pay ("Sign-on bonuses start from $2,500"). A list read
        as pay is claimed (its keys are no premiums) and kept as narrative too, to be quoted;
        a paragraph stays narrative as well."""
        lex = lexicon()
        # Under a pay table, sentences explain it ("the low end assumes a 15% target"): the
        # table is that section's pay.
        pay = Claim("pay")
        tabled = {
            self.sections[i] for i, b in enumerate(self.blocks) if b.kind == "table" and self.claimed.get(i) == pay
        }
        for i, block in enumerate(self.blocks):
            if i in self.claimed or block.kind not in ("list", "paragraph") or block.inline is None and not block.items:
                continue
            heading = self.sections[i]
            if block.kind == "paragraph" and heading in tabled:
                continue
            if lex.target_words.search(self._context(i)) or heading == self.title:
                continue  # targets are read with the targets; what stands under the title is no pay list
            if block.inline is not None and block.inline.label and block.inline.code_spans:
                continue  # the DNA tags line
            within, notes = prose_pay.heading_dims(heading)
            lead = self._lead_in(i) if block.kind == "list" else None
            if lead is not None:
                # "**Order Selector** (hourly)" then its list: the bold line heads the list.
                within, notes = within | lead[0], f"{lead[1]} {notes}"
            context = f"{notes} {self._context(i)}"
            found: list[prose_pay.Found] = []
            if block.kind == "list":
                # A list whose items are labelled with kinds of figure ("Base:", "OTE:", "Split:")
                # is pay, and under a heading that keys nothing else ("### SDR (Pré-vendas)") it
                # is that level's.
                labels = [label for item in block.items if (label := _item_label(item))]
                # (more than half of the labels: a premiums list with a "Base" item is no pay)
                kinds = sum(lex.names_kind(label) for label in labels)
                kind_labelled = kinds * 2 > len(labels) and len(labels) * 2 >= len(block.items)
                if kind_labelled and not within.label and not lex.names_kind(heading) and lead is None:
                    within = prose_pay.Dims(level=heading)
                about_pay = prose_pay.names_pay(context) or kind_labelled
                read = 0
                for item in block.items:
                    more = self._pay_item(item, within, context, heading, about_pay)
                    read += bool(more)
                    found += more
                # Most of the list's figures must read as pay; items with no figure at all
                # ("Clawback: reversed if unpaid in 120 days") do not count against it.
                figured = sum(bool(prose_pay.figures_in(item.inline.text, self.currency)) for item in block.items)
                if not found or not figured or read * 2 < figured:
                    continue
                self.claimed[i] = Claim("pay")
                for item in block.items:
                    self.facts.narrative.append(Paragraph(heading=heading, text=item.inline.text, lines=item.lines))
            elif (
                (prose_pay.names_pay(f"{notes} {heading}") or within.label)
                and block.inline is not None
                and block.inline.text.count("|") < 3
            ):
                # (a paragraph of pipes is a table that lost its header: no sentences to read)
                assert block.inline is not None
                label = (block.inline.label or "").strip(" .:")
                if label and (keyed := prose_pay.key_dims(label)) is not None:
                    within = within | keyed  # "**Lisbon.** A Claims Adjuster earns …": the label keys it
                # A sentence that names a place and no figure introduces the next ones ("In
                # London the plan is 60/40. OTE is £95,000–£110,000"); one with figures does not.
                # The place a sentence names carries to the next when that one introduced it
                # ("In London the plan is 60/40. OTE is …") or the next names a level of it
                # ("… in Zürich. A Senior earns …"); not to an unrelated next sentence.
                place, introduced, kind = None, False, None
                for _, sentence in split_sentences(block.inline.text):
                    named = prose_pay.dims_in(sentence)
                    carry: prose_pay.Dims | None = place if introduced or named.level or named.schedule else None
                    # Under a heading about pay, money no word types is the pay itself (base).
                    more = prose_pay.figure_sentences(
                        sentence,
                        block.lines,
                        within,
                        heading,
                        self.currency,
                        carry,
                        pay_default="base",
                        kind_before=kind,
                    )
                    kind = more[-1].amount.component if more else kind
                    if named.place:
                        place, introduced = prose_pay.Dims(place=named.place), not more
                    else:
                        introduced = introduced and not more
                    found += more
            if found:
                rows = prose_pay.rows_of(found, heading, self.currency)
                self.facts.pay = merge_pay(self.facts.pay, rows)
                self.facts.pay_heading = self.facts.pay_heading or heading

    def _level_named(self, heading: str) -> str | None:
        """The one level of the rows read so far that a heading names ("Table 3 — Associate
        Director package by office"), the longest when one contains another."""
        levels = sorted({p.level for p in self.facts.pay if p.level}, key=len, reverse=True)
        for level in levels:
            if re.search(rf"(?<!\w){re.escape(level)}(?!\w)", heading, re.I):
                return level
        return None

    def _lead_in(self, i: int) -> tuple[prose_pay.Dims, str] | None:
        """The key a short bold line right above list i writes as a small heading ("**Order
        Selector** (hourly)"), and its notes. Such a line keys the list under it: a level,
        unless its words say a place or a shift."""
        if i == 0 or self.sections[i - 1] != self.sections[i]:
            return None
        above = self.blocks[i - 1]
        inline = above.inline
        if above.kind != "paragraph" or inline is None or not inline.label or find_money(inline.text):
            return None
        label, rest = inline.label.strip(" :."), inline.rest.strip()
        if len(label.split()) > 5 or len(rest.split()) > 6 or lexicon().names_kind(label):
            return None
        return prose_pay.key_dims(label) or prose_pay.Dims(level=label), rest.strip("()")

    def _pay_item(
        self, item: Item, within: prose_pay.Dims, context: str, heading: str, about_pay: bool
    ) -> list[prose_pay.Found]:
        """One list item as pay: a key and its figure, or sentences naming figures. A
        bold-labelled item is a premium unless its label is a key ("Nights (7p–7a)") or names a
        kind of figure ("Overtime"), or its heading keys it."""
        lex = lexicon()
        label = item.inline.label
        label_is_pay = bool(label) and (
            prose_pay.key_dims((label or "").rstrip(": ")) is not None or lex.names_kind(label or "")
        )
        if label and not (label_is_pay or within.label):
            return []
        if inline_quote(item.inline.text):
            return []  # "**Make up the lost bonus.** "I'd like a sign-on of ¥600,000"": a lever's script
        keyed = prose_pay.keyed_item(item.inline.text, item.lines, within, context, self.currency)
        if keyed:
            return [keyed]
        if not about_pay:
            return []
        label_dims = (prose_pay.key_dims(label.rstrip(": ")) if label else None) or prose_pay.Dims()
        # A clause naming no kind of figure is of the kind its label or heading names; a label
        # that names none in particular ("Rate:" under "Commission mechanics") leaves it to the
        # heading, and is not read as a word of the sentence.
        generic = lex.generic_labels.fullmatch((label or "").strip(" :.*")) is not None
        default = (lex.kind_of(label) if label and not generic else None) or lex.first_kind(context)
        # Its figures are named by the item's label ("Meal allowance"), else by the heading.
        named = (label or "").strip(" :.") or prose_pay.item_key(item.inline.text) or heading
        # Sentence by sentence: "US hires get a sign-on from $5,000. Not offered in the UK.": the
        # place of a later sentence is not the earlier figure's.
        found: list[prose_pay.Found] = []
        for _, sentence in split_sentences(item.inline.rest if generic else item.inline.text):
            found += prose_pay.figure_sentences(
                sentence, item.lines, within | label_dims, named, self.currency, default=default,
                counts=prose_pay.counted_label(sentence),
            )  # fmt: skip
        return found

    # -- levers ----------------------------------------------------------------------------

    def _script_after(self, i: int) -> int | None:
        """The index of the quoted script right after block i, if one follows."""
        j = i + 1
        if j < len(self.blocks) and self.blocks[j].kind == "quote" and j not in self.claimed:
            inline = self.blocks[j].inline
            if inline and is_script(inline.text):
                return j
        return None

    def _read_levers(self) -> None:
        for i, block in enumerate(self.blocks):
            if block.kind == "list" and i not in self.claimed:
                self._list_levers(i, block)
        for i, block in enumerate(self.blocks):
            if i in self.claimed or not block.inline:
                continue
            inline = block.inline
            if block.kind == "paragraph" and (quoted := inline_quote(inline.text)) and inline.label:
                self._lever(inline.label, quoted.group(1), self.sections[i], block.lines, None, i)
            elif block.kind in ("paragraph", "heading") and (j := self._script_after_named(i)) is not None:
                name = inline.label or inline.text if block.kind == "paragraph" else inline.text
                script = self.blocks[j]
                assert script.inline is not None
                lines = Lines(start=block.lines.start, end=script.lines.end)
                self._lever(name, script.inline.text, self.sections[i], lines, None, i)
                self.claimed[j] = Claim("levers", str(self.facts.levers[-1].number))

    def _script_after_named(self, i: int) -> int | None:
        """For a heading or a short bold line: the script quote that follows it, before the next
        heading (a few lines of commentary may stand between)."""
        block = self.blocks[i]
        assert block.inline is not None
        if block.kind == "paragraph":
            return self._script_after(i) if self._names_a_script(block) else None
        for j in range(i + 1, min(i + 4, len(self.blocks))):
            candidate = self.blocks[j]
            if candidate.kind == "heading" or j in self.claimed or self._names_a_script(candidate):
                return None  # the script belongs to the nearer name
            if candidate.kind == "quote":
                return j if candidate.inline and is_script(candidate.inline.text) else None
        return None

    @staticmethod
    def _names_a_script(block: Block) -> bool:
        """A short bold line ("**Equity Lever**") or a line ending in a colon names what follows."""
        inline = block.inline
        if block.kind != "paragraph" or inline is None or len(inline.text.split()) > 12:
            return False
        return bool(inline.label) or inline.text.rstrip().endswith(":")

    def _list_levers(self, i: int, block: Block) -> None:
        follows = self._script_after(i)
        taken = False
        for item in block.items:
            script = item.quote if item.quote and is_script(item.quote) else None
            lines = item.lines
            if script is None and (quoted := inline_quote(item.inline.rest or item.inline.text)):
                script = quoted.group(1) if item.inline.label or block.ordered else None
            if script is None and item is block.items[-1] and follows is not None:
                script = self.blocks[follows].inline.text  # type: ignore[union-attr]
                lines = Lines(start=item.lines.start, end=self.blocks[follows].lines.end)
                self.claimed[follows] = Claim("levers")
            if script is None:
                continue
            name = item.inline.label or _name_before_quote(item.inline.text)
            self._lever(name, script, self.sections[i], lines, item.number if block.ordered else None, i)
            taken = True
        if taken:
            self.claimed[i] = Claim("levers")

    def _lever(self, name: str, script: str, heading: str, lines: Lines, number: int | None, i: int) -> None:
        name = _EMOJI.sub("", name).strip(" *_:")
        numbered = _LEVER_NUMBER.match(name)
        if numbered:
            number = number or int(numbered.group(1))
            name = name[numbered.end() :].strip(" *_:—–-")
        name = _LEVER_WORD.sub("", name).strip() or name
        script = unquote(script)
        self.facts.levers.append(
            Lever(
                number=number or len(self.facts.levers) + 1,
                name=name,
                script=script,
                asks=asks_in(script, self.currency),
                placeholders=_PLACEHOLDER.findall(script),
                heading=heading,
                lines=lines,
            )
        )
        self.claimed.setdefault(i, Claim("levers", str(self.facts.levers[-1].number)))

    # -- targets ---------------------------------------------------------------------------

    def _read_targets(self) -> None:
        lex = lexicon()
        for i, block in enumerate(self.blocks):
            if i in self.claimed and i not in self.tables:
                continue
            label = block.inline.label if block.inline and block.inline.label else ""
            cued = bool(lex.target_words.search(f"{label} {self.sections[i]}"))
            cue = f"{label} {self._context(i)}"  # "Targets below are for base salary" sets the component
            found: list[Target] = []
            if i in self.tables:
                found = self._target_table(self.tables.pop(i), cue)
            elif block.kind == "quote" and block.inline:
                found = self._targets_in(
                    block.inline.rest if label else block.inline.text, block.lines, cue, always=True
                )
            elif block.kind == "paragraph" and block.inline:
                found = self._targets_in(block.inline.rest if label else block.inline.text, block.lines, cue, cued)
            elif block.kind == "list":
                for item in block.items:
                    text = f"{item.inline.label}: {item.inline.rest}" if item.inline.label else item.inline.text
                    found += self._targets_in(text, item.lines, cue, cued)
            if found:
                self.claimed[i] = Claim("targets")
                self.facts.targets += found
                if not self.facts.targets_heading:
                    self.facts.targets_heading = label or self.sections[i]
                    self.facts.targets_lines = block.lines

    def _targets_in(self, text: str, lines: Lines, cue: str, always: bool) -> list[Target]:
        """One target per region and component named with an amount in `text`. Outside a
        quote or a target heading, a sentence counts only if it says to push or aim."""
        lex = lexicon()
        targets: list[Target] = []
        named = lex.component_words(cue)  # the first named wins: "for base salary. Total comp follows…"
        default: Component = next((c for _, _, c in named if c != "one_off"), "total")
        for _, sentence in split_sentences(text):
            if not always and not says_target(sentence):
                continue
            mentions = region_mentions(sentence, self.facts.pay, self.role)
            if not mentions:
                continue
            money = money_in(sentence, self.currency)
            for n, (start, region) in enumerate(mentions):
                end = mentions[n + 1][0] if n + 1 < len(mentions) else len(sentence)
                components: set[Component] = set()
                for m in money:
                    if not start <= m.start < end and not (n == 0 and m.start < start):
                        continue
                    component = component_near(sentence, m.start, m.end) or default
                    if component == "total" and region.base is not None and _base_scale(m.range, region):
                        component = "base"  # "$23.00–$23.50/hr", "3.250 €" beside a monthly band: the rate
                    if component in components or any(
                        t.region == region.region and t.component == component for t in targets
                    ):
                        continue  # a further figure for the same component is context
                    components.add(component)
                    if any(t.region == region.region and t.component == component for t in self.facts.targets):
                        continue
                    amount = m.range if m.signed else m.range.model_copy(update={"currency": region.currency})
                    targets.append(
                        Target(region=region.region, component=component, amount=amount, text=sentence, lines=lines)
                    )
        return targets

    def _target_table(self, table: Table, cue: str) -> list[Target]:
        lex = lexicon()
        assert table.region_column is not None
        targets = []
        regions = {p.region: p for p in self.facts.pay}
        for cells, line in table.rows:
            named = region_mentions(table.cell(cells, table.region_column), self.facts.pay, self.role)
            if not named:
                continue
            region = named[0][1]
            for column in table.columns:
                if column.index == table.region_column or not column.money:
                    continue
                money = money_in(table.cell(cells, column.index), regions[region.region].currency) or []
                if money:
                    component = lex.component_of(column.header) or lex.component_of(cue) or "total"
                    targets.append(
                        Target(region=region.region, component=component, amount=money[0].range,
                               text=" | ".join(cells), lines=Lines(start=line, end=line))
                    )  # fmt: skip
        return targets

    # -- everything else -------------------------------------------------------------------

    def _read_rest(self, title_at: int) -> None:
        lex = lexicon()
        facts = self.facts
        for i, block in enumerate(self.blocks):
            if i in self.claimed or block.kind in ("heading", "hr") or i < title_at:
                continue
            section, inline = self.sections[i], block.inline
            if block.kind == "paragraph" and inline and inline.label and inline.code_spans and not facts.dna_tags:
                facts.dna_tags, facts.dna_lines, facts.dna_label = inline.code_spans, block.lines, inline.label
                self.claimed[i] = Claim("dna")
            elif block.kind == "list":
                self._list(i, block, bool(lex.source_words.search(section)) or self._closing_references(i, block))
            elif inline:
                self.claimed[i] = Claim("narrative")
                facts.narrative.append(Paragraph(heading=section, text=inline.text, lines=block.lines))

    def _closing_references(self, i: int, block: Block) -> bool:
        """A list that ends the guide and whose every item is dated ("… salary survey 2025"),
        with no amounts, is its references whatever its heading says."""
        rest = [b for b in self.blocks[i + 1 :] if b.kind != "hr"]
        dated = all(re.search(r"\b(?:19|20)\d{2}\b", item.inline.text) for item in block.items)
        amounts = any(money_in(item.inline.text, self.currency) for item in block.items)
        return not rest and dated and not amounts and len(block.items) >= 2

    def _list(self, i: int, block: Block, under_sources: bool) -> None:
        facts, section = self.facts, self.sections[i]
        kinds = set()
        for item in block.items:
            inline = item.inline
            if under_sources or (block.ordered and not inline.label):
                name, detail = _name_and_detail(inline.text)
                facts.sources.append(
                    Source(number=item.number or len(facts.sources) + 1, name=name, detail=detail, lines=item.lines)
                )
                facts.sources_heading = facts.sources_heading or section
                kinds.add("sources")
            elif inline.label and inline.rest:
                facts.premiums.append(self._premium(item))
                facts.premiums_heading = facts.premiums_heading or section
                kinds.add("premiums")
            else:
                facts.narrative.append(Paragraph(heading=section, text=inline.text, lines=item.lines))
                kinds.add("narrative")
        kind: ClaimKind = "sources" if kinds == {"sources"} else "premiums" if "premiums" in kinds else "narrative"
        self.claimed[i] = Claim(kind)

    def _premium(self, item: Item) -> Premium:
        money = money_in(item.inline.rest, self.currency)
        return Premium(
            name=item.inline.label or "",
            text=item.inline.rest,
            amount=money[0].range if money else None,
            lines=item.lines,
        )


def _item_label(item: Item) -> str | None:
    """An item's label: its bold lead, or the few words before a colon ("Base: R$ 4.200 …")."""
    if item.inline.label:
        return item.inline.label
    head, colon, _ = item.inline.text.partition(":")
    return head.strip() if colon and 0 < len(head.split()) <= 4 else None


def _base_scale(amount: MoneyRange, row: Pay) -> bool:
    """Whether a target figure named as no component is the row's base rate: written per hour
    or month, or (where the row has no total) of the scale of its hourly or monthly base band."""
    if amount.period != "year":
        return True
    base = row.base
    if base is None or base.period == "year" or row.total is not None:
        return False
    return base.low / 4 <= amount.high and amount.low <= base.high * 4


_ALSO_SPLIT = re.compile(r"\s*(?:[/,;()]|\s[—–-]\s|\bor\b|\boder\b)\s*")


def _named_also(pay: list[Pay], headings: list[Heading]) -> list[Pay]:
    """A level's heading that names it more ways ("Stufe 3 — Schichtführer:in (shift lead)"):
    those names, so "a shift lead in Linz" is asked about Stufe 3. Notes that say what the
    figures are ("hourly", "base and bonus") or hold a number are no names."""
    lex = lexicon()
    names: dict[str, list[str]] = {}
    for heading in headings:
        key, notes = prose_pay.heading_dims(heading.text)
        if not key.level or not notes:
            continue
        for part in _ALSO_SPLIT.split(notes):
            part = part.strip(" *_.:")
            if (
                part
                and len(part.split()) <= 4
                and not re.search(r"\d", part)
                and not prose_pay.names_pay(part)
                and not lex.period_of(part)
                and fold(part) not in ENGLISH_STOP_WORDS
            ):
                names.setdefault(key.level, []).append(part)
    if not names:
        return pay
    return [row.model_copy(update={"aka": names[row.level]}) if row.level in names else row for row in pay]


def _unify_levels(pay: list[Pay]) -> list[Pay]:
    """A level written short ("R$ 95 mil for Sênior") is the one full level it ends ("Executivo(a)
    de Contas Sênior") when it has no pay band of its own: its rows are that level's."""
    levels = {p.level for p in pay if p.level}
    words = {level: fold(level).split() for level in levels}
    # Only a level no pay band is written for ("Manager" with its own band stays Manager).
    banded = {p.level for p in pay if p.level and p.components()}
    full: dict[str, str] = {}
    for short, tail in words.items():
        # "CS3" for "CS3 — Senior Specialist": a level written as another's code or head is
        # that level, banded or not (a code names one level).
        heads = [lv for lv in levels if lv != short and fold(short) in (fold(level_code(lv) or ""), fold(_head(lv)))]
        if len(heads) == 1:
            full[short] = heads[0]
            continue
        if short in banded:
            continue
        ends = [lv for lv, ws in words.items() if lv != short and len(ws) > len(tail) and ws[-len(tail) :] == tail]
        if len(ends) == 1:
            full[short] = ends[0]
    if not full:
        return pay
    renamed = []
    for row in pay:
        if row.level in full:
            level = full[row.level]
            region = row.region.replace(row.level, level) if row.level in row.region else f"{row.region} · {level}"
            row = row.model_copy(update={"level": level, "region": region})
        renamed.append(row)
    # Kept as rows of their own (named apart by their heading if need be), each cited to the
    # lines it was read from.
    return renamed


def _distinct(items: list, field: str, headings: list[Heading]) -> list:  # type: ignore[type-arg]
    """The items with a name seen before renamed "<name> · <its heading>" (or "… · line N")."""
    seen: set[str] = set()
    out = []
    for item in items:
        name = getattr(item, field)
        if slugify(name) in seen:
            above = [h.text for h in headings if h.line <= item.lines.start]
            for candidate in (f"{name} · {above[-1]}" if above else "", f"{name} · line {item.lines.start}"):
                if candidate and slugify(candidate) not in seen:
                    item = item.model_copy(update={field: candidate})
                    break
        seen.add(slugify(getattr(item, field)))
        out.append(item)
    return out


def _written_currency(table: Table) -> str | None:
    """The currency the pay table's own cells or headers name, if any."""
    for column in table.columns:
        if column.currency:
            return column.currency
    for cells, _ in table.rows:
        for cell in cells:
            for m in find_money(cell):
                if m.signed:
                    return m.range.currency
    return None


def says_target(sentence: str) -> bool:
    """Whether a sentence tells the reader what to push for. "Target" before a bonus word is
    the bonus at target ("a $15k target bonus"), not a target."""
    lex = lexicon()
    for m in lex.target_verbs.finditer(sentence):
        after = sentence[m.end() :].split()
        bonus_at_target = (
            m.group(0).lower().startswith("target") and bool(after) and lex.component_of(after[0]) == "bonus"
        )
        if not bonus_at_target:
            return True
    return False


@dataclass(frozen=True)
class _Alias:
    pattern: re.Pattern[str]
    pay: Pay


def region_mentions(text: str, pay: list[Pay], role: str = "") -> list[tuple[int, Pay]]:
    """Where `text` names pay regions, first mention of each, in order: by the region as
    written, without its notes ("(HQ)"), its first part ("Boston"), or the gazetteer's names
    for its city ("NYC" for New York); a row keyed by a level alone, by its level's names."""
    found: dict[str, tuple[int, Pay]] = {}
    levels = _level_aliases(pay, role)
    for row in pay:
        for alias in region_aliases(row) or levels.get(row.region, []):
            m = re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text, re.I)
            if m and (row.region not in found or m.start() < found[row.region][0]):
                found[row.region] = (m.start(), row)
    if len(found) < len(pay):
        for m in re.finditer(r"\b[A-Z][\w.]*(?:[\s-][A-Z][\w.]*){0,2}", text):
            for row in pay:
                if row.region in found or row.place is None or row.place.city is None:
                    continue
                city = gazetteer().city(m.group(0))
                if city is not None and city.name == row.place.city and city.country == row.place.country:
                    found[row.region] = (m.start(), row)
    # Rows of one place (its levels, its shifts) named at one spot: the one whose level or
    # shift the text names too ("Tier 2 Associate, Reno"), else the first.
    by_spot: dict[int, list[Pay]] = {}
    for start, row in found.values():
        by_spot.setdefault(start, []).append(row)
    return sorted(((start, _named_row(rows, text)) for start, rows in by_spot.items()), key=lambda t: t[0])


def _one_currency(text: str) -> str | None:
    """The one currency a text names ("All amounts are ZAR"); none when it names several
    ("pays in CAD for Canada and in USD for the US")."""
    said = r"\b(?:amounts?|figures?|pay|salaries|numbers|paid|quoted|are|in)\s+(?:are\s+)?(?:in\s+)?([A-Z]{3})\b"
    codes = {code for code in re.findall(said, text, re.I) if code.isupper() and is_currency_code(code)}
    return codes.pop() if len(codes) == 1 else None


def _head(level: str) -> str:
    """ "CS2" of "CS2 — Specialist", "Stufe 2" of "Stufe 2 (Brauer:in)"."""
    return re.split(r"\s+[—–-]\s+|\s*\(", level)[0]


def _level_aliases(pay: list[Pay], role: str) -> dict[str, list[str]]:
    """Names of the rows keyed by a level alone, as a sentence may say them: the level
    ("CS2 — Specialist"), its head ("CS2"), its code, its own words beside the role's ("Senior"
    of "Senior Territory Sales Managers"), its other names; each only when no other level has it."""
    role_words = {singular(w) for w in fold(role).split()}
    names: dict[str, list[str]] = {}
    for row in pay:
        if row.level is None or row.where or row.schedule or not row.components():
            continue
        head = _head(row.level)
        own = " ".join(w for w in row.level.split() if singular(fold(w)) not in role_words)
        code = level_code(row.level) or ""
        names[row.region] = [n for n in dict.fromkeys([row.level, head, code, own, *row.aka]) if len(n) > 2]
    taken = Counter(n.lower() for aliases in names.values() for n in aliases)
    return {region: [n for n in aliases if taken[n.lower()] == 1] for region, aliases in names.items()}


def _named_row(rows: list[Pay], text: str) -> Pay:
    if len(rows) == 1:
        return rows[0]
    said = set(re.findall(r"[a-z0-9]+", fold(text)))

    def score(row: Pay) -> int:
        words = set(re.findall(r"[a-z0-9]+", fold(" ".join(filter(None, (row.level, row.schedule))))))
        others = {w for r in rows if r is not row for w in re.findall(r"[a-z0-9]+", fold(r.level or ""))}
        return len((words - others) & said) * 2 + len(words & said)

    return max(rows, key=lambda r: (score(r), -rows.index(r)))


def region_aliases(pay: Pay) -> list[str]:
    """Ways a text may name a region: "Detroit, MI (HQ)" -> itself, "Detroit, MI", "Detroit".
    A row keyed only by a level or a shift names no place."""
    if pay.where is None and (pay.level or pay.schedule):
        return []
    written = pay.where or pay.region
    bare = re.sub(r"\s*\([^)]*\)", "", written).strip()
    first = re.split(r",|\s[—–-]\s", bare)[0].strip()
    names = [written, bare, first]
    place = pay.place
    if place is not None:
        names += [n for n in (place.city, place.area) if n]
        if place.area and place.city:  # "San Francisco Bay Area" is also "the Bay Area"
            rest = re.sub(re.escape(place.city), "", place.area, flags=re.I).strip()
            if len(rest.split()) >= 2:
                names.append(rest)
    return list(dict.fromkeys(n for n in names if n))


def _name_before_quote(text: str) -> str:
    """A lever's name when an item has no bold label: its words before the quoted script."""
    quoted = inline_quote(text)
    head = text[: quoted.start()] if quoted else text
    return head.strip(" :—–-") or text[:60]


def _starts(text: str, name: str) -> bool:
    """Whether `text` starts with `name`, compared word by word, folded."""
    words, named = fold(text).split(), fold(name).split()
    return bool(named) and words[: len(named)] == named


_TITLE_PARTS = re.compile(r"\s+[—–|·:-]\s+|\s+at\s+")


def _without(role: str, company: str) -> str:
    """A frontmatter title that names the company beside the role ("Front Office Associate —
    Kestrel Harbor Resorts") names the role by its other part."""
    parts = _TITLE_PARTS.split(role)
    kept = [p for p in parts if not _starts(p, company) and not _starts(company, p)]
    return kept[0] if len(parts) > 1 and len(kept) == 1 else role


def _rows_as_written(table: Table, heading: str) -> list[Paragraph]:
    """A table's rows as text, each cell after its header: "Journeyman Lineworker — Salina
    District: $46.80/hr · Hays District: $44.90/hr", in whichever orientation it is written."""
    rows = []
    for cells, line in table.rows:
        key = table.cell(cells, 0)
        said = [f"{h.strip()}: {c}" if h.strip() else c for h, c in zip(table.header[1:], cells[1:], strict=False)]
        said = [s for s, c in zip(said, cells[1:], strict=False) if c.strip()]
        if said:
            text = f"{key} — {' · '.join(said)}" if key else " · ".join(said)
            rows.append(Paragraph(heading=heading, text=text, lines=Lines(start=line, end=line)))
    return rows


def _names(text: str, folder: str) -> bool:
    """Whether `text` starts with the name a folder spells ("drummond-veil-fulfillment"); a
    short joining word the slug leaves out ("Fromagerie des Trois-Hérons" in
    "fromagerie-trois-herons") is no difference, nor a name the title shortens ("Pampa Lila"
    for "pampa-lila-servicios-mineros")."""
    words = [w for w in slugify(text).split("-") if w not in ("and", "the")]
    folder_words = [w for w in folder.split("-") if w not in ("and", "the")]
    if not folder_words:
        return False
    if len(words) >= 2 and folder_words[: len(words)] == words:
        return True
    at = 0
    for wanted in folder_words:
        while at < len(words) and words[at] != wanted and len(words[at]) <= 3 and at > 0:
            at += 1
        if at >= len(words) or words[at] != wanted:
            return False
        at += 1
    return True


_PLUS = re.compile(r"\bplus\b|\+|\band\b|\bwith\b", re.I)
_EXTRA_SALARY = re.compile(r"\b(1[3-6])(?:th|º|°|\.)?[\s-]+(?:month|salary|salário|gehalt|monthly)", re.I)


def _bases(paragraphs: list[Paragraph]) -> list[Basis]:
    """The conversions between periods the guide's own words state, first of each kind."""
    found: dict[str, Basis] = {}
    for paragraph in paragraphs:
        for per_year, pattern in lexicon().bases:
            if per_year in found or not (m := pattern.search(paragraph.text)):
                continue
            value = float(m["n"].replace(",", ""))
            start = max(0, paragraph.text.rfind(".", 0, m.start()) + 1)
            end = paragraph.text.find(".", m.end())
            text = paragraph.text[start : end if end > 0 else len(paragraph.text)].strip()
            if per_year == "salaries":
                # "paid 12 times a year plus a 13th month": the extra salaries count too.
                tail = paragraph.text[m.end() : end if end > 0 else len(paragraph.text)]
                if _PLUS.search(tail):  # (not "paid 13 times (12 months plus the 13º)": that is the 13)
                    value += len({n for n in _EXTRA_SALARY.findall(tail) if int(n) > value})
            found[per_year] = Basis(per_year=per_year, value=value, text=text, lines=paragraph.lines)  # type: ignore[arg-type]
    return list(found.values())


def _name_of_file(stem: str) -> str:
    """ "icu-nurse" -> "Icu Nurse": a file or folder name said as a name."""
    return " ".join(w.capitalize() if w.islower() else w for w in re.split(r"[-_\s]+", stem) if w)


def _name_and_detail(text: str) -> tuple[str, str]:
    """ "Levels.fyi 2025 Data — Engineer pay at banks" -> (name, detail)."""
    parts = re.split(r"\s+[—–-]\s+", text, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
