"""Tables in a guide, read by their shape: which column is the region, which are pay
components, which hold money at all.

A *pay table* has a region column and at least one pay-component column holding money (or a
share of base, "15–20%"). A *level table* names levels or titles and holds no money. A money
table whose first column is not places is a *premium table*; one whose header speaks of
targets is a *target table*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from index.lexicon import lexicon
from index.model import Lines
from index.money import find_money, find_percents, is_currency_code
from index.places import fold, place_of

TableKind = Literal["pay", "targets", "premiums", "levels", "other"]
Layout = Literal["rows", "columns", "grid"]
EMPTY_CELLS = {"", "-", "–", "—", "n/a", "na", "none", "n.a.", "tbd", "x"}
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def is_empty(cell: str) -> bool:
    return cell.strip().strip("*_").lower() in EMPTY_CELLS


def currency_named(text: str) -> str | None:
    """An ISO currency code written in a header or a note ("Base (EUR)", "figures in CAD")."""
    return next((code for code in _CODE.findall(text) if is_currency_code(code)), None)


@dataclass
class Column:
    index: int
    header: str
    component: str | None  # the lexicon's kind of figure its header names
    money: bool  # holds money in at least one cell
    percent: bool  # holds a share of base ("15–20%") in at least one cell
    currency: str | None  # named in the header, e.g. "Base (CAD)"


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[list[str], int]]
    lines: Lines
    columns: list[Column] = field(default_factory=list)
    region_column: int | None = None
    region_named: bool = False  # the region column's header says so ("Region", "Location")

    def cell(self, cells: list[str], index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""


def read_table(rows: list[tuple[list[str], int]], lines: Lines) -> Table:
    (header, _), *body = rows
    lex = lexicon()
    table = Table(header=header, rows=body, lines=lines)
    for i, name in enumerate(header):
        cells = [table.cell(c, i) for c, _ in body]
        money = any(_money_cell(cell) for cell in cells)
        percent = any(find_percents(cell) and not find_money(cell) for cell in cells) or (
            "%" in name and any(re.search(r"\d", cell) for cell in cells)
        )
        # "Total Cash Comp (excl. super)": a note in brackets qualifies the column, never names it.
        kind = lex.kind_of(re.sub(r"\([^)]*\)", " ", name)) or lex.kind_of(name)
        if kind is None and money and lex.period_of(name):
            kind = "base"  # "Hollerbach, monthly", "Per year (14 payments)": the pay itself, per period
        table.columns.append(Column(i, name, kind, money, percent, currency_named(name)))
    regional = [c.index for c in table.columns if lex.region_headers.search(fold(c.header)) and not c.money]
    table.region_named = bool(regional)
    # The key column holds no money; a label with a share in it ("Base (60%)") may still be one.
    first_text = next((c.index for c in table.columns if not c.money and not c.percent), None)
    if first_text is None:
        first_text = next((c.index for c in table.columns if not c.money), None)
    table.region_column = regional[0] if regional else first_text
    return table


def _money_cell(cell: str) -> bool:
    """Whether a cell holds money; numbers in a note in brackets ("Evening shift (per shift,
    1500–2300)") are hours or counts, not a figure of the cell's."""
    cell = re.sub(r"\([^)]*\)", " ", cell)
    return bool(find_money(cell, bare_numbers=True)) and not find_percents(cell)


def kind_of(table: Table, context: str, pay_found: bool, company: str = "", role: str = "") -> TableKind:
    """What a table is, from its columns and, once the pay table is known, the words around
    it: the first pay-shaped table is the pay table even with a "Target Bonus" column; a later
    money table about targets ("Target TC") holds negotiate-up targets."""
    lex = lexicon()
    pay_columns = [
        c for c in table.columns if (c.money or c.percent) and c.component and c.index != table.region_column
    ]
    if not any(c.money for c in table.columns) and not pay_columns:  # "Pension | 8% match" is not money
        return "levels" if _is_level_table(table, company, role) else "other"
    if table.region_column is None:
        return "other"
    places = _places(table)
    if pay_found and places and (lex.target_words.search(" ".join(table.header)) or lex.target_words.search(context)):
        return "targets"
    if layout_of(table) is not None:
        return "pay"
    return "premiums" if not places else "other"


def _places(table: Table) -> bool:
    """Whether the region column holds places: its header says so, or most of its cells
    resolve in the gazetteer."""
    if table.region_column is None:
        return False
    if table.region_named:
        return True
    names = [table.cell(c, table.region_column) for c, _ in table.rows]
    known = [n for n in names if n and place_of(n).known]
    return bool(names) and len(known) * 2 >= len(names)


def _is_level_table(table: Table, company: str, role: str) -> bool:
    """A table mapping our levels to competitors': its header speaks of levels or titles, or
    its first column is headed by our company's name, or lists titles of the guide's role."""
    header = table.header
    if len(header) < 2:
        return False
    if lexicon().level_words.search(" ".join(header)):
        return True
    ours = fold(header[0]).split()
    if ours and ours == fold(company).split()[: len(ours)]:
        return True
    role_words = set(fold(role).split())
    titles = [table.cell(cells, 0) for cells, _ in table.rows]
    return bool(titles) and sum(bool(role_words & set(fold(t).split())) for t in titles) * 2 > len(titles)


