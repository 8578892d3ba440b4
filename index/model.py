"""The typed model of a negotiation guide: what a parsed Markdown file *says*.

Every fact keeps the 1-based, inclusive line range it came from in its source file, so any
figure shown to a user can be cited back to the exact lines.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from index.money import MoneyRange, Percent

Component = Literal["base", "stock", "bonus", "sign_on", "relocation", "total", "one_off"]
# The components a compensation table gives per region, in display order. "one_off" (a
# sign-on and relocation asked for as one package) is only ever asked for, never tabled.
PAY_COMPONENTS: tuple[Component, ...] = ("base", "stock", "bonus", "sign_on", "relocation", "total")
# The components a total is the sum of, at most (whether sign-on counts varies by author).
RECURRING: tuple[Component, ...] = ("base", "stock", "bonus")
COMPONENT_NAMES: dict[str, str] = {
    "base": "Base salary",
    "stock": "Stock",
    "bonus": "Bonus",
    "sign_on": "Sign-on bonus",
    "relocation": "Relocation",
    "total": "Total comp",
    "one_off": "One-off package",
}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Lines(Model):
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.start}" if self.start == self.end else f"{self.start}–{self.end}"


class Place(BaseModel):
    """Where a pay region is: a city, an area around one, a state, a country, or remote."""

    model_config = ConfigDict(frozen=True)

    key: str  # canonical identity, e.g. "us/ma/boston"; "?/<slug>" when the gazetteer has no entry
    name: str  # the place's own name: "Boston", "Toronto", "Germany", "Remote"
    country: str | None = None  # ISO 3166 alpha-2
    admin1: str | None = None  # state or province code, where the gazetteer gives one
    city: str | None = None
    area: str | None = None  # "Greater Toronto Area": an area named around a city
    remote: bool = False
    hq: bool = False

    @property
    def known(self) -> bool:
        return not self.key.startswith("?/")


class Amount(Model):
    """A pay figure beyond a row's classic money columns, typed by what it is and its unit:
    a commission rate ("10% of ARR"), a night differential ("+$5/hr"), a housing allowance
    (money a month), a grant in units ("4,000 RSUs"), an overtime multiplier ("1.5×"), a bonus
    in months of base ("2 to 4 months of base")."""

    component: str  # the lexicon's kind: commission, differential, allowance, overtime, stock…
    label: str  # the guide's own name for it: a column header or a row label
    money: MoneyRange | None = None
    percent: Percent | None = None
    of: str = ""  # what a percentage is of, as written ("ARR", "base"); "" when not said
    units: tuple[float, float] | None = None  # a count of shares, RSUs or options
    unit_word: str = ""  # what is counted, as written ("RSUs", "options")
    multiplier: float | None = None  # 1.5 for "1.5×"
    months: tuple[float, float] | None = None  # a bonus in months of base: (2, 4) for "2 to 4 months of base"
    months_written: str = ""  # as the guide writes it
    multiplier_written: str = ""  # as the guide writes it: "1,5×"
    text: str  # the cell or phrase as written

    def __str__(self) -> str:
        if self.money is not None:
            return str(self.money)
        if self.percent is not None:
            return f"{self.percent} of {self.of}" if self.of else str(self.percent)
        if self.units is not None:
            low, high = (f"{v:,.0f}" if float(v).is_integer() else f"{v:g}" for v in self.units)
            count = low if self.units[0] == self.units[1] else f"{low}–{high}"
            return f"{count} {self.unit_word}".strip()
        if self.multiplier is not None:
            return self.multiplier_written or f"{self.multiplier:g}×"
        if self.months is not None:
            return self.months_written
        return self.text  # as written: a "50/50" split


class Pay(Model):
    """One pay row, keyed by whichever dimensions the guide gives it: a place, a level, a
    schedule (shift) — any may be absent. `region` is the row's unique label as shown."""

    region: str  # the row's label: its place as written ("Detroit, MI (HQ)"), or its level/shift
    place: Place | None = None
    where: str | None = None  # the place as written, when the row has one
    level: str | None = None  # "L4", "SDE-2", "Senior", as written
    schedule: str | None = None  # "Night shift", "Weekend", as written
    # Other names its heading gives the level: "Brauer:in", "qualified brewer" of "Stufe 2 —
    # Brauer:in (qualified brewer)"; a question may name the level by any of them.
    aka: list[str] = []
    base: MoneyRange | None = None
    stock: MoneyRange | None = None
    bonus: MoneyRange | None = None
    sign_on: MoneyRange | None = None
    relocation: MoneyRange | None = None
    total: MoneyRange | None = None
    # Components the table gives as a share of base ("15–20%"), as written; their money
    # range above is then derived from the base range and listed in `derived`.
    percents: dict[Component, Percent] = {}
    derived: list[Component] = []
    extras: list[Amount] = []  # every other typed figure of the row, in the guide's order
    currency: str = "USD"
    labels: dict[str, str] = {}  # component -> the table's column header, e.g. "Stock (RSU/4yr)"
    lines: Lines

    def get(self, component: str) -> MoneyRange | None:
        return getattr(self, component, None) if component in PAY_COMPONENTS else None

    def components(self) -> list[Component]:
        """The components this row gives, in display order."""
        return [c for c in PAY_COMPONENTS if self.get(c) is not None or c in self.percents]

    def extra(self, component: str) -> list[Amount]:
        return [a for a in self.extras if a.component == component]

    @property
    def dimensions(self) -> dict[str, str]:
        """What the row is keyed by, as written: place, level, schedule (those it has)."""
        named = {"place": self.where, "level": self.level, "schedule": self.schedule}
        return {k: v for k, v in named.items() if v}


