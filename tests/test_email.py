"""The counter email is built from parts: the person's own offer, one consistent ask for the
region, scripts that fit the region, and placeholders for what only the sender can claim."""

from __future__ import annotations

import re

import pytest

from assistant.answers.email import _fit, counter_email
from assistant.compose import Ledger
from assistant.core import Assistant
from index.model import Ask, Lever, Lines, Pay
from index.money import MoneyRange, find_money
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def assistant(seed_index, embedder) -> Assistant:
    return Assistant(seed_index, embedder, today=TODAY)


def email_of(assistant: Assistant, question: str):  # type: ignore[no-untyped-def]
    answer = assistant.ask(question)
    assert answer.intent == "counter_draft" and answer.email is not None, answer.answer_markdown
    return answer, answer.email.plain_text


def test_it_restates_the_offer_and_asks_for_one_total(assistant):
    answer, text = email_of(assistant, "write my counter email as a product manager in New York, offered 150k base")
    assert "Thank you for the offer for the Product Manager role in New York: $150K base salary." in text
    target = next(f.value for f in answer.facts if f.kind == "target")
    assert target == "$285K–$309K"
    totals = [
        str(m.range) for m in find_money(text) if "TC" in text[m.end : m.end + 4] or "total" in text[m.end : m.end + 12]
    ]
    assert set(totals) <= {target}  # no second total ask from a script written for elsewhere


def test_scripts_written_for_another_region_are_left_out(assistant):
    _, text = email_of(assistant, "draft a counter email for a software engineer in New York")
    assert "Detroit" not in text and "Charlotte" not in text
    _, detroit = email_of(assistant, "draft a counter email for a software engineer in Detroit")
    assert "in Detroit" in detroit


def test_a_competing_offer_the_sender_never_mentioned_is_a_placeholder(assistant):
    guide = assistant.guide("ally-financial/product-manager")
    [lever] = [lv for lv in guide.levers if "competing offer" in lv.script]  # "…from [company] at $245K TC"
    pay, target = guide.pay_for("Charlotte, NC"), guide.target_for("Charlotte, NC")
    email = counter_email(Ledger(assistant.index), guide, pay, target, [], False, [lever], [guide])
    text = email.plain_text
    assert "[if you have a competing offer: its company and total]" in text
    assert "$245K" not in text and "competing offer from" not in text
    told = counter_email(Ledger(assistant.index), guide, pay, target, [], True, [lever], [guide]).plain_text
    assert "competing offer from [company]" in told  # said, when the person said they have one


def test_counts_only_the_sender_knows_are_placeholders_and_the_companys_stay(assistant):
    _, text = email_of(assistant, "write a counter email for an engineering manager in Detroit")
    assert "a team of [number] engineers" in text  # the script's "12" was someone else's team
    assert "11 million customers" in text  # the company's own figure, stated in its guides


def test_the_email_says_what_is_left_to_fill_and_cites_nothing_inline(assistant):
    answer, text = email_of(assistant, "draft a counter email for a software engineer in Charlotte")
    assert answer.email.placeholders[0] == "[Recruiter name]" and "[Your name]" in answer.email.placeholders
    assert not re.search(r"\[\d+\]", text)  # citation marks are for the reader, not the recruiter
    assert answer.answer_markdown.count("[email-start]: #") == 1  # the chat draws it as a card
    cited = {n for p in answer.email.paragraphs for n in p.cites}
    assert cited and cited <= {c.n for c in answer.citations}


def _lever(script: str, *asks: tuple[str, str]) -> Lever:
    ranges = {str(m.range): m.range for m in find_money(script)}
    return Lever(
        number=1,
        name="Scope Lever",
        script=script,
        asks=[Ask(component=c, amount=ranges[a], phrase=a) for c, a in asks],  # type: ignore[arg-type]
        placeholders=[],
        heading="Scope Lever",
        lines=Lines(start=1, end=2),
    )


BAND = Pay(region="Austin, TX", base=MoneyRange(low=150_000, high=170_000, currency="USD"), lines=Lines(start=3, end=3))


@pytest.mark.parametrize("written", ["$190,000", "$190k", "$185K-$195K"])
def test_an_ask_above_the_range_becomes_its_top_however_it_is_written(written):
    lever = _lever(
        f"I'd like the base at {written} to reflect this scope.", ("base", str(find_money(written)[0].range))
    )
    assert _fit(lever, BAND, None, [], False, "") == "I'd like the base at $170K to reflect this scope."


def test_an_ask_in_another_currency_is_not_compared_with_the_range():
    lever = _lever("I'd like the base at €190K to reflect this scope.", ("base", "€190K"))
    assert _fit(lever, BAND, None, [], False, "") == "I'd like the base at €190K to reflect this scope."


@pytest.mark.parametrize(
    ("script", "kept"),
    [
        ("I lead a team of 12 engineers today.", "I lead a team of [number] engineers today."),
        ("I can start on March 15 if that helps.", "I can start on March 15 if that helps."),
        ("I'd like 5 extra days of PTO.", "I'd like 5 extra days of PTO."),
        ("I'd like a 15 percent bonus.", "I'd like a 15 percent bonus."),
        ("My team of 12 engineers ships weekly.", "My team of 12 engineers ships weekly."),  # the guide says so
    ],
)
def test_only_counts_the_sender_alone_can_state_become_placeholders(script, kept):
    stated = "ally's team of 12 engineers" if "ships" in script else "a bank of 112 engineers"
    assert _fit(_lever(script), BAND, None, [], False, stated) == kept


def test_no_script_asks_for_less_than_the_offer(assistant):
    # the TPM guide's base lever asks $158K–$160K: no counter to a $170K base
    answer, text = email_of(assistant, "write my counter email as a TPM in New York, offer 170k base")
    assert "$170K base salary" in text
    asked = [m.range for m in find_money(text) if "base" in text[max(0, m.start - 40) : m.start]]
    assert all(r.high > 170_000 for r in asked if r.currency == "USD" and r.high < 200_000), asked
