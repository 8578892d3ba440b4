"""Pay tables in any orientation, read into `Pay` rows keyed by their dimensions.

A pay table is laid out one of three ways, told apart by where the pay-component names are:

- **rows**: a key column (places, levels or shifts) and one column per component — the
  classic "Region | Base | Stock | Bonus | Total";
- **columns** (transposed): components down the first column, one column per key
  ("| | Zurich | Geneva |" with "Base salary", "Bonus" rows);
- **grid**: keys on both axes ("Level | Bengaluru | Pune"), the component named by the
  table's heading or introduction ("Base salary by level and office").

A key is a place (the gazetteer knows it, or its column says so), a shift ("Night shift")
or a level ("L4", "SDE-2", "Senior"). Each cell is read into what it holds: money with
its period and bound, a share of base, a rate of something else ("10% of ARR"), a count of
units ("4,000 RSUs"), a multiplier ("1.5×"). A cell that holds none of these is left to
figure coverage, which reports it with its line: a table is never refused for a cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.lexicon import lexicon
from index.model import PAY_COMPONENTS, Amount, Component, Lines, Pay, UnreadFigure
from index.money import MoneyMention, MoneyRange, Percent, Period, find_money, find_percents
from index.places import place_of
from index.tables import Column, Dims, Table, is_empty, key_dims, layout_of
from index.text import slugify

_UNITS = re.compile(
    r"(?P<low>\d[\d,.]*)(?:\s*(?:–|—|-|to)\s*(?P<high>\d[\d,.]*))?\s*(?P<word>"
    r"(?:(?:stock|performance|restricted|phantom|deferred|share|employee)\s+){0,2}(?:rsus?|psus?|shares?|units?"
    r"|options?|esops?|esos|warrants?|sars?))\b",
    re.I,
)
# A bonus paid in months of salary ("2 to 4 months of base", "0–1.5 months' salary").
MONTHS_OF_BASE = re.compile(
    r"(?<![\d.,])(?P<low>\d+(?:[.,]\d+)?)(?:\s*(?:–|—|-|to|bis|a|até)\s*(?P<high>\d+(?:[.,]\d+)?))?\s*"
    r"months?['’]?\s+(?:of\s+)?(?:the\s+)?(?:monthly\s+)?(?:base|salary|basic|pay|gehalt)\b",
    re.I,
)
_MULTIPLIER = re.compile(
    r"(?<![\d.,])(?P<value>\d+(?:[.,]\d+)?)\s?[x×](?![A-Za-z\d])|(?<![A-Za-z])[x×]\s?(?P<value2>\d+(?:[.,]\d+)?)\b"
)
_OF = re.compile(r"\bof\s+(?:the\s+|your\s+|annual\s+)?(?P<what>[\w$/&.-]+(?:\s+[\w/&.-]+)?)", re.I)


@dataclass
class PayRead:
    rows: list[Pay]
    unread_columns: list[Column] = field(default_factory=list)  # money columns that are no pay figure we know
    unread_cells: list[UnreadFigure] = field(default_factory=list)  # cells no reader understands


def read_pay(
    table: Table, default_currency: str, context: str = "", title: str = "", within: Dims | None = None
) -> PayRead:
    """The table's pay rows, whatever its layout. `context` is the heading and introduction
    (they may name the period or, for a grid, the component); `title` labels a row that has
    no key of its own (a transposed table with one unnamed figure column)."""
    layout = layout_of(table)
    if layout == "columns":
        read = _read_rows(_transposed(table), default_currency, context, title, span=table.lines)
    elif layout == "grid":
        read = _read_grid(table, default_currency, context)
    else:
        read = _read_rows(table, default_currency, context, title)
    if within is not None and within.label:
        # A table under a heading that is a key ("### Cambridge, MA"): its rows are that
        # place's (or level's), and say so.
        read.rows = [_under(row, within) for row in read.rows]
    return read


def _under(row: Pay, within: Dims) -> Pay:
    dims = Dims(row.where, row.level, row.schedule) | within
    label = row.region if within.label in row.region else f"{within.label} · {row.region}"
    place = row.place if row.where else (place_of(dims.place) if dims.place else None)
    return row.model_copy(
        update={"region": label, "where": dims.place, "level": dims.level, "schedule": dims.schedule, "place": place}
    )


def _transposed(table: Table) -> Table:
    from index.tables import read_table

    header = [table.header[0] if table.header else "", *(table.cell(cells, 0) for cells, _ in table.rows)]
    rows = [
        ([table.header[j], *(table.cell(cells, j) for cells, _ in table.rows)], table.lines.start)
        for j in range(1, len(table.header))
    ]
    flipped = read_table([(header, table.lines.start), *rows], table.lines)
    flipped.region_column = 0
    return flipped


def _read_rows(table: Table, default: str, context: str, title: str, span: Lines | None = None) -> PayRead:
    lex = lexicon()
    assert table.region_column is not None
    figures = [
        c for c in table.columns if c.index != table.region_column and (c.money or c.percent or _counts(table, c))
    ]
    first = min((c.index for c in figures), default=len(table.header))
    # Every text column before the figures keys the row ("Location | Shift | Rate").
    keys = [c for c in table.columns if c.index < first and c not in figures] or [table.columns[table.region_column]]
    columns, unread, seen = [], [], set()
    for column in figures:
        kind = column.component
        if kind is None or kind == "one_off":
            unread.append(column)
            continue
        if kind in PAY_COMPONENTS and kind in seen:
            kind = f"{kind}:more"  # a second base column ("Base (monthly)") is kept as an extra
        seen.add(kind)
        columns.append((column, kind))
    period = lex.period_of(context)
    # A key that is the same on every row ("P4" throughout) describes the table, not a row:
    # kept as the rows' dimension, left out of their labels.
    varying = {k.index for k in keys if len({table.cell(c, k.index) for c, _ in table.rows}) > 1}
    labelled = [k for k in keys if k.index in varying] or keys[:1]
    pays: list[Pay] = []
    cells_unread: list[UnreadFigure] = []
    for cells, line in table.rows:
        written = [table.cell(cells, k.index).strip("*_ ") for k in keys]
        dims = Dims()
        for key, text in zip(keys, written, strict=True):
            named = key_dims(text, key.header) or (Dims(place=text) if table.region_named and text else None)
            dims = dims | (named or Dims())
        label = " · ".join(w for k, w in zip(keys, written, strict=True) if w and k in labelled) or title
        if not label:
            continue
        lines = span or Lines(start=line, end=line)
        row = [Cell(table.cell(cells, c.index), c.header, c.currency, kind) for c, kind in columns]
        # A row may say its own period in its keys ("Tech II (hourly)", "Supervisor — salaried, yearly").
        row_period = lex.period_of(" ".join(written)) or period
        pays.append(_row(label, dims, row, default, row_period, lines, cells_unread))
    return PayRead(pays, unread, cells_unread)


def _counts(table: Table, column: Column) -> bool:
    """A column of unit counts or multipliers ("4,000 RSUs", "1.5×") holds figures too."""
    return any(_UNITS.search(c) or _MULTIPLIER.search(c) for c in (table.cell(r, column.index) for r, _ in table.rows))


def _read_grid(table: Table, default: str, context: str) -> PayRead:
    lex = lexicon()
    assert table.region_column is not None
    key = table.region_column
    header = table.header[key] if key < len(table.header) else ""
    component = lex.first_kind(context) or "base"
    period = lex.period_of(context)
    pays = []
    unread: list[UnreadFigure] = []
    figures = [c for c in table.columns if c.index != key and (c.money or c.percent)]
    across = dict(zip((c.index for c in figures), _one_dimension([c.header for c in figures]), strict=True))
    down = _one_dimension([table.cell(cells, key) for cells, _ in table.rows], header)
    others = [c.index for c in table.columns if c.index != key and c not in figures]
    for (cells, line), row_dims in zip(table.rows, down, strict=True):
        # A row may say its own period ("Contract: o pracę, monthly" beside "zlecenie, hourly").
        row_period = lex.period_of(" ".join(table.cell(cells, i) for i in [key, *others])) or period
        for column in figures:
            dims = row_dims | across[column.index]
            # The column header is a key here, not the figure's name: the row's label is its keys.
            cell = Cell(table.cell(cells, column.index), "", column.currency, component)
            # A column may say its own period too ("C1 Foreman (per month)" beside hourly grades).
            cell_period = lex.period_of(column.header) or row_period
            pays.append(_row(dims.label, dims, [cell], default, cell_period, Lines(start=line, end=line), unread))
    return PayRead(pays, unread_cells=unread)


def _one_dimension(keys: list[str], header: str = "") -> list[Dims]:
    """The keys along one side of a grid, each as a dimension. A side is one dimension: a key
    the lexicon and gazetteer do not know ("Sedona, AZ" beside "Key West, FL", "Tier-2 hubs")
    is of the kind most of its neighbours are."""
    found = [key_dims(k, header) for k in keys]
    kinds = [next(f for f in ("place", "level", "schedule") if getattr(d, f)) for d in found if d is not None]
    if not kinds:
        return [Dims() for _ in keys]
    most = max(set(kinds), key=kinds.count)
    return [
        d if d is not None else Dims(**{most: k.strip("*_ ")}) if k.strip() else Dims()
        for d, k in zip(found, keys, strict=True)
    ]


@dataclass(frozen=True)
class Cell:
    """A figure's cell with what its column says of it."""

    text: str
    header: str
    currency: str | None  # named by the header: "Base (CAD)"
    kind: str  # the lexicon's kind; "base:more" for a second column of one component


