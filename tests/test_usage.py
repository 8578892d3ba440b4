"""What is kept for the content team: questions with every amount redacted, grouped by what
the guides were missing — read from real answers of the real assistant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.core import Assistant
from assistant.usage import REDACTED, record_of, redact, usage_report

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def assistant(seed_index, embedder) -> Assistant:
    return Assistant(seed_index, embedder, today=NOW.date())


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("offered 140K base + 30K stock in Detroit, good?", "offered [amount] base + [amount] stock in Detroit, good?"),
        ("150000 base, $35,000 RSU", "[amount] base, [amount] RSU"),
        ("€95k in Berlin", "[amount] in Berlin"),
        ("they said 1.2M over four years", "they said [amount] over four years"),
        ("95 000 EUR", REDACTED),
        ("They offered 140 and I want 160", "They offered [amount] and I want [amount]"),
        ("150-160k or 150 to 160k", "[amount] or [amount]"),
        ("95.000 € or CHF 120'000", "[amount] or [amount]"),
        ("25 LPA, 1,5 Mio €, 140 grand", "[amount], [amount], [amount]"),
        ("2000 EUR per month, 140kUSD", "[amount] per month, [amount]"),
        ("twelve thousand more", "[amount] more"),
        ("bonus 15% for 3 years at level 5", "bonus 15% for 3 years at level 5"),  # shares and counts stay
    ],
)
def test_amounts_people_type_are_redacted_and_nothing_else(typed, kept):
    assert redact(typed) == kept


def test_a_record_says_what_the_guides_were_missing(assistant):
    stripe = record_of(assistant.ask("I was offered 182K base at Stripe as a software engineer, ok?"), NOW, "web")
    assert (stripe.missing, stripe.missing_name, stripe.status) == ("company", "Stripe", "not_covered")
    assert "182" not in stripe.question and stripe.guides == []
    weather = record_of(assistant.ask("what's the weather like in Paris this weekend?"), NOW, "api")
    assert weather.missing == "out_of_scope"
    answered = record_of(assistant.ask("base range for a software engineer in Charlotte?"), NOW, "slack")
    assert answered.missing is None and answered.guides == ["ally-financial/software-engineer"]


def test_the_report_groups_what_was_missing_and_redacts_comments(assistant):
    asked = [
        ("I was offered 182K base at Stripe as a software engineer, ok?", NOW),
        ("base pay at stripe for a software engineer", NOW - timedelta(days=2)),
        ("base range for a software engineer in Charlotte?", NOW - timedelta(days=1)),
        ("base range for a software engineer in Charlotte?", NOW - timedelta(days=40)),  # before the window
    ]
    records = [record_of(assistant.ask(q), at, "web") for q, at in asked]
    complaint = (NOW, records[2].message_id, "says 150k, my letter says 163,500")
    report = usage_report(records, [complaint], assistant.guides(), [], date(2026, 11, 21), days=28)
    assert (report.questions, report.unanswered) == (3, 2)
    (group,) = report.missing
    assert (group.kind, group.count) == ("company", 2)  # "Stripe" and "stripe": one company
    assert report.complaints[0].comment == "says [amount], my letter says [amount]"
    assert report.complaints[0].guides == ["ally-financial/software-engineer"]
    swe = next(u for u in report.guides if u.guide_id == "ally-financial/software-engineer")
    assert (swe.questions, swe.thumbs_down) == (1, 1)
    assert sum(d.questions for d in report.days) == 3 and len(report.days) == 28
