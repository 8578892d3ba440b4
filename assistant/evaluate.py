"""The gold set: questions as people ask them, with what a right answer must contain.

Used by `negotiate eval` (accuracy per retrieval mode) and by the tests (which hold the line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.answer import Answer
from assistant.core import Assistant
from index.money import find_money, format_amount


@dataclass
class GoldCase:
    question: str
    intent: str
    entities: dict[str, Any] = field(default_factory=dict)
    cites: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    note: str = ""


def load_gold(path: Path) -> list[GoldCase]:
    return [GoldCase(**entry) for entry in yaml.safe_load(path.read_text())]


@dataclass
class Outcome:
    case: GoldCase
    answer: Answer
    intent_ok: bool
    entity_misses: dict[str, tuple[Any, Any]]  # key -> (expected, got)
    rank: int | None  # citation number of the first expected unit (None: not cited)
    missing_cites: list[str]
    missing_figures: list[str]
    present_absent: list[str]
    stray_figures: list[str]  # money shown that is neither in a cited guide nor the user's own

    @property
    def ok(self) -> bool:
        return (
            self.intent_ok
            and not self.entity_misses
            and not self.missing_cites
            and not self.missing_figures
            and not self.present_absent
            and not self.stray_figures
        )


def _entity(answer: Answer, key: str) -> Any:
    value = getattr(answer.entities, key)
    if key in ("regions", "roles"):
        return sorted(value)
    return value


def guide_figures(assistant: Assistant, guide_ids: set[str]) -> set[str]:
    """Every money figure written anywhere in these guides' source files."""
    figures: set[str] = set()
    for guide_id in guide_ids:
        guide = assistant.index.guides[guide_id]
        path = Path(guide.source_path)
        text = (
            path.read_text()
            if path.exists()
            else " ".join(s.text for s in assistant.index.sections if s.guide_id == guide_id)
        )
        figures |= {str(m.range) for m in find_money(text, prose=True)}
        figures |= {str(r) for p in guide.pay for r in (p.base, p.stock, p.bonus, p.total) if r}
    return figures


def check(assistant: Assistant, case: GoldCase) -> Outcome:
    conversation = None
    for earlier in case.context:
        conversation = assistant.ask(earlier, conversation).conversation_id
    answer = assistant.ask(case.question, conversation)
    misses = {}
    for key, expected in case.entities.items():
        got = _entity(answer, key)
        expected = sorted(expected) if key in ("regions", "roles") else expected
        if got != expected:
            misses[key] = (expected, got)
    cited = [c.section_id for c in answer.citations]
    rank = next((c.n for c in answer.citations if case.cites and c.section_id == case.cites[0]), None)
    shown = answer.answer_markdown
    allowed = guide_figures(assistant, {c.guide_id for c in answer.citations})
    allowed |= {format_amount(v) for v in answer.entities.offer.values()} | {
        format_amount(sum(answer.entities.offer.values()))
    }
    stray = [str(m.range) for m in find_money(shown, prose=True) if str(m.range) not in allowed]
    return Outcome(
        case=case,
        answer=answer,
        intent_ok=answer.intent == case.intent,
        entity_misses=misses,
        rank=rank,
        missing_cites=[c for c in case.cites if c not in cited],
        missing_figures=[f for f in case.figures if f not in shown],
        present_absent=[f for f in case.absent if f in shown],
        stray_figures=stray,
    )


def summarize(outcomes: list[Outcome]) -> dict[str, float]:
    cited = [o for o in outcomes if o.case.cites]
    n = len(outcomes)
    return {
        "intent accuracy": sum(o.intent_ok for o in outcomes) / n,
        "entity accuracy": sum(not o.entity_misses for o in outcomes) / n,
        "recall@1": sum(o.rank == 1 for o in cited) / len(cited) if cited else 1.0,
        "recall@3": sum(o.rank is not None and o.rank <= 3 for o in cited) / len(cited) if cited else 1.0,
        "figure exactness": sum(
            not o.missing_figures and not o.stray_figures and not o.present_absent for o in outcomes
        )
        / n,
        "all checks": sum(o.ok for o in outcomes) / n,
    }
