"""Money and percentages as guides and people write them.

`$165K–$218K`, `$165,000`, `$1.2M`, `165k`, `$140K+`, `€55K`, `C$95K`, `CAD 95K–120K`,
`SGD 110,000–140,000`, `95K–120K CAD`; percentages `15–20%`, `15% to 20%`.
Amounts are whole currency units (int), so figures compare and format exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

# How a currency is shown. Others are shown by their ISO code: "CAD 95K–120K".
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
# Symbols as written -> currency. A bare "$" is the guide's own dollar currency (see DOLLARS).
WRITTEN_SYMBOLS = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "S$": "SGD", "NZ$": "NZD",
    "HK$": "HKD", "R$": "BRL", "MX$": "MXN", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS",
}  # fmt: skip
DOLLARS = {"USD", "CAD", "AUD", "SGD", "NZD", "HKD", "MXN"}
CURRENCY_BY_SYMBOL = {"$": "USD", **WRITTEN_SYMBOLS}
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}

_SYM = "|".join(re.escape(s) for s in sorted(WRITTEN_SYMBOLS, key=len, reverse=True)) + r"|\$"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:\.\d+)?"
# "135.000": dots grouping thousands, as much of Europe writes them (with no k/M after).
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
# More digits than any amount anyone is paid: not pay (and too big for a float to hold).
_MAX_DIGITS = 15
# One amount: an optional symbol or ISO code before, a number, an optional k/M/B suffix, an
# optional ISO code after. Whether it is money is decided in code (a sign, a code or a suffix).
_AMOUNT = (
    r"(?:(?P<{p}sym>{sym})\s?|(?<![A-Za-z])(?P<{p}code>[A-Z]{{3}})\s?)?"
    r"(?<![\w.,])(?P<{p}num>{num})(?P<{p}suf>[kKmMbB](?![a-zA-Z]))?(?![A-Za-z\d]|[.,]\d)"
    r"(?:\s?(?P<{p}code2>[A-Z]{{3}})(?![A-Za-z]))?"
)
_DASH = r"\s*(?:–|—|-|to)\s*"
_RANGE_RE = re.compile(
    _AMOUNT.format(p="a", sym=_SYM, num=_NUM)
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
    """A low–high amount (low == high for a single figure)."""

    model_config = ConfigDict(frozen=True)

    low: int
    high: int
    currency: str = "USD"

    def __str__(self) -> str:
        if self.low == self.high:
            return format_amount(self.low, self.currency)
        # Both ends in one style: "$11,500–$21,000", not "$11,500–$21K" (derived figures).
        full = self.low % 1_000 != 0 or self.high % 1_000 != 0
        low = format_amount(self.low, self.currency, full=full)
        if self.currency not in SYMBOLS:  # "CAD 95K–120K", not "CAD 95K–CAD 120K"
            return f"{low}–{format_amount(self.high, self.currency, code=False, full=full)}"
        return f"{low}–{format_amount(self.high, self.currency, full=full)}"

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

    def of_amount(self, amount: int) -> tuple[int, int]:
        """This share of one amount, low and high ("10–15%" of $100K: $10K and $15K)."""
        return round(amount * self.low / 100), round(amount * self.high / 100)

    def of(self, base: MoneyRange) -> MoneyRange:
        """The money this share of `base` comes to: low share of low base to high of high."""
        return MoneyRange(
            low=round(base.low * self.low / 100), high=round(base.high * self.high / 100), currency=base.currency
        )


@dataclass(frozen=True)
class MoneyMention:
    """A money figure found in running text, with its character span."""

    range: MoneyRange
    start: int
    end: int
    open_ended: bool  # written with a trailing "+", e.g. "$140K+"
    signed: bool  # written with a currency sign or code (not a bare "12k")


@dataclass(frozen=True)
class PercentMention:
    percent: Percent
    start: int
    end: int


def format_amount(amount: int, currency: str = "USD", *, code: bool = True, full: bool = False) -> str:
    """`165000` -> `$165K`, `1200000` -> `$1.2M`, `165500` -> `$165,500` (the guides' style);
    `full` writes every digit: `$165,000`."""
    symbol = SYMBOLS.get(currency, f"{currency} " if code else "")
    if full:
        return f"{symbol}{amount:,}"
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"{symbol}{amount / 1_000_000:g}M"
    if amount >= 1_000 and amount % 1_000 == 0:
        return f"{symbol}{amount // 1_000:,}K"
    return f"{symbol}{amount:,}"


def _amount(num: str, suffix: str | None) -> int:
    if not suffix and _DOT_GROUPED.fullmatch(num):
        num = num.replace(".", "").replace(",", ".")
    if len(num) > _MAX_DIGITS:
        return 10**_MAX_DIGITS
    value = float(num.replace(",", ""))
    return round(value * _MULTIPLIERS.get((suffix or "").lower(), 1))


def _currency(sym: str | None, code: str | None, default: str) -> str | None:
    """The currency an amount's own marks name, or None when it has none."""
    if code:
        return code
    if sym == "$":
        return default if default in DOLLARS else "USD"
    return WRITTEN_SYMBOLS.get(sym or "")


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
        a_cur, b_cur = _currency(m["asym"], a_code, currency), _currency(m["bsym"], b_code, currency)
        a_suf, b_suf, b_num = m["asuf"], m["bsuf"], m["bnum"]
        signed = bool(a_cur or b_cur)
        suffixes = ((a_suf or "") + (b_suf or "")).lower()
        if not signed and not bare_numbers:
            if not suffixes or (prose and set(suffixes) - {"k"}):
                continue
            following = re.match(r"\+?\s*([A-Za-z]+)", text[m.end() :])
            if following and following.group(1).lower() in count_nouns:
                continue
        if b_num is None:
            low = high = _amount(m["anum"], a_suf)
        else:
            # "$165–218K": a suffix written once applies to both ends.
            low, high = _amount(m["anum"], a_suf or b_suf), _amount(b_num, b_suf or a_suf)
        if low > high or text[m.end() : m.end() + 2].lstrip().startswith("%"):
            continue  # "15–20%" is a share, never money
        if not signed and not suffixes and high < 1_000:
            continue  # a plain "2–4 (yrs)" or "510(k)" is no pay figure, even in a table
        written = a_cur or b_cur or currency
        # A span starting at an unrecognised 3-letter word is trimmed to the number.
        start = m.start("anum") if m["acode"] and not a_code else m.start()
        end = m.end("acode2") if m["acode2"] and a_code and b_num is None else m.end()
        if b_num is not None and m["bcode2"] and not b_code:
            end = m.end("bsuf") if m["bsuf"] else m.end("bnum")
        elif b_num is None and m["acode2"] and not _code(m, "acode2"):
            end = m.end("asuf") if m["asuf"] else m.end("anum")
        mentions.append(
            MoneyMention(MoneyRange(low=low, high=high, currency=written), start, end, bool(m["plus"]), signed)
        )
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
