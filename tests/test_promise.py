"""The promise, as a property: an answer shows a figure only from a guide whose company and role
the question resolved to — never by elimination. For every guide G (seeds and variants),
questions about G's role at a company no guide covers, about a role no guide covers at G's
company, and about G's role in a place G does not cover (in its rows or its words) show none
of G's figures and say what is covered."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from index.money import find_money
from index.places import fold, gazetteer
from tests.conftest import ROOT, SEEDS, VARIANTS

# Employers and jobs no guide covers, made up so no list of known names can be what passes.
SYLLABLES = ["zor", "vex", "qua", "lin", "tor", "bri", "mox", "pel", "dra", "nix", "oru", "kel"]
COMPANIES = st.builds(lambda a, b, c: (a + b + c).capitalize(), *(st.sampled_from(SYLLABLES) for _ in range(3)))
JOBS = st.sampled_from(["nurse", "astronomer", "welder", "barista", "pilot", "paralegal", "electrician", "chef",
                        "qa engineer", "platform engineer", "devops engineer", "firmware engineer", "ux researcher"])  # fmt: skip
COMPANY_QUESTIONS = [
    "{role} salary at {company}",
    "how much does {company} pay a {role}",
    "what should I ask for as a {role} at {company}",
    "{company} {role} base range",
    "how do I negotiate more equity as a {role} at {company}",
]
ROLE_QUESTIONS = [
    "{job} salary at {company}",
    "how much does a {job} make at {company}",
    "what can i ask for as a {job} at {company}",
]
PLACE_QUESTIONS = [
    "{role} pay at {company} in {place}",
    "what's the base for a {role} at {company} in {place}",
    "I was offered 150k base as a {role} at {company} in {place}, is it good?",
]


def _guides():  # type: ignore[no-untyped-def]
    from index.parse import parse_guide

    return [parse_guide(p, ROOT) for p in sorted(SEEDS.rglob("*.md"))] + [
        parse_guide(p, VARIANTS.parent) for p in sorted(VARIANTS.rglob("*.md"))
    ]


GUIDES = _guides()
GUIDE_IDS = [g.id for g in GUIDES]
COVERED_PLACES = {p.place.key for g in GUIDES for p in g.pay if p.place}
# Big cities no guide has: the gazetteer's, not a list of ours.
PLACES = sorted(
    {c.name for cs in gazetteer().cities.values() for c in cs if c.population > 2_000_000 and c.name.isascii()}
    - {p.place.city for g in GUIDES for p in g.pay if p.place and p.place.city}
)


def _text_of(guide) -> str:  # type: ignore[no-untyped-def]
    path = next(p for p in [*SEEDS.rglob("*.md"), *VARIANTS.rglob("*.md")] if p.parent.name == guide.company_slug
                and p.stem == guide.role_slug)  # fmt: skip
    return path.read_text(encoding="utf-8")


def _figures(guide) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(r) for p in guide.pay for c in p.components() if (r := p.get(c))} | {
        str(t.amount) for t in guide.targets
    }


def _shows_none_of(answer, guide) -> None:  # type: ignore[no-untyped-def]
    shown = {str(m.range) for m in find_money(answer.answer_markdown, prose=True)}
    assert not (shown & _figures(guide)), answer.answer_markdown
    assert answer.citations == [] and answer.status == "not_covered", (answer.status, answer.answer_markdown)
    assert "What I cover" in answer.answer_markdown


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
@SETTINGS
@given(company=COMPANIES, template=st.sampled_from(COMPANY_QUESTIONS))
def test_a_guides_role_at_a_company_no_guide_covers_shows_none_of_its_figures(
    corpus_assistant, guide_id, company, template
):
    guide = corpus_assistant.guide(guide_id)
    answer = corpus_assistant.ask(template.format(role=guide.role.lower(), company=company))
    _shows_none_of(answer, guide)


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
@SETTINGS
@given(job=JOBS, template=st.sampled_from(ROLE_QUESTIONS))
def test_a_role_no_guide_covers_at_a_guides_company_shows_none_of_its_figures(
    corpus_assistant, guide_id, job, template
):
    guide = corpus_assistant.guide(guide_id)
    answer = corpus_assistant.ask(template.format(job=job, company=guide.company))
    _shows_none_of(answer, guide)


@pytest.mark.parametrize("guide_id", GUIDE_IDS)
@SETTINGS
@given(place=st.sampled_from(PLACES), template=st.sampled_from(PLACE_QUESTIONS))
def test_a_guides_role_in_a_place_it_does_not_cover_shows_none_of_its_figures(
    corpus_assistant, guide_id, place, template
):
    guide = corpus_assistant.guide(guide_id)
    # "In Paris, push for €85K–€93K": a place the guide writes about is covered, in its words.
    assume(fold(place) not in fold(_text_of(guide)))
    answer = corpus_assistant.ask(template.format(role=guide.role.lower(), company=guide.company, place=place))
    _shows_none_of(answer, guide)