def _row(
    label: str,
    dims: Dims,
    cells: list[Cell],
    default: str,
    period: Period | None,
    lines: Lines,
    unread: list[UnreadFigure],
) -> Pay:
    lex = lexicon()
    signed = [m.range.currency for c in cells for m in find_money(c.text, default) if m.signed]
    currency = signed[0] if signed else next((c.currency for c in cells if c.currency), default)
    figures: dict[str, MoneyRange] = {}
    percents: dict[Component, Percent] = {}
    labels: dict[str, str] = {}
    extras: list[Amount] = []
    for cell in cells:
        if is_empty(cell.text) or not re.search(r"\d", cell.text):
            continue
        kind = cell.kind.split(":")[0]
        column_period = "one_off" if kind in lex.one_off_components else lex.period_of(cell.header) or period
        amount = read_cell(cell.text, kind, cell.header, cell.currency or currency, column_period)
        if amount is None or (amount.money is not None and not _one_figure(cell.text)):
            reason = f"row {label!r}, column {cell.header!r}: not a figure or range like $165K–$218K"
            unread.append(UnreadFigure(text=cell.text.strip(), line=lines.start, where="pay table", reason=reason))
            continue
        classic = cell.kind in PAY_COMPONENTS
        if classic and amount.money is not None and kind not in figures:
            figures[kind] = amount.money
        elif classic and amount.percent is not None and amount.of in ("", "base") and kind not in percents:
            percents[kind] = amount.percent  # type: ignore[index]
        else:
            extras.append(amount)
            continue
        if cell.header:
            labels[kind] = cell.header
    derived: list[Component] = []
    base = figures.get("base")
    for component, percent in percents.items():
        if base is not None and component not in figures and base.period == "year":
            figures[component] = percent.of(base)
            derived.append(component)
    where = dims.place
    return Pay(
        region=label,
        place=place_of(where) if where else None,
        where=where,
        level=dims.level,
        schedule=dims.schedule,
        currency=currency,
        labels=labels,
        lines=lines,
        percents=percents,
        derived=derived,
        extras=extras,
        **{c: r for c, r in figures.items() if c in PAY_COMPONENTS},
    )


