"""The answer builders: one per intent, in one registry checked against intents.yaml (see
tests/test_contract.py). A builder takes a `Request` and a citation `Ledger` and returns a
typed view; the view's template renders it."""

from __future__ import annotations

from assistant.answers import about, levers, offers, pay, talk
from assistant.answers.base import Builder, Request, clarify, not_covered
from assistant.nlu.registry import Intent

BUILDERS: dict[Intent, Builder] = {
    "greeting": talk.greeting,
    "help": talk.help,
    "out_of_scope": talk.out_of_scope,
    "pay_range": pay.pay_range,
    "compare": pay.compare,
    "targets": pay.targets,
    "levers": levers.levers,
    "premiums": levers.premiums,
    "offer_eval": offers.offer_eval,
    "counter_draft": offers.counter_draft,
    "overview": about.overview,
    "sources": about.sources,
    "level_mapping": about.level_mapping,
}

__all__ = ["BUILDERS", "Builder", "Request", "clarify", "not_covered"]
