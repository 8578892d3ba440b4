"""Money and percentages as guides and people write them.

`$165K–$218K`, `$165,000`, `$1.2M`, `165k`, `$140K+`, `€55K`, `C$95K`, `CAD 95K–120K`,
`SGD 110,000–140,000`, `95K–120K CAD`, `CHF 143'000`, `¥9,600,000`, `₹28–36 LPA`,
`₹23,00,000`, `$38–$46/hr`, `¥650,000 a month`; percentages `15–20%`, `15% to 20%`.

Amounts are currency units (whole where written whole, so figures compare and format
exactly; an hourly `$38.50` keeps its cents). Each range keeps the *period* it is paid per
and the *style* its numbers were written in, so an answer says `₹28–36 LPA` or
`CHF 143'000` as the guide does, and an hourly band is never compared with a yearly one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

# How a currency is shown. Others are shown by their ISO code: "CAD 95K–120K".
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "BRL": "R$ ", "ZAR": "R "}
# Symbols as written -> currency. A bare "$" is the guide's own dollar currency (see DOLLARS).
WRITTEN_SYMBOLS = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "S$": "SGD", "NZ$": "NZD",
    "HK$": "HKD", "R$": "BRL", "MX$": "MXN", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS",
    "R": "ZAR",  # "R 36 800": the rand (only right before a number)
}  # fmt: skip
DOLLARS = {"USD", "CAD", "AUD", "SGD", "NZD", "HKD", "MXN"}
CURRENCY_BY_SYMBOL = {"$": "USD", **WRITTEN_SYMBOLS}
# Signs written after the number ("9 600 zł", "49 000 kr"); "kr" is the guide's own krona or
# krone when it has one, else Swedish.
SUFFIX_SIGNS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "kr": "SEK"}
KRONER = {"SEK", "NOK", "DKK", "ISK"}
AFTER_SIGNS = {"PLN": "zł", "CZK": "Kč", "HUF": "Ft", "SEK": "kr", "NOK": "kr", "DKK": "kr", "ISK": "kr"}
# "mil" after an amount is thousands in Portuguese and Spanish ("R$ 168 mil"), millions in English.
THOUSANDS_MIL = {"BRL", "MXN", "ARS", "CLP", "COP", "PEN", "UYU"}
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000, "l": 100_000, "cr": 10_000_000}

# What an amount is paid per. "year" is the default: an amount with no period is annual.
Period = Literal["year", "month", "week", "day", "hour", "one_off"]
# An open bound: "up to $6/hr" is at most, "from $2,500" (or "$140K+") at least.
Bound = Literal["", "up_to", "from"]
# How the guide writes its numbers: K/M shorthand (""), every digit ("full": 9,600,000),
# Swiss ("apostrophe": 143'000), continental ("dot": 135.000), Indian grouping ("lakh":
# 23,00,000), lakhs per annum ("lpa": 28–36 LPA) or thousands in Portuguese and Spanish
# ("mil": R$ 95 mil).
Style = Literal["", "full", "apostrophe", "dot", "space", "lakh", "lpa", "mil"]
PERIOD_SUFFIX: dict[str, str] = {"hour": "/hr", "day": " a day", "week": " a week", "month": " a month"}
# Period notation right after an amount: "/hr", "per hour", "an hour", "p.a.", "/mo", "a month".
_PERIOD_WORDS = {
    "hour": "hours|hour|hrs|hr|h|hora|stunde|heure|timme|godz", "day": "days|day|shift|dia|día|tag|jour",
    "week": "weeks|week|wk|semana|woche|semaine",
    "month": "months|month|mth|mo|mês|mese|mes|monat|mois|månad|mån|måned|maand|md|miesiąc|mies|měsíc|mesec",
    "year": "years|year|yr|annum|annually|a|ano|año|jahr|år|rok",
}  # fmt: skip
_PERIOD_RE = re.compile(
    r"\s?(?:/\s?|\bper\s|\ban?\s|\bp\.?\s?|\beach\s|\b(?:por|pro|al|par|im|i|za|na)\s)(?P<unit>"
    + "|".join(f"(?P<{k}>{v})" for k, v in _PERIOD_WORDS.items())
    + r")(?![A-Za-z])\.?|\s?(?P<word>hourly|monthly|weekly|daily|annually|yearly|p\.a\.|pa|mensal|mensais|monatlich|"
    r"mensuel|mensile|mensual|maandelijks|měsíčně|månadslön|jährlich|anual|annuo|annuale)(?![A-Za-z])",
    re.I,
)
_PERIOD_OF_WORD = {"hourly": "hour", "monthly": "month", "weekly": "week", "daily": "day", "annually": "year",
                   "yearly": "year", "p.a.": "year", "pa": "year", "mensal": "month", "mensais": "month",
                   "monatlich": "month", "mensuel": "month", "månadslön": "month", "jährlich": "year",
                   "anual": "year", "mensile": "month", "mensual": "month", "maandelijks": "month",
                   "měsíčně": "month", "annuo": "year", "annuale": "year"}  # fmt: skip

_SYM = "|".join(re.escape(s) for s in sorted(WRITTEN_SYMBOLS, key=len, reverse=True)) + r"|\$"
_NUM = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"  # Indian grouping: 23,00,000
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:['’]\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])"  # grouped by spaces: 49 000, 9 600
    r"|\d{1,3},\d{1,2}(?!\d)"  # a decimal comma: 10,20 €
    r"|\d+(?:\.\d+)?"
)
_LAKH_GROUPED = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?")
# "135.000": dots grouping thousands, as much of Europe writes them (with no k/M after).
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?")
# More digits than any amount anyone is paid: not pay (and too big for a float to hold).
_MAX_DIGITS = 15
# One amount: an optional symbol or ISO code before, a number, an optional k/M/B suffix, an
# optional ISO code after. Whether it is money is decided in code (a sign, a code or a suffix).
_AMOUNT = (
    r"(?:(?<![A-Za-z])(?P<{p}sym>{sym})\s?|(?<![A-Za-z])(?P<{p}code>[A-Z]{{3}})\s?)?"
    r"(?<![\w.,'’])(?P<{p}num>{num})(?P<{p}suf>[kKmMbB](?![a-zA-Z])|\s?(?:LPA|lpa|[Ll]akhs?|[Ll]acs?|L|[Cc]rores?|Cr|mil)(?![a-zA-Z]))?"
    r"(?![A-Za-z\d]|[.,'’]\d)"
    r"(?:\s?(?P<{p}code2>[A-Z]{{3}})(?![A-Za-z])|\s?(?P<{p}sym2>[€£¥₹]|zł|Kč|Ft|kr)(?!\s?\d)(?![A-Za-z]))?"
)
_DASH = r"\s*(?:–|—|-|to|(?P<join>a|à|bis|até|hasta|tot))\s*"  # "R$ 4.200 a R$ 5.000", "2.750 bis 2.980 €"
_RANGE_RE = re.compile(
    _AMOUNT.format(p="a", sym=_SYM, num=_NUM)
    + r"(?:\s?/\s?(?:hours?|hrs?|h|months?|mo|mth|yrs?|years?)(?![A-Za-z]))?"  # "$38/hr–$46/hr"
    + rf"(?:{_DASH}"
    + _AMOUNT.format(p="b", sym=_SYM, num=_NUM)
    + r")?(?P<plus>\+)?"
)
_PERCENT_RE = re.compile(
    r"(?<![\w.])(?P<low>\d{1,3}(?:\.\d+)?)\s?%?(?:\s*(?:–|—|-|to)\s*(?P<high>\d{1,3}(?:\.\d+)?))?\s?%"
)


@cache
def _iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_currency_code(code: str) -> bool:
    return code in _iso_codes()


class MoneyRange(BaseModel):
    """A low–high amount (low == high for a single figure), paid per `period`, written in
    `style`; `bound` marks an open one ("up to", "from")."""

    model_config = ConfigDict(frozen=True)

    low: int | float
    high: int | float
    currency: str = "USD"
    period: Period = "year"
    bound: Bound = ""
    style: Style = ""

    @field_validator("low", "high")
    @classmethod
    def _whole(cls, value: int | float) -> int | float:
        """A whole amount is an int ("$38", not "$38.0"); cents are kept where written."""
        return int(value) if float(value).is_integer() else round(float(value), 2)

    def __str__(self) -> str:
        return self.figure() + self.per()

    def figure(self) -> str:
        """The amount or range without its period: "$38–$46", "₹28–36 LPA", "CHF 143'000"."""
        style, currency = self.style, self.currency
        if style in ("lpa", "mil"):  # "₹28–36 LPA", "R$ 60–95 mil"
            symbol = SYMBOLS.get(currency, f"{currency} ")
            unit, word = (100_000, "LPA") if style == "lpa" else (1_000, "mil")
            ends = [f"{v / unit:g}" for v in (self.low, self.high)]
            if style == "mil":
                ends = [e.replace(".", ",") for e in ends]  # R$ 179,2 mil
            text = f"{symbol}{ends[0]} {word}" if self.low == self.high else f"{symbol}{ends[0]}–{ends[1]} {word}"
        elif self.low == self.high:
            text = format_amount(self.low, currency, style=style)
        else:
            # Both ends in one style: "$11,500–$21,000", not "$11,500–$21K" (derived figures).
            full = style or ("full" if _has_small_part(self.low) or _has_small_part(self.high) else "")
            after = currency in AFTER_SIGNS  # "9 600–11 400 zł": the sign once, after the range
            low = format_amount(self.low, currency, style=full, code=not after)
            code = currency in SYMBOLS or after  # "CAD 95K–120K", not "CAD 95K–CAD 120K"
            text = f"{low}–{format_amount(self.high, currency, code=code, style=full)}"
        return {"up_to": f"up to {text}", "from": f"from {text}"}.get(self.bound, text)

    def per(self) -> str:
        """The period as said after a figure: "/hr", " a month"; nothing for a year."""
        return PERIOD_SUFFIX.get(self.period, "")

    def same_basis(self, other: MoneyRange) -> bool:
        """Comparable figure for figure: one currency, one period."""
        return self.currency == other.currency and self.period == other.period

    def covers(self, other: MoneyRange) -> bool:
        return self.low <= other.low and other.high <= self.high

    def position(self, amount: int) -> float:
        """Where `amount` sits in the range: 0.0 at low, 1.0 at high (outside gives <0 or >1)."""
        if self.high == self.low:
            return 0.0 if amount <= self.low else 1.0
        return (amount - self.low) / (self.high - self.low)

    @property
    def is_pay(self) -> bool:
        """Billions are company figures (assets, revenue), never anyone's pay."""
        return self.high < 1_000_000_000


