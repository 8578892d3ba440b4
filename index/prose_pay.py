"""Pay written as lists and sentences rather than tables, read into the same `Pay` rows.

Two shapes, both common in guides written by people rather than generated:

- **keyed items**: `- Toronto, ON: C$26–C$30/hr` under `### Robotics Technician I — hourly`.
  The item's key (a place, level or shift) and the heading's key together key the row; the
  figure is the component the heading or its introduction names (base when none).
- **figure sentences**: `- Night shift in the test hall: +C$3/hr.`, `AEs earn an OTE of
  $160K–$180K with a 50/50 split`. Each figure takes the kind of figure named nearest before
  it in its clause (a differential, an OTE, a commission rate…); the sentence's shift, level or
  place, where it names one, keys its row, else the heading labels it.

A figure no sentence shape explains stays untyped: figure coverage reports it, and questions
about it are answered by quoting the guide's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from index.lexicon import lexicon
from index.model import PAY_COMPONENTS, Amount, Lines, Pay
from index.money import MoneyMention, Period, find_money, find_percents
from index.pay import _MULTIPLIER, _UNITS, MONTHS_OF_BASE, read_cell
from index.places import fold, gazetteer, place_of
from index.tables import Dims, key_dims, level_code

__all__ = [
    "Dims",
    "Found",
    "dims_in",
    "figure_sentences",
    "heading_dims",
    "key_dims",
    "keyed_item",
    "names_pay",
    "rows_of",
]

_KEYED = re.compile(r"^\s*(?P<key>[^:—–]{2,60}?)\s*(?::|\s[—–]\s)\s*(?P<value>.+)$")
_CLAUSE = re.compile(r"[;,]\s+(?:and\s+|but\s+|while\s+)?|\s+(?:and|while|plus)\s+(?=(?:\S+\s+){0,3}?[$€£¥₹]?\d)")
_BETWEEN = re.compile(r"\b(?:between|from|zwischen|entre|mellan)\s+\S+$", re.I)


def _clauses(text: str) -> list[str]:
    """A sentence's clauses, each with its own figure; "between 100% and 130%" is one span,
    not two clauses."""
    out, at = [], 0
    for m in _CLAUSE.finditer(text):
        if m.group(0).strip() == "and" and _BETWEEN.search(text[at : m.start()]):
            continue
        out.append(text[at : m.start()])
        at = m.end()
    return [*out, text[at:]]


_NAMED_PLACE = re.compile(r"\b(?i:in|at|for)\s+(?i:the\s+)?(?P<name>[A-Z][\w'’.-]*(?:[\s,]+[A-Z][\w'’.-]*){0,2})")


@dataclass(frozen=True)
class Found:
    """One figure read from a list item or a sentence, with what keys it."""

    dims: Dims
    amount: Amount
    lines: Lines


def heading_dims(heading: str) -> tuple[Dims, str]:
    """A heading as a key and the notes after it: "Robotics Technician I — hourly" ->
    (level "Robotics Technician I", "hourly")."""
    parts = re.split(r"\s+[—–-]\s+|:\s+", heading, maxsplit=1)
    key, notes = parts[0], parts[1] if len(parts) > 1 else ""
    lex = lexicon()
    if lex.names_kind(key) and not lex.level_codes.search(key):
        return Dims(), heading  # "Shift premium and overtime" names figures, not a key
    return key_dims(key) or Dims(), notes


def _years(m: MoneyMention) -> bool:
    """ "2024–2025" after a source's name is a span of years, not pay."""
    return not m.signed and all(1900 <= v <= 2100 and float(v).is_integer() for v in (m.range.low, m.range.high))


def names_pay(text: str) -> bool:
    """Whether a heading or introduction speaks of pay: a kind of figure or a period."""
    lex = lexicon()
    return lex.names_kind(text) or lex.period_of(text) is not None or bool(lex.pay_words.search(text))


