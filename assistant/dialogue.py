"""The dialogue layer: the classifier's reading, what the question names, and the
conversation so far, combined by named rules applied in order.

Each rule is a small function of the turn being decided, unit-tested on hand-built inputs
(tests/test_dialogue.py). What the new question names always beats what the context carried.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answer import Entities, Given, Status
from assistant.nlu.amounts import Figure
from assistant.nlu.classifier import AMBIGUITY, THRESHOLD
from assistant.nlu.lexicon import question_lexicon
from assistant.nlu.mentions import Reading
from assistant.nlu.registry import Intent, Label, intent_specs
from assistant.nlu.vocabulary import Vocabulary, everyday
from index.model import Component
from index.places import fold

CONTENT: frozenset[Intent] = frozenset(
    ("pay_range", "targets", "levers", "premiums", "level_mapping", "compare", "offer_eval", "counter_draft",
     "overview", "sources")
)  # fmt: skip
# Intents whose figures are about one company's pay: a competitor or unknown employer named
# in them is the company asked about, and no guide covers it.
PAY_QUESTIONS: frozenset[Intent] = CONTENT - {"level_mapping"}


@dataclass(frozen=True)
class Context:
    """What the conversation established: the last turn's intent and entities."""

    intent: Intent | None = None
    entities: Entities = field(default_factory=Entities)


@dataclass
class Turn:
    """One question being decided; the rules read and refine it."""

    reading: Reading
    readings: list[tuple[Label, float]]  # the classifier's, most likely first
    context: Context
    vocab: Vocabulary
    intent: Intent = "out_of_scope"
    confidence: float = 0.0
    status: Status = "answered"
    options: list[Intent] = field(default_factory=list)  # the readings to offer when unsure
    role_options: list[str] = field(default_factory=list)  # roles a partial phrase could mean
    ruled: bool = False  # a rule, not the classifier, set the intent: no need to ask
    fired: list[str] = field(default_factory=list)
    named: Entities = field(default_factory=Entities)  # what this question names itself (its fields set)
    entities: Entities = field(default_factory=Entities)

    @property
    def top(self) -> tuple[Label, float]:
        return self.readings[0]

    @property
    def unsure(self) -> bool:
        (_, p1), (_, p2) = self.readings[0], self.readings[1] if len(self.readings) > 1 else ("", 0.0)
        return p1 < THRESHOLD or p1 - p2 < AMBIGUITY

    def names(self, *fields: str) -> bool:
        """Whether the question itself names any of these (any at all, when none given)."""
        named = self.named.model_fields_set
        return bool(named & set(fields)) if fields else bool(named)


Rule = Callable[[Turn], bool]


# -- rules, in the order they apply --------------------------------------------------------


