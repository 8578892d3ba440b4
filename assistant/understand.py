"""Question -> intent and entities, in the context of the conversation so far.

Entities come from the vocabulary (built from the guides). The intent comes from cue rules
plus nearest-example similarity under the embedding model, on the same query vector that
retrieval uses, so understanding costs no extra model call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.aliases import KNOWN_EMPLOYERS, KNOWN_PLACES
from assistant.answer import INTENTS, Entities, Intent
from assistant.vocabulary import Vocabulary
from index.embed import Embedder
from index.model import Component
from index.money import find_money
from index.vocab import COMPONENT_WORDS

# Cue phrases and how strongly each points at an intent (added to example similarity).
_CUES: list[tuple[Intent, str, float]] = [
    ("pay_range", r"""
        \b(range|salary|salaries|pay|paid|comp(ensation)?|how\ much|base|band)\b
      | \b(what|how\ much)\ (does|do|would|will|can)\b .{0,40} \b(make|earn)\b""", 0.25),
    ("targets", r"""
        \b(target|aim\ for|negotiate\ up|push\ for|counter\ with|what\ (number|figure)
           |how\ (high|much)\ (can|should)\ i)\b
      | \b(what|how\ much)\b .{0,25} \bask\ for\b""", 0.45),
    ("levers", r"""
        \b(levers?|scripts?|what\ (do|should)\ i\ say|how\ (do|can|should|to)(\ i)?\ (ask|push|get|negotiate)
           |negotiat\w*\ (more|a\ higher|a\ bigger|for\ more)|argue|justify|leverage)\b
      | \b(get|ask\ for|negotiate|push\ for|want)\ (a\ |an\ )?(more|higher|bigger|larger|better)\b
      | \bhow\ can\b .{0,30} \bget\b""", 0.45),
    ("premiums", r"\b(premiums?|worth|value\ of|experience\ (is|worth)|command)\b", 0.5),
    ("level_mapping", r"\b(equivalent|level(s|ing)?|maps?\ to|same\ as|compare(s)?\ to\ at|title\ at)\b", 0.5),
    ("compare", r"\b(compare|comparison|vs\.?|versus|difference|differ|between|higher\ in|better\ paid)\b", 0.45),
    ("counter_draft", r"""
        \b(draft|write|compose)\b .* \b(email|counter|message|letter|reply|response)\b
      | \bcounter[-\ ]?offer\ email\b""", 0.9),
    ("overview", r"""
        \b(why|different|unique|culture|dna|about\ (the\ )?company|tell\ me\ about|what\ makes
           |stand\ out)\b""", 0.4),
    ("sources", r"\b(sources?|evidence|where\ does\ (this|the)\ data|data\ come\ from|cite|references?)\b", 0.6),
    ("help", r"^\s*(help|\?|what\ can\ you\ (do|answer)|how\ do(es)?\ (this|you)\ work|what\ do\ you\ know)\b", 0.9),
    ("offer_eval", r"""
        \b(offered|offer\ of|is\ (that|this|it)\ (good|fair|low|high)|should\ i\ (take|accept)
           |lowball)\b""", 0.5),
]  # fmt: skip
RULES: list[tuple[Intent, re.Pattern[str], float]] = [
    (intent, re.compile(pattern, re.I | re.X), weight) for intent, pattern, weight in _CUES
]

# A few ways people ask each thing, for nearest-example matching. No guide names here.
EXAMPLES: dict[Intent, list[str]] = {
    "pay_range": [
        "what is the salary range for this role",
        "how much does the job pay",
        "base salary and stock range",
        "what's the total compensation in this city",
        "pay band for the role",
    ],
    "targets": [
        "what should I ask for",
        "what number should I push for",
        "negotiate up target",
        "how high can I counter",
        "what total comp should I aim for",
    ],
    "levers": [
        "how do I negotiate a higher base",
        "how do I get more RSUs",
        "what should I say to the recruiter",
        "give me a script to ask for more equity",
        "negotiation levers for this role",
    ],
    "premiums": [
        "what is my experience worth",
        "how much premium for my specialized experience",
        "what premium does this skill command",
        "is my specialized background worth extra pay",
    ],
    "level_mapping": [
        "what level is this at a competitor",
        "senior title equivalent at another company",
        "how do the levels map",
        "is this the same level as at the other company",
    ],
    "compare": [
        "compare pay between two cities",
        "which city pays more",
        "difference between these two roles",
        "compare the two roles' ranges",
    ],
    "offer_eval": [
        "I was offered this salary, is that good",
        "is my offer fair",
        "should I accept this offer",
        "evaluate my offer",
    ],
    "counter_draft": [
        "draft my counter offer email",
        "write the email to the recruiter",
        "help me write a counter",
        "compose a negotiation message",
    ],
    "overview": [
        "why is this company different",
        "tell me about the company",
        "what's their negotiation DNA",
        "what makes this employer unique",
    ],
    "sources": ["where does this data come from", "what are your sources", "show me the evidence"],
    "help": ["what can you do", "help", "what questions can I ask"],
    "out_of_scope": [
        "what is the weather today",
        "write me a poem",
        "who won the game last night",
        "recommend a restaurant",
        "what is the capital of France",
    ],
}
FOLLOW_UP = re.compile(
    r"""^\s*(what\ about|how\ about|and(\ for|\ in|\ at)?|same\ for|what\ if
             |ok(ay)?,?\ (and|what\ about)|now\ for|for\ (a|an|the)?\b)""",
    re.I | re.X,
)
OUT_OF_SCOPE_BELOW = 0.30  # best example similarity under which an entity-free question is off topic


@dataclass
class Context:
    """What a conversation has established so far, carried into the next question."""

    intent: Intent | None = None
    entities: Entities = field(default_factory=Entities)


@dataclass
class Understanding:
    question: str
    intent: Intent
    entities: Entities
    role_choices: list[str]  # roles the question could mean when it names none or several
    follow_up: bool


class IntentModel:
    """Nearest-example intent similarity; the example vectors are computed once."""

    def __init__(self, embedder: Embedder) -> None:
        self.labels: list[Intent] = [i for i, examples in EXAMPLES.items() for _ in examples]
        self.vectors = embedder.embed([e for examples in EXAMPLES.values() for e in examples])

    def similarities(self, vector: np.ndarray) -> dict[Intent, float]:
        scores = self.vectors @ vector
        best: dict[Intent, float] = {}
        for label, score in zip(self.labels, scores, strict=True):
            best[label] = max(best.get(label, -1.0), float(score))
        return best


# A bare number is an amount only when big enough to be pay and next to a pay word
# ("150,000 base", "base of 150000"); "2026" or "11 million customers" never are.
_BARE_AMOUNT = re.compile(r"(?<![\w$€£.,])(\d{1,3}(?:,\d{3})+|\d{5,7})(?![\w.,]*[kKmM%])")


def offer_in(question: str) -> dict[Component, int]:
    """The amounts a person gives for their offer: "140K base + $30,000 in RSUs", "total 190k"."""
    offer: dict[Component, int] = {}
    for m in find_money(question):
        after = question[m.end : m.end + 24]
        component = _component_after(after) or _component_before(question[: m.start])
        offer.setdefault(component or "base", m.range.low)
    for bare in _BARE_AMOUNT.finditer(question):
        after, before = question[bare.end() : bare.end() + 24], question[: bare.start()]
        component = _component_after(after) or _component_before(before)
        if component:
            offer.setdefault(component, int(bare.group(1).replace(",", "")))
    return offer


def _component_after(text: str) -> Component | None:
    for component, pattern in COMPONENT_WORDS:
        found = pattern.search(text)
        if found and re.fullmatch(
            r"\s*(?:(?:in|of|for|as|per year|a year|/yr|annual)\s*)*(?:the\s+)?", text[: found.start()]
        ):
            return component
    return None


def _component_before(text: str) -> Component | None:
    clause = re.split(r"[,;+]|\band\b", text)[-1]
    found = [(m.end(), c) for c, p in COMPONENT_WORDS for m in p.finditer(clause)]
    return max(found)[1] if found else None


def components_in(question: str) -> list[Component]:
    return [c for c, pattern in COMPONENT_WORDS if pattern.search(question)]


def understand(
    question: str, vector: np.ndarray, vocab: Vocabulary, intents: IntentModel, context: Context
) -> Understanding:
    reading = vocab.read(question)
    roles, regions, companies, competitors = reading.roles, reading.regions, reading.companies, reading.competitors
    unknown = reading.unknown
    offer = offer_in(question)
    components = components_in(re.sub(r"\$?\d[\d,.]*\s*[kKmM]?", " ", question)) if not offer else list(offer)

    fired = {cue for cue, pattern, _ in RULES if pattern.search(question)}
    scores = {i: 0.0 for i in INTENTS}
    for cue, _, weight in RULES:
        if cue in fired:
            scores[cue] += weight
    similarity = intents.similarities(vector)
    for label, sim in similarity.items():
        scores[label] += sim
    cued = bool(fired)
    named = bool(roles or regions or companies or competitors or offer)

    if offer and scores["counter_draft"] < 1.0:
        intent: Intent = "offer_eval"
    elif competitors and "pay_range" in fired and "level_mapping" not in fired:
        intent = "not_covered"  # pay at a company that is only a level-mapping column
        unknown = unknown + competitors
    elif competitors:
        intent = "level_mapping"
    elif len(regions) > 1 or (len(roles) > 1 and "compare" in fired):
        intent = "compare"
    elif "compare" in fired and scores["compare"] >= max(scores.values()) - 0.25:
        # "how does that compare to HQ?": the other side is the context; with no second side
        # at all the comparison builder asks which.
        intent = "compare"
    else:
        intent = max(
            (i for i in INTENTS if i not in ("offer_eval", "compare", "level_mapping") or scores[i] > 0.9),
            key=lambda i: scores[i],
        )

    follow_up = bool(
        context.intent
        and context.intent not in ("help", "out_of_scope", "not_covered")
        and (FOLLOW_UP.search(question) or (not cued and max(similarity.values()) < 0.45 and named))
    )
    if follow_up and not cued and intent not in ("offer_eval", "compare", "not_covered"):
        assert context.intent is not None
        intent = context.intent  # "what about New York?" asks the same thing again
    if not named and not cued and not follow_up and max(similarity.values()) < OUT_OF_SCOPE_BELOW:
        intent = "out_of_scope"

    previous = context.entities if context.intent not in (None, "help", "out_of_scope") else Entities()
    keep = follow_up or intent not in ("help", "out_of_scope")
    entities = Entities(
        company=(companies[0] if companies else (previous.company if keep else None)),
        role=(roles[0] if len(roles) == 1 else (previous.role if keep and not roles else None)),
        roles=roles if len(roles) > 1 else [],
        seniority=reading.seniority,
        region=(regions[0] if len(regions) == 1 else (previous.region if keep and not regions else None)),
        regions=regions if len(regions) > 1 else [],
        component=components[0] if components else (previous.component if follow_up else None),
        competitor=competitors[0] if competitors else None,
        offer=offer or (previous.offer if intent in ("counter_draft", "offer_eval") else {}),
        unknown=unknown,
    )
    if intent == "compare" and len(roles) <= 1 and len(regions) <= 1:
        # "compare that with New York": the other side is the conversation's region.
        if previous.region and entities.region and previous.region != entities.region:
            entities.regions = [previous.region, entities.region]
        elif previous.role and entities.role and previous.role != entities.role:
            entities.roles = [previous.role, entities.role]

    if intent != "not_covered" and _not_covered(entities, roles, regions, companies, intent):
        intent = "not_covered"
    choices = [r for r in (roles or list(vocab.roles)) if entities.role is None]
    return Understanding(question=question, intent=intent, entities=entities, role_choices=choices, follow_up=follow_up)


def _not_covered(
    entities: Entities, roles: list[str], regions: list[str], companies: list[str], intent: Intent
) -> bool:
    """A question naming an employer, place or job that no guide covers, and no covered one
    in its place, gets no figures (never another guide's figures in their stead)."""
    if not entities.unknown or intent in ("help", "out_of_scope"):
        return False

    employers = [u for u in entities.unknown if u in KNOWN_EMPLOYERS]
    places = [u for u in entities.unknown if u in KNOWN_PLACES]
    jobs = [u for u in entities.unknown if u not in KNOWN_EMPLOYERS and u not in KNOWN_PLACES]
    return bool(
        (employers and not companies) or (places and not regions) or (jobs and not roles and intent != "level_mapping")
    )
