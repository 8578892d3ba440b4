"""Typed view models, one per answer template. Builders fill them; templates lay them out.
No dict reaches a template, and nothing here computes a figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from assistant.answer import Email, RangeBar, Status
from assistant.compose import PayRow


@dataclass(frozen=True)
class View:
    template: ClassVar[str]
    status: ClassVar[Status] = "answered"
    # What people take away, besides the text: channels draw and copy these.
    email: Email | None = field(default=None, kw_only=True)
    bars: list[RangeBar] = field(default_factory=list, kw_only=True)


@dataclass(frozen=True)
class Lead:
    """The figure asked for, said first: "Max base salary for … in New York: $163K"."""

    label: str
    value: str
    cite: int
    note: str = ""


@dataclass(frozen=True)
class Quote:
    """A guide's own lines, quoted because no reader typed them."""

    heading: str
    text: str
    cite: int


@dataclass(frozen=True)
class PayBlock:
    title: str
    rows: list[PayRow]
    row_label: str = "Region"

    @property
    def columns(self) -> dict[str, str]:
        """Every figure any row gives, in first-seen order: key -> the guide's name for it."""
        out: dict[str, str] = {}
        for row in self.rows:
            for key, label in row.labels.items():
                out.setdefault(key, label)
        return out


@dataclass(frozen=True)
class PayView(View):
    template: ClassVar[str] = "pay_range"
    leads: list[Lead]
    blocks: list[PayBlock]
    stale: str | None = None
    quotes: list[Quote] = field(default_factory=list)  # what was asked beyond the typed rows, quoted


@dataclass(frozen=True)
class Difference:
    """A computed comparison: derived from two cited figures, and marked as such."""

    label: str  # "New York vs Charlotte, base salary"
    value: str  # "+$14K to +$18K"
    cites: tuple[int, int]


@dataclass(frozen=True)
class Comparison:
    """One table of what is compared (regions of a role, or roles in a region), its verdict
    and, for two rows, their computed difference."""

    block: PayBlock
    verdict: str | None
    differences: list[Difference]


@dataclass(frozen=True)
class CompareView(View):
    template: ClassVar[str] = "compare"
    comparisons: list[Comparison]
    stale: str | None = None


@dataclass(frozen=True)
class TargetItem:
    label: str
    amount: str
    component: str
    why: str
    cite: int


@dataclass(frozen=True)
class TargetsView(View):
    template: ClassVar[str] = "targets"
    title: str
    items: list[TargetItem]
    stale: str | None = None


@dataclass(frozen=True)
class AskView:
    component: str
    value: str


@dataclass(frozen=True)
class LeverView:
    number: int
    name: str
    script: str
    asks: list[AskView]
    placeholders: list[str]
    cite: int


@dataclass(frozen=True)
class LeverGroup:
    title: str
    levers: list[LeverView]
    stale: str | None = None


@dataclass(frozen=True)
class LeversView(View):
    template: ClassVar[str] = "levers"
    groups: list[LeverGroup]
    component: str | None
    rival: str | None = None  # "another company's 230K total", when the question gives one


@dataclass(frozen=True)
class PremiumItem:
    name: str
    amount: str
    text: str
    cite: int


@dataclass(frozen=True)
class PremiumsView(View):
    template: ClassVar[str] = "premiums"
    title: str
    best: PremiumItem
    others: list[PremiumItem]


@dataclass(frozen=True)
class LevelRowView:
    level: str
    equivalents: list[str]  # in the order of `competitors`


@dataclass(frozen=True)
class LevelView(View):
    template: ClassVar[str] = "level_mapping"
    company: str
    role: str
    our_label: str
    competitors: list[str]
    rows: list[LevelRowView]
    cite: int


@dataclass(frozen=True)
class OfferLine:
    component: str  # "Base salary"
    offered: str  # "$140K"
    range: str
    status: str  # below | within | above
    percent: int  # how far up the range, 0–100
    cite: int
    computed: bool = False  # a total the assistant added up from the person's own figures
    converted: str = ""  # "$41/hr × 1,872 hours a year": converted on a basis the guide states
    converted_cite: int | None = None


@dataclass(frozen=True)
class OfferView(View):
    template: ClassVar[str] = "offer_eval"
    role: str
    company: str
    region: str
    pay_cite: int
    lines: list[OfferLine]
    not_placed: list[str]  # amounts given without a component, or for a component the guide lacks
    read_as: str | None  # a lone figure placed by its basis: "$38/hr is read as your base salary, …"
    total_range: str | None
    target: str | None
    target_component: str | None
    target_cite: int | None
    weakest: OfferLine | None
    levers: list[LeverView]
    stale: str | None = None


@dataclass(frozen=True)
class CounterView(View):
    template: ClassVar[str] = "counter_draft"
    role: str
    company: str
    region: str
    stale: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    cite: int


@dataclass(frozen=True)
class OverviewView(View):
    template: ClassVar[str] = "overview"
    company: str
    role: str
    tags: list[str]
    tags_cite: int | None
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class SourceItem:
    number: int
    name: str
    detail: str


@dataclass(frozen=True)
class SourcesView(View):
    template: ClassVar[str] = "sources"
    title: str
    sources: list[SourceItem]
    cite: int
    verdict: str | None  # "Yes — Glassdoor is source 4." for a yes/no question about a source
    updated: str | None = None
    quarter: str | None = None
    quality: str | None = None


@dataclass(frozen=True)
class Coverage:
    """What the guides cover, for answers that cannot give figures."""

    companies: list[str]
    roles: list[str]
    regions: list[str]


@dataclass(frozen=True)
class NotCoveredView(View):
    template: ClassVar[str] = "not_covered"
    status: ClassVar[Status] = "not_covered"
    asked: list[str]
    coverage: Coverage
    nearest: str | None = None  # "Ally Financial has guides for: …" when a company is known


@dataclass(frozen=True)
class ClarifyView(View):
    template: ClassVar[str] = "clarify"
    status: ClassVar[Status] = "clarify"
    what: str  # "pay range"
    missing: list[str]  # "role", "company", "region", "intent", "offer figures"
    options: list[str] = field(default_factory=list)  # roles, companies or regions to choose from
    readings: list[str] = field(default_factory=list)  # the two readings, as questions

    @property
    def options_name(self) -> str:
        """What the options are, in the plural: "Companies", "Roles", "Regions"."""
        word = self.missing[0]
        plural = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
        return plural.capitalize()


@dataclass(frozen=True)
class LackingView(View):
    template: ClassVar[str] = "lacking"
    status: ClassVar[Status] = "lacking"
    title: str
    what: str
    region: str | None = None
    regions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TalkView(View):
    """Greeting, help and out-of-scope answers: what the assistant is and covers."""

    template: ClassVar[str] = "talk"
    kind: str  # greeting | help | out_of_scope
    coverage: Coverage
    examples: list[str]


@dataclass(frozen=True)
class QuoteView(View):
    """Pay the guide gives in a shape no reader types (prose, an odd table): its lines,
    quoted and cited, and said to be untyped."""

    template: ClassVar[str] = "quote"
    title: str
    quotes: list[Quote]
    asked: str  # what the question asked for, as the answer names it: "base salary in Tokyo"
