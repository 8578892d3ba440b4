"""Answers that give no figures: a greeting, what the assistant does, and questions that are
not about negotiating an offer. Each says what the guides cover and what to ask."""

from __future__ import annotations

from assistant.answers.base import Request, coverage
from assistant.answers.views import TalkView, View
from assistant.compose import Ledger
from assistant.phrasing import ask_intent


def _examples(request: Request) -> list[str]:
    guides = request.vocab.guides
    if not guides:
        return []
    first, last = guides[0], guides[-1]
    out = [ask_intent("pay_range", first, None), ask_intent("levers", last, None), ask_intent("targets", first, None)]
    return [q for q in out if q]


def greeting(request: Request, ledger: Ledger) -> View:
    return TalkView("greeting", coverage(request.vocab), _examples(request))


def help(request: Request, ledger: Ledger) -> View:  # noqa: A001 - named for its intent
    return TalkView("help", coverage(request.vocab), _examples(request))


def out_of_scope(request: Request, ledger: Ledger) -> View:
    return TalkView("out_of_scope", coverage(request.vocab), _examples(request))
