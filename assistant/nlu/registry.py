"""The intent registry: `intents.yaml` as typed specs. The `Intent` type, the answer builders
and the templates are checked against it by a contract test (tests/test_contract.py)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

import yaml

from index.places import fold
from index.sections import SectionKind

INTENTS_FILE = Path(__file__).with_name("intents.yaml")

Intent = Literal[
    "greeting",
    "help",
    "pay_range",
    "targets",
    "levers",
    "premiums",
    "level_mapping",
    "compare",
    "offer_eval",
    "counter_draft",
    "overview",
    "sources",
    "out_of_scope",
]
# What the classifier can say besides an intent: "this only pivots on the last question".
Label = Intent | Literal["follow_up"]
INTENTS: tuple[Intent, ...] = get_args(Intent)
Need = Literal["role", "region", "company"]


@dataclass(frozen=True)
class IntentSpec:
    name: Label
    label: str  # how answers name it: "negotiate-up target"
    description: str
    kinds: tuple[SectionKind, ...]  # the guide sections it retrieves
    template: str  # assistant/templates/<template>.md.j2
    needs: tuple[Need, ...]  # what must be known before it can be answered
    examples: tuple[str, ...]


@cache
def intent_specs() -> dict[Label, IntentSpec]:
    data = yaml.safe_load(INTENTS_FILE.read_text(encoding="utf-8"))
    return {
        name: IntentSpec(
            name=name,
            label=str(spec["label"]),
            description=" ".join(str(spec["description"]).split()),
            kinds=tuple(spec["kinds"]),
            template=str(spec["template"]),
            needs=tuple(spec["needs"]),
            examples=tuple(str(e) for e in spec["examples"]),
        )
        for name, spec in data.items()
    }


@cache
def example_words() -> frozenset[str]:
    """Every word of the intent examples (slots aside): the words people ask with."""
    words: set[str] = set()
    for spec in intent_specs().values():
        for example in spec.examples:
            words |= set(fold(re.sub(r"\{\w+\}", " ", example)).split())
    return frozenset(words)


def training_hash() -> str:
    """Of what the model is trained from: the examples, and the code and lexicon that read
    them (a change to how names are masked changes the features). A change retrains."""
    digest = hashlib.sha256()
    for path in sorted(INTENTS_FILE.parent.iterdir()):
        if path.suffix in (".py", ".yaml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