def read_names(turn: Turn) -> bool:
    """Entities the question itself names (context comes later, and never beats these)."""
    r = turn.reading
    named: dict[str, object] = {}
    companies = r.values("company")
    company_roles = (
        turn.vocab.companies[companies[0]].roles if companies and companies[0] in turn.vocab.companies else ()
    )
    exact: list[str] = []
    for _, candidates in _by_span([m for m in r.of("role") if m.how in ("exact", "word")]):
        # One phrase, several titles ("senior pm": Senior Product Manager, Product Manager):
        # the named company's, else the best fit.
        at_company = [c for c in candidates if c in company_roles]
        exact.append((at_company or candidates)[0])
    exact = list(dict.fromkeys(exact))
    partial = list(dict.fromkeys(m.value for m in r.of("role") if m.how == "partial"))
    if companies:
        named["company"] = companies[0]
    if len(exact) == 1:
        named["role"] = exact[0]
    elif exact:
        named["roles"] = exact
    elif partial:
        turn.role_options = partial  # "an architect": which one depends on the company
    if seniority := r.values("seniority"):
        named["seniority"] = " ".join(seniority)
    # "moving from Ottawa to Toronto": the place one leaves is not the one asked about. One
    # place typed may be several keys ("Bay Area" in two guides): kept as alternatives.
    places = [m for m in r.of("place") if not r.question[max(0, m.start - 5) : m.start].lower().endswith("from ")]
    excluded = _excluded_places(r)
    if places:
        named["places"] = list(dict.fromkeys("|".join(v) for _, v in _by_span(places)))
    if excluded:
        named["excluded"] = excluded
    said = {f.component_at for f in r.figures}
    if components := [m.value for m in r.of("component") if (m.start, m.end) not in said]:
        named["component"] = components[0]  # what is asked about, not what a figure is
    if extras := r.values("extra"):
        named["extra"] = extras[0]
    if rows := [m.text for m in r.of("level")]:
        named["rows"] = rows
    if focus := r.values("focus"):
        named["focus"] = focus[0]
    if competitors := r.values("competitor"):
        named["competitor"] = competitors[0]
    for kind in ("unknown_company", "unknown_role", "unknown_place"):
        if values := r.values(kind):  # type: ignore[arg-type]
            named[kind] = values[0]
    if not r.figures and (per := question_lexicon().asked_period(r.question)):
        named["per"] = per  # an offer's own "a month" is its figure's, not what is asked
    own = [f for f in r.figures if not f.rival and not f.desired]
    offer = _by_component([f for f in own if f.component])
    if offer:
        named["offer"] = offer
        named["offer_period"] = next((f.period for f in own if f.component and f.period != "year"), "year")
    if unplaced := [f for f in own if f.component is None and f.percent is None]:
        named["unplaced"] = [Given(text=f.text, value=f.low, period=f.period, style=f.style) for f in unplaced]
    if rival := _by_component([f for f in r.figures if f.rival and f.component]):
        named["rival"] = rival
    if desired := _by_component([f for f in r.figures if f.desired and f.component]):
        named["desired"] = desired
    turn.named = Entities.model_validate(named)
    return bool(named)


def classifier_reading(turn: Turn) -> bool:
    """The most likely intent, with its probability."""
    label, p = turn.top
    turn.confidence = p
    if label != "follow_up":
        turn.intent = label
    return True


def bare_follow_up_repeats_last_intent(turn: Turn) -> bool:
    """ "what about New York?", "same for architects", "and the bonus?": the last question
    again, with what this one names."""
    label, _ = turn.top
    previous = turn.context.intent
    if label != "follow_up":
        return False
    if previous in CONTENT:
        turn.intent = previous  # type: ignore[assignment]
    else:
        turn.intent = "pay_range" if turn.names() else "help"
    return True


def a_period_alone_asks_the_last_question_again(turn: Turn) -> bool:
    """ "und pro jahr?", "and monthly?": a question naming only what its figures are paid per,
    in a conversation about a guide, is the last question on that basis."""
    previous = turn.context.intent
    others = turn.named.model_fields_set - {"per", "component", "rows", "places"}
    if not turn.names("per") or others or previous not in CONTENT or turn.intent == previous:
        return False
    if turn.intent in CONTENT and not turn.unsure:
        return False
    turn.intent = previous  # type: ignore[assignment]
    turn.ruled = True
    return True


def reference_to_last_answer_keeps_its_intent(turn: Turn) -> bool:
    """ "which of those is about equity?": a question about the last answer's items asks the
    same thing again, unless the classifier is sure it asks something else."""
    previous = turn.context.intent
    if not turn.reading.of("referring") or previous not in CONTENT or turn.top[0] == "follow_up":
        return False
    if turn.unsure or turn.intent not in CONTENT:
        turn.intent = previous  # type: ignore[assignment]
        return True
    return False


def level_title_and_competitor_mean_level_mapping(turn: Turn) -> bool:
    """ "Director of Engineering at X, what's that at Capital One?": a title from a level table
    and a competitor of that table ask how the levels map, not what anyone pays."""
    if not turn.reading.of("level") or not turn.reading.of("competitor") or turn.reading.figures:
        return False
    if turn.intent in ("pay_range", "compare", "targets", "overview") or turn.unsure:
        turn.intent = "level_mapping"
        turn.ruled = True
        return True
    return False


