"""The one typed result every channel renders: an `Answer` with its citations and facts, and
the `Entities` it was about (which also become the conversation's context)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.nlu.registry import Intent
from index.model import Component
from index.money import Period, Style

# What the answer is: the asked thing; or why it is not (nothing covers what was named; the
# assistant needs to know more first; the guide has no such section).
Status = Literal["answered", "not_covered", "clarify", "lacking"]


class Given(BaseModel):
    """An amount the person gave without saying what it is ("offered $38/hr", "got 24 LPA")."""

    text: str = Field(description="As typed.")
    value: int | float
    period: Period = "year"
    style: Style = Field("", description="How it was written ('lpa'), which may say which band it belongs to.")


class Entities(BaseModel):
    """What the question (with its conversation) is about, resolved against the guides."""

    model_config = ConfigDict(frozen=True)

    company: str | None = Field(None, description="Company slug, e.g. acme-corp.")
    role: str | None = Field(None, description="Role slug, e.g. software-engineer.")
    roles: list[str] = Field([], description="Role slugs, when several are compared or listed.")
    seniority: str | None = Field(None, description="Seniority or level words, e.g. 'senior' or 'II'.")
    region: str | None = Field(None, description="Region as its guide names it, e.g. 'Austin, TX (HQ)'.")
    regions: list[str] = Field([], description="Regions, when several are compared or listed.")
    places: list[str] = Field([], description="Canonical place keys named (carried to other guides).")
    excluded: list[str] = Field([], description="Place keys excluded ('all regions except Toronto').")
    component: Component | None = Field(None, description="Pay component asked about.")
    rows: list[str] = Field(
        [], description="Levels or shifts named, as typed ('SDE-3', 'nights'), carried to follow-ups."
    )
    extra: str | None = Field(
        None, description="A pay figure beyond the classic components: commission, differential, overtime, draw…"
    )
    focus: Literal["high", "low"] | None = Field(None, description="The top (max) or bottom (min) of a range.")
    competitor: str | None = Field(None, description="A company named as a level-mapping column in a guide.")
    offer: dict[Component, int | float] = Field({}, description="The user's offer: component -> currency units.")
    offer_period: Period = Field("year", description="What the offer is paid per, as written: year, month, hour…")
    per: Period | None = Field(None, description="What the question asks its figures per ('how much a year').")
    unplaced: list[Given] = Field([], description="Offer amounts given with no component.")
    desired: dict[Component, int] = Field({}, description="What the user says they want.")
    rival: dict[Component, int] = Field({}, description="Another employer's offer, as the user gives it.")
    unknown_company: str | None = Field(None, description="A company named that no guide covers.")
    unknown_role: str | None = Field(None, description="A role named that no guide covers.")
    unknown_place: str | None = Field(None, description="A place named that the guides asked about do not cover.")


class Citation(BaseModel):
    n: int
    section_id: str
    guide_id: str
    guide_title: str
    section: str
    source_path: str
    start_line: int
    end_line: int
    excerpt: str


class Fact(BaseModel):
    """One figure or quote shown in the answer, and the citation it rests on."""

    kind: str  # range, target, ask, premium, level, script, tag, source, position, difference
    guide_id: str
    label: str
    value: str
    citation: int
    derived: bool = False  # computed from cited figures (a difference, a share of base), not written


class EmailParagraph(BaseModel):
    text: str = Field(description="As it is sent: no citation marks; [placeholders] for the sender to fill.")
    cites: list[int] = Field([], description="Citations the paragraph's figures and wording rest on.")


class Email(BaseModel):
    """A counter email, built from parts: what people copy and send."""

    subject: str
    paragraphs: list[EmailParagraph]
    placeholders: list[str] = Field([], description="Every [placeholder] left for the sender, in order.")

    @property
    def plain_text(self) -> str:
        """What Copy gives: the subject line, then paragraphs separated by blank lines."""
        return f"Subject: {self.subject}\n\n" + "\n\n".join(p.text for p in self.paragraphs)


class RangeBar(BaseModel):
    """One range to draw: the band, the negotiate-up target zone within it, the person's figure."""

    label: str = Field(description="What the band is: 'Base salary · Detroit, MI (HQ)'.")
    measure: str = Field(description="The component measured; bars of one measure share a scale.")
    low: int | float  # an hourly band keeps its cents
    high: int | float
    currency: str = "USD"
    target_low: int | float | None = None
    target_high: int | float | None = None
    offer: int | float | None = Field(None, description="The person's own figure, when they gave one.")
    low_text: str
    high_text: str
    offer_text: str | None = None
    cite: int


class Answer(BaseModel):
    question: str
    intent: Intent
    also: list[Intent] = Field([], description="Further asks answered in the same message.")
    status: Status = "answered"
    confidence: float = Field(1.0, description="The intent classifier's probability for `intent`.")
    entities: Entities
    answer_markdown: str
    citations: list[Citation] = []
    facts: list[Fact] = []
    follow_ups: list[str] = []
    email: Email | None = Field(None, description="The counter email, when one was drafted.")
    bars: list[RangeBar] = Field([], description="Ranges to draw (pay ranges, an offer against them).")
    conversation_id: str
    message_id: str
