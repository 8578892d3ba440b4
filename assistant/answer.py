"""The one typed result every channel renders: an `Answer` with its citations and facts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from index.model import Component

Intent = Literal[
    "pay_range",
    "targets",
    "levers",
    "premiums",
    "level_mapping",
    "compare",
    "offer_eval",
    "counter_draft",
    "overview",
    "sources",
    "help",
    "not_covered",
    "out_of_scope",
]
INTENTS: tuple[Intent, ...] = Intent.__args__  # type: ignore[attr-defined]


class Entities(BaseModel):
    """What the question (with its conversation) is about, resolved against the guides."""

    company: str | None = Field(None, description="Company slug, e.g. acme-corp.")
    role: str | None = Field(None, description="Role slug, e.g. software-engineer.")
    roles: list[str] = Field([], description="Role slugs, when several are compared.")
    seniority: str | None = Field(None, description="Seniority words, e.g. 'senior' or 'II'.")
    region: str | None = Field(None, description="Region as the guides name it, e.g. 'Austin, TX (HQ)'.")
    regions: list[str] = Field([], description="Regions, when several are compared.")
    component: Component | None = Field(None, description="Pay component asked about.")
    competitor: str | None = Field(None, description="Competitor company from a level-mapping table.")
    offer: dict[Component, int] = Field({}, description="The user's offer: component -> whole currency units.")
    unknown: list[str] = Field([], description="Companies, roles or places named that no guide covers.")


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

    kind: str  # range, target, ask, premium, level, script, tag, source, position
    guide_id: str
    label: str
    value: str
    citation: int


class Answer(BaseModel):
    question: str
    intent: Intent
    entities: Entities
    answer_markdown: str
    citations: list[Citation] = []
    facts: list[Fact] = []
    follow_ups: list[str] = []
    conversation_id: str
    message_id: str
