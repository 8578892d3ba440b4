"""The dialogue rules, each on hand-built inputs: what a question names, what the classifier
says, and what the conversation carried. No model is loaded here."""

from __future__ import annotations

import re
from functools import cache

from assistant.answer import Entities
from assistant.dialogue import (
    Context,
    Turn,
    a_pay_figure_kind_means_pay,
    bare_follow_up_repeats_last_intent,
    classifier_reading,
    comparison_takes_its_other_side_from_context,
    competitor_pay_is_not_covered,
    decide,
    level_title_and_competitor_mean_level_mapping,
    new_names_beat_context,
    offer_amounts_mean_offer_check,
    read_names,
    reference_to_last_answer_keeps_its_intent,
    rival_offer_means_levers,
    unknown_names_are_not_covered,
    unsure_asks_between_two_readings,
)
from assistant.nlu.amounts import Figure
from assistant.nlu.mentions import Mention, Reading
from assistant.nlu.vocabulary import Vocabulary
from index.parse import parse_guide
from tests.conftest import ROOT, SEEDS


@cache
def vocab() -> Vocabulary:
    return Vocabulary.of(parse_guide(p, ROOT) for p in sorted(SEEDS.rglob("*.md")))


def mention(question: str, kind, value: str, text: str, how: str = "exact") -> Mention:  # type: ignore[no-untyped-def]
    start = question.lower().index(text.lower())
    return Mention(kind, value, start, start + len(text), how, text)


def turn(
    question: str, mentions=(), figures=(), readings=(("pay_range", 0.9), ("targets", 0.05)), context=None
) -> Turn:  # type: ignore[no-untyped-def]
    reading = Reading(question, list(mentions), list(figures))
    return Turn(reading, list(readings), context or Context(), vocab())


def figure(question: str, text: str, component, amount: int, rival=False) -> Figure:  # type: ignore[no-untyped-def]
    start = question.index(text)
    said = re.search(r"\b(base|stock|bonus|total)\b", question[start + len(text) :])
    at = (start + len(text) + said.start(), start + len(text) + said.end()) if said else None
    return Figure(start, start + len(text), text, component, amount, amount, None, None, rival, component_at=at)


SWE_CHARLOTTE = Context(
    intent="pay_range",
    entities=Entities(role="software-engineer", region="Charlotte, NC", places=["us/nc/charlotte"], component="base"),
)


def test_a_question_names_its_company_role_place_and_component():
    q = "base for a swe at ally in charlotte"
    t = turn(q, [
        mention(q, "component", "base", "base"),
        mention(q, "role", "software-engineer", "swe"),
        mention(q, "company", "ally-financial", "ally"),
        mention(q, "place", "us/nc/charlotte", "charlotte"),
    ])  # fmt: skip
    assert read_names(t)
    assert t.named == Entities(
        component="base", role="software-engineer", company="ally-financial", places=["us/nc/charlotte"]
    )
    assert t.named.model_fields_set == {"component", "role", "company", "places"}


def test_a_bare_follow_up_repeats_the_last_intent_with_what_it_names():
    q = "what about New York?"
    t = turn(
        q,
        [mention(q, "place", "us/ny/new-york-city", "New York")],
        readings=[("follow_up", 0.9), ("pay_range", 0.05)],
        context=SWE_CHARLOTTE,
    )
    decide(t)
    assert "bare_follow_up_repeats_last_intent" in t.fired
    assert (t.intent, t.entities.role, t.entities.places, t.entities.component) == (
        "pay_range", "software-engineer", ["us/ny/new-york-city"], "base"
    )  # fmt: skip


def test_a_follow_up_with_nothing_before_it_invents_no_question():
    t = turn("and the bonus?", readings=[("follow_up", 0.9), ("pay_range", 0.05)])
    assert bare_follow_up_repeats_last_intent(t) and t.intent == "help"


