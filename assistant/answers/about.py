"""Answers about a company and its guide: what makes it different, where the data comes from
(including yes or no: "is this from Glassdoor?"), and how its levels map to competitors."""

from __future__ import annotations

from rapidfuzz import fuzz

from assistant.answers.base import Request, clarify, lacking, title
from assistant.answers.views import LevelRowView, LevelView, OverviewView, Paragraph, SourceItem, SourcesView, View
from assistant.compose import Ledger
from assistant.nlu.lexicon import question_lexicon
from index.model import Guide
from index.places import fold
from index.sections import narrative_keys

LEVEL_MATCH_MIN = 80  # rapidfuzz token-set score for "Director of Product" to pick its row


def _company_guide(request: Request, has: str) -> Guide | None:
    """The guide a company question is answered from: the one asked about, else the
    best-ranked guide of the company that has the section (`has`: a Guide field)."""
    guides = request.scope.guides
    usable = [g for g in guides if getattr(g, has)]
    ranked = [h.section.guide_id for h in request.hits]
    return next(
        (g for gid in ranked for g in usable if g.id == gid), usable[0] if usable else (guides[0] if guides else None)
    )


def overview(request: Request, ledger: Ledger) -> View:
    guide = _company_guide(request, "narrative")
    if guide is None:
        return clarify(request, "overview", ["company"], sorted({g.company for g in request.vocab.guides}))
    if not guide.dna_tags and not guide.narrative:
        return lacking(guide, "description of the company")
    tags_cite = ledger.cite(guide, "dna") if guide.dna_tags else None
    for tag in guide.dna_tags:
        ledger.fact(guide, "dna", "", "tag", "Negotiation DNA", tag)
    keyed = narrative_keys(guide)
    # The first paragraph states the case; the best-matching other one answers the question.
    ranked = {key for key, _ in keyed[:1]} | set(request.ranked(guide, "narrative")[:1])
    paragraphs = [
        Paragraph(paragraph.text, ledger.cite(guide, "narrative", key)) for key, paragraph in keyed if key in ranked
    ]
    return OverviewView(guide.company, guide.role, guide.dna_tags, tags_cite, paragraphs)


def sources(request: Request, ledger: Ledger) -> View:
    guide = _company_guide(request, "sources")
    if guide is None:
        return clarify(request, "sources", ["company"], sorted({g.company for g in request.vocab.guides}))
    if not guide.sources:
        return lacking(guide, "sources list")
    n = ledger.cite(guide, "sources")
    for source in guide.sources:
        ledger.fact(guide, "sources", "", "source", f"Source {source.number}", source.name)
    return SourcesView(
        title=guide.title,
        sources=[SourceItem(s.number, s.name, s.detail) for s in guide.sources],
        cite=n,
        verdict=_verdict(request, guide),
        updated=str(guide.last_updated) if guide.last_updated else None,
        quarter=guide.salary_data_quarter,
        quality=guide.data_quality,
    )


def _verdict(request: Request, guide: Guide) -> str | None:
    """Yes or no, when the question asks whether the data comes from a named source."""
    named = [m.text for m in request.reading.of("source")]
    named += [m.text for m in request.reading.of("unknown_company") if "from" in request.question.lower()]
    if not named:
        return None
    name = named[0]
    hit = next((s for s in guide.sources if fold(name) in fold(s.name)), None)
    declared = guide.declared.data_sources if guide.declared else []
    if hit is not None:
        return f"Yes — {hit.name} is source {hit.number} of this guide."
    if any(fold(name) in fold(d) for d in declared):
        return f"Yes — the guide's frontmatter lists {name} among its data sources."
    return f"No — {name} is not among this guide's sources; they are listed below."


def level_mapping(request: Request, ledger: Ledger) -> View:
    e = request.entities
    guides = [g for g in request.scope.guides if g.level_mapping]
    if not guides:
        if request.scope.guides:
            return lacking(request.scope.guides[0], "level-mapping table")
        return clarify(request, "level mapping", ["company"], sorted({g.company for g in request.vocab.guides}))
    if len(guides) > 1:
        # "Director of Product at X is what at Y?": the level named picks the guide.
        scored = [(max(_match(row.level, request.question) for row in g.level_mapping.rows), g) for g in guides]  # type: ignore[union-attr]
        best = max(scored, key=lambda t: t[0])
        if best[0] < LEVEL_MATCH_MIN:
            return clarify(request, "level mapping", ["role"], sorted({g.role for g in guides}))
        guides = [best[1]]
    guide = guides[0]
    mapping = guide.level_mapping
    assert mapping is not None
    n = ledger.cite(guide, "level_mapping")
    scored_rows = sorted(mapping.rows, key=lambda row: -_match(row.level, request.question, e.seniority))
    # One row is meant only when the question says what sets it apart from the others
    # ("Senior", "II", "Director"); "level mapping for engineers" wants them all.
    lex = question_lexicon()
    distinct = set(lex.words(scored_rows[0].level)) - set(lex.words(guide.role))
    asked = bool(e.seniority or distinct & set(lex.words(request.question)))
    one = asked and _match(scored_rows[0].level, request.question, e.seniority) >= LEVEL_MATCH_MIN
    rows = [scored_rows[0]] if one else mapping.rows
    competitors = [e.competitor] if e.competitor in mapping.competitors else mapping.competitors
    views = []
    for row in rows:
        for competitor in competitors:
            ledger.fact(
                guide,
                "level_mapping",
                "",
                "level",
                f"{row.level} at {competitor}",
                row.equivalents.get(competitor, "—"),
            )
        views.append(LevelRowView(row.level, [row.equivalents.get(c, "—") for c in competitors]))
    return LevelView(guide.company, guide.role, mapping.our_label, competitors, views, n)


def _match(level: str, question: str, seniority: str | None = None) -> float:
    """How well a level-mapping row ("Senior TPM") matches what the question says."""
    lex = question_lexicon()
    words, asked = set(lex.words(level)), set(lex.words(question))
    ranks = lex.seniority | {"i", "ii", "iii", "iv", "director", "vp"}
    said, row_rank = asked & ranks, words & ranks
    score = fuzz.token_set_ratio(" ".join(lex.words(level)), " ".join(lex.words(question)))
    if said or seniority:
        score += 15 if row_rank & (said or set(lex.words(seniority or ""))) else -15
    elif row_rank:
        score -= 10  # no rank said: the base level is meant
    return score


__all__ = ["level_mapping", "overview", "sources", "title"]
