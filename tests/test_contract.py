"""The intent registry is the one source of truth: the `Intent` type, the builders, the
templates and the examples all agree with assistant/nlu/intents.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from assistant.answers import BUILDERS
from assistant.nlu.registry import INTENTS, Intent, intent_specs
from index.sections import SectionKind

TEMPLATES = Path(__file__).resolve().parent.parent / "assistant" / "templates"


def test_every_intent_in_the_registry_is_an_intent_type_and_has_a_builder():
    specs = intent_specs()
    assert set(specs) - {"follow_up"} == set(get_args(Intent)) == set(INTENTS)
    assert set(BUILDERS) == set(INTENTS)


@pytest.mark.parametrize("name", sorted(intent_specs()))
def test_each_intent_has_30_to_60_examples_a_template_and_known_section_kinds(name):
    spec = intent_specs()[name]
    assert 30 <= len(spec.examples) <= 60
    assert len(set(spec.examples)) == len(spec.examples), "an example is written twice"
    assert (TEMPLATES / f"{spec.template}.md.j2").is_file()
    assert set(spec.kinds) <= set(get_args(SectionKind))
    assert set(spec.needs) <= {"role", "region", "company"}
    assert spec.label and spec.description


def test_status_templates_exist_for_answers_that_give_no_figures():
    for template in ("not_covered", "clarify", "lacking", "talk"):
        assert (TEMPLATES / f"{template}.md.j2").is_file()


def test_examples_name_no_company_role_or_place_of_the_guides():
    # Names come from the index at build time, through slots: the examples stay general.
    from index.parse import parse_guide
    from tests.conftest import ROOT

    guides = [parse_guide(p, ROOT) for p in sorted((ROOT / "seeds").rglob("*.md"))]
    names = {g.company.lower() for g in guides} | {g.role.lower() for g in guides}
    names |= {r.split(",")[0].split("(")[0].strip().lower() for g in guides for r in g.regions}
    for spec in intent_specs().values():
        for example in spec.examples:
            assert not any(name in example.lower() for name in names), example


def test_every_section_kind_has_one_builder():
    from typing import get_args

    from index.sections import BUILDERS, SectionKind

    assert list(BUILDERS) == list(get_args(SectionKind))


def test_every_kind_of_claimed_block_is_registered_with_its_label_and_reason():
    from typing import get_args

    from index.claims import KINDS, ClaimKind

    assert set(KINDS) == set(get_args(ClaimKind))
    assert all(kind.label and kind.reason for kind in KINDS.values())
