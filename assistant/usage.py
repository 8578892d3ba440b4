"""What the content team sees of a question: how it was answered and what the guides were
missing — never the person's own figures.

A record is made from the finished Answer; the question is stored with every amount replaced
by "[amount]" (people type their offers into questions), so nothing a person earns is kept
for this view or shown in it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.answer import Answer, Status
from assistant.nlu.classifier import THRESHOLD

Missing = Literal["company", "role", "place", "intent"]
Channel = Literal["web", "api", "slack", "cli"]

REDACTED = "[amount]"
# A figure someone might earn: with a currency sign or code, a thousands suffix, a thousands
# separator, or four digits and more ("140K", "$1.2M", "150,000", "150000", "€95k", "95 000 EUR").
_AMOUNT = re.compile(
    r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|INR|CHF|SGD)\s?)\s?\d[\d,.\s]*(?:\s?(?:k|m|mm|million|thousand)\b)?"
    r"|\b\d[\d,.]*\s?(?:k|m|mm|million|thousand)\b(?:\s?(?:USD|EUR|GBP|CAD|AUD|INR|CHF|SGD)\b)?"
    r"|\b\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?\b(?:\s?(?:USD|EUR|GBP|CAD|AUD|INR|CHF|SGD)\b)?"
    r"|\b(?!(?:19|20)\d\d\b)\d{4,}\b",
    re.I,
)


def redact(text: str) -> str:
    """The text with every amount someone might earn replaced by "[amount]"."""
    return _AMOUNT.sub(lambda m: REDACTED + (" " if m.group(0).endswith(" ") else ""), text)


class QuestionRecord(BaseModel):
    """One question as the content team sees it."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    at: datetime
    channel: Channel
    question: str  # redacted
    intent: str
    status: Status
    confidence: float
    missing: Missing | None = None
    missing_name: str | None = None  # what was asked for that no guide covers, as the reader named it
    guides: list[str] = []  # guide ids cited


def missing_of(answer: Answer) -> tuple[Missing | None, str | None]:
    """What the guides lacked for this answer: an unknown company, role or place; or an ask
    the assistant could not make out (the classifier's fallback)."""
    e = answer.entities
    for kind, name in (("company", e.unknown_company), ("role", e.unknown_role), ("place", e.unknown_place)):
        if name:
            return kind, name  # type: ignore[return-value]
    if answer.status == "clarify" and answer.confidence < THRESHOLD:
        return "intent", None
    return None, None


def record_of(answer: Answer, at: datetime, channel: Channel) -> QuestionRecord:
    missing, name = missing_of(answer)
    return QuestionRecord(
        message_id=answer.message_id,
        at=at,
        channel=channel,
        question=redact(answer.question),
        intent=answer.intent,
        status=answer.status,
        confidence=round(answer.confidence, 4),
        missing=missing,
        missing_name=redact(name) if name else None,
        guides=sorted({c.guide_id for c in answer.citations}),
    )
