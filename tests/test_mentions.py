"""Reading what a question names, in an open world: the guides' roles, companies and places
as people type them, and the roles, employers and places no guide covers."""

from __future__ import annotations

from functools import cache

import pytest

from assistant.nlu.amounts import read_figures
from assistant.nlu.mentions import Reader
from assistant.nlu.vocabulary import Vocabulary
from index.parse import parse_guide
from tests.conftest import ROOT, SEEDS, VARIANTS


@cache
def reader() -> Reader:
    guides = [parse_guide(p, ROOT) for p in sorted(SEEDS.rglob("*.md"))]
    guides += [parse_guide(p, VARIANTS.parent) for p in sorted(VARIANTS.rglob("*.md"))]
    return Reader(Vocabulary.of(guides))


def named(question: str, *kinds: str) -> list[tuple[str, str]]:
    return [(m.kind, m.value) for m in reader().read(question).mentions if not kinds or m.kind in kinds]


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("base range for a swe in charlotte", "software-engineer"),
        ("softwre engeneer salary", "software-engineer"),  # typos
        ("engineering manger pay", "engineering-manager"),
        ("what do TPMs make", "technical-program-manager"),  # a plural acronym
        ("quant dev salary london", "quantitative-developer"),  # short forms
        ("enterprise AE quota", "enterprise-account-executive"),
        ("sre bonus", "site-reliability-engineer"),
        ("backend developer pay at elbreach", "backend-engineer"),  # a synonym, both sides folded
        ("bonjour, product designer salary", "product-designer"),  # a greeting is no part of the title
        ("ironvale staff eng fully remote", "staff-software-engineer"),
    ],
)
def test_roles_are_read_as_people_type_them(question, role):
    assert ("role", role) in named(question, "role")


def test_an_exact_title_beats_a_longer_one_that_contains_it():
    assert named("a software engineer at ironvale", "role") == [("role", "software-engineer")]
    # "staff software engineer" fits both titles whole: the one with the seniority said comes
    # first, and the company named picks between them
    assert named("staff software engineer at ironvale", "role")[0] == ("role", "staff-software-engineer")


@pytest.mark.parametrize(
    "question",
    [
        "platform engineer pay",
        "qa engineer salary at ally",
        "how do i negotiate as an apprentice electrician",
        "what do nurses make at ally",
    ],
)
def test_a_job_no_guide_has_is_an_unknown_role_not_the_nearest_known_one(question):
    kinds = [k for k, _ in named(question, "role", "unknown_role")]
    assert kinds == ["unknown_role"]


def test_people_in_the_story_are_not_the_role_asked_about():
    assert named("draft an email to the ally recruiter for my pm role", "role", "unknown_role") == [
        ("role", "product-manager")
    ]


@pytest.mark.parametrize(
    ("question", "kind", "value"),
    [
        ("swe pay at google", "competitor", "Google"),  # a level-mapping column of a guide
        ("swe comp at Zorvex", "unknown_company", "Zorvex"),
        ("netflix swe salary", "unknown_company", "netflix"),
        ("is my walmart offer good", "unknown_company", "walmart"),
        ("what about zorvex", "unknown_company", "zorvex"),
        ("lumeret product designer", "company", "maison-lumeret"),  # a brand typed alone
        ("ally pm bonus", "company", "ally-financial"),
    ],
)
def test_employers_covered_or_not_are_read(question, kind, value):
    assert (kind, value) in named(question, "company", "competitor", "unknown_company")


def test_a_skill_in_capitals_is_no_employer():
    assert named("what does SAP TM experience add for an elbreach solutions architect", "unknown_company") == []


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("swe pay in nyc", "us/ny/new-york-city"),
        ("data engineer boston", "us/ma/boston"),
        ("ptarmigan tpm toronto", "ca/08/toronto"),  # the Greater Toronto Area's city
        ("pay in seattle", "us/wa/seattle"),
        ("salary in Mountain View", "us/ca/mountain-view"),  # a place no guide has: still a place
        ("what do they pay in ohio", "us/oh"),
    ],
)
def test_places_come_from_the_guides_and_a_gazetteer(question, place):
    assert ("place", place) in named(question, "place")