@dataclass(frozen=True)
class Dims:
    """What one pay row is keyed by, as written."""

    place: str | None = None
    level: str | None = None
    schedule: str | None = None

    def __or__(self, other: Dims) -> Dims:
        return Dims(self.place or other.place, self.level or other.level, self.schedule or other.schedule)

    @property
    def label(self) -> str:
        return " · ".join(v for v in (self.place, self.level, self.schedule) if v)


def key_dims(text: str, header: str = "") -> Dims | None:
    """A key cell as a dimension: a shift, a place or a level; None when it is none of them
    (a premium's name, a component, a note)."""
    lex = lexicon()
    key = text.strip("*_ ").strip()
    if not key or fold(key) in EMPTY_CELLS:
        return None
    if lex.region_headers.search(fold(header)):
        return Dims(place=key)
    if lex.level_words.search(header):
        return Dims(level=key)
    if lex.schedule_words.search(header):
        return Dims(schedule=key)
    if re.search(rf"(?:{lex.level_titles.pattern})\W*$", key, lex.level_titles.flags):
        return Dims(level=key)  # "Shift Supervisor", "Night Shift Lead": a level, not a shift
    if lex.schedule_words.search(key):
        return Dims(schedule=key)
    place = place_of(key)
    if _remote_only(key) if place.remote else place.known or lex.hq_words.search(key):
        return Dims(place=key)
    if level_code(key) or lex.level_titles.search(key):
        return Dims(level=key)
    # "Salina District", "Dodge City Depot": a named site, whether or not the gazetteer knows
    # the town ("Comp plan by territory" is a heading, not a site).
    name = key.split()[:-1]
    if (
        0 < len(name) <= 3
        and all(w[:1].isupper() for w in name)
        and re.search(rf"\s(?:{lex.region_headers.pattern})$", key, re.I)
    ):
        return Dims(place=key)
    return None


def level_code(text: str) -> str | None:
    """A level written as a code ("L4", "SDE-2", "Nurse II"), never an amount ("CHF 30")."""
    for m in lexicon().level_codes.finditer(text):
        letters = re.match(r"[A-Za-z]+", m.group(0))
        if re.match(r"[\s\u00a0]\d{3}\b|[.,]\d", text[m.end() :]):
            continue  # "R 3 400", "R 148,60": an amount, its digits grouped
        if letters is None or not is_currency_code(letters.group(0).upper()):
            return m.group(0)
    return None


def _remote_only(key: str) -> bool:
    """ "Remote (US)", "Remote — Canada": a remote word and at most where; not "Distributed
    Systems Depth"."""
    lex = lexicon()
    if not lex.remote_words.search(key):
        return False
    rest = re.sub(r"\([^)]*\)", " ", lex.remote_words.sub(" ", key)).strip(" -–—,:/")
    return not rest or place_of(rest).known


def _mostly(values: list[bool]) -> bool:
    return bool(values) and sum(values) * 2 >= len(values)


def _kinds(texts: list[str]) -> list[bool]:
    lex = lexicon()
    return [bool(t.strip()) and lex.kind_of(t) is not None for t in texts]


def layout_of(table: Table) -> Layout | None:
    """How a table lays out pay, or None when it is no pay table."""
    if table.region_column is None or not table.rows:
        return None
    lex = lexicon()
    key = table.region_column
    keys = [table.cell(cells, key) for cells, _ in table.rows]
    header = table.header[key] if key < len(table.header) else ""
    figures = [c for c in table.columns if c.index != key and (c.money or c.percent)]
    if not figures:
        return None
    component_columns = [c for c in figures if c.component]
    keyed = table.region_named or _mostly([key_dims(k, header) is not None for k in keys])
    others = [c.header for c in figures]
    # Keys across the top too ("Campus | Clinical Nurse I (0–1 yr) | …"): a grid, whatever a
    # "(0–1 yr)" in a header might suggest, unless a header names a figure in words.
    grid = keyed and _mostly([key_dims(h) is not None for h in others])
    if grid and not any(lex.names_kind(h) for h in others):
        return "grid"
    if component_columns and keyed:
        return "rows"
    if key == 0 and _mostly(_kinds(keys)) and not lex.region_headers.search(fold(header)):
        return "columns"
    # Offices or levels across the top, and rows each naming a kind of figure or a period
    # ("KV minimum", "Hollerbach, monthly", "Per year"): transposed too.
    across = _mostly([key_dims(h) is not None for h in others])
    if key == 0 and across and not keyed and all(lex.kind_of(k) or lex.period_of(k) for k in keys if k.strip()):
        return "columns"
    return "grid" if grid and not component_columns else None


def competitor_columns(header: list[str]) -> list[tuple[int, str]]:
    """The level table's competitor columns: (index, competitor name). Columns describing our
    own level ("Typical Experience", "Grade") are not competitors."""
    lex = lexicon()
    out = []
    for i, name in enumerate(header[1:], start=1):
        bare = lex.competitor_suffix.sub("", name.strip()).strip()
        words = re.findall(r"[\w']+", bare)
        if not words or all(lex.level_attributes.fullmatch(w) or lex.level_words.fullmatch(w) for w in words):
            continue
        out.append((i, bare))
    return out