def offer_amounts_mean_offer_check(turn: Turn) -> bool:
    """Figures for the person's own offer turn a pay question into an offer check."""
    if not turn.names("offer", "unplaced"):
        return False
    if turn.intent in ("pay_range", "targets", "compare") or (turn.unsure and turn.intent != "counter_draft"):
        turn.intent = "offer_eval"
        turn.ruled = True
        return True
    return False


def a_pay_figure_kind_means_pay(turn: Turn) -> bool:
    """ "is the draw recoverable?", "whats the OT multiplier": a question that names a kind of
    pay figure (a draw, a differential, a commission rate) and is not surely about something
    else asks what the guide pays."""
    # What figures are paid per ("gehalt monatlich", "per hour") is a kind of figure as well.
    if not (turn.reading.of("extra") or turn.names("per")) or turn.intent in (
        "pay_range",
        "offer_eval",
        "compare",
        "counter_draft",
    ):
        return False
    about_else = ("sources", "overview", "premiums", "help", "greeting", "level_mapping")
    # Off topic only when nothing ties it to a guide: "who won the super bowl" stays off topic.
    tied = bool(turn.names("company", "role", "roles", "places")) or turn.context.intent in CONTENT
    if turn.unsure or turn.intent in about_else or (turn.intent == "out_of_scope" and tied):
        turn.intent = "pay_range"
        turn.ruled = True
        return True
    return False


def rival_offer_means_levers(turn: Turn) -> bool:
    """Another employer's offer, and none of their own: how to use it is a lever."""
    if not turn.names("rival") or turn.names("offer"):
        return False
    if turn.intent in ("offer_eval", "pay_range", "targets", "compare") or turn.unsure:
        turn.intent = "levers"
        turn.ruled = True
        return True
    return False


def new_names_beat_context(turn: Turn) -> bool:
    """Carry what the conversation established into this question, unless it names its own.
    Switching company keeps the role and the place (and is then checked against them)."""
    previous = turn.context
    carry = previous.intent in CONTENT and turn.intent in CONTENT
    follow_up = turn.top[0] == "follow_up" or bool(turn.reading.of("referring"))
    base = previous.entities if carry else Entities()
    values: dict[str, object] = {
        "company": base.company,
        "role": base.role,
        "roles": base.roles,
        "places": base.places,
        "seniority": base.seniority,
        "component": base.component if follow_up else None,
        "extra": base.extra if follow_up else None,
        "focus": base.focus if follow_up else None,
        "per": base.per if follow_up else None,  # "and in porto?" after "monthly pay in lisbon"
        "offer": base.offer,  # the person's offer stays theirs for the whole conversation
        "offer_period": base.offer_period,
        "rows": base.rows,
        "desired": base.desired,
    }
    if turn.names("role", "roles") or turn.role_options:
        values["role"], values["roles"], values["seniority"] = None, [], None
    if turn.names("role", "roles", "company"):
        values["rows"] = []  # a level or shift is of the guide it was named in
    if turn.names("unknown_place"):
        values["places"] = []  # a place no guide has replaces the one the context carried
    if turn.names("competitor", "unknown_company") and not turn.names("company") and turn.intent != "level_mapping":
        values["company"] = None  # "and at Snowflake?": the company asked about changed
    values.update(turn.named.model_dump(include=turn.named.model_fields_set))
    turn.entities = Entities.model_validate({k: v for k, v in values.items() if v is not None})
    return carry


def a_level_title_names_its_guide(turn: Turn) -> bool:
    """ "Director of Engineering is what at Capital One?", "offered 5.5M for CS2": with no role
    named, a title from one guide's level table or pay rows names that guide."""
    e = turn.entities
    levels = [g for m in turn.reading.of("level") for g in m.value.split("|")]
    if turn.intent not in CONTENT or not levels or e.role or e.roles:
        return False
    titled = {gid for gid in levels if e.company is None or gid.split("/")[0] == e.company}
    if len(titled) != 1:
        return False
    company, role = titled.pop().split("/")
    turn.entities = e.model_copy(update={"role": role, "company": e.company or company})
    return True


