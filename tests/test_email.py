"""The counter email is built from parts: the person's own offer, one consistent ask for the
region, scripts that fit the region, and placeholders for what only the sender can claim."""

from __future__ import annotations

import re

import pytest

from assistant.answers.email import counter_email
from assistant.compose import Ledger
from assistant.core import Assistant
from index.money import find_money
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
