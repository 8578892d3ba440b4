"""What the content team sees of a question: how it was answered and what the guides were
missing — never the person's own figures.

A record is made from the finished Answer; the question is stored with every amount replaced
by "[amount]" (people type their offers into questions), so nothing a person earns is kept
for this view or shown in it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.answer import Answer, Status
from assistant.nlu.classifier import THRESHOLD
from index.lint import Severity, lint_path
from index.model import Guide

Missing = Literal["company", "role", "place", "intent", "out_of_scope"]
Channel = Literal["web", "api", "slack", "cli"]

REDACTED = "[amount]"
# The content team needs a question's wording, never its numbers: people type pay in more
# ways than any list of formats ("140", "150-160k", "95.000 €", "CHF 120'000", "25 LPA",
# "2000 EUR a month", "140 grand"). So every number goes — with the currency, separators and
# scale words around it — except a single digit ("3 offers", "level 5") and a percentage.
_CODES = r"(?:USD|EUR|GBP|CAD|AUD|INR|CHF|SGD|JPY|SEK|NOK|DKK|PLN|Rs\.?|kr)"
_CURRENCY = rf"(?:[$€£¥₹]|\b{_CODES}\b)"
_AFTER = rf"(?:[$€£¥₹]|{_CODES}\b|euros?|dollars?|pounds?|rupees?)"  # "150000USD", "95.000 euros"
_SCALES = "thousand million billion grand lakhs lakh lacs lac crores crore TEUR Mio Mrd Tsd LPA T€ mm bn cr k m L"
_SCALE = "(?:" + "|".join(_SCALES.split()) + ")"  # longest first: "LPA" before "L", "mm" before "m"
_NUMBER = r"\d(?:[\d,.'_]|\s(?=\d{3}\b))*"
_SPELLED = (
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|a|one hundred|hundred)(?:[\s-]+\w+)?\s+(?:hundred\s+)?"
    r"(?:thousand|grand|million|lakhs?|crores?)\b"
)
_AMOUNT = re.compile(
    rf"(?:{_CURRENCY}\s?)?(?<![\w.]){_NUMBER}(?:\s?{_SCALE}(?!(?!{_CODES})[a-z]))?(?:\s?{_AFTER})?(?!\s?%)"
    rf"(?:\s?(?:-|–|to)\s?(?:{_CURRENCY}\s?)?{_NUMBER}(?:\s?{_SCALE}(?![a-z]))?(?:\s?{_AFTER})?)?"
    rf"|{_SPELLED}",
    re.I,
)
_KEEP = re.compile(r"\d")


def redact(text: str) -> str:
    """The text with every amount someone might earn — every number of two digits or more,
    with its currency and scale — replaced by "[amount]"."""

    def mask(m: re.Match[str]) -> str:
        found = m.group(0)
        digits = re.findall(r"\d", found)
        if digits and len(digits) == 1 and not re.search(_SCALE + r"|" + _CURRENCY, found, re.I):
            return found  # "3 offers", "level 5"
        trail = " " if found.endswith(" ") else ""
        return REDACTED + trail

    return _AMOUNT.sub(mask, text)


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
    if answer.intent == "out_of_scope":
        return "out_of_scope", None
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


# -- the report the content team reads --------------------------------------------------------

EXAMPLES = 3  # redacted questions shown per group


class MissingGroup(BaseModel):
    """Questions the guides could not answer, grouped by what was missing."""

    kind: Missing
    name: str | None  # "Stripe" for an unknown company; None for an ask nobody could make out
    count: int
    last_asked: datetime
    examples: list[str]


class DayCount(BaseModel):
    day: date
    questions: int
    unanswered: int


class Complaint(BaseModel):
    """A thumbs-down, with the question it was about (both redacted)."""

    at: datetime
    question: str | None
    intent: str | None
    comment: str | None
    guides: list[str]


class GuideUsage(BaseModel):
    guide_id: str
    title: str
    questions: int
    thumbs_down: int
    last_asked: datetime | None


class GuideHealth(BaseModel):
    """A guide file as lint sees it today."""

    file: str
    guide_id: str | None  # None: the file could not be read as a guide
    indexed: bool
    errors: int
    warnings: int
    infos: int
    first_problem: str | None
    next_review_due: date | None
    stale: bool


class UsageReport(BaseModel):
    since: date
    questions: int
    unanswered: int
    days: list[DayCount]
    missing: list[MissingGroup]
    low_confidence: list[QuestionRecord]
    complaints: list[Complaint]
    guides: list[GuideUsage]
    health: list[GuideHealth]


def usage_report(
    records: list[QuestionRecord],
    complaints: list[tuple[datetime, str, str | None]],
    guides: list[Guide],
    health: list[GuideHealth],
    today: date,
    days: int = 28,
) -> UsageReport:
    """What the content team needs from the last `days` days: what people asked that the
    guides did not answer (by what was missing, with counts per day), low-confidence
    answers, thumbs-down with comments, and how much each guide is used.

    `complaints` are (when, message id, comment) of thumbs-down ratings; comments are
    redacted here whatever the caller passed."""
    # The window ends today, or at the newest record when the clock for staleness is set back
    # (NEGOTIATE_TODAY, for demos): the chart always shows what was asked.
    end = max([today] + [r.at.date() for r in records])
    since = end - timedelta(days=days - 1)
    recent = [r for r in records if r.at.date() >= since]
    by_message = {r.message_id: r for r in records}

    per_day: dict[date, list[int]] = {since + timedelta(days=i): [0, 0] for i in range(days)}
    groups: dict[tuple[str, str | None], list[QuestionRecord]] = defaultdict(list)
    for record in recent:
        missing = record.missing is not None
        if record.at.date() in per_day:
            per_day[record.at.date()][0] += 1
            per_day[record.at.date()][1] += missing
        if missing:
            name = record.missing_name.strip().lower() if record.missing_name else None
            groups[(str(record.missing), name)].append(record)
    missing_groups = [
        MissingGroup(
            kind=kind,  # type: ignore[arg-type]
            name=found[0].missing_name,
            count=len(found),
            last_asked=max(r.at for r in found),
            examples=list(dict.fromkeys(r.question for r in sorted(found, key=lambda r: r.at, reverse=True)))[
                :EXAMPLES
            ],
        )
        for (kind, _), found in groups.items()
    ]
    missing_groups.sort(key=lambda g: (-g.count, -g.last_asked.timestamp()))

    low = sorted(
        (r for r in recent if r.missing is None and r.confidence < THRESHOLD),
        key=lambda r: r.at,
        reverse=True,
    )
    down: list[Complaint] = []
    downs_per_guide: Counter[str] = Counter()
    for at, message_id, comment in complaints:
        if at.date() < since:
            continue
        rated = by_message.get(message_id)
        down.append(
            Complaint(
                at=at,
                question=rated.question if rated else None,
                intent=rated.intent if rated else None,
                comment=redact(comment) if comment else None,
                guides=rated.guides if rated else [],
            )
        )
        downs_per_guide.update(rated.guides if rated else [])
    down.sort(key=lambda c: c.at, reverse=True)

    asked: Counter[str] = Counter(g for r in recent for g in r.guides)
    last: dict[str, datetime] = {}
    for r in recent:
        for g in r.guides:
            last[g] = max(last.get(g, r.at), r.at)
    usage = [
        GuideUsage(
            guide_id=g.id,
            title=f"{g.role} · {g.company}",
            questions=asked[g.id],
            thumbs_down=downs_per_guide[g.id],
            last_asked=last.get(g.id),
        )
        for g in guides
    ]
    usage.sort(key=lambda u: (-u.questions, u.guide_id))
    return UsageReport(
        since=since,
        questions=len(recent),
        unanswered=sum(r.missing is not None for r in recent),
        days=[DayCount(day=d, questions=q, unanswered=u) for d, (q, u) in per_day.items()],
        missing=missing_groups,
        low_confidence=low,
        complaints=down,
        guides=usage,
        health=health,
    )


def guide_health(
    seeds_dir: Path, root: Path, today: date, indexed: set[str], max_guide_bytes: int
) -> list[GuideHealth]:
    """Every guide file under `seeds_dir`, linted now: what a content team fixes next."""
    health = []
    for report in lint_path(seeds_dir, root, today, max_guide_bytes=max_guide_bytes):
        count = Counter(f.severity for f in report.findings)
        worst = sorted(report.findings, key=lambda f: list(Severity).index(f.severity))
        guide = report.guide
        health.append(
            GuideHealth(
                file=report.file,
                guide_id=guide.id if guide else None,
                indexed=guide is not None and guide.id in indexed,
                errors=count[Severity.ERROR],
                warnings=count[Severity.WARNING],
                infos=count[Severity.INFO],
                first_problem=str(worst[0]) if worst and worst[0].severity is not Severity.INFO else None,
                next_review_due=guide.next_review_due if guide else None,
                stale=guide.is_stale(today) if guide else False,
            )
        )
    return health