class Percent(BaseModel):
    """A share of base pay, as written: `15–20%` (low == high for one figure)."""

    model_config = ConfigDict(frozen=True)

    low: float
    high: float

    def __str__(self) -> str:
        fmt = lambda v: f"{v:g}"  # noqa: E731
        return f"{fmt(self.low)}%" if self.low == self.high else f"{fmt(self.low)}–{fmt(self.high)}%"

    def of_amount(self, amount: int | float) -> tuple[int, int]:
        """This share of one amount, low and high ("10–15%" of $100K: $10K and $15K)."""
        return round(amount * self.low / 100), round(amount * self.high / 100)

    def of(self, base: MoneyRange) -> MoneyRange:
        """The money this share of `base` comes to: low share of low base to high of high."""
        return MoneyRange(
            low=round(base.low * self.low / 100),
            high=round(base.high * self.high / 100),
            currency=base.currency,
            period=base.period,
            style=base.style if base.style != "lpa" else "",
        )


@dataclass(frozen=True)
class MoneyMention:
    """A money figure found in running text, with its character span."""

    range: MoneyRange
    start: int
    end: int
    open_ended: bool  # written with a trailing "+", e.g. "$140K+"
    signed: bool  # written with a currency sign or code (not a bare "12k")
    per: bool = False  # its period is written ("/hr", "a month", "LPA"), not assumed