def the_company_narrows_a_partial_role(turn: Turn) -> bool:
    """ "an architect at X": of the roles a partial phrase could mean, the company's."""
    e = turn.entities
    if not turn.role_options or e.role is not None:
        return False
    at_company = turn.vocab.companies[e.company].roles if e.company in turn.vocab.companies else None
    narrowed = [r for r in turn.role_options if at_company is None or r in at_company]
    turn.role_options = narrowed
    carried = turn.context.entities.role
    if len(narrowed) == 1:
        turn.entities = e.model_copy(update={"role": narrowed[0]})
    elif turn.context.intent in CONTENT and turn.intent in CONTENT and carried in narrowed:
        turn.entities = e.model_copy(update={"role": carried})  # "…senior associate engineer…": still ours
    return turn.entities.role is not None


def comparison_takes_its_other_side_from_context(turn: Turn) -> bool:
    """ "how does Edinburgh compare?": with one place named, the other is the one the
    conversation was about."""
    e, before = turn.entities, turn.context.entities
    named_places = turn.named.places
    if turn.intent != "compare" or len(named_places) != 1 or not before.places:
        return False
    others = [p for p in before.places if p not in named_places]
    if not others:
        return False
    turn.entities = e.model_copy(update={"places": [*named_places, *others]})
    return True


def competitor_pay_is_not_covered(turn: Turn) -> bool:
    """A company from a level-mapping table is covered only as a level-mapping column: its pay,
    culture or levers are in no guide."""
    e = turn.entities
    if e.competitor is None or turn.intent not in PAY_QUESTIONS or not _is_subject(turn, "competitor"):
        return False
    turn.entities = e.model_copy(update={"unknown_company": e.competitor})
    turn.status = "not_covered"
    return True


def a_title_the_named_guide_uses_is_its_level(turn: Turn) -> bool:
    """ "tallowgate tech supervisor salary", "werkstattleiter at bergfink": a job title read as
    a role no guide covers, at a company whose one guide names that title among its levels or
    headings, is that guide's level — not another role."""
    e = turn.entities
    if not e.unknown_role or not e.company:
        return False
    guides = turn.vocab.guides_for(company=e.company)
    if len(guides) != 1 or e.role not in (None, guides[0].role_slug):
        return False
    guide = guides[0]
    asked = re.findall(r"[a-z0-9]+", fold(e.unknown_role))
    # Its levels, their other names, its headings and the labels its lines open with
    # ("**Werkstattleiter:in** (workshop lead): CHF 6'000 – 6'700 a month") — not any word of
    # its prose ("platform engineer" in a sentence about the team is no level of it).
    titles = [p.level or "" for p in guide.pay] + [a for p in guide.pay for a in p.aka]
    titles += [h.text for h in guide.headings] + [p.name for p in guide.premiums]
    titles += [label for p in guide.narrative if len((label := re.split(r"[:—–]", p.text)[0]).split()) <= 5]
    if guide.level_mapping:
        titles += [row.level for row in guide.level_mapping.rows]
    for title in titles:
        words = re.findall(r"[a-z0-9]+", fold(title))
        if asked and all(any(w == a or len(a) >= 4 and w.startswith(a) for w in words) for a in asked):
            turn.entities = e.model_copy(
                update={"unknown_role": None, "role": guide.role_slug, "rows": [*e.rows, e.unknown_role]}
            )
            return True
    return False


