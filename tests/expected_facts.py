"""Compare a parsed guide with the facts its author wrote down (`<guide>.expected.yaml`).

Every expected field is one check, so a report says "41 of 43 fields right" and names the
two that are not. Used by tests/test_variants.py and by the measurement in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from index.model import Guide
from index.places import fold, gazetteer


@dataclass(frozen=True)
class Check:
    field: str  # e.g. "pay[Boston, MA (HQ)].stock"
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def expected_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.expected.yaml"))


def guide_of(expected: Path) -> Path:
    return expected.with_name(expected.name.removesuffix(".expected.yaml") + ".md")


def _range(money: Any) -> list[int] | None:
    return None if money is None else [money.low, money.high]


def _percent(percent: Any) -> list[float] | None:
    return None if percent is None else [percent.low, percent.high]


def _num(values: Any) -> list[float] | None:
    return None if values is None else [float(v) for v in values]


def _same_city(expected: str, city: str | None, country: str | None) -> bool:
    """The author's city name and ours name the same city (by the gazetteer, or by spelling)."""
    if city is None:
        return False
    if fold(expected) == fold(city):
        return True
    theirs = gazetteer().cities.get(fold(expected), [])
    return any(fold(c.name) == fold(city) and (country is None or c.country == country) for c in theirs)


def check_guide(guide: Guide, expected: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []

    def add(field: str, want: Any, got: Any) -> None:
        checks.append(Check(field, want, got))

    for key in ("company", "role", "scope", "currency"):
        if key in expected:
            add(key, expected[key], getattr(guide, key))
    if "frontmatter" in expected:
        add("frontmatter", expected["frontmatter"], guide.declared is not None)
    if "dna_tags" in expected:
        add("dna_tags", expected["dna_tags"], guide.dna_tags)
    if "pay" in expected:
        add("pay.regions", [p["region"] for p in expected["pay"]], guide.regions)
        for row in expected["pay"]:
            pay = guide.pay_for(row["region"])
            where = f"pay[{row['region']}]"
            for component in ("base", "stock", "bonus", "sign_on", "relocation", "total"):
                if component in row:
                    got = _range(pay.get(component)) if pay else None
                    if pay and component in pay.derived:
                        got = None  # a derived figure is not the author's
                    add(f"{where}.{component}", row[component], got)
            if "bonus_percent" in row:
                add(
                    f"{where}.bonus_percent",
                    _num(row["bonus_percent"]),
                    _percent(pay.percents.get("bonus")) if pay else None,
                )
            currency = row.get("currency", expected.get("currency"))
            if currency and pay is not None:
                add(f"{where}.currency", currency, pay.currency)
            for key, want in (row.get("place") or {}).items():
                place = pay.place if pay else None
                if key == "city":
                    ok = place is not None and _same_city(str(want), place.city, place.country)
                    add(f"{where}.place.city", want, want if ok else (place.city if place else None))
                elif key == "area":
                    add(f"{where}.place.area", want, place.area if place else None)
                else:
                    add(f"{where}.place.{key}", want, getattr(place, key, None) if place else None)
    if "levels" in expected:
        mapping = guide.level_mapping
        levels = expected["levels"]
        add("levels.our_label", levels.get("our_label"), mapping.our_label if mapping else None)
        add("levels.competitors", levels.get("competitors"), mapping.competitors if mapping else None)
        got_rows = {r.level: r.equivalents for r in mapping.rows} if mapping else {}
        for row in levels.get("rows", []):
            add(f"levels[{row['level']}]", row["equivalents"], got_rows.get(row["level"]))
    if "premiums" in expected:
        add("premiums.names", [p["name"] for p in expected["premiums"]], [p.name for p in guide.premiums])
        by_name = {p.name: p for p in guide.premiums}
        for premium in expected["premiums"]:
            got = by_name.get(premium["name"])
            add(f"premium[{premium['name']}].amount", premium.get("amount"), _range(got.amount) if got else "missing")
    if "levers" in expected:
        add("levers.count", len(expected["levers"]), len(guide.levers))
        for want, lever in zip(expected["levers"], guide.levers + [None] * len(expected["levers"]), strict=False):
            where = f"lever[{want['number']}]"
            add(f"{where}.number", want["number"], lever.number if lever else None)
            add(f"{where}.name", want["name"], lever.name if lever else None)
            starts = want.get("script_starts", "")
            add(
                f"{where}.script",
                starts,
                starts if lever and lever.script.startswith(starts) else (lever.script[:40] if lever else None),
            )
            asks = [
                {
                    "component": a["component"],
                    **({"amount": a["amount"]} if "amount" in a else {"percent": _num(a["percent"])}),
                }
                for a in want.get("asks") or []
            ]
            got_asks = [
                {
                    "component": a.component,
                    **({"amount": _range(a.amount)} if a.amount else {"percent": _percent(a.percent)}),
                }
                for a in (lever.asks if lever else [])
            ]
            add(f"{where}.asks", asks, got_asks)
    if "targets" in expected:
        want = sorted((t["region"], t["component"], tuple(t["amount"])) for t in expected["targets"])
        got = sorted((t.region, t.component, (t.amount.low, t.amount.high)) for t in guide.targets)
        for target in want:
            add(f"target[{target[0]}].{target[1]}", target, target if target in got else None)
        add("targets.count", len(want), len(got))
    if "sources" in expected:
        add("sources", expected["sources"], len(guide.sources))
    return checks


def load_expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
