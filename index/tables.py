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

from index.errors import GuideError
from index.lexicon import lexicon
from index.model import PAY_COMPONENTS, Component, Lines, Pay
from index.money import MoneyFormatError, MoneyRange, Percent, find_money, find_percents, is_currency_code
from index.places import fold, place_of

TableKind = Literal["pay", "targets", "premiums", "levels", "other"]
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
    component: Component | None
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
        table.columns.append(Column(i, name, lex.component_of(name), money, percent, currency_named(name)))
    regional = [c.index for c in table.columns if lex.region_headers.search(fold(c.header)) and not c.money]
    table.region_named = bool(regional)
    first_text = next((c.index for c in table.columns if not c.money and not c.percent), None)
    table.region_column = regional[0] if regional else first_text
    return table


def _money_cell(cell: str) -> bool:
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
    if pay_columns and places:
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


@dataclass
class PayRead:
    rows: list[Pay]
    unread_columns: list[Column]  # money columns that are no pay component we know


def read_pay(table: Table, file: str, default_currency: str) -> PayRead:
    """One `Pay` per row. A cell that is neither empty, money nor a share of base is an error
    naming its row and column: a pay figure must never be silently dropped."""
    assert table.region_column is not None
    seen: set[Component] = set()
    columns: list[Column] = []
    unread: list[Column] = []
    for column in table.columns:
        if column.index == table.region_column or not (column.money or column.percent):
            continue
        if column.component is None or column.component == "one_off" or column.component in seen:
            unread.append(column)
            continue
        seen.add(column.component)
        columns.append(column)
    pays = []
    for cells, line in table.rows:
        region = table.cell(cells, table.region_column).strip("*_ ")
        if not region:
            raise GuideError(file, line, "compensation row has no region in its region column")
        pays.append(_pay_row(region, cells, line, columns, table, file, default_currency))
    return PayRead(pays, unread)


def _pay_row(
    region: str, cells: list[str], line: int, columns: list[Column], table: Table, file: str, default: str
) -> Pay:
    figures: dict[str, MoneyRange] = {}
    percents: dict[Component, Percent] = {}
    labels: dict[str, str] = {}
    written = [m.range.currency for c in columns for m in find_money(table.cell(cells, c.index), default) if m.signed]
    currency = written[0] if written else next((c.currency for c in columns if c.currency), default)
    for column in columns:
        component = column.component
        assert component is not None
        cell = table.cell(cells, column.index)
        labels[component] = column.header
        if is_empty(cell) or not re.search(r"\d", cell):
            continue
        found = find_percents(cell)
        if found and not find_money(cell) or (column.percent and "%" in column.header and not find_money(cell)):
            percent = found[0].percent if found else _bare_percent(cell)
            if percent is None:
                raise GuideError(
                    file, line, f"compensation row {region!r}, column {column.header!r}: {cell!r} is not a percentage"
                )
            percents[component] = percent
            continue
        try:
            figures[component] = _money(cell, column.currency or currency)
        except MoneyFormatError as err:
            raise GuideError(file, line, f"compensation row {region!r}, column {column.header!r}: {err}") from err
    derived: list[Component] = []
    base = figures.get("base")
    for component, percent in percents.items():
        if base is not None and component not in figures:
            figures[component] = percent.of(base)
            derived.append(component)
    return Pay(
        region=region,
        place=place_of(region),
        currency=currency,
        labels=labels,
        lines=Lines(start=line, end=line),
        percents=percents,
        derived=derived,
        **{c: r for c, r in figures.items() if c in PAY_COMPONENTS},
    )


def _bare_percent(cell: str) -> Percent | None:
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", cell)]
    return Percent(low=numbers[0], high=numbers[-1]) if numbers and numbers[-1] <= 100 else None


def _money(cell: str, currency: str) -> MoneyRange:
    """One figure or range in a cell; words beside it ("$20K–$40K (4yr)") are allowed, a
    second figure is not."""
    found = find_money(cell, currency, bare_numbers=True)
    pay = [m for m in found if m.range.is_pay]
    rest = re.sub(r"\([^)]*\)", "", cell[: pay[0].start] + cell[pay[0].end :]) if len(pay) == 1 else ""
    if len(pay) != 1 or re.search(r"[\d$€£¥₹]", rest):
        raise MoneyFormatError(f"{cell.strip()!r} is not a money range like $165K–$218K")
    return pay[0].range


def merge_pay(pay: list[Pay], more: list[Pay]) -> list[Pay] | None:
    """A second pay table over the same regions adds the components the first lacks
    ("Cash" and "Equity" as two tables). None when the regions differ."""
    by_key = {p.place.key if p.place else p.region: p for p in pay}
    keys = [p.place.key if p.place else p.region for p in more]
    if set(keys) != set(by_key):
        return None
    merged = {k: p.model_dump() for k, p in by_key.items()}
    for key, extra in zip(keys, more, strict=True):
        row = merged[key]
        for component in PAY_COMPONENTS:
            if row.get(component) is None and extra.get(component) is not None:
                row[component] = extra.get(component)
                row["labels"] = {**row["labels"], component: extra.labels.get(component, component)}
    return [Pay.model_validate(merged[p.place.key if p.place else p.region]) for p in pay]


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