def a_name_its_guide_writes_is_in_it(turn: Turn) -> bool:
    """ "pharmacist salary in abuja at kolanut", "extra for sundays at casa lanterna", "chef
    d'équipe at trois herons is what at saputo": a place, or a word read as an employer, that
    the one guide the question is about writes, is covered by that guide's own lines — not "no
    guide covers it". An employer is only ever a level-mapping column there: another company's
    pay stays uncovered, written or not. A job title stays uncovered unless the guide uses it
    as a title (`a_title_the_named_guide_uses_is_its_level`): "medical director" in a sentence
    is no role of a veterinary technicians' guide."""
    e = turn.entities
    if turn.intent not in CONTENT or not (e.role or e.company) or e.unknown_role:
        return False
    guides = turn.vocab.guides_for(role=e.role, company=e.company)
    if len(guides) != 1:
        return False
    guide = guides[0]
    names = {k: v for k in ("unknown_place", "unknown_company") if (v := getattr(e, k))}
    if e.unknown_company:
        if not turn.names("company"):
            return False  # "lineworker pay at evergy", "what about at jpmorgan": asked about that company
        employer = not all(everyday(w) for w in fold(e.unknown_company).split())  # "sundays" is no employer
        if employer and turn.intent != "level_mapping":
            return False  # "kowhai vs zoetis pay": Zoetis's pay is in no guide
    if not names or not all(turn.vocab.writes(guide.id, name) for name in names.values()):
        return False
    update: dict[str, object] = dict.fromkeys(names)
    turn.entities = e.model_copy(update=update | {"role": guide.role_slug, "company": guide.company_slug})
    return True


def unknown_names_are_not_covered(turn: Turn) -> bool:
    """A company, role or place no guide covers gets no figures — never another guide's."""
    e = turn.entities
    if turn.intent not in CONTENT:
        return False
    company = e.unknown_company and _is_subject(turn, "unknown_company")
    if turn.intent == "level_mapping" and e.unknown_company and e.company:
        company = True  # "ally SWE III is what at Microsoft": Microsoft is in no table
    if company or e.unknown_role or (e.unknown_place and turn.intent not in ("overview", "sources")):
        turn.status = "not_covered"
        return True
    return False


# Readings that each answer with the named guide's own figures: between two of them, the
# likelier is answered and the other offered as the next question, rather than asked about.
FIGURE_LOOKUPS: tuple[Intent, ...] = ("pay_range", "premiums", "targets")


def a_named_figure_kind_confirms_a_pay_reading(turn: Turn) -> bool:
    """ "ferncliff forklift operator sign on", "banyan senior associate mumbai ctc", "how many
    rsus?" after a pay answer, "schichtführer salzburg per month?": a kind of pay figure (or
    what it is paid per) named about a guide, and a pay range the likeliest reading, is a pay
    question."""
    if not turn.unsure or turn.ruled or turn.intent != "pay_range" or turn.top[0] != "pay_range":
        return False
    if not _about_a_guide(turn) or not turn.names("component", "extra", "per"):
        return False
    turn.ruled = True
    return True


def a_close_call_between_figure_lookups_answers_the_likelier(turn: Turn) -> bool:
    """ "ecmo premium for rts at quarry ridge" (premiums 0.48, pay range 0.43): both readings
    show that guide's figures, so the likelier one is answered and the other offered next."""
    if not turn.unsure or turn.ruled or turn.status != "answered" or not _about_a_guide(turn):
        return False
    if len(turn.readings) < 2:
        return False
    (first, _), (second, _) = turn.readings[:2]
    if turn.intent != first or {first, second} - set(FIGURE_LOOKUPS):
        return False
    turn.ruled = True
    turn.options = [second]  # type: ignore[list-item]
    return True


def a_guide_named_is_no_small_talk(turn: Turn) -> bool:
    """ "how do i ask kestrel for help with housing" (levers 0.42, help 0.42): a question that
    names a guide is not about the assistant itself or off topic, so of a close call between
    such a reading and a question about the guide, the guide's is answered."""
    if not turn.unsure or turn.ruled or turn.status != "answered" or not turn.names("company", "role", "roles"):
        return False
    if len(turn.readings) < 2:
        return False
    (first, _), (second, _) = turn.readings[:2]
    talk = {"help", "greeting", "out_of_scope"}
    asked = [label for label in (first, second) if label in CONTENT]
    if len(asked) != 1 or not {first, second} - set(asked) <= talk:
        return False
    turn.intent = asked[0]  # type: ignore[assignment]
    turn.ruled = True
    return True