def read_cell(cell: str, kind: str, label: str, currency: str, period: Period | None) -> Amount | None:
    """One cell (or phrase) as a typed amount; None when it holds no figure we can read."""
    lex = lexicon()
    text = cell.strip()
    money = [m for m in find_money(text, currency, bare_numbers=True) if m.range.is_pay]
    if any(m.signed for m in money):  # "the 2025 Series B at ¥1,150": a bare number beside money is none
        money = [m for m in money if m.signed]
    percents = [p for p in find_percents(text) if not any(m.start <= p.start < m.end for m in money)]
    units = _UNITS.search(text)
    counted = _UNITS.search(f"1 {label}")  # "Options (4-yr vest)": its bare numbers are counts
    if units is None and counted and not any(m.signed for m in money) and money:
        low, high = money[0].range.low, money[0].range.high
        return Amount(component=kind, label=label, units=(low, high), unit_word=counted["word"], text=text)
    multiplier = _MULTIPLIER.search(text)
    months = MONTHS_OF_BASE.search(text)
    if months and not (money and money[0].start < months.start()):
        low = float(months["low"].replace(",", "."))
        high = float((months["high"] or months["low"]).replace(",", "."))
        return Amount(component=kind, label=label, months=(low, high), months_written=months.group(0), text=text)
    if units and (not money or units.start() <= money[0].start):
        low, high = _number(units["low"]), _number(units["high"] or units["low"])
        return Amount(component=kind, label=label, units=(low, high), unit_word=units["word"], text=text)
    if multiplier and not money and (not percents or multiplier.start() < percents[0].start):
        percents = []  # "1,5× on MRR between 100% and 130% of quota": the multiplier is the figure
    if percents and (not money or percents[0].start < money[0].start):
        of = _OF.search(text[percents[0].end :])
        what = of["what"].strip() if of else ""
        if what and lex.component_of(what) == "base":
            what = "base"
        return Amount(component=kind, label=label, percent=percents[0].percent, of=what, text=text)
    if money:
        return Amount(component=kind, label=label, money=_with_period(money[0], text, period, lex), text=text)
    if multiplier:
        written = multiplier["value"] or multiplier["value2"]
        value = float(written.replace(",", "."))  # "1,5×"
        return Amount(component=kind, label=label, multiplier=value, multiplier_written=f"{written}×", text=text)
    return Amount(component=kind, label=label, text=text) if kind not in PAY_COMPONENTS else None


