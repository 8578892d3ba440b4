"""Conversations: the turns so far and the context they established, keyed by an id.

The store is a small protocol so each channel can keep conversations where it must (memory
for the CLI, SQLite for the web server and Slack)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, Field

from assistant.answer import Answer, Entities, Status
from assistant.nlu.registry import Intent


class Turn(BaseModel):
    message_id: str
    question: str
    intent: Intent
    status: Status = "answered"
    entities: Entities
    answer_markdown: str
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class Conversation(BaseModel):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    turns: list[Turn] = []

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


class ConversationStore(Protocol):
    def get(self, conversation_id: str) -> Conversation | None: ...

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        """Add a turn (and the full answer, for redrawing), creating the conversation if new."""
        ...


class MemoryConversations:
    def __init__(self) -> None:
        self._conversations: dict[str, Conversation] = {}

    def get(self, conversation_id: str) -> Conversation | None:
        return self._conversations.get(conversation_id)

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        conversation = self._conversations.setdefault(conversation_id, Conversation(id=conversation_id))
        conversation.turns.append(turn)
