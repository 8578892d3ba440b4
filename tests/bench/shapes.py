"""`make bench-peer` on a held-out corpus of pay shapes: our answer beside a LlamaIndex top-3
retriever, on the same guides (the seeds plus the corpus) and the same questions, one run.

    python -m tests.bench.shapes tests/guides/shapes/open [--no-peer]

A corpus folder holds `<company>/<role>.md` guides, a `.facts.yaml` beside each (every figure
it states) and `questions.yaml`, all written by a helper who never saw the parser. Scores:

- per guide: indexed or not, typed pay figures found / stated, figures lost (must be 0);
- per question: right when the status is the expected one, every expected figure is in the
  answer (compared as numbers, so "$165,000" and "$165K" agree), no `absent` figure is, and
  every citation is of the question's guide (never another guide's figures).

The peer retrieves and never answers: it is right when the expected figures are in its three
chunks and the top chunk is from the guide. It cannot refuse, so a refusal counts against it.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{2})+,\d{3}|\d{1,3}(?:[,'’]\d{3})+|\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])"
    r"|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+,\d{1,2}(?!\d)|\d+(?:\.\d+)?)"
    r"\s?([kKmM](?![a-zA-Z])|mil\b)?"
)


def numbers(text: str) -> set[float]:
    """Every number written in `text`, as a value: 165K and 165,000 are both 165000."""
    out = set()
    for digits, suffix in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
            digits = digits.replace(".", "")
        elif re.fullmatch(r"\d+,\d{1,2}", digits):  # a decimal comma: 33,00 zł, 1,5×
            digits = digits.replace(",", ".")
        value = float(re.sub(r"[,'’ \u00a0]", "", digits))
        out.add(round(value * {"k": 1e3, "m": 1e6, "mil": 1e3}.get(suffix.lower(), 1), 2))  # R$ 95 mil
    return out


def shows(text: str, figure: str) -> bool:
    """Whether `text` shows `figure`: its numbers all there, or (no numbers) its words."""
    wanted = numbers(figure)
    if not wanted:
        return figure.lower() in text.lower()
    return wanted <= numbers(text)


@dataclass
class Case:
    question: str
    guide: str | None = None
    expect: str = "answered"
    figures: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)


def load_cases(corpus: Path) -> list[Case]:
    raw = yaml.safe_load((corpus / "questions.yaml").read_text(encoding="utf-8"))
    keys = Case.__dataclass_fields__
    for item in raw:  # earlier turns as questions, or as chat turns ({role, content}) of which ours are asked
        item["context"] = [
            t if isinstance(t, str) else t["content"]
            for t in item.get("context") or []
            if isinstance(t, str) or t.get("role") == "user"
        ]
    return [Case(**{k: v for k, v in item.items() if k in keys and v is not None}) for item in raw]


def _ends(fact: dict) -> tuple[float, float] | None:  # type: ignore[type-arg]
    low = fact.get("low") if fact.get("low") is not None else fact.get("high")
    high = fact.get("high") if fact.get("high") is not None else low
    return None if low is None else (float(low), float(high))


@dataclass
class GuideScore:
    path: str
    indexed: bool
    stated: int
    typed: int
    lost: int


def score_guides(corpus: Path) -> list[GuideScore]:
    """Typed pay figures found against the facts file: a stated pay figure is found when a
    pay row of the guide holds an amount with its numbers (any component, any row)."""
    from index.errors import GuideError
    from index.parse import parse_guide

    scores = []
    for path in sorted(corpus.rglob("*.md")):
        if path.name == "README.md":
            continue
        facts = yaml.safe_load(path.with_suffix(".facts.yaml").read_text(encoding="utf-8"))
        stated = facts.get("pay") or []
        try:
            guide = parse_guide(path, corpus)
        except GuideError:
            scores.append(GuideScore(str(path.relative_to(corpus)), False, len(stated), 0, 0))
            continue
        held: list[tuple[float, float]] = []
        for row in guide.pay:
            for c in row.components():
                if (figure := row.get(c)) is not None:
                    held.append((float(figure.low), float(figure.high)))
                if c in row.percents:
                    held.append((row.percents[c].low, row.percents[c].high))
            for a in row.extras:
                if a.money is not None:
                    held.append((float(a.money.low), float(a.money.high)))
                elif a.percent is not None:
                    held.append((a.percent.low, a.percent.high))
                elif a.units is not None:
                    held.append(a.units)
                elif a.multiplier is not None:
                    held.append((a.multiplier, a.multiplier))
                elif a.months is not None:
                    held.append(a.months)
        # (an open bound may give one end only: "from R$ 2,500" has no high; a fact with no
        # figure at all is none to type)
        typed = sum(_ends(f) in held for f in stated if _ends(f) is not None)
        from index.lint import Severity, check_guide, coverage_of

        coverage_of(guide)  # raises if any amount is lost
        # Indexed means published: a guide with a lint error is skipped by the build.
        published = not any(f.severity is Severity.ERROR for f in check_guide(guide, date(2026, 11, 21)))
        scores.append(GuideScore(str(path.relative_to(corpus)), published, len(stated), typed, 0))
    return scores


@dataclass
class Outcome:
    right: bool
    why: str
    answer: str


def check(assistant, case: Case, guide_paths: dict[str, str]) -> Outcome:  # type: ignore[no-untyped-def]
    conversation = None
    for earlier in case.context:
        conversation = assistant.ask(earlier, conversation).conversation_id
    answer = assistant.ask(case.question, conversation)
    text = answer.answer_markdown
    if case.expect == "not_covered":
        shown = numbers(text) - numbers(case.question)
        ok = answer.status in ("not_covered", "lacking", "clarify") and not answer.facts
        return Outcome(ok, "" if ok else f"expected a refusal, got {answer.status} with {len(shown)} numbers", text)
    if answer.status != case.expect:
        return Outcome(False, f"status {answer.status}", text)
    missing = [f for f in case.figures if not shows(text, f)]
    leaked = [f for f in case.absent if numbers(f) and shows(text, f)]
    expected_path = guide_paths.get(case.guide or "")
    foreign = [c.source_path for c in answer.citations if expected_path and c.source_path != expected_path]
    if missing or leaked or foreign:
        return Outcome(False, f"missing {missing} leaked {leaked} foreign {sorted(set(foreign))}", text)
    return Outcome(True, "", text)


def peer_right(peer, case: Case, guide_paths: dict[str, str]) -> bool:  # type: ignore[no-untyped-def]
    if case.expect == "not_covered":
        return False  # a retriever always returns chunks: it never says "not covered"
    found = peer.retrieve(" ".join([*case.context[-1:], case.question]))
    text = "\n".join(n.node.get_content() for n in found)
    top = found[0].node.metadata["path"] if found else None
    return all(shows(text, f) for f in case.figures) and top == guide_paths.get(case.guide or "")


def main(argv: list[str]) -> None:
    from assistant.core import Assistant
    from assistant.nlu.pipeline import IntentArtifacts
    from index.build import build_index
    from index.embed import make_embedder
    from index.search import load_index

    corpus = Path(argv[0]).resolve()
    with_peer = "--no-peer" not in argv
    work = ROOT / "var" / "bench" / f"shapes-{corpus.name}"
    guides = work / "guides"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", guides)
    for path in corpus.rglob("*.md"):
        if path.name != "README.md":
            target = guides / path.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    print("| guide | indexed | typed pay figures | lost |\n|---|---|---|---|")  # noqa: T201
    for s in score_guides(corpus):
        print(f"| {s.path} | {'yes' if s.indexed else 'NO'} | {s.typed}/{s.stated} | {s.lost} |")  # noqa: T201
    embedder = make_embedder()
    build_index(guides, work / "index", embedder, extras=IntentArtifacts())
    index = load_index(work / "index")
    assistant = Assistant(index, embedder, today=date(2026, 11, 21))
    paths = {g.id: g.source_path for g in index.guides.values()}
    by_file = {
        str(Path(g.source_path).with_suffix("")).split("guides/", 1)[-1]: g.source_path for g in index.guides.values()
    }
    paths |= by_file  # a question names its guide by <folder>/<file>
    cases = load_cases(corpus)
    peer = None
    if with_peer:
        from tests.bench.peer import peer_retriever

        peer = peer_retriever(guides, key="path")
    ours = theirs = 0
    for case in cases:
        outcome = check(assistant, case, paths)
        ours += outcome.right
        if peer is not None:
            theirs += peer_right(peer, case, paths)
        if not outcome.right:
            miss = f"\nMISS {case.question!r} [{case.expect}] {outcome.why}\n  " + outcome.answer[:400]
            print(miss.replace("\n", "\n  "))  # noqa: T201
    n = len(cases)
    print(f"\n{n} questions: ours {ours}/{n} ({ours / n:.0%})", end="")  # noqa: T201
    print(f", LlamaIndex top-3 {theirs}/{n} ({theirs / n:.0%})" if peer is not None else "")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