def _with_period(m: MoneyMention, text: str, period: Period | None, lex) -> MoneyRange:  # type: ignore[no-untyped-def]
    update: dict[str, object] = {}
    shorthand = re.search(r"\d\s?[kKmM]\b", text[m.start : m.end])  # "$62K": a salary, whatever the column
    if not m.per and period is not None and not (shorthand and period in ("hour", "day", "week")):
        update["period"] = period
    bound = lex.bound_before(text[: m.start])
    if bound:
        update["bound"] = bound
    elif m.open_ended:
        update["bound"] = "from"
    return m.range.model_copy(update=update) if update else m.range


def _one_figure(cell: str) -> bool:
    """A money cell holds one figure or range; words, notes in brackets and its period may
    stand beside it, a second figure or a garbled one ("$1x9K") may not."""
    found = [m for m in find_money(cell, bare_numbers=True) if m.range.is_pay]
    if len(found) != 1:
        return False
    rest = re.sub(r"\([^)]*\)", "", cell[: found[0].start] + " " + cell[found[0].end :])
    return not re.search(r"[\d$€£¥₹]", rest)


def _number(text: str) -> float:
    return float(text.replace(",", "")) if text.replace(",", "").replace(".", "", 1).isdigit() else 0.0


def merge_pay(pay: list[Pay], more: list[Pay]) -> list[Pay]:
    """A second pay table over the same rows adds the components the first lacks ("Cash" and
    "Equity" as two tables); rows it keys differently (other levels, places, shifts) are
    further rows."""
    # Rows are one row when their keys are, in any order ("Sydney · Senior Analyst",
    # "Sydney, Senior Analyst", "Senior Analyst · Sydney").
    by_label = {_row_key(p): p for p in pay}
    merged = {_row_key(p): p.model_dump() for p in pay}
    added: list[Pay] = []
    for extra in more:
        row = merged.get(_row_key(extra))
        if row is None:
            added.append(extra)
            continue
        for component in PAY_COMPONENTS:
            if row.get(component) is None and extra.get(component) is not None:
                row[component] = extra.get(component)
                row["labels"] = {**row["labels"], component: extra.labels.get(component, component)}
        row["extras"] = [*row["extras"], *(a.model_dump() for a in extra.extras)]
    return [Pay.model_validate(merged[label]) for label in by_label] + added


def _row_key(row: Pay) -> tuple[str, ...]:
    keys = tuple(sorted(slugify(k) for k in (row.where, row.level, row.schedule) if k))
    return keys or (slugify(row.region),)