def test_the_new_question_names_beat_what_the_context_carried():
    q = "same for architects"
    t = turn(
        q,
        [mention(q, "role", "solutions-architect", "architects")],
        readings=[("follow_up", 0.9), ("levers", 0.05)],
        context=SWE_CHARLOTTE,
    )
    decide(t)
    assert (t.intent, t.entities.role, t.entities.places) == ("pay_range", "solutions-architect", ["us/nc/charlotte"])


def test_switching_company_keeps_the_role_and_place_to_be_checked_there():
    q = "what about at Brackwater?"
    t = turn(
        q,
        [mention(q, "company", "brackwater-analytics", "Brackwater")],
        readings=[("follow_up", 0.9)],
        context=SWE_CHARLOTTE,
    )
    read_names(t)
    bare_follow_up_repeats_last_intent(t)
    new_names_beat_context(t)
    assert (t.entities.company, t.entities.role, t.entities.places) == (
        "brackwater-analytics", "software-engineer", ["us/nc/charlotte"]
    )  # fmt: skip


def test_amounts_of_ones_own_offer_mean_an_offer_check():
    q = "140k base and 30k stock in detroit as a swe"
    t = turn(q, figures=[figure(q, "140k", "base", 140_000), figure(q, "30k", "stock", 30_000)])
    read_names(t)
    t.intent = "pay_range"
    assert offer_amounts_mean_offer_check(t) and t.intent == "offer_eval"
    assert t.named.offer == {"base": 140_000, "stock": 30_000}


def test_amounts_do_not_turn_a_counter_email_into_an_offer_check():
    q = "write my counter, offer is 150k base"
    t = turn(q, figures=[figure(q, "150k", "base", 150_000)], readings=[("counter_draft", 0.8), ("offer_eval", 0.1)])
    read_names(t)
    t.intent = "counter_draft"
    assert not offer_amounts_mean_offer_check(t) and t.intent == "counter_draft"


def test_another_employers_offer_alone_asks_for_the_levers_to_use_it():
    q = "another company offered 230k total, is that good"
    t = turn(
        q, figures=[figure(q, "230k", "total", 230_000, rival=True)], readings=[("offer_eval", 0.6), ("levers", 0.3)]
    )
    read_names(t)
    t.intent = "offer_eval"
    assert rival_offer_means_levers(t) and t.intent == "levers" and not t.names("offer")


def test_a_competitors_pay_is_not_covered_but_its_levels_are():
    q = "swe pay at Capital One"
    base = [mention(q, "role", "software-engineer", "swe"), mention(q, "competitor", "Capital One", "Capital One")]
    pay = turn(q, base)
    decide(pay)
    assert pay.status == "not_covered" and pay.entities.unknown_company == "Capital One"
    q2 = "swe ii at ally is what level at Capital One"
    levels = turn(q2, [mention(q2, "role", "software-engineer", "swe ii"), mention(q2, "company", "ally-financial", "ally"),
                       mention(q2, "competitor", "Capital One", "Capital One")], readings=[("level_mapping", 0.9)])  # fmt: skip
    decide(levels)
    assert levels.status == "answered" and levels.entities.company == "ally-financial"


def test_an_employer_no_guide_covers_is_not_covered_unless_it_only_made_another_offer():
    q = "swe pay at Zorvex"
    t = turn(
        q,
        [
            mention(q, "role", "software-engineer", "swe"),
            mention(q, "unknown_company", "Zorvex", "Zorvex", "open-world"),
        ],
    )
    decide(t)
    assert "unknown_names_are_not_covered" in t.fired and t.status == "not_covered"
    q2 = "i have an offer from Zorvex, how do i use it at ally as a swe"
    t2 = turn(q2, [mention(q2, "unknown_company", "Zorvex", "Zorvex", "open-world"), mention(q2, "company", "ally-financial", "ally"),
                   mention(q2, "role", "software-engineer", "swe")], readings=[("levers", 0.9)])  # fmt: skip
    decide(t2)
    assert t2.status == "answered" and t2.entities.company == "ally-financial"