def item_key(text: str) -> str:
    """The name an item gives its figure before a colon ("Strike price" of "Strike price: ¥380
    per share"), when that name keys no row; "" when it has none."""
    m = _KEYED.match(text)
    key = m["key"].strip("*_ ") if m else ""
    return key if key and len(key.split()) <= 5 and key_dims(key) is None else ""


def counted_label(text: str) -> str:
    """What an item's own "key: value" says its bare numbers count ("Stock options" of "Stock
    options: 2,000–4,000", "RSUs: 1,200"); "" when its key counts nothing."""
    m = _KEYED.match(text)
    key = m["key"].strip("*_ ") if m else ""
    return key if key and _UNITS.search(f"1 {key}") else ""


def keyed_item(text: str, lines: Lines, within: Dims, context: str, currency: str) -> Found | None:
    """`Toronto, ON: C$26–C$30/hr`: a key and one figure."""
    m = _KEYED.match(text)
    if m is None:
        return None
    key, value = m["key"].strip("*_ "), m["value"].strip()
    dims = key_dims(key)
    money = find_money(value, currency, bare_numbers=True)
    if dims is None or len(money) != 1 or _years(money[0]):
        return None
    lex = lexicon()
    kind = lex.first_kind(value) or lex.first_kind(context) or "base"
    amount = read_cell(value, kind, "", currency, lex.period_of(f"{value} {context}"))
    return Found(within | dims, amount, lines) if amount is not None and amount.money is not None else None


def figure_sentences(
    text: str,
    lines: Lines,
    within: Dims,
    label: str,
    currency: str,
    carried: Dims | None = None,
    default: str | None = None,
    pay_default: str | None = None,
    kind_before: str | None = None,
    counts: str = "",
) -> list[Found]:
    """Every figure of a sentence whose clause names what kind of figure it is. The place,
    level or shift the sentence names keys all its clauses ("In London the plan is 60/40,
    of which base is £57,000–£66,000"); a sentence naming none takes `carried`, the one the
    paragraph named last. A clause naming no kind of figure takes `kind_before`, the kind of the
    paragraph's last figure ("Sign-on bonuses start from $2,500. Houston hires are offered up
    to $15,000": a sign-on too). `counts`: what the item's label says it counts ("Stock
    options" of "Stock options: 2,000–4,000"), so its bare numbers are counts of it."""
    lex = lexicon()
    found: list[Found] = []
    if lex.example_words.search(text):
        return found  # "Worked example: … $220,000 in total" illustrates; it states no pay
    clauses = _clauses(text)
    # A place or shift named in a sentence's first clause keys the whole sentence ("In Zürich,
    # a Field Service Engineer earns …"); one named later keys its own clause. A level keys the
    # clause that names it and those after it ("…; a Senior earns …").
    opening = dims_in(clauses[0]) if clauses else Dims()
    sentence = Dims(place=opening.place, schedule=opening.schedule)
    keyed = within | (sentence if sentence.label else carried or Dims())
    level: str | None = None
    last_kind = kind_before  # "earns X a month, so Y a year": Y is of X's kind
    named_before: str | None = None
    for clause in clauses:
        clause_dims = dims_in(clause)
        level = clause_dims.level or level
        default_here = default or ("base" if lex.pay_words.search(clause) else None) or last_kind or pay_default
        spans = _figure_spans(clause, currency, counted=bool(counts))
        # (a kind word inside a figure, "base" of "2 to 4 months of base", names none)
        kinds = [k for k in lex.kinds_in(clause) if not any(a <= k[0] < b for a, b in spans)]
        for n, (start, end) in enumerate(spans):
            # The kind named right after the figure ("a 50/50 split", "$5K sign-on"), else the
            # last one named before it in its clause, else the next one.
            before = [k for k in kinds if k[1] <= start]
            after = [k for k in kinds if k[0] >= end]
            gap = clause[end : after[0][0]] if after else "-"
            adjacent = not gap.strip(" -–")  # "a 50/50 split", "$5K sign-on"; not "4% of base", "$8/hr over base"
            money = any(m.start == start for m in find_money(clause, currency, prose=True))
            fallback = default_here if (money or default_here != pay_default) else None
            if after and adjacent:
                kind: str | None = after[0][2]
            elif before or fallback:
                kind = before[-1][2] if before else fallback
            else:
                # "The bonus is paid twice a year, and ranges from 2 to 4 months of base": the
                # kind an earlier clause of the sentence named.
                kind = after[0][2] if after else named_before
            if kind is None or kind == "one_off":
                continue
            # The figure with the words around it up to its neighbours: "up to" before it,
            # "of first-year ARR" or "RSUs" after it.
            low = spans[n - 1][1] if n else 0
            high = spans[n + 1][0] if n + 1 < len(spans) else len(clause)
            words = clause[low:high]
            period: Period | None = "one_off" if kind in lex.one_off_components else lex.period_of(words)
            amount = _ratio(words, kind, label) or read_cell(words, kind, counts or label, currency, period)
            if amount is None or (amount.money is None and amount.percent is None and amount.multiplier is None
                                  and amount.units is None and amount.months is None
                                  and not _RATIO.search(amount.text)):  # fmt: skip
                continue
            if amount.percent is not None and amount.of and lex.sales_bases.search(amount.of) and kind != "accelerator":
                amount = amount.model_copy(update={"component": "commission"})  # "1.8% of net sales"
            last_kind = kind
            said = amount if amount.component == "split" else amount.model_copy(update={"text": clause.strip()})
            found.append(Found(Dims(clause_dims.place, level, clause_dims.schedule) | keyed, said, lines))
        named_before = next((k[2] for k in reversed(kinds) if k[2] != "one_off"), named_before)
    return found


