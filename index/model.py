"""The typed model of a negotiation guide: what a parsed Markdown file *says*.

Every fact keeps the 1-based, inclusive line range it came from in its source file, so any
figure shown to a user can be cited back to the exact lines.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from index.money import MoneyRange

Component = Literal["base", "stock", "bonus", "total", "sign_on"]
# The components a compensation table gives per region, in display order.
PAY_COMPONENTS: tuple[Component, ...] = ("base", "stock", "bonus", "total")
COMPONENT_NAMES: dict[str, str] = {
    "base": "Base salary",
    "stock": "Stock",
    "bonus": "Bonus",
    "total": "Total comp",
    "sign_on": "Sign-on bonus",
}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Lines(Model):
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.start}" if self.start == self.end else f"{self.start}–{self.end}"


class Pay(Model):
    """One row of the compensation table: a region's ranges."""

    region: str
    base: MoneyRange | None = None
    stock: MoneyRange | None = None
    bonus: MoneyRange | None = None
    total: MoneyRange | None = None
    currency: str = "USD"
    labels: dict[str, str] = {}  # component -> the table's column header, e.g. "Stock (RSU/4yr)"
    lines: Lines

    def get(self, component: str) -> MoneyRange | None:
        return getattr(self, component, None) if component in PAY_COMPONENTS else None


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
    percent: str | None = None  # "20%" or "22–25%" for asks made as a share of base
    phrase: str  # the words around the figure, as written


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
    sources_heading: str = ""
    sources: list[Source] = []
    headings: list[Heading] = []
    declared: Declared | None = None

    @property
    def regions(self) -> list[str]:
        return [p.region for p in self.pay]

    @property
    def currency(self) -> str:
        return self.pay[0].currency if self.pay else "USD"

    def pay_for(self, region: str) -> Pay | None:
        return next((p for p in self.pay if p.region == region), None)

    def target_for(self, region: str) -> Target | None:
        return next((t for t in self.targets if t.region == region), None)

    def is_stale(self, today: date) -> bool:
        return self.next_review_due is not None and self.next_review_due < today
