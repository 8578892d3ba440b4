"""The Assistant: one object that owns the index, the understanding and the answering.

`ask(question, conversation_id) -> Answer` is the single entry point every channel uses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import lru_cache

import numpy as np

from assistant.answer import Answer, Intent
from assistant.answers import Answers, Draft, lever_topic
from assistant.compose import Ledger, make_environment
from assistant.conversation import ConversationStore, MemoryConversations, Turn
from assistant.settings import Settings
from assistant.understand import Context, IntentModel, Understanding, understand
from assistant.vocabulary import Vocabulary
from index.build import open_index
from index.embed import Embedder, QueryBatcher
from index.search import Hit, Mode, SearchIndex
from index.sections import SectionKind
from index.vocab import city_of

MAX_QUESTION = 2000

# The kinds of section each intent draws on; retrieval ranks within them.
INTENT_KINDS: dict[Intent, list[SectionKind]] = {
    "pay_range": ["pay", "target"],
    "targets": ["target"],
    "levers": ["lever"],
    "premiums": ["premium"],
    "level_mapping": ["level_mapping"],
    "compare": ["pay"],
    "offer_eval": ["pay", "target", "lever"],
    "counter_draft": ["target", "lever"],
    "overview": ["dna", "narrative"],
    "sources": ["sources"],
}


class BadQuestion(ValueError):
    """A question that cannot be asked: empty, or too long."""


class Assistant:
    def __init__(
        self,
        index: SearchIndex,
        embedder: Embedder,
        conversations: ConversationStore | None = None,
        today: date | None = None,
        mode: Mode = "hybrid",
    ) -> None:
        self.index, self.embedder, self.mode = index, embedder, mode
        self.conversations = conversations or MemoryConversations()
        self.today = today or date.today()
        self.vocab = Vocabulary(index.guides.values())
        self.intents = IntentModel(embedder)
        self.answers = Answers(self.vocab, self.today)
        self.templates = make_environment()
        # The query vector is the one costly step. Concurrent questions share model passes,
        # and identical ones (suggested chips, follow-up buttons) reuse their vector.
        self.batcher = QueryBatcher(embedder)
        self.embed_query: Callable[[str], np.ndarray] = lru_cache(maxsize=4096)(self.batcher.embed)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        conversations: ConversationStore | None = None,
        on_rebuild: Callable[[str], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Assistant:
        """Open (building or rebuilding if needed) the index the settings point at."""
        embedder = settings.embedder()
        index = open_index(settings.seeds_dir, settings.index_dir, embedder, on_rebuild=on_rebuild, progress=progress)
        return cls(index, embedder, conversations, settings.effective_today())

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise BadQuestion("question is empty")
        if len(question) > MAX_QUESTION:
            raise BadQuestion(f"question is {len(question)} characters; the limit is {MAX_QUESTION}")
        conversation = self.conversations.get(conversation_id) if conversation_id else None
        conversation_id = conversation.id if conversation else (conversation_id or uuid.uuid4().hex)
        last = conversation.last if conversation else None
        context = Context(intent=last.intent, entities=last.entities) if last else Context()

        vector = self.embed_query(question)
        understood = understand(question, vector, self.vocab, self.intents, context)
        hits = self.retrieve(question, vector, understood)
        ledger = Ledger(self.index)
        draft: Draft = getattr(self.answers, understood.intent)(understood, hits, ledger)
        markdown = self.templates.get_template(draft.template).render(**draft.context).strip()
        answer = Answer(
            question=question,
            intent=understood.intent,
            entities=understood.entities,
            answer_markdown=_tidy(markdown),
            citations=ledger.citations,
            facts=ledger.facts,
            follow_ups=draft.follow_ups,
            conversation_id=conversation_id,
            message_id=uuid.uuid4().hex,
        )
        turn = Turn(
            message_id=answer.message_id,
            question=question,
            intent=answer.intent,
            entities=answer.entities,
            answer_markdown=answer.answer_markdown,
        )
        self.conversations.append(conversation_id, turn, answer)
        return answer

    def suggestions(self) -> list[str]:
        """Questions to offer on an empty chat, phrased from what the index covers."""
        vocab = self.vocab
        if not vocab.guides:
            return []
        first, last = vocab.guides[0], vocab.guides[-1]
        topic = lever_topic(last)
        out = [
            f"What's the base range for a {first.role.lower()} in {city_of(first.regions[0])}?"
            if first.regions
            else None,
            f"How do I push for more {topic} as a {last.role.lower()}?" if topic else None,
            f"What should I ask for as a {first.role.lower()} in {city_of(last.regions[-1])}?"
            if last.targets
            else None,
            f"Why is {first.company} different?" if first.narrative else None,
        ]
        if vocab.competitors and first.level_mapping and len(first.level_mapping.rows) > 1:
            out.insert(2, f"{first.level_mapping.rows[1].level} at {first.company} is what at {vocab.competitors[0]}?")
        return [q for q in out if q]

    def retrieve(self, question: str, vector: np.ndarray, understood: Understanding) -> list[Hit]:
        kinds = INTENT_KINDS.get(understood.intent)
        if kinds is None:
            return []
        guide_ids = [g.id for g in self.answers.candidates(understood)] or None
        return self.index.search(question, vector, k=12, mode=self.mode, guide_ids=guide_ids, kinds=kinds)


def _tidy(markdown: str) -> str:
    """Collapse the blank lines that template conditionals leave behind."""
    lines: list[str] = []
    for line in markdown.splitlines():
        if not line.strip() and (not lines or not lines[-1].strip()):
            continue
        lines.append(line.rstrip())
    return "\n".join(lines).strip()