_RATIO = re.compile(r"(?<![\d.])(?P<a>\d{1,2})\s?/\s?(?P<b>\d{1,2})(?![\d%])")


def _ratio(words: str, kind: str, label: str) -> Amount | None:
    """ "a 50/50 split": a base/variable mix, kept as written."""
    m = _RATIO.search(words)
    if kind != "split" or m is None or int(m["a"]) + int(m["b"]) != 100:
        return None
    return Amount(component=kind, label=label, text=m.group(0))


def figures_in(text: str, currency: str) -> list[tuple[int, int]]:
    """Where a text writes figures of any kind (money, shares, multipliers, counts, splits)."""
    return _figure_spans(text, currency)


_COUNT = re.compile(r"(?<![\w.,$€£¥₹])\d{1,3}(?:,\d{3})*(?:\s?[–-]\s?\d{1,3}(?:,\d{3})*)?(?![\w%.,]?\d|\s?%)")


def _figure_spans(clause: str, currency: str, counted: bool = False) -> list[tuple[int, int]]:
    """Where a clause writes figures: money, percentages, multipliers, unit counts, ratios;
    under a label that counts ("Stock options: 2,000–4,000"), bare numbers too."""
    spans = [(m.start, m.end) for m in find_money(clause, currency, prose=True)]
    if counted:
        spans += [m.span() for m in _COUNT.finditer(clause)]
    # 100% and more is attainment or relief ("100% of quota"), never a share of pay.
    spans += [(p.start, p.end) for p in find_percents(clause) if p.percent.high < 100]
    spans += [m.span() for m in _MULTIPLIER.finditer(clause)]
    spans += [m.span() for m in MONTHS_OF_BASE.finditer(clause)]
    spans += [m.span() for m in _UNITS.finditer(clause)]
    spans += [m.span() for m in _RATIO.finditer(clause) if int(m["a"]) + int(m["b"]) == 100]
    out: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def dims_in(text: str) -> Dims:
    """A shift, level or place a sentence names ("Night shift in the Waterloo test hall",
    "In the Central territory", "In London")."""
    lex = lexicon()
    # "paid at 90 days" is a time, not a shift
    schedule = next((m for m in lex.schedule_words.finditer(text) if not re.search(r"\d\s*$", text[: m.start()])), None)
    plain = text.replace("*", "")
    place = (
        next((m["name"] for m in _territories().finditer(plain)), None)
        or next((m["name"].strip(" ,.") for m in _NAMED_PLACE.finditer(plain) if _names_place(m["name"])), None)
        or _opening_place(plain)
    )
    level = level_code(plain) or _titled_level(plain)
    return Dims(place=place, level=level, schedule=schedule.group(0) if schedule else None)