def test_a_role_no_guide_covers_is_not_covered():
    q = "platform engineer pay at ally"
    t = turn(
        q,
        [
            mention(q, "unknown_role", "platform engineer", "platform engineer", "open-world"),
            mention(q, "company", "ally-financial", "ally"),
        ],
    )
    read_names(t)
    t.intent = "pay_range"
    new_names_beat_context(t)
    assert unknown_names_are_not_covered(t) and t.status == "not_covered"


def test_an_unsure_reading_asks_between_the_two_likeliest():
    t = turn("equity?", readings=[("levers", 0.25), ("pay_range", 0.22), ("premiums", 0.1)])
    decide(t)
    assert (t.status, t.options) == ("clarify", ["levers", "pay_range"])


def test_a_close_call_between_two_figure_lookups_of_a_named_guide_answers_the_likelier():
    q = "ecmo premium for rts at ally"
    t = turn(q, [mention(q, "company", "ally-financial", "ally")], readings=[("premiums", 0.48), ("pay_range", 0.43)])
    decide(t)
    assert (t.intent, t.status, t.options) == ("premiums", "answered", ["pay_range"])


def test_a_guide_and_a_kind_of_pay_figure_named_confirm_a_pay_reading():
    q = "ally sign on"
    t = turn(q, [mention(q, "company", "ally-financial", "ally"), mention(q, "component", "sign_on", "sign on")],
             readings=[("pay_range", 0.45), ("overview", 0.38)])  # fmt: skip
    decide(t)
    assert (t.intent, t.status) == ("pay_range", "answered")


def test_a_close_call_between_a_guide_question_and_small_talk_answers_the_guide_question():
    q = "how do i ask ally for help with relocation"
    t = turn(q, [mention(q, "company", "ally-financial", "ally")], readings=[("help", 0.42), ("levers", 0.41)])
    decide(t)
    assert (t.intent, t.status) == ("levers", "answered")


def test_a_pay_period_named_about_a_guide_asks_for_its_figures():
    q = "ally gehalt monatlich?"
    t = turn(q, [mention(q, "company", "ally-financial", "ally"), mention(q, "per", "month", "monatlich")],
             readings=[("overview", 0.47), ("pay_range", 0.41)])  # fmt: skip
    decide(t)
    assert (t.intent, t.status) == ("pay_range", "answered")


def test_a_job_title_the_named_companys_one_guide_uses_is_its_level_not_another_role():
    from index.parse import parse_text

    guide = parse_text(
        "# Bergfink Velo — Bike Mechanic\n\n## Pay\n\n- **Werkstattleiter:in** (workshop lead): CHF 6'000 a month\n",
        "bergfink-velo/bike-mechanic.md",
    )
    q = "werkstattleiter pay at bergfink"
    reading = Reading(q, [mention(q, "company", "bergfink-velo", "bergfink"),
                          mention(q, "unknown_role", "werkstattleiter", "werkstattleiter")])  # fmt: skip
    t = Turn(reading, [("pay_range", 0.9), ("targets", 0.05)], Context(), Vocabulary.of([guide]))
    decide(t)
    assert (t.status, t.entities.role, t.entities.unknown_role) == ("answered", "bike-mechanic", None)
    # A job the guide only mentions in passing is still no level of it.
    q = "platform engineer pay at bergfink"
    reading = Reading(q, [mention(q, "company", "bergfink-velo", "bergfink"),
                          mention(q, "unknown_role", "platform engineer", "platform engineer")])  # fmt: skip
    t = Turn(reading, [("pay_range", 0.9), ("targets", 0.05)], Context(), Vocabulary.of([guide]))
    decide(t)
    assert t.status == "not_covered"


def test_a_close_call_with_no_guide_named_still_asks():
    t = turn("ecmo premium?", readings=[("premiums", 0.48), ("pay_range", 0.43)])
    decide(t)
    assert t.status == "clarify"


def test_a_rule_that_settled_the_intent_is_not_second_guessed():
    q = "got 150k base"
    t = turn(q, figures=[figure(q, "150k", "base", 150_000)], readings=[("pay_range", 0.25), ("offer_eval", 0.2)])
    decide(t)
    assert t.intent == "offer_eval" and t.status == "answered"
    assert not unsure_asks_between_two_readings(t)


