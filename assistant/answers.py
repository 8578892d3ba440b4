"""One builder per intent: pick the facts (from the parsed guides, in the order retrieval
ranks them), register their citations, and hand the template typed rows to lay out.
The offer intents live in `offers`, what all builders share in `answer_base`."""

from __future__ import annotations

from rapidfuzz import fuzz

from assistant.answer_base import Block, Draft, lever_topic
from assistant.compose import Ledger, component_name, pay_row, stale_note
from assistant.offers import OfferAnswers
from assistant.understand import Understanding
from assistant.vocabulary import tokens_of
from index.model import Guide
from index.search import Hit
from index.sections import narrative_keys

__all__ = ["Answers", "Draft", "lever_topic"]


class Answers(OfferAnswers):
    """Every intent's builder; `Assistant` calls the one named like the intent."""

    def pay_range(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        guides, region = self.candidates(u), u.entities.region
        if not guides:
            return self.clarify(u, ["role"], "pay range")
        if len({g.role_slug for g in guides}) > 1:
            if region is None:
                return self.clarify(u, ["role", "region"], "pay range")
            rows = []
            for guide in guides:
                if region in guide.regions:
                    row = pay_row(ledger, guide, guide.pay_for(region))  # type: ignore[arg-type]
                    row.region = guide.role
                    rows.append(row)
            stale = next((s for g in guides if (s := stale_note(g, self.today))), None)
            block = Block(f"{region} — every role we cover", rows, stale, row_label="Role")
            return Draft(
                "pay_range.md.j2",
                {"blocks": [block], "missing_region": None},
                self.follow_ups("pay_range", guides[0], region),
            )
        blocks = []
        for guide in guides:
            regions = [self._region_of(guide, region)] if self._region_of(guide, region) else guide.regions
            rows = [pay_row(ledger, guide, guide.pay_for(r)) for r in regions]  # type: ignore[arg-type]
            blocks.append(Block(f"{guide.role} · {guide.company}", rows, stale_note(guide, self.today)))
        missing = region if region and not any(region in g.regions for g in guides) else None
        return Draft(
            "pay_range.md.j2",
            {"blocks": blocks, "missing_region": missing},
            self.follow_ups("pay_range", guides[0], region),
        )

    def targets(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        guides, region = self.candidates(u), u.entities.region
        if len({g.role_slug for g in guides}) > 1 and region is None:
            return self.clarify(u, ["role"], "negotiate-up target")
        items = []
        for guide in guides:
            for target in guide.targets:
                if region and target.region != region:
                    continue
                n = ledger.fact(
                    guide,
                    "target",
                    target.region,
                    "target",
                    f"Negotiate-up target · {target.region}",
                    str(target.amount),
                )
                label = target.region if len({g.role_slug for g in guides}) == 1 else f"{guide.role} · {target.region}"
                items.append(
                    {
                        "label": label,
                        "amount": str(target.amount),
                        "component": component_name(target.component),
                        "why": target.text,
                        "cite": n,
                        "stale": stale_note(guide, self.today),
                    }
                )
        if not items:
            if not guides:
                return self.clarify(u, ["role"], "negotiate-up target")
            return self.lacking(guides[0], "negotiate-up targets", region)
        title = f"{guides[0].role} · {guides[0].company}" if len({g.role_slug for g in guides}) == 1 else (region or "")
        return Draft(
            "targets.md.j2",
            {"title": title, "items": items},
            self.follow_ups("targets", guides[0] if guides else None, region),
        )

    def levers(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        guides, component = self.candidates(u), u.entities.component
        several = len({g.role_slug for g in guides}) > 1
        if several and component is None or not guides:
            return self.clarify(u, ["role"], "negotiation levers")
        if not several and not guides[0].levers:
            return self.lacking(guides[0], "negotiation levers")
        groups = []
        for guide in guides:
            levers = self._levers_for(guide, component, hits)
            if several:
                levers = levers[:1]
            groups.append(
                {
                    "title": f"{guide.role} · {guide.company}",
                    "levers": [self._lever_view(ledger, guide, lv) for lv in levers],
                    "stale": stale_note(guide, self.today),
                }
            )
        return Draft(
            "levers.md.j2",
            {"groups": groups, "component": component_name(component) if component else None, "compact": several},
            self.follow_ups("levers", guides[0] if guides else None, u.entities.region),
        )

    def premiums(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        asked = self.candidates(u)
        guides = [g for g in asked if g.premiums]
        if not guides:
            return self.lacking(asked[0], "premiums") if asked else self.clarify(u, ["role"], "premiums")
        ranked_hits = [h for h in hits if h.section.kind == "premium"]
        if len({g.role_slug for g in guides}) > 1 and ranked_hits:
            guides = [self.vocab_guide(ranked_hits[0].section.guide_id)]
        groups = []
        for guide in guides:
            order = {key: i for i, key in enumerate(self._ranked(hits, guide, "premium"))}
            premiums = sorted(guide.premiums, key=lambda p: order.get(p.name, len(order)))
            views = []
            for premium in premiums:
                value = str(premium.amount) if premium.amount else "—"
                n = ledger.fact(guide, "premium", premium.name, "premium", premium.name, value)
                views.append({"name": premium.name, "amount": value, "text": premium.text, "cite": n})
            groups.append(
                {
                    "title": f"{guide.role} · {guide.company}",
                    "heading": guide.premiums_heading,
                    "best": views[0] if views else None,
                    "others": views[1:],
                }
            )
        return Draft(
            "premiums.md.j2",
            {"groups": groups},
            self.follow_ups("premiums", guides[0] if guides else None, u.entities.region),
        )

    def level_mapping(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        guides = [g for g in self.candidates(u) if g.level_mapping]
        if len({g.role_slug for g in guides}) > 1:
            # "Director of Product at Ally is what at Capital One?": the level names the guide.
            levels = [(row.level, g) for g in guides for row in (g.level_mapping.rows if g.level_mapping else [])]
            best = max(((level_match(level, u.question), g) for level, g in levels), key=lambda t: t[0])
            if best[0] < LEVEL_MATCH_MIN:
                return self.clarify(u, ["role"], "level mapping")
            guides = [best[1]]
            u.entities.role = best[1].role_slug
        if not guides:
            return Draft("not_covered.md.j2", self.coverage(["a level-mapping table"]))
        guide = guides[0]
        mapping = guide.level_mapping
        assert mapping is not None
        n = ledger.cite(guide, "level_mapping")
        scored = sorted(mapping.rows, key=lambda row: -level_match(row.level, u.question, u.entities.seniority))
        # One row is meant only when the question says what sets it apart from the others
        # ("Senior", "II", "Director"); "level mapping for software engineers" wants them all.
        distinct = set(tokens_of(scored[0].level)) - set(tokens_of(guide.role))
        asked = bool(u.entities.seniority or distinct & set(tokens_of(u.question)))
        rows = (
            [scored[0]]
            if asked and level_match(scored[0].level, u.question, u.entities.seniority) >= LEVEL_MATCH_MIN
            else mapping.rows
        )
        competitors = [u.entities.competitor] if u.entities.competitor in mapping.competitors else mapping.competitors
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
            views.append({"level": row.level, "equivalents": {c: row.equivalents.get(c, "—") for c in competitors}})
        context = {
            "company": guide.company,
            "our_label": mapping.our_label,
            "competitors": competitors,
            "rows": views,
            "cite": n,
        }
        return Draft("level_mapping.md.j2", context, self.follow_ups("level_mapping", guide, u.entities.region))

    def compare(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        e = u.entities
        if e.roles:
            region = e.region
            guides = self.candidates(u)
            if region is None:
                return self.clarify(u, ["region"], "comparison")
            rows = []
            for guide in guides:
                if region in guide.regions:
                    row = pay_row(ledger, guide, guide.pay_for(region), with_target=False)  # type: ignore[arg-type]
                    row.region = guide.role
                    rows.append(row)
            if not rows:
                return Draft("not_covered.md.j2", self.coverage([region]))
            block = Block(
                f"{region}: {' vs '.join(g.role for g in guides)}",
                rows,
                next((s for g in guides if (s := stale_note(g, self.today))), None),
                row_label="Role",
            )
            return Draft(
                "pay_range.md.j2",
                {"blocks": [block], "missing_region": None},
                self.follow_ups("compare", guides[0], region),
            )
        guides = self.candidates(u)
        if len({g.role_slug for g in guides}) != 1:
            return self.clarify(u, ["role"], "comparison")
        guide = guides[0]
        regions = [r for r in e.regions if r in guide.regions] or guide.regions
        if len(regions) < 2 and e.regions:
            missing = [r for r in e.regions if r not in guide.regions]
            return (
                self.lacking(guide, "pay figures", missing[0]) if missing else self.clarify(u, ["region"], "comparison")
            )
        rows = [pay_row(ledger, guide, guide.pay_for(r), with_target=False) for r in regions]  # type: ignore[arg-type]
        block = Block(f"{guide.role} · {guide.company}: {' vs '.join(regions)}", rows, stale_note(guide, self.today))
        return Draft(
            "pay_range.md.j2",
            {"blocks": [block], "missing_region": None},
            self.follow_ups("compare", guide, regions[0]),
        )

    def _guide_for_company_question(self, u: Understanding, hits: list[Hit], has: str) -> Guide | None:
        """The guide to answer a question about the company from: the one asked about, else
        the best-ranked guide that has the section (`has`: a Guide field) at all."""
        guides = self.candidates(u)
        if len(guides) == 1:
            return guides[0]
        usable = {g.id for g in guides if getattr(g, has)}
        ranked = [h.section.guide_id for h in hits if h.section.guide_id in usable]
        fallback = next((g for g in guides if g.id in usable), guides[0] if guides else None)
        return self.vocab_guide(ranked[0]) if ranked else fallback

    def overview(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        guide = self._guide_for_company_question(u, hits, "narrative")
        if guide is None:
            return self.clarify(u, ["company"], "overview")
        if not guide.dna_tags and not guide.narrative:
            return self.lacking(guide, "description of the company")
        tags_cite = ledger.cite(guide, "dna") if guide.dna_tags else None
        for tag in guide.dna_tags:
            ledger.fact(guide, "dna", "", "tag", "Negotiation DNA", tag)
        keyed = narrative_keys(guide)
        # The first paragraph states the case; the best-matching other one answers the question.
        ranked = {key for key, _ in keyed[:1]} | set(self._ranked(hits, guide, "narrative")[:1])
        paragraphs = [
            {"text": paragraph.text, "cite": ledger.cite(guide, "narrative", key)}
            for key, paragraph in keyed  # in the guide's own order, which reads as it was written
            if key in ranked
        ]
        return Draft(
            "overview.md.j2",
            {
                "company": guide.company,
                "role": guide.role,
                "tags": guide.dna_tags,
                "tags_cite": tags_cite,
                "paragraphs": paragraphs,
            },
            self.follow_ups("overview", guide, u.entities.region),
        )

    def sources(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        guide = self._guide_for_company_question(u, hits, "sources")
        if guide is None:
            return self.clarify(u, ["role"], "sources")
        if not guide.sources:
            return self.lacking(guide, "sources list")
        n = ledger.cite(guide, "sources")
        for source in guide.sources:
            ledger.fact(guide, "sources", "", "source", f"Source {source.number}", source.name)
        return Draft(
            "sources.md.j2",
            {
                "title": guide.title,
                "sources": guide.sources,
                "cite": n,
                "updated": guide.last_updated,
                "quarter": guide.salary_data_quarter,
                "quality": guide.data_quality,
            },
            self.follow_ups("sources", guide, u.entities.region),
        )

    def help(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        return Draft(
            "help.md.j2",
            self.coverage([]),
            self.follow_ups("help", self.vocab.guides[0] if self.vocab.guides else None, None),
        )

    def not_covered(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        asked = [name.title() if name.islower() else name for name in u.entities.unknown] or ["that"]
        return Draft("not_covered.md.j2", self.coverage(asked), self.follow_ups("not_covered", None, None))

    def out_of_scope(self, u: Understanding, hits: list[Hit], ledger: Ledger) -> Draft:
        return Draft("out_of_scope.md.j2", self.coverage([]), self.follow_ups("out_of_scope", None, None))


# How a component is said in a suggested question.


LEVEL_MATCH_MIN = 80


def level_match(level: str, question: str, seniority: str | None = None) -> float:
    """How well a level-mapping row ("Senior TPM") matches what the question says."""
    words, asked = set(tokens_of(level)), set(tokens_of(question))
    rank_words = {"senior", "staff", "principal", "lead", "director", "junior", "i", "ii", "iii", "iv", "vp"}
    said_rank, row_rank = asked & rank_words, words & rank_words
    score = fuzz.token_set_ratio(" ".join(tokens_of(level)), " ".join(tokens_of(question)))
    if said_rank or seniority:
        score += 15 if row_rank & (said_rank or set(tokens_of(seniority or ""))) else -15
    elif row_rank:
        score -= 10  # no rank said: the base level is meant
    return score
