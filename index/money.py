"""Money as the guides write it: `$165K–$218K`, `$165,000`, `$1.2M`, `165k`, `$140K+`.

Amounts are whole currency units (int), so figures compare and format exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
CURRENCY_BY_SYMBOL = {symbol: code for code, symbol in SYMBOLS.items()}
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}

# One amount: a currency symbol and/or a k/M/B suffix is required, so "20%" or "11 million"
# are never read as money. Thousands separators and decimals are allowed.
_AMOUNT = r"(?P<{p}sym>[$€£])?\s?(?P<{p}num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?P<{p}suf>[kKmMbB](?![a-zA-Z]))?"
_RANGE_RE = re.compile(_AMOUNT.format(p="a") + r"(?:\s*(?:–|—|-|to)\s*" + _AMOUNT.format(p="b") + r")?(?P<plus>\+)?")


class MoneyRange(BaseModel):
    """A low–high amount (low == high for a single figure)."""

    model_config = ConfigDict(frozen=True)

    low: int
    high: int
    currency: str = "USD"

    def __str__(self) -> str:
        if self.low == self.high:
            return format_amount(self.low, self.currency)
        return f"{format_amount(self.low, self.currency)}–{format_amount(self.high, self.currency)}"

    def covers(self, other: MoneyRange) -> bool:
        return self.low <= other.low and other.high <= self.high

    def position(self, amount: int) -> float:
        """Where `amount` sits in the range: 0.0 at low, 1.0 at high (outside gives <0 or >1)."""
        if self.high == self.low:
            return 0.0 if amount <= self.low else 1.0
        return (amount - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class MoneyMention:
    """A money figure found in running text, with its character span."""

    range: MoneyRange
    start: int
    end: int
    open_ended: bool  # written with a trailing "+", e.g. "$140K+"


def format_amount(amount: int, currency: str = "USD") -> str:
    """`165000` -> `$165K`, `1200000` -> `$1.2M`, `165500` -> `$165,500` (the guides' style)."""
    symbol = SYMBOLS.get(currency, f"{currency} ")
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"{symbol}{amount / 1_000_000:g}M"
    if amount >= 1_000 and amount % 1_000 == 0:
        return f"{symbol}{amount // 1_000:,}K"
    return f"{symbol}{amount:,}"


def _amount(num: str, suffix: str | None) -> int:
    value = float(num.replace(",", ""))
    return round(value * _MULTIPLIERS.get((suffix or "").lower(), 1))


def _is_money(sym: str | None, suf: str | None) -> bool:
    return bool(sym) or bool(suf)


def find_money(text: str, currency: str = "USD", *, symbol_required: bool = False) -> list[MoneyMention]:
    """Every money figure or range in `text`, in order. Billions are skipped (never pay).

    `symbol_required` is for guide prose, where "11M+ customers" is a count, not money;
    people asking questions do write "140K base" without a symbol.
    """
    mentions = []
    for m in _RANGE_RE.finditer(text):
        a_sym, a_suf, b_num = m["asym"], m["asuf"], m["bnum"]
        b_sym, b_suf = m["bsym"], m["bsuf"]
        if symbol_required and not (a_sym or b_sym):
            continue
        if b_num is None:
            if not _is_money(a_sym, a_suf):
                continue
            low = high = _amount(m["anum"], a_suf)
        else:
            if not (_is_money(a_sym, a_suf) or _is_money(b_sym, b_suf)):
                continue
            # "$165–218K": a suffix written once applies to both ends.
            low = _amount(m["anum"], a_suf or b_suf)
            high = _amount(b_num, b_suf or a_suf)
        if "b" in ((a_suf or "") + (b_suf or "")).lower() or low > high:
            continue
        # A figure's own symbol names its currency ("£90K" is never shown as "$90K").
        written = CURRENCY_BY_SYMBOL.get(a_sym or b_sym or "", currency)
        mentions.append(
            MoneyMention(MoneyRange(low=low, high=high, currency=written), m.start(), m.end(), bool(m["plus"]))
        )
    return mentions


class MoneyFormatError(ValueError):
    pass


def parse_money_range(text: str, currency: str = "USD") -> MoneyRange:
    """Parse a cell that must hold exactly one figure or range, e.g. `$165K–$218K`."""
    cell = text.strip()
    m = _RANGE_RE.fullmatch(cell)
    found = find_money(cell, currency)
    if m is None or len(found) != 1:
        raise MoneyFormatError(f"{cell!r} is not a money range like $165K–$218K")
    return found[0].range