@dataclass(frozen=True)
class PercentMention:
    percent: Percent
    start: int
    end: int


def format_amount(
    amount: int | float, currency: str = "USD", *, code: bool = True, full: bool = False, style: str = ""
) -> str:
    """`165000` -> `$165K`, `1200000` -> `$1.2M`, `165500` -> `$165,500` (the guides' style);
    `full` (or style "full") writes every digit: `$165,000`; "apostrophe" `CHF 143'000`,
    "dot" `€135.000`, "lakh" `₹23,00,000`; `38.5` -> `$38.50`."""
    if currency in AFTER_SIGNS:  # "9 600 zł", "49 000 kr": the sign after the number, digits grouped by spaces
        number = format_amount(amount, "", code=False, style=style or "space")
        return f"{number} {AFTER_SIGNS[currency]}" if code else number
    symbol = SYMBOLS.get(currency, f"{currency} " if code else "")
    style = "full" if full and not style else style
    if isinstance(amount, float) and not amount.is_integer():
        if style == "dot":  # a decimal comma: 10,20 €, 1.234,50 €
            return symbol + f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{symbol}{amount:,.2f}"
    amount = int(amount)
    if style == "apostrophe":
        return symbol + f"{amount:,}".replace(",", "'")
    if style == "dot":
        return symbol + f"{amount:,}".replace(",", ".")
    if style == "space":
        return symbol + f"{amount:,}".replace(",", " ")
    if style in ("lakh", "lpa"):
        return symbol + _indian_grouping(amount)
    if style == "full" or (amount >= 1_000_000 and amount % 100_000):  # ¥5,680,000, not ¥5,680K
        return f"{symbol}{amount:,}"
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"{symbol}{amount / 1_000_000:g}M"
    if amount >= 1_000 and amount % 1_000 == 0:
        return f"{symbol}{amount // 1_000:,}K"
    return f"{symbol}{amount:,}"