def test_a_question_about_the_last_answers_items_keeps_its_intent():
    q = "which of those is about equity?"
    context = Context(intent="levers", entities=Entities(role="product-manager"))
    t = turn(q, [mention(q, "referring", "previous", "which of"), mention(q, "component", "stock", "equity")],
             readings=[("overview", 0.22), ("levers", 0.2)], context=context)  # fmt: skip
    read_names(t)
    classifier = t.readings[0]
    t.intent, t.confidence = classifier[0], classifier[1]  # type: ignore[assignment]
    assert reference_to_last_answer_keeps_its_intent(t) and t.intent == "levers"
    new_names_beat_context(t)
    assert (t.entities.role, t.entities.component) == ("product-manager", "stock")


def test_a_level_title_and_a_competitor_ask_how_levels_map():
    q = "director of engineering at ally, whats that at capital one"
    t = turn(q, [mention(q, "level", "ally-financial/engineering-manager", "director of engineering"),
                 mention(q, "company", "ally-financial", "ally"), mention(q, "competitor", "Capital One", "capital one")],
             readings=[("pay_range", 0.4), ("level_mapping", 0.3)])  # fmt: skip
    decide(t)
    assert "level_title_and_competitor_mean_level_mapping" in t.fired
    assert (t.intent, t.status, t.entities.role) == ("level_mapping", "answered", "engineering-manager")
    assert not level_title_and_competitor_mean_level_mapping(turn(q))  # no title, no competitor: nothing


def test_a_comparison_naming_one_place_takes_the_other_from_the_conversation():
    q = "how does new york compare"
    t = turn(
        q, [mention(q, "place", "us/ny/new-york-city", "new york")], readings=[("compare", 0.9)], context=SWE_CHARLOTTE
    )
    decide(t)
    assert "comparison_takes_its_other_side_from_context" in t.fired
    assert t.entities.places == ["us/ny/new-york-city", "us/nc/charlotte"]
    assert not comparison_takes_its_other_side_from_context(turn(q, readings=[("compare", 0.9)]))


def test_competitor_rule_needs_a_competitor():
    assert not competitor_pay_is_not_covered(turn("swe pay"))


def test_a_competitor_asked_about_alone_is_not_covered():
    q = "google swe salary"
    t = turn(q, [mention(q, "competitor", "Google", "google"), mention(q, "role", "software-engineer", "swe")])
    decide(t)
    assert (t.status, t.entities.unknown_company) == ("not_covered", "Google")


def test_a_competing_offer_from_a_competitor_is_no_question_about_it():
    q = "how do i use a competing google offer as a swe"
    t = turn(
        q,
        [mention(q, "competitor", "Google", "google"), mention(q, "role", "software-engineer", "swe")],
        readings=[("levers", 0.9), ("pay_range", 0.05)],
    )
    decide(t)
    assert (t.intent, t.status) == ("levers", "answered")


def test_a_kind_of_pay_figure_named_makes_an_unsure_or_off_topic_reading_a_pay_question():
    q = "is the draw recoverable?"
    t = turn(q, [mention(q, "extra", "draw", "draw")], readings=(("out_of_scope", 0.6), ("sources", 0.2)))
    classifier_reading(t)
    assert not a_pay_figure_kind_means_pay(t)  # nothing ties it to a guide: it stays off topic
    t = turn(
        q,
        [mention(q, "extra", "draw", "draw")],
        readings=(("out_of_scope", 0.6), ("sources", 0.2)),
        context=SWE_CHARLOTTE,
    )
    classifier_reading(t)
    assert a_pay_figure_kind_means_pay(t) and t.intent == "pay_range"
    sure = turn(q, [mention(q, "extra", "draw", "draw")], readings=(("levers", 0.95), ("pay_range", 0.02)))
    classifier_reading(sure)
    assert not a_pay_figure_kind_means_pay(sure) and sure.intent == "levers"  # "a script to raise the draw"