@pytest.mark.parametrize(
    "question",
    [
        "thanks in advance, can i get more equity as a swe",
        "Reading the offer, is 140k base fair?",  # a sentence's first capital says nothing
        "starting in March, what base should a swe ask for",  # the calendar is no place
        "swe salary sea view",  # lower-case short names are words
    ],
)
def test_ordinary_words_are_not_places(question):
    assert named(question, "place", "unknown_place") == []


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("fresno swe salary", "us/ca/fresno"),  # a city's own name, lower case, nothing before it
        ("swe pay in mobile", "us/al/mobile"),  # an everyday word after "in", named for a big city
        ("salary in Reading, PA", "us/pa/reading"),
        ("base for a swe in New Territories", "hk/00/new-territories"),  # "new" alone is a word
    ],
)
def test_cities_are_read_however_they_are_typed(question, place):
    assert ("place", place) in named(question, "place")


@pytest.mark.parametrize(
    ("question", "kind", "value"),
    [
        ("swe pay in Springfield, IL", "place", "us/il/springfield"),
        ("base in charlotte, nc", "place", "us/nc/charlotte"),  # a guide's region, qualified as it is
        ("base in charlotte, va", "unknown_place", "charlotte, va"),  # the guides' Charlotte is North Carolina's
        ("what does a swe make in Smallville, KS", "unknown_place", "Smallville, KS"),
    ],
)
def test_a_place_qualified_by_its_state_is_that_states(question, kind, value):
    assert named(question, "place", "unknown_place") == [(kind, value)]


def test_a_possessive_is_read_without_its_s():
    [company] = reader().read("what is Zorvex's base for a swe").of("unknown_company")
    assert (company.value, company.possessive) == ("Zorvex", True)


@pytest.mark.parametrize(
    ("question", "figures"),
    [
        ("offered 140K base + $30,000 in RSUs", {"base": 140_000, "stock": 30_000}),
        ("180 base and 40 in stock", {"base": 180_000, "stock": 40_000}),
        ("total around 250", {"total": 250_000}),
        ("$150,000 base, a 12% target bonus and 40k rsus", {"base": 150_000, "bonus": 18_000, "stock": 40_000}),
        ("salary SGD 125,000 and bonus 15000 and RSU 25000.", {"base": 125_000, "bonus": 15_000, "stock": 25_000}),
        ("my 401k match is 6% and base 150000", {"base": 150_000}),
        ("base 140,000 bonus 15%", {"base": 140_000, "bonus": 21_000}),  # each word before its figure
        ("bonus 15% and 140k base", {"bonus": 21_000, "base": 140_000}),
        ("salaire de base 135.000 €, bonus 10%", {"base": 135_000, "bonus": 13_500}),  # dots group thousands
    ],
)
def test_offers_are_read_every_way_they_are_written(question, figures):
    read = {f.component: f.low for f in read_figures(question) if f.component and f.low}
    assert read == figures


def test_another_employers_offer_is_told_apart():
    [own, rival] = read_figures("ally offered me 200k tc and another company offered 230k total")
    assert (own.rival, rival.rival) == (False, True)


@pytest.mark.parametrize(
    ("question", "periods"),
    [("offered $60/hr as a contractor", ["hour"]), ("8k a month base", ["month"]), ("base of " + "9" * 400 + "k", [])],
)
def test_rates_and_impossible_numbers_are_no_yearly_figures(question, periods):
    assert [f.period for f in read_figures(question)] == periods


def test_an_amount_with_no_component_is_kept_unplaced():
    [figure] = read_figures("got 180k from them, fair?")
    assert (figure.component, figure.low) == (None, 180_000)


def test_names_are_masked_for_the_classifier():
    reading = reader().read("whats the base range for a swe at ally in charlotte, offered 140k")
    assert reading.masked() == "whats the base range for a <role> at <company> in <place>, offered <amount>"
