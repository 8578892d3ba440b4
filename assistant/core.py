"""The Assistant: one object that owns the index, the understanding and the answering.

`ask(question, conversation_id) -> Answer` is the single entry point every channel uses.
A question is read (mentions), classified (intent model), decided (dialogue rules, with the
conversation's context), resolved to guides within the company it names, answered by the
intent's builder from cited facts, and rendered by the intent's template.

What a build made (the index, the intent model, the vocabulary) is one immutable `Snapshot`.
Each question reads it once, at its start, and passes it down; `switch` swaps in a newer one
(see `assistant.live`) without disturbing the questions in flight.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable
from datetime import date
from functools import lru_cache

import numpy as np

from assistant.answer import Answer
from assistant.answers import BUILDERS, Request, clarify, not_covered
from assistant.answers.pay import quoted, unread_words
from assistant.answers.views import ClarifyView, LackingView, View
from assistant.compose import Ledger, make_environment
from assistant.conversation import (
    CHANNEL_OWNER,
    ConversationStore,
    MemoryConversations,
    Turn,
    UnknownConversation,
    new_conversation_id,
)
from assistant.dialogue import CONTENT, Context, decide
from assistant.dialogue import Turn as DecidingTurn
from assistant.nlu.lexicon import question_lexicon
from assistant.nlu.pipeline import NLU, TRAINED_WITH, IntentArtifacts, load_or_train
from assistant.nlu.registry import Intent, intent_specs
from assistant.phrasing import ask_intent
from assistant.resolve import Scope, finalize, narrow_to_named_rows, resolve
from assistant.settings import Settings
from assistant.snapshot import Serving, Snapshot
from index.build import open_index
from index.embed import Embedder, QueryBatcher
from index.model import Guide
from index.places import name_of
from index.search import Hit, Mode, SearchIndex
from index.sections import Section, SectionKind

MAX_QUESTION = 2000


class BadQuestion(ValueError):
    """A question that cannot be asked: empty, or too long."""


class Assistant:
    def __init__(
        self,
        index: SearchIndex,
        embedder: Embedder,
        conversations: ConversationStore | None = None,
        today: date | Callable[[], date] | None = None,
        mode: Mode = "hybrid",
        nlu: NLU | None = None,
    ) -> None:
        self.embedder, self.mode = embedder, mode
        self.conversations = conversations or MemoryConversations()
        # Staleness is judged on the day a question is asked, not the day the server started.
        self._today = today if callable(today) else (lambda: today) if today else date.today
        self._snapshot = Snapshot(index, nlu or load_or_train(index.path, index.guides.values(), embedder))
        # Set by `assistant.live.Follower` while it follows the published generations.
        self.unloadable: str | None = None
        self.templates = make_environment()
        # The query vector is the one costly step. Concurrent questions share model passes,
        # and identical ones (suggested chips, follow-up buttons) reuse their vector.
        self.batcher = QueryBatcher(embedder)
        self.embed_query: Callable[[str], np.ndarray] = lru_cache(maxsize=4096)(self.batcher.embed)

    @property
    def today(self) -> date:
        return self._today()

    @property
    def snapshot(self) -> Snapshot:
        """The generation answered from now. Read it once and keep it for a whole request."""
        return self._snapshot

    @property
    def index(self) -> SearchIndex:
        return self._snapshot.index

    @property
    def nlu(self) -> NLU:
        return self._snapshot.nlu

    def switch(self, snapshot: Snapshot) -> None:
        """Answer from `snapshot` from now on. One reference assignment (atomic): a question
        already under way finishes on the snapshot it started with."""
        self._snapshot = snapshot
        self.unloadable = None

    def warm(self, snapshot: Snapshot | None = None) -> None:
        """Do now what the first question would otherwise wait for: the gazetteer, the
        embedding session, the templates (a server is ready only once this is done). With a
        `snapshot` about to be switched to: its reader and vocabulary, and the shared
        query-vector cache is kept."""
        snap = snapshot or self._snapshot
        guides = snap.nlu.vocab.guides
        question = self._suggestions(snap)[0] if guides else "what is the base salary range?"
        turn, request = self._understand(snap, question, Context())
        self._render(self._view(snap, turn, request, Ledger(snap.index)))
        if snapshot is None:
            for spec in intent_specs().values():
                self.templates.get_template(f"{spec.template}.md.j2")
            self.embed_query.cache_clear()  # type: ignore[attr-defined]

    def serving(self) -> Serving:
        """The generation answered from, and what may be wrong with it."""
        snap = self._snapshot
        return Serving(
            generation=snap.generation,
            built_at=snap.index.manifest.built_at,
            guides=len(snap.index.guides),
            fallback_reason=snap.index.fallback_reason,
            unloadable=self.unloadable,
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        conversations: ConversationStore | None = None,
        on_rebuild: Callable[[str], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        on_fallback: Callable[[str], None] | None = None,
    ) -> Assistant:
        """Open (building or rebuilding if needed) the index the settings point at."""
        embedder = settings.embedder()
        index = open_index(
            settings.seeds_dir,
            settings.index_dir,
            embedder,
            extras=IntentArtifacts(),
            on_rebuild=on_rebuild,
            on_fallback=on_fallback,
            progress=progress,
            max_guide_bytes=settings.max_guide_bytes,
            lock_timeout=settings.build_lock_timeout,
            builder=settings.build_embedder(),
        )
        return cls(index, embedder, conversations, settings.effective_today)

    # -- the guides, for channels (they never reach into the index) -----------------------

    def guides(self) -> list[Guide]:
        return self._snapshot.guides()

    def guide(self, guide_id: str) -> Guide | None:
        return self._snapshot.index.guides.get(guide_id)

    def guide_page(self, guide_id: str) -> tuple[Guide, list[Section]] | None:
        """A guide and its sections, from one generation (a page never mixes two)."""
        index = self._snapshot.index
        guide = index.guides.get(guide_id)
        return (guide, index.sections_of(guide_id)) if guide is not None else None

    def sections_of(self, guide_id: str) -> list[Section]:
        return self._snapshot.index.sections_of(guide_id)

    def training_report(self) -> dict[str, float] | None:
        """How the intent model in the index was trained (regularisation, cross-validation)."""
        index = self._snapshot.index
        path = index.path / TRAINED_WITH if index.path else None
        return json.loads(path.read_text()) if path is not None and path.exists() else None

    # -- asking ------------------------------------------------------------------------------

    def ask(self, question: str, conversation_id: str | None = None, owner: str = CHANNEL_OWNER) -> Answer:
        """Answer `question`, continuing `owner`'s conversation `conversation_id` (a new one,
        with an id the store issues, when None). Only a channel that keys its own
        conversations (the CHANNEL_OWNER) may name one that does not exist yet."""
        question = " ".join(question.split())
        if not question:
            raise BadQuestion("question is empty")
        if len(question) > MAX_QUESTION:
            raise BadQuestion(f"question is {len(question)} characters; the limit is {MAX_QUESTION}")
        conversation = None
        if conversation_id is not None:
            if owner == CHANNEL_OWNER:
                self.conversations.start(conversation_id, owner)
            conversation = self.conversations.get(conversation_id, owner)
            if conversation is None:
                raise UnknownConversation(f"no conversation {conversation_id!r}")
        else:
            conversation_id = new_conversation_id()
        last = conversation.last if conversation else None
        context = Context(intent=last.intent, entities=last.entities) if last else Context()

        snap = self._snapshot  # the one read: this question is answered from this generation only
        turn, request = self._understand(snap, question, context)
        ledger = Ledger(snap.index)
        view = self._view(snap, turn, request, ledger)
        parts = [self._render(view)]
        intents = [turn.intent]
        second = self._second_ask(snap, question, turn, request)
        if second is not None and view.status == "answered":
            more_turn, more_request = second
            more = self._view(snap, more_turn, more_request, ledger)
            if more.status in ("answered", "not_covered"):  # "…and what does Google pay?": say it is not covered
                parts.append(self._render(more))
                intents.append(more_turn.intent)
        answer = Answer(
            question=question,
            intent=turn.intent,
            also=intents[1:],
            status=view.status,
            confidence=round(turn.confidence, 3),
            entities=request.entities,
            answer_markdown=_tidy("\n\n---\n\n".join(parts)),
            citations=ledger.citations,
            facts=ledger.facts,
            follow_ups=self._follow_ups(snap, view, request),
            email=view.email,
            bars=view.bars,
            conversation_id=conversation_id,
            message_id=uuid.uuid4().hex,
        )
        if conversation is None:  # started only once there is a turn to keep
            self.conversations.start(conversation_id, owner)
        self.conversations.append(
            conversation_id,
            Turn(
                message_id=answer.message_id,
                question=question,
                intent=turn.intent,
                status=answer.status,
                entities=request.entities,
                answer_markdown=answer.answer_markdown,
            ),
            answer,
        )
        return answer

    def _understand(self, snap: Snapshot, question: str, context: Context) -> tuple[DecidingTurn, Request]:
        """Read, classify, decide with the context, and resolve to guides within the company."""
        vector = self.embed_query(question)
        nlu = snap.nlu
        reading = nlu.read(question)
        turn = decide(DecidingTurn(reading, nlu.classify(vector, reading), context, nlu.vocab))
        intent, entities = turn.intent, turn.entities
        scope = Scope()
        if intent in CONTENT:
            known = nlu.vocab.companies.get(entities.company or "")  # a follow-up's company may be gone since
            if reading.of("all_roles") and known is not None and not (entities.role or entities.roles):
                roles = list(known.roles)
                entities = entities.model_copy(update={"roles": roles})
            places = [(m.value, m.text) for m in reading.of("place")]
            needs_role = "role" in intent_specs()[intent].needs
            scope = resolve(nlu.vocab, entities, needs_role, question=question, said=dict(places))
            narrow_to_named_rows(scope, " ".join([question, *entities.rows]))
            if scope.choices == ["role"] and turn.role_options:  # "an engineer": only the engineer roles
                scope.guides = [g for g in scope.guides if g.role_slug in turn.role_options] or scope.guides
            entities = finalize(nlu.vocab, entities, scope, places)
            if intent == "compare" and len(scope.guides) == 1 and not (entities.region or entities.regions):
                entities = entities.model_copy(update={"regions": scope.regions_of(scope.guides[0])})
            if scope.missing == ["that place"]:  # a place carried from the conversation has no typed name
                carried = dict.fromkeys(name_of(key) for p in entities.places for key in p.split("|"))
                scope.missing = [entities.unknown_place or " or ".join(carried) or "that place"]
        # A kind of figure asked for by name, a place no row names, or words no reading made
        # anything of, may be in the guide's other blocks: a wider look, to quote them.
        quoting = bool(entities.extra or entities.unknown_place or unread_words(reading, nlu.vocab))
        hits = self._retrieve(snap, question, vector, intent, scope, quoting=quoting)
        runner_up = turn.options[0] if turn.status == "answered" and turn.options else None
        return turn, Request(question, intent, entities, scope, hits, nlu.vocab, self.today, reading, runner_up)

    def _second_ask(
        self, snap: Snapshot, question: str, turn: DecidingTurn, request: Request
    ) -> tuple[DecidingTurn, Request] | None:
        """ "the bonus range in Detroit, and a script to raise it": a second clause that asks
        for something else (surely, by the classifier) is answered too, in the first's context."""
        clause = second_clause(question)
        if clause is None or turn.intent not in CONTENT or turn.status != "answered":
            return None
        context = Context(intent=turn.intent, entities=request.entities)
        more_turn, more_request = self._understand(snap, clause, context)
        label = more_turn.top[0]
        if (
            label == "follow_up"
            or more_turn.intent == turn.intent
            or more_turn.unsure
            or more_turn.intent not in CONTENT
        ):
            return None
        if not more_request.entities.component and request.entities.component:  # "…and a script to raise it"
            entities = more_request.entities.model_copy(update={"component": request.entities.component})
            more_request = dataclasses.replace(more_request, entities=entities)
        return more_turn, more_request

    def _render(self, view: View) -> str:
        return self.templates.get_template(f"{view.template}.md.j2").render(view=view).strip()

    def _view(self, snap: Snapshot, turn: DecidingTurn, request: Request, ledger: Ledger) -> View:
        """The decided status first (not covered, unsure), then the scope's, then the builder."""
        e, scope = request.entities, request.scope
        if turn.status == "not_covered":
            asked = [n for n in (e.unknown_role, e.unknown_company, e.unknown_place) if n]
            return not_covered(request, asked)
        if turn.status == "clarify":
            vocab = snap.nlu.vocab
            guide = scope.guides[0] if scope.guides else (vocab.guides[0] if vocab.guides else None)
            region = e.region
            readings = [q for option in turn.options if (q := ask_intent(option, guide, region))]
            return ClarifyView(what="question", missing=["intent"], readings=readings)
        if request.intent in CONTENT:
            if scope.missing:
                return not_covered(request, scope.missing)
            if scope.choices:
                choice = scope.choices[0]
                options = sorted({g.role if choice == "role" else g.company for g in scope.guides})
                return clarify(request, intent_specs()[request.intent].label, [choice], options)
            if not scope.guides:
                return clarify(request, "answer", ["role"], sorted(r.name for r in snap.nlu.vocab.roles.values()))
        view = BUILDERS[request.intent](request, ledger)
        if isinstance(view, LackingView) and len(scope.guides) == 1:
            # The guide has no typed section of that kind; it may still say it in a shape no
            # reader types: its own lines, quoted and cited, before "the guide has none".
            hits = snap.index.search(
                request.question, self.embed_query(request.question), k=24, mode=self.mode,
                guide_ids=[scope.guides[0].id], kinds=None,
            )  # fmt: skip
            quoted_view = quoted(dataclasses.replace(request, hits=hits), ledger, scope.guides[0], view.what)
            if quoted_view is not None:
                return quoted_view
        return view

    def _retrieve(
        self, snap: Snapshot, question: str, vector: np.ndarray, intent: Intent, scope: Scope, quoting: bool = False
    ) -> list[Hit]:
        kinds: list[SectionKind] | None = list(intent_specs()[intent].kinds)
        if not kinds or not scope.guides:
            return []
        if "pay" in kinds and (quoting or intent == "pay_range" or any(not g.pay for g in scope.guides)):
            # Pay no reader typed is in the guide's other blocks and its tables as written: a
            # pay answer uses its hits only to quote those.
            kinds = None
        guide_ids = [g.id for g in scope.guides]
        k = 12 if kinds else 24  # quoting reads the guide's other blocks: a wider look
        return snap.index.search(question, vector, k=k, mode=self.mode, guide_ids=guide_ids, kinds=kinds)

    def _follow_ups(self, snap: Snapshot, view: View, request: Request) -> list[str]:
        """Next questions worth asking, phrased from the guide's own names."""
        if isinstance(view, ClarifyView) and view.readings:
            return view.readings
        guide = request.scope.guides[0] if request.scope.guides else None
        if guide is None:
            return [q for g in snap.nlu.vocab.guides[:3] if (q := ask_intent("pay_range", g, None))]
        region = request.entities.region
        order: list[Intent] = ["pay_range", "targets", "levers", "compare", "counter_draft", "overview"]
        if request.runner_up is not None:
            order.insert(0, request.runner_up)
        order = list(dict.fromkeys(order))
        return [q for i in order if i != request.intent and (q := ask_intent(i, guide, region))][:3]

    def suggestions(self) -> list[str]:
        """Questions to offer on an empty chat, phrased from what the index covers."""
        return self._suggestions(self._snapshot)

    def _suggestions(self, snap: Snapshot) -> list[str]:
        guides = snap.nlu.vocab.guides
        if not guides:
            return []
        first, last = guides[0], guides[-1]
        out = [
            ask_intent("pay_range", first, None),
            ask_intent("levers", last, None),
            ask_intent("targets", first, last.regions[-1] if last.regions and last.company == first.company else None),
            ask_intent("overview", first, None),
        ]
        if first.level_mapping and first.level_mapping.competitors:
            out.insert(2, ask_intent("level_mapping", first, None))
        return [q for q in out if q]


def second_clause(question: str) -> str | None:
    """The part of a question after a joint that can start a second ask (", and", ";", "? ")."""
    for m in question_lexicon().second_ask.finditer(question):
        head, tail = question[: m.start()], question[m.end() :]
        if len(head.split()) >= 3 and len(tail.split()) >= 3:
            return tail.strip(" ?.")
    return None


def _tidy(markdown: str) -> str:
    """Collapse the blank lines that template conditionals leave behind, and say a note that
    two asks of one message share (the stale-data one) once, at the end."""
    lines: list[str] = []
    notes = [line for line in markdown.splitlines() if line.startswith("*⚠️")]
    for line in markdown.splitlines():
        if line in notes or (not line.strip() and (not lines or not lines[-1].strip())):
            continue
        lines.append(line.rstrip())
    return "\n".join(lines + ([""] if notes else []) + list(dict.fromkeys(notes))).strip()