def _has_small_part(amount: int | float) -> bool:
    """Whether K/M shorthand would drop digits of it: $11,500, ¥5,680,000."""
    return (amount >= 1_000 and amount % 1_000 != 0) or (amount >= 1_000_000 and amount % 100_000 != 0)


def _indian_grouping(amount: int) -> str:
    """23,00,000: the last three digits, then pairs."""
    digits = str(amount)
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        head, pairs = head[:-2], [head[-2:], *pairs]
    return ",".join([p for p in [head, *pairs] if p] + [tail])


def _after_first(m: re.Match[str]) -> int:
    """Where the first amount's number, suffix and sign end."""
    return m.end("asym2") if m["asym2"] else m.end("asuf") if m["asuf"] else m.end("anum")


def _mil(suffix: str | None, currency: str) -> str | None:
    """ "R$ 168 mil" is thousands; "$1.2 mil" millions."""
    if suffix is None or suffix.strip() != "mil":
        return suffix
    return "k" if currency in THOUSANDS_MIL else "m"


def _amount(num: str, suffix: str | None) -> int | float:
    suffix = (suffix or "").strip().lower()
    if suffix.startswith(("lakh", "lac")) or suffix == "lpa":
        suffix = "l"
    elif suffix.startswith("cr"):
        suffix = "cr"
    if _SPACE_GROUPED.fullmatch(num):
        num = re.sub(r"[ \u00a0\u202f]", "", num).replace(",", ".")
    elif not suffix and _DOT_GROUPED.fullmatch(num):
        num = num.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3},\d{1,2}", num):
        num = num.replace(",", ".")  # 10,20 € is ten euros twenty
    num = num.replace("'", "").replace("’", "")
    if len(num) > _MAX_DIGITS:
        return 10**_MAX_DIGITS
    value = float(num.replace(",", "")) * _MULTIPLIERS.get(suffix, 1)
    return round(value) if value >= 1_000 or value.is_integer() else round(value, 2)


def _style(num: str, suffix: str | None) -> Style:
    """How a number is written, for saying it back the same way."""
    suffix = (suffix or "").strip().lower()
    if suffix in ("lpa", "l") or suffix.startswith(("lakh", "lac")):
        return "lpa"
    if suffix:
        return ""
    if _LAKH_GROUPED.fullmatch(num):
        return "lakh"
    if "'" in num or "’" in num:
        return "apostrophe"
    if _SPACE_GROUPED.fullmatch(num):
        return "space"
    if _DOT_GROUPED.fullmatch(num) or re.fullmatch(r"\d{1,3},\d{1,2}", num):
        return "dot"  # 135.000 € and 10,20 € are one way of writing: dots group, commas decimal
    return ""  # "165,000" reads back in the house style, "$165K"


def period_at(text: str, end: int) -> tuple[Period | None, int]:
    """The period written right after an amount ending at `end` ("/hr", "a month", "p.a."),
    and where that notation ends."""
    m = _PERIOD_RE.match(text, end)
    if m is None:
        return None, end
    if m["word"]:
        return _PERIOD_OF_WORD[m["word"].lower()], m.end()  # type: ignore[return-value]
    if m["year"] and m["year"].lower() == "a" and not text[m.start() : m.end()].lower().lstrip().startswith("p"):
        return None, end  # "a" alone is no period ("$5K a Detroit …"); "p.a." is
    period = next(k for k in _PERIOD_WORDS if m[k])
    return ("day" if period == "day" else period), m.end()  # type: ignore[return-value]


def _currency(sym: str | None, code: str | None, default: str) -> str | None:
    """The currency an amount's own marks name, or None when it has none."""
    if code:
        return code
    if sym == "$":
        return default if default in DOLLARS else "USD"
    if sym == "kr":
        return default if default in KRONER else "SEK"
    return WRITTEN_SYMBOLS.get(sym or "") or SUFFIX_SIGNS.get(sym or "")


def _code(m: re.Match[str], key: str) -> str | None:
    code = m[key]
    return code if code and is_currency_code(code) else None


