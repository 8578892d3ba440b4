"""Conversations: the turns so far and the context they established, keyed by an id and
belonging to an owner.

The store is a small protocol so each channel can keep conversations where it must (memory
for tests; SQLite or PostgreSQL, assistant.storage, for the CLI, the web server and Slack).
Ownership lives here, below every channel: a conversation is read or continued only under the
owner that started it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, Field

from assistant.answer import Answer, Entities, Status
from assistant.nlu.registry import Intent

# The owner of conversations a channel keys itself (Slack: a keyed hash of team, channel
# and thread); such channels may name a conversation that does not exist yet.
CHANNEL_OWNER = "channel"


class UnknownConversation(LookupError):
    """No conversation of that id belongs to this owner (whether or not it exists)."""


def new_conversation_id() -> str:
    """Unguessable: 144 random bits."""
    return secrets.token_urlsafe(18)


class Turn(BaseModel):
    message_id: str
    question: str
    intent: Intent
    status: Status = "answered"
    entities: Entities
    answer_markdown: str
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class Conversation(BaseModel):
    id: str
    owner: str
    turns: list[Turn] = []

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


class ConversationStore(Protocol):
    def start(self, conversation_id: str, owner: str) -> None:
        """Create the conversation for `owner` (nothing, if it exists already)."""
        ...

    def get(self, conversation_id: str, owner: str) -> Conversation | None:
        """The conversation, if it exists and belongs to `owner`."""
        ...

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        """Add a turn (and the full answer, for redrawing) to a started conversation."""
        ...


class MemoryConversations:
    def __init__(self) -> None:
        self._conversations: dict[str, Conversation] = {}

    def start(self, conversation_id: str, owner: str) -> None:
        self._conversations.setdefault(conversation_id, Conversation(id=conversation_id, owner=owner))

    def get(self, conversation_id: str, owner: str) -> Conversation | None:
        found = self._conversations.get(conversation_id)
        return found if found is not None and secrets.compare_digest(found.owner, owner) else None

    def append(self, conversation_id: str, turn: Turn, answer: Answer | None = None) -> None:
        self._conversations[conversation_id].turns.append(turn)
