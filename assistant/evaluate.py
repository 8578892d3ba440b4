"""Measuring the assistant: the gold set end to end (figures and citations), and understanding
on questions nobody here wrote (intent and entities, per intent, with a confusion matrix).

Used by `negotiate eval` and by the tests, which hold the lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.answer import Answer
from assistant.core import Assistant
from assistant.nlu.registry import INTENTS
from index.money import find_money, format_amount
from index.places import fold

# -- the gold set: figures and citations, end to end ---------------------------------------


@dataclass
class GoldCase:
    question: str
    intent: str
    status: str = "answered"
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


def guide_figures(assistant: Assistant, guide_ids: set[str]) -> set[str]:
    """Every money figure written anywhere in these guides (their parsed text)."""
    figures: set[str] = set()
    for guide_id in guide_ids:
        guide = assistant.guide(guide_id)
        if guide is None:
            continue
        texts = [s.text for s in assistant.sections_of(guide_id)]
        for text in texts:
            figures |= {str(m.range) for m in find_money(text, guide.currency, prose=True)}
        figures |= {str(r) for p in guide.pay for c in p.components() if (r := p.get(c))}
    return figures


def check(assistant: Assistant, case: GoldCase) -> Outcome:
    conversation = None
    for earlier in case.context:
        conversation = assistant.ask(earlier, conversation).conversation_id
    answer = assistant.ask(case.question, conversation)
    misses = {}
    for key, expected in case.entities.items():
        got = getattr(answer.entities, key)
        if key in ("regions", "roles"):
            expected, got = sorted(expected), sorted(got)
        if got != expected:
            misses[key] = (expected, got)
    cited = [c.section_id for c in answer.citations]
    rank = next((c.n for c in answer.citations if case.cites and c.section_id == case.cites[0]), None)
    shown = answer.answer_markdown
    allowed = guide_figures(assistant, {c.guide_id for c in answer.citations})
    allowed |= {f.value for f in answer.facts if f.derived}
    own = {**answer.entities.offer, **answer.entities.desired, **answer.entities.rival}
    allowed |= {format_amount(v) for v in own.values()} | {format_amount(sum(answer.entities.offer.values()))}
    # Bare "25k" in a quoted script is in its guide's currency.
    sources = [g for c in answer.citations if (g := assistant.guide(c.guide_id))]
    currency = sources[0].currency if sources else "USD"
    stray = [
        str(m.range)
        for m in find_money(shown, currency, prose=True)
        if str(m.range) not in allowed and not any(str(m.range) in d for d in allowed)
    ]
    return Outcome(
        case=case,
        answer=answer,
        intent_ok=answer.intent == case.intent and answer.status == case.status,
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


# -- understanding, on questions written by someone who never saw the code -----------------

ENTITY_FIELDS = ("company", "role", "region", "roles", "regions", "component", "offer", "competitor")
UNKNOWN_FIELDS = ("unknown_company", "unknown_role", "unknown_place")


@dataclass
class Judged:
    question: str
    expected: dict[str, Any]
    answer: Answer
    wrong: dict[str, tuple[Any, Any]]  # field -> (expected, got)

    @property
    def intent_ok(self) -> bool:
        return "intent" not in self.wrong

    @property
    def entities_ok(self) -> bool:
        return not (set(self.wrong) - {"intent"})


def _slug_of(assistant: Assistant, kind: str, name: str) -> str | None:
    """The id of the company or role an outside writer names ("Elbreach Freight GmbH")."""
    for guide in assistant.guides():
        if kind == "company" and fold(name) in (
            fold(guide.company),
            fold(guide.company_slug),
            fold(f"{guide.company} {guide.scope or ''}"),
        ):
            return guide.company_slug
        if kind == "role" and fold(name) == fold(guide.role):
            return guide.role_slug
    return fold(name).replace(" ", "-")


def judge(assistant: Assistant, expected: dict[str, Any], answer: Answer) -> Judged:
    wrong: dict[str, tuple[Any, Any]] = {}
    e = answer.entities
    if answer.intent != expected["intent"]:
        wrong["intent"] = (expected["intent"], answer.intent)
    covered = expected.get("covered", True)
    if covered != (answer.status != "not_covered"):
        wrong["covered"] = (covered, answer.status)
    for key in ENTITY_FIELDS:
        if key not in expected or expected[key] is None and key not in ("company", "role"):
            continue
        want = expected[key]
        if key == "company":
            got_value: Any = e.company
            want = _slug_of(assistant, "company", want) if want else None
        elif key == "role":
            got_value = e.role
            want = _slug_of(assistant, "role", want) if want else None
            if want is None and e.roles:
                got_value = None  # a list of roles was read instead of one
        elif key == "roles":
            got_value, want = sorted(e.roles), sorted(_slug_of(assistant, "role", r) for r in want)
        elif key == "regions":
            got_value, want = sorted(e.regions), sorted(want)
        elif key == "competitor":
            got_value = e.competitor if e.competitor else e.unknown_company
            want, got_value = fold(want), fold(got_value or "")
        else:
            got_value = getattr(e, key)
        if got_value != want:
            wrong[key] = (want, got_value)
    for key in UNKNOWN_FIELDS:
        if (
            key in expected
            and expected[key]
            and not getattr(e, key)
            and not (key == "unknown_company" and e.competitor)
        ):
            wrong[key] = (expected[key], None)
    return Judged(answer.question, expected, answer, wrong)


def load_questions(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("questions", []), data.get("conversations", [])


def judge_file(assistant: Assistant, path: Path) -> list[Judged]:
    """Every question alone, and every conversation turn by turn."""
    questions, conversations = load_questions(path)
    out = [judge(assistant, q, assistant.ask(q["q"])) for q in questions]
    for conversation in conversations:
        conversation_id = None
        for turn in conversation["turns"]:
            answer = assistant.ask(turn["q"], conversation_id)
            conversation_id = answer.conversation_id
            out.append(judge(assistant, turn, answer))
    return out


@dataclass
class IntentScores:
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    macro_f1: float
    accuracy: float
    entity_accuracy: float
    confusion: dict[tuple[str, str], int]
    labels: list[str]

    def matrix(self) -> str:
        """The confusion matrix as text: rows expected, columns answered."""
        short = [label[:6] for label in self.labels]
        lines = ["expected \\ got " + " ".join(f"{s:>6}" for s in short)]
        for label in self.labels:
            counts = " ".join(f"{self.confusion.get((label, other), 0):>6}" for other in self.labels)
            lines.append(f"{label[:14]:<14} {counts}")
        return "\n".join(lines)


def score(judged: list[Judged]) -> IntentScores:
    labels: list[str] = [i for i in INTENTS if any(j.expected["intent"] == i or j.answer.intent == i for j in judged)]
    confusion: Counter[tuple[str, str]] = Counter((j.expected["intent"], str(j.answer.intent)) for j in judged)
    precision: dict[str, float] = {}
    recall: dict[str, float] = {}
    f1: dict[str, float] = {}
    for label in labels:
        tp = confusion[(label, label)]
        predicted = sum(v for (e, g), v in confusion.items() if g == label)
        actual = sum(v for (e, g), v in confusion.items() if e == label)
        precision[label] = tp / predicted if predicted else 0.0
        recall[label] = tp / actual if actual else 0.0
        p, r = precision[label], recall[label]
        f1[label] = 2 * p * r / (p + r) if p + r else 0.0
    present = [label for label in labels if any(j.expected["intent"] == label for j in judged)]
    return IntentScores(
        precision=precision,
        recall=recall,
        f1=f1,
        macro_f1=sum(f1[label] for label in present) / len(present),
        accuracy=sum(j.intent_ok for j in judged) / len(judged),
        entity_accuracy=sum(j.entities_ok for j in judged) / len(judged),
        confusion=dict(confusion),
        labels=labels,
    )


def field_accuracy(judged: list[Judged]) -> dict[str, tuple[int, int]]:
    """Per entity field: (right, asked)."""
    out: dict[str, list[int]] = {}
    for j in judged:
        for key in (*ENTITY_FIELDS, *UNKNOWN_FIELDS, "covered"):
            if key in j.expected and (j.expected[key] is not None or key in ("company", "role")):
                tally = out.setdefault(key, [0, 0])
                tally[1] += 1
                tally[0] += key not in j.wrong
    return {k: (v[0], v[1]) for k, v in out.items()}