class LevelRow(Model):
    level: str
    equivalents: dict[str, str]  # competitor -> its title for this level


class LevelMapping(Model):
    heading: str
    our_label: str  # first column header, e.g. "<Company> Level"
    competitors: list[str]
    rows: list[LevelRow]
    lines: Lines


class Premium(Model):
    name: str
    text: str
    amount: MoneyRange | None
    lines: Lines


class Ask(Model):
    """A figure a lever's script asks for, e.g. base $135K or RSUs $35K–$40K."""

    component: Component | None
    amount: MoneyRange | None = None
    percent: Percent | None = None  # "20%" or "22–25%" for asks made as a share of base
    phrase: str  # the words around the figure, as written

    @property
    def value(self) -> str:
        return str(self.amount) if self.amount else str(self.percent or "")


class Lever(Model):
    number: int
    name: str
    script: str
    asks: list[Ask]
    placeholders: list[str]  # "[X]", "[current company]": left for the user to fill
    heading: str
    lines: Lines


class Target(Model):
    """A negotiate-up target: what to push for in one region."""

    region: str
    component: Component
    amount: MoneyRange
    text: str  # the sentence it comes from
    lines: Lines


class Paragraph(Model):
    heading: str
    text: str
    lines: Lines


class Source(Model):
    number: int
    name: str
    detail: str
    lines: Lines


class UnreadFigure(Model):
    """A money amount in the body that is part of no typed fact (a narrative aside, a
    company figure, a block of a shape the parser does not read): lint reports each."""

    text: str  # the amount as written
    line: int
    where: str  # what kind of block it stands in: "narrative", "sources", "a table of notes"…
    reason: str


class Basis(Model):
    """A conversion the guide itself states: "2,080 hours a year", "paid 13 times a year".
    Figures are converted between periods only on a basis like this, and the answer says so."""

    per_year: Literal["hours", "salaries"]  # what a year is counted in
    value: float  # 2080, 13
    text: str  # as written
    lines: Lines


class Heading(Model):
    level: int
    text: str
    line: int


class Declared(Model):
    """What the YAML frontmatter declares; lint checks it against the body."""

    company_slug: str | None = None
    company: str | None = None
    role_slug: str | None = None
    role: str | None = None
    dna_tags: list[str] | None = None
    pay: list[Pay] = []
    data_sources: list[str] = []
    field_lines: dict[str, int] = {}  # frontmatter key -> line, for messages


class Guide(Model):
    id: str  # "<company-slug>/<role-slug>"
    company: str
    company_slug: str
    scope: str | None = None  # a market or scope the title adds to the company, e.g. "Asia-Pacific"
    role: str
    role_slug: str
    title: str
    title_line: int
    source_path: str
    content_hash: str
    role_type: str | None = None
    last_updated: date | None = None
    next_review_due: date | None = None
    data_quality: str | None = None
    salary_data_quarter: str | None = None
    dna_tags: list[str] = []
    dna_label: str = ""  # the tags line's bold label
    dna_lines: Lines | None = None
    pay_heading: str = ""
    pay: list[Pay]
    level_mapping: LevelMapping | None = None
    premiums_heading: str = ""
    premiums: list[Premium] = []
    levers: list[Lever] = []
    targets: list[Target] = []
    targets_heading: str = ""  # the blockquote's bold label, or the heading it sits under
    targets_lines: Lines | None = None
    narrative: list[Paragraph] = []
    # Each row of its pay tables as written, every cell beside its header: what no reader typed
    # in a table ("RSUs per year (units) … 60–90", "18–23 tr") is still found and quoted.
    table_rows: list[Paragraph] = []
    sources_heading: str = ""
    sources: list[Source] = []
    headings: list[Heading] = []
    bases: list[Basis] = []  # conversions between periods the guide states
    unread: list[UnreadFigure] = []  # amounts in the body that no fact holds (lint reports them)
    figures_read: int = 0  # amounts in the body that facts hold
    currency: str = "USD"  # the guide's own: unsigned amounts in its prose are in it
    declared: Declared | None = None

    @property
    def regions(self) -> list[str]:
        return [p.region for p in self.pay]

    def pay_for(self, region: str) -> Pay | None:
        return next((p for p in self.pay if p.region == region), None)

    def target_for(self, region: str) -> Target | None:
        """The region's negotiate-up target (a total-comp one, where several are given)."""
        targets = [t for t in self.targets if t.region == region]
        return next((t for t in targets if t.component == "total"), targets[0] if targets else None)

    def is_stale(self, today: date) -> bool:
        return self.next_review_due is not None and self.next_review_due < today
