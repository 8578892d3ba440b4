"""How routes reach the core: the assistant and the store live on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.core import Assistant
from assistant.storage import SQLiteStore
from index.errors import IndexNotReady


def get_assistant(request: Request) -> Assistant:
    assistant = request.app.state.assistant
    if assistant is None:
        failed = request.app.state.load_error is not None
        raise IndexNotReady(
            "the index could not be loaded; see the server log" if failed else "the index and model are still loading"
        )
    return assistant


def get_store(request: Request) -> SQLiteStore:
    return request.app.state.store


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
StoreDep = Annotated[SQLiteStore, Depends(get_store)]
