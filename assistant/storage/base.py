"""What every store keeps and answers, whichever database holds it: the Store protocol that
the web app, Slack and the CLI use, and the typed values that cross it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel

from assistant.answer import Answer
from assistant.conversation import ConversationStore
from assistant.usage import QuestionRecord, redact


class Feedback(BaseModel):
    id: int
    conversation_id: str
    message_id: str
    rating: Literal["up", "down"]
    comment: str | None
    at: datetime


class UnknownMessage(LookupError):
    """Feedback for a message that is not in that conversation."""


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or reached. The message names where (a file, or a host,
    port and database), never a password."""


class Store(ConversationStore, Protocol):
    """Conversations (owned), feedback (one rating per message per rater), the content team's
    question log, and the counters every server process of a deployment must share: rate
    limits and the Slack requests already answered."""

    def owns(self, conversation_id: str, owner: str) -> bool: ...

    def answers(self, conversation_id: str, owner: str) -> list[Answer] | None:
        """The full answers of `owner`'s conversation, oldest first; None if it is not theirs."""
        ...

    def conversations_of(self, owner: str, limit: int = 50) -> list[tuple[str, str, datetime]]:
        """`owner`'s conversations, latest first: (id, its first question, last continued)."""
        ...

    def ratings(self, conversation_id: str, rater: str) -> dict[str, str]: ...

    def delete(self, conversation_id: str, owner: str) -> bool: ...

    def forget(self, older_than: timedelta) -> int: ...

    def add_feedback(
        self,
        conversation_id: str,
        message_id: str,
        rating: str,
        comment: str | None,
        owner: str,
        rater: str | None = None,
    ) -> Feedback: ...

    def feedback(self, message_id: str | None = None) -> list[Feedback]:
        """Feedback as it was given, comments included: for the owner's own use, never an admin view."""
        ...

    def feedback_for_review(self, message_id: str | None = None) -> list[Feedback]:
        """Feedback for the people who review answers: every amount in a comment redacted."""
        ...

    def record_question(self, record: QuestionRecord) -> None:
        """Keep a question for the content team (once per message; a second record is ignored)."""
        ...

    def question_records(self, since: datetime | None = None, limit: int = 10000) -> list[QuestionRecord]:
        """The question log, newest first, from `since` (timezone-aware) on."""
        ...

    def hits(self, key: str, window_start: int) -> int:
        """How many hits `key` took in the window starting at `window_start` (Unix seconds)."""
        ...

    def add_hit(self, key: str, window_start: int, expires: int, cap: int) -> bool:
        """Count one hit for `key` in its window unless it holds `cap` already; whether it counted.
        Atomic across processes: two hits never both take the last place."""
        ...

    def claim(self, key: str, expires: float, now: float) -> bool:
        """Claim `key` until `expires`: True for the first claim, False while an earlier one holds."""
        ...

    def prune(self, now: float) -> None:
        """Drop rate windows and claims that ended before `now`."""
        ...

    def close(self) -> None: ...


def for_review(items: list[Feedback]) -> list[Feedback]:
    """Feedback with its comments redacted: people quote their offers in them too."""
    return [f.model_copy(update={"comment": redact(f.comment) if f.comment else f.comment}) for f in items]


def utc_iso(at: datetime) -> str:
    """A timezone-aware time as ISO text in UTC, so stored times compare as text."""
    if at.tzinfo is None:
        raise ValueError(f"{at!r} has no timezone: store times are compared in UTC")
    return at.astimezone(UTC).isoformat()