def unsure_asks_between_two_readings(turn: Turn) -> bool:
    """Below the classifier's confidence, ask which of the two likeliest readings was meant."""
    if not turn.unsure or turn.status != "answered" or turn.top[0] == "follow_up" or turn.ruled:
        return False
    options = [label for label, _ in turn.readings if label in CONTENT][:2]
    if len(options) == 2 and turn.intent in options:
        turn.options = options  # type: ignore[assignment]
        turn.status = "clarify"
        return True
    return False


RULES: list[Rule] = [
    read_names,
    classifier_reading,
    bare_follow_up_repeats_last_intent,
    a_period_alone_asks_the_last_question_again,
    reference_to_last_answer_keeps_its_intent,
    level_title_and_competitor_mean_level_mapping,
    offer_amounts_mean_offer_check,
    a_pay_figure_kind_means_pay,
    rival_offer_means_levers,
    new_names_beat_context,
    a_level_title_names_its_guide,
    the_company_narrows_a_partial_role,
    comparison_takes_its_other_side_from_context,
    competitor_pay_is_not_covered,
    a_title_the_named_guide_uses_is_its_level,
    a_name_its_guide_writes_is_in_it,
    unknown_names_are_not_covered,
    a_named_figure_kind_confirms_a_pay_reading,
    a_close_call_between_figure_lookups_answers_the_likelier,
    a_guide_named_is_no_small_talk,
    unsure_asks_between_two_readings,
]


def decide(turn: Turn) -> Turn:
    """Apply the rules in order; the turn records which fired."""
    for rule in RULES:
        if rule(turn):
            turn.fired.append(rule.__name__)
    return turn


def needs(intent: Intent) -> tuple[str, ...]:
    return intent_specs()[intent].needs


# -- helpers -------------------------------------------------------------------------------


def _by_span(mentions: list) -> list[tuple[tuple[int, int], list[str]]]:  # type: ignore[type-arg]
    spans: dict[tuple[int, int], list[str]] = {}
    for m in mentions:
        spans.setdefault((m.start, m.end), []).append(m.value)
    return sorted(spans.items())


def _by_component(figures: list[Figure]) -> dict[Component, int | float]:
    out: dict[Component, int | float] = {}
    for f in figures:
        if f.component is not None and (f.low or f.percent is None):
            out.setdefault(f.component, f.low)
    return out


def _excluded_places(reading: Reading) -> list[str]:
    """Places right after "except", "but not", "other than"."""
    out = []
    for exclusion in reading.of("exclusion"):
        after = [m for m in reading.of("place") if m.start >= exclusion.end and m.start - exclusion.end <= 12]
        out += [m.value for m in after[:1]]
    return out


_CONTEXT = question_lexicon().context
_SUBJECT_MARKERS = _CONTEXT["subject_markers"]


def _about_a_guide(turn: Turn) -> bool:
    """The question names a company or role (or a level title only one guide has), or
    continues a conversation about one."""
    return turn.names("company", "role", "roles") or bool(turn.entities.role) or turn.context.intent in CONTENT


def _is_subject(turn: Turn, kind: str) -> bool:
    """Whether a company no guide covers is the one asked about: when no covered company is
    named, or it is named as the employer ("at Google", "Google's", "vs Capital One"). Named as
    where another offer comes from ("an offer from X"), or in passing beside a covered company
    ("SAP experience at Elbreach"), it is not."""
    reading = turn.reading
    covered = turn.entities.company is not None
    for mention in reading.of(kind):  # type: ignore[arg-type]
        before = reading.words_before(mention, 3)
        if "from" in before[-2:] or question_lexicon().rival_words.search(" ".join(before)):
            continue  # "an offer from X", "a competing X offer": where another offer comes from
        if (before and before[-1] in _SUBJECT_MARKERS) or mention.possessive:
            return True  # "at X", "vs X", "X's"
        if not covered:
            return True  # "google swe salary", "X pays", "what about X": nothing else is asked about
    return False
