"""Every answered question, kept for the content team (assistant/usage.py: redacted, no
owner), from whichever channel answered it. Keeping it must never cost anyone their answer."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from assistant.answer import Answer
from assistant.storage import Store
from assistant.usage import Channel, record_of

log = logging.getLogger(__name__)


def record(store: Store, answer: Answer, channel: Channel) -> None:
    """Log `answer`'s question; a failure is logged (its kind, never the question) and ignored."""
    try:
        store.record_question(record_of(answer, datetime.now(UTC), channel))
    except Exception as failure:  # noqa: BLE001 - the answer is given whatever happens here
        log.error("could not record a question for the content team: %s", type(failure).__name__)
