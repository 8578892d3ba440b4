"""Guides that are not like the seeds: other currencies, one region, missing sections,
non-ASCII names, tables that are not level mappings. Every question gets a sensible answer,
never an error, a blank, or a figure in the wrong currency."""

from __future__ import annotations

import pytest

from assistant.core import Assistant
from index.build import build_index
from index.money import find_money
from index.search import load_index
from tests.conftest import TODAY

SPARSE = """### Data Wrangler | Acme Corp Negotiation Guide

#### Pay

| Region | Base Salary | Stock | Bonus | Total Comp |
|---|---|---|---|---|
| London | £60K–£80K | £5K–£10K | £5K–£10K | £70K–£100K |

#### Perks

| Benefit | Detail |
|---|---|
| Pension | 8% match |
"""

UNICODE = """### Ingénieur Logiciel | Société Générale Guide

**Negotiation DNA:** `Banque` `Marchés`

#### Rémunération

| Région | Base Salary | Stock | Bonus | Total Comp |
|---|---|---|---|---|
| Paris | €55K–€70K | €5K–€9K | €4K–€8K | €64K–€87K |
| 東京 | €60K–€75K | €5K–€9K | €4K–€8K | €69K–€92K |
| 大阪 | €50K–€65K | €5K–€9K | €4K–€8K | €59K–€82K |

#### Négociation

1. **Équipe Lever**
> "I'd like the base salary at €68K to reflect my experience."

> **Negotiate Up Strategy:** In Paris, push for €80K–€87K TC by citing market data.
"""


@pytest.fixture(scope="module")
def odd(tmp_path_factory, embedder) -> Assistant:
    root = tmp_path_factory.mktemp("odd")
    (root / "seeds" / "acme").mkdir(parents=True)
    (root / "seeds" / "acme" / "data-wrangler.md").write_text(SPARSE)
    (root / "seeds" / "sg").mkdir()
    (root / "seeds" / "sg" / "ingenieur.md").write_text(UNICODE)
    result = build_index(root / "seeds", root / "index", embedder, today=TODAY)
    assert result.manifest.skipped == {}
    return Assistant(load_index(root / "index"), embedder, today=TODAY)


def money(text: str) -> list[str]:
    return [str(m.range) for m in find_money(text, prose=True)]


def test_figures_keep_their_currency(odd):
    answer = odd.ask("data wrangler pay in London")
    assert "| Base Salary | £60K–£80K |" in answer.answer_markdown
    assert all(figure.startswith("£") for figure in money(answer.answer_markdown))
    target = odd.ask("what should I push for as an ingenieur logiciel in Paris?")
    assert "**€80K–€87K** total comp" in target.answer_markdown


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("what should I ask for as a data wrangler", "has no negotiate-up targets"),
        ("how do I negotiate more as a data wrangler", "has no negotiation levers"),
        ("what premiums can a data wrangler get", "has no premiums"),
        ("sources for the data wrangler numbers", "has no sources list"),
        (
            "draft my counter email for a data wrangler offer in Paris",
            "Data Wrangler at Acme Corp is covered in London",
        ),
    ],
)
def test_missing_sections_are_said_plainly(odd, question, says):
    answer = odd.ask(question)
    assert says in answer.answer_markdown, answer.answer_markdown
    assert money(answer.answer_markdown) == []


@pytest.mark.parametrize(
    "question",
    [
        "compare London and Tokyo for a data wrangler",
        "compare London and Paris for a box packer at Acme",
        "compare Foo and Bar",
        "compare data wrangler and ingenieur logiciel in Paris",
        "🙂🙂🙂",
        "12345",
        "data wrangler " * 100,
    ],
)
def test_odd_questions_never_fail(odd, question):
    answer = odd.ask(question)
    assert answer.answer_markdown.strip()
    for figure in money(answer.answer_markdown):
        assert figure in {"£60K–£80K", "£5K–£10K", "£70K–£100K"} or figure.startswith("€")


def test_non_ascii_regions_get_distinct_citations(odd):
    ids = [s.id for s in odd.index.sections if s.kind == "pay"]
    assert (
        "societe-generale/ingenieur-logiciel#pay-東京" in ids and "societe-generale/ingenieur-logiciel#pay-大阪" in ids
    )
    assert len(ids) == len(set(ids))


def test_a_table_that_is_not_a_level_mapping_stays_prose(odd):
    # the guide sits in seeds/acme/, and its folder (the content team's company id) names it
    guide = odd.index.guides["acme/data-wrangler"]
    assert guide.level_mapping is None
    assert any("Pension | 8% match" in p.text for p in guide.narrative)
    # and it is the guide's only word on the company, cited as such
    overview = odd.ask("why is Acme different for a data wrangler")
    assert "Pension | 8% match [1]" in overview.answer_markdown


def test_suggestions_offer_only_what_the_guides_can_answer(odd):
    for question in odd.suggestions():
        assert "RSU" not in question and "equity" not in question  # neither guide has a stock lever


def test_plain_number_offer_is_read(odd, seed_index, embedder):
    assistant = Assistant(seed_index, embedder, today=TODAY)
    answer = assistant.ask("I was offered 150000 base and 40,000 in RSUs as a SWE in Detroit")
    assert answer.entities.offer == {"base": 150_000, "stock": 40_000}


def test_counter_never_aims_at_a_component_already_above_range(seed_index, embedder):
    assistant = Assistant(seed_index, embedder, today=TODAY)
    answer = assistant.ask("I was offered 150K base and 25K stock as a software engineer in Charlotte, fair?")
    assert "**above** the range $116K–$145K" in answer.answer_markdown
    assert "your weakest component is **stock**" in answer.answer_markdown
    assert "Detroit Cost Arbitrage Lever" not in answer.answer_markdown  # asks base $135K: less than offered


@pytest.mark.parametrize(
    "question",
    [
        "SWE pay at Goldman Sachs",
        "software engineer salary in Los Angeles",
        "product manager pay in Dallas",
        "SWE comp at Wells Fargo",
    ],
)
def test_uncovered_employers_and_places_with_plural_looking_names(seed_index, embedder, question):
    answer = Assistant(seed_index, embedder, today=TODAY).ask(question)
    assert answer.status == "not_covered" and money(answer.answer_markdown) == []


def test_compare_with_one_side_compares_it_with_the_guides_other_regions(seed_index, embedder):
    answer = Assistant(seed_index, embedder, today=TODAY).ask("how does a SWE in Detroit compare")
    assert answer.intent == "compare"
    assert "Detroit, MI (HQ) vs Charlotte, NC vs New York" in answer.answer_markdown
