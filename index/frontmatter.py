"""YAML frontmatter: split from the body, and what it declares (for lint to check against
the body, which stays the source of truth).

Authors name fields their own way: `base_low`/`base_high`, `base: [low, high]`,
`base: {min: …, max: …}`, `equity_min`, `bonus_pct_low`. A key is read by the pay component
its words name (the parser's lexicon) and a low/high word; a key that names none is ignored.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import frontmatter
import yaml

from index.errors import GuideError
from index.lexicon import lexicon
from index.model import PAY_COMPONENTS, Component, Declared, Lines, Pay
from index.money import MoneyRange, Percent
from index.places import place_of

_LOW, _HIGH = re.compile(r"(?:^|_)(?:low|min|from|lo|floor)$"), re.compile(r"(?:^|_)(?:high|max|to|hi|ceiling|cap)$")
_PERCENT = re.compile(r"(?:^|_)(?:pct|percent|percentage)(?:_|$)")
COMPANY_KEYS = ("company_display", "company_name", "employer", "company")
ROLE_KEYS = ("role_display", "role_name", "job_title", "title", "role")
REGION_KEYS = ("region", "location", "city", "market", "office")


def split(text: str, file: str) -> tuple[dict[str, Any], str, int, list[str]]:
    """(metadata, body, lines before the body, frontmatter lines)."""
    if not text.startswith("---"):
        return {}, text, 0, []
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as err:
        raise _yaml_error(err, text, file) from err
    if not isinstance(post.metadata, dict):
        raise GuideError(file, 1, "frontmatter must be a YAML mapping of fields")
    body = post.content
    at = text.find(body) if body else len(text)
    offset = text.count("\n", 0, at)
    return dict(post.metadata), body, offset, text[:at].splitlines()


def _yaml_error(err: yaml.YAMLError, text: str, file: str) -> GuideError:
    """The error at the file's line. YAML counts lines from 0 within the text it was given,
    which starts right after the opening `---` (on that line, so YAML's line 0 is the rest
    of it, and its line n is the file's line n + 1 when `---` is the first line)."""
    opening = frontmatter.YAMLHandler.FM_BOUNDARY.search(text)
    before = text.count("\n", 0, opening.end()) if opening else 0

    def file_line(mark: yaml.Mark | None) -> int | None:
        return before + mark.line + 1 if mark is not None else None

    problem_mark, context_mark = getattr(err, "problem_mark", None), getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    line = file_line(problem_mark) or file_line(context_mark) or 1
    started = file_line(context_mark)
    if context and started is not None and started != line:  # "while scanning a quoted scalar" (line 3)
        problem = f"{problem} ({context} started on line {started})"
    return GuideError(file, line, f"frontmatter is not valid YAML: {problem}")


class FrontMatter:
    """The metadata of one guide, with the line of each field for messages."""

    def __init__(self, meta: dict[str, Any], lines: list[str], file: str) -> None:
        self.meta, self.lines, self.file = meta, lines, file

    def field_line(self, key: str, after: int = 0) -> int:
        pattern = re.compile(rf"^\s*(?:-\s*)?{re.escape(key)}\s*:")
        for n, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.match(line):
                return n
        return 1

    def text(self, *keys: str) -> str | None:
        value = next((self.meta[k] for k in keys if self.meta.get(k) not in (None, "")), None)
        return None if value is None else str(value)

    def display(self, *keys: str) -> str | None:
        """A name field meant for people: "Acme Corp", not the slug "acme-corp"."""
        for key in keys:
            value = self.meta.get(key)
            if value not in (None, "") and not re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", str(value)):
                return str(value)
        return None

    def slug(self, *keys: str) -> str | None:
        for key in keys:
            value = self.meta.get(key)
            if value not in (None, "") and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(value)):
                return str(value)
        return None

    def date(self, key: str) -> date | None:
        value = self.meta.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as err:
            raise GuideError(
                self.file, self.field_line(key), f"frontmatter field {key!r}: {value!r} is not a date like 2026-05-23"
            ) from err

    def currency(self) -> str | None:
        """The guide's currency, when the frontmatter states one for the whole guide. (A
        currency per compensation entry is that region's, not the guide's.)"""
        # "currency: ZAR", and as writers name it otherwise: "money: JPY", "pay_currency: EUR"
        keys = ["currency", *(k for k in self.meta if "curr" in str(k).lower() or str(k).lower() in ("money", "ccy"))]
        for key in keys:
            value = self.meta.get(key)
            if isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value.strip()):
                return value.strip()
        return None

    def entry_currency(self) -> str | None:
        """The currency every compensation entry agrees on, if they all name the same one."""
        entries = self.meta.get("compensation")
        found = {e.get("currency") for e in entries if isinstance(e, dict)} if isinstance(entries, list) else set()
        return found.pop() if len(found) == 1 and isinstance(next(iter(found)), str) else None

    def declared(self) -> Declared:
        summary = self.meta.get("negotiation_dna_summary") or self.meta.get("dna_tags")
        fields = [*COMPANY_KEYS, *ROLE_KEYS, "negotiation_dna_summary", "next_review_due", "compensation"]
        tags = None
        if isinstance(summary, list):
            tags = [str(t) for t in summary]
        elif summary:
            tags = re.findall(r"`([^`]+)`", str(summary)) or None
        return Declared(
            company_slug=self.slug(*reversed(COMPANY_KEYS)),
            company=self.display(*COMPANY_KEYS),
            role_slug=self.slug(*reversed(ROLE_KEYS)),
            role=self.display(*ROLE_KEYS),
            dna_tags=tags,
            pay=self._pay(),
            data_sources=[str(s) for s in self.meta.get("data_sources") or [] if not isinstance(s, dict)],
            field_lines={k: self.field_line(k) for k in fields if k in self.meta},
        )

    def _pay(self) -> list[Pay]:
        entries = self.meta.get("compensation") or []
        line = self.field_line("compensation")
        if not isinstance(entries, list):
            raise GuideError(self.file, line, "frontmatter field 'compensation' must be a list of regions")
        default = self.currency() or "USD"  # for entries that name no currency of their own
        pay = []
        for entry in entries:
            region_key = next((k for k in REGION_KEYS if isinstance(entry, dict) and entry.get(k)), None)
            line = self.field_line(region_key or "region", after=line)
            if not isinstance(entry, dict) or region_key is None:
                raise GuideError(self.file, line, "frontmatter compensation entry has no 'region'")
            region = str(entry[region_key])
            currency = str(entry.get("currency") or default)
            figures, percents = self._figures(entry, region, currency, line)
            pay.append(
                Pay(
                    region=region,
                    place=place_of(region),
                    currency=currency,
                    percents=percents,
                    lines=Lines(start=line, end=line),
                    **figures,
                )
            )
        return pay

    def _figures(
        self, entry: dict[str, Any], region: str, currency: str, line: int
    ) -> tuple[dict[str, MoneyRange], dict[Component, Percent]]:
        lex = lexicon()
        ends: dict[tuple[Component, bool], dict[str, float]] = {}
        for key, value in entry.items():
            name = str(key).lower()
            words = name.replace("_", " ").replace("-", " ")
            component = lex.component_of(words)
            if component is None or component == "one_off":
                continue
            percent = bool(_PERCENT.search(name))
            end = "low" if _LOW.search(name) else "high" if _HIGH.search(name) else None
            slot = ends.setdefault((component, percent), {})
            if end is not None:
                slot[end] = self._number(value, region, key, line)
            elif isinstance(value, list | tuple) and len(value) == 2:
                slot["low"], slot["high"] = (self._number(v, region, key, line) for v in value)
            elif isinstance(value, dict):
                for k, v in value.items():
                    which = "low" if _LOW.search(str(k).lower()) else "high" if _HIGH.search(str(k).lower()) else None
                    if which:
                        slot[which] = self._number(v, region, key, line)
            elif isinstance(value, int | float):
                slot["low"] = slot["high"] = float(value)
        figures: dict[str, MoneyRange] = {}
        percents: dict[Component, Percent] = {}
        for (component, percent), slot in ends.items():
            if "low" not in slot or "high" not in slot or component not in PAY_COMPONENTS:
                continue
            if percent:
                percents[component] = Percent(low=slot["low"], high=slot["high"])
            else:
                figures[component] = MoneyRange(low=int(slot["low"]), high=int(slot["high"]), currency=currency)
        return figures, percents

    def _number(self, value: Any, region: str, key: str, line: int) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise GuideError(
                self.file,
                self.field_line(str(key), after=line - 1),
                f"frontmatter {region!r}: {key} must be a number, got {value!r}",
            )
        return float(value)