# "London new hires get …", "US hires can get …": a sentence whose subject opens with a place.
_OPENING_PLACE = re.compile(r"^\W*(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\s+[a-z]")


def _opening_place(text: str) -> str | None:
    m = _OPENING_PLACE.match(text)
    if m is None or m["name"].lower() in ENGLISH_STOP_WORDS:
        return None
    return m["name"] if _names_place(m["name"]) else None


def _names_place(written: str) -> bool:
    """Whether words in a sentence name a place: a city by its own name ("Plano", not "Pleno",
    an alternate spelling GeoNames keeps), a state or country, or a "City, ST"."""
    name = written.strip(" ,.")
    if not place_of(name).known:
        return False
    gaz = gazetteer()
    head = name.split(",")[0].strip()
    return "," in name or fold(head) in gaz.own_names or gaz.region(head) is not None


def _titled_level(text: str) -> str | None:
    """A capitalised title with a seniority word in it ("a Senior Field Service Engineer",
    "Service Team Leads"), as written."""
    lex = lexicon()
    for m in lex.level_titles.finditer(text):
        word = m.group(0)
        if len(word) < 3 or not word[0].isupper():
            continue
        run = re.search(
            r"(?:[A-Z][\w-]*\s+){0,3}" + re.escape(word) + r"(?:\w*)(?:\s+[A-Z][\w-]*){0,3}",
            text[max(0, m.start() - 40) :],
        )
        if run:
            return re.sub(r"^(?:A|An|The)\s+", "", run.group(0).strip())
    return None


@cache
def _territories() -> re.Pattern[str]:
    """ "the Central territory", "the East and West territories": a named area a guide pays by,
    whatever the gazetteer knows of it (the words are the lexicon's region headers)."""
    headers = lexicon().region_headers.pattern
    return re.compile(
        r"\b(?i:in|on|for|across)\s+(?i:the\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+(?:and|&|/)\s+[A-Z][\w'’-]*)?)\s+"
        + rf"(?:{headers}|territories|regions|offices|markets)"
    )


def rows_of(found: list[Found], label: str, currency: str) -> list[Pay]:
    """Figures grouped into rows by what keys them; a figure keyed by nothing goes in a row
    labelled by its heading."""
    rows: dict[str, list[Found]] = {}
    for f in found:
        rows.setdefault(f.dims.label or label, []).append(f)
    out = []
    for row_label, figures in rows.items():
        dims = figures[0].dims
        classic: dict[str, object] = {}
        extras: list[Amount] = []
        for f in figures:
            a = f.amount
            if a.component in PAY_COMPONENTS and a.money is not None and a.component not in classic:
                classic[a.component] = a.money
            else:
                extras.append(a)
        lines = Lines(start=min(f.lines.start for f in figures), end=max(f.lines.end for f in figures))
        out.append(
            Pay(
                region=row_label,
                place=place_of(dims.place) if dims.place else None,
                where=dims.place,
                level=dims.level,
                schedule=dims.schedule,
                currency=next((a.money.currency for a in (f.amount for f in figures) if a.money), currency),
                extras=extras,
                lines=lines,
                **classic,  # type: ignore[arg-type]
            )
        )
    return out