def find_money(
    text: str,
    currency: str = "USD",
    *,
    prose: bool = False,
    bare_numbers: bool = False,
    count_nouns: frozenset[str] = frozenset(),
    exclusions: re.Pattern[str] | None = None,
) -> list[MoneyMention]:
    """Every money figure or range in `text`, in order.

    A figure is money when written with a currency sign or ISO code, or with a k/M suffix.
    In guide `prose`, an unsigned M or B is a count ("11M+ customers") and only an unsigned
    k is money (thousands, in the guide's currency); an unsigned "5k employees" is a count
    when `count_nouns` names what follows. `exclusions` ("401k") are never money. Unsigned
    amounts take `currency`; a bare "$" is `currency` when that is a dollar, else USD.
    `bare_numbers` makes plain numbers money too (a pay-table cell: "120,000–150,000").
    """
    excluded = [(m.start(), m.end()) for m in exclusions.finditer(text)] if exclusions else []
    mentions = []
    for m in _RANGE_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in excluded):
            continue
        a_code, b_code = _code(m, "acode") or _code(m, "acode2"), _code(m, "bcode") or _code(m, "bcode2")
        a_cur = _currency(m["asym"] or m["asym2"], a_code, currency)
        b_cur = _currency(m["bsym"] or m["bsym2"], b_code, currency)
        a_suf, b_suf, b_num = m["asuf"], m["bsuf"], m["bnum"]
        signed = bool(a_cur or b_cur)
        suffixes = ((a_suf or "") + (b_suf or "")).lower()
        if not signed and not bare_numbers:
            if not suffixes or (prose and set(suffixes) - {"k"}):
                continue
            following = re.match(r"\+?\s*([A-Za-z]+)", text[m.end() :])
            if following and following.group(1).lower() in count_nouns:
                continue
        if m["join"] and not (a_cur and b_cur or b_cur and b_num):
            continue  # "a", "bis" join two amounts only when they are written as money
        written = a_cur or b_cur or currency
        thousands = written in THOUSANDS_MIL and "mil" in ((a_suf or "") + (b_suf or ""))
        a_suf, b_suf = _mil(a_suf, written), _mil(b_suf, written)
        if b_num is None:
            low = high = _amount(m["anum"], a_suf)
        else:
            # "$165–218K": a suffix written once applies to both ends.
            low, high = _amount(m["anum"], a_suf or b_suf), _amount(b_num, b_suf or a_suf)
        if low > high or text[m.end() : m.end() + 2].lstrip().startswith("%"):
            continue  # "15–20%" is a share, never money
        if not signed and not suffixes and high < 1_000:
            continue  # a plain "2–4 (yrs)" or "510(k)" is no pay figure, even in a table
        # A span starting at an unrecognised 3-letter word is trimmed to the number.
        start = m.start("anum") if m["acode"] and not a_code else m.start()
        end = m.end("acode2") if m["acode2"] and a_code and b_num is None else m.end()
        if b_num is not None and m["bcode2"] and not b_code:
            end = m.end("bsuf") if m["bsuf"] else m.end("bnum")
        elif b_num is None and m["acode2"] and not _code(m, "acode2"):
            end = m.end("asuf") if m["asuf"] else m.end("anum")
        style = "mil" if thousands else _style(m["anum"], a_suf or b_suf)
        period, end = period_at(text, end) if not m["plus"] else (None, end)
        if style == "lpa":
            period = "year"
        elif period is None and re.match(r"\s?/\s?[hm]", text[_after_first(m) :]):
            period, _ = period_at(text, _after_first(m))  # "$38/hr–$46/hr", "33 zł/h"
        figure = MoneyRange(
            low=low, high=high, currency=written, period=period or "year", style=style,
        )  # fmt: skip
        mentions.append(MoneyMention(figure, start, end, bool(m["plus"]), signed, per=period is not None))
    return mentions


def find_percents(text: str) -> list[PercentMention]:
    """`15–20%`, `15% – 20%`, `20%`: each percentage (or range of them) in `text`."""
    out = []
    for m in _PERCENT_RE.finditer(text):
        low = float(m["low"])
        high = float(m["high"]) if m["high"] else low
        if low <= high <= 100:
            out.append(PercentMention(Percent(low=low, high=high), m.start(), m.end()))
    return out


class MoneyFormatError(ValueError):
    pass


def parse_money_range(text: str, currency: str = "USD") -> MoneyRange:
    """Parse a cell that must hold exactly one figure or range, e.g. `$165K–$218K`."""
    cell = text.strip()
    found = find_money(cell, currency, bare_numbers=True)
    if len(found) != 1 or found[0].start != 0 or cell[found[0].end :].strip(" +"):
        raise MoneyFormatError(f"{cell!r} is not a money range like $165K–$218K")
    return found[0].range
