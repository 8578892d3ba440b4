"""How routes reach the core: the assistant, the store, the owner and the limits live on
app.state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from assistant.core import Assistant
from assistant.storage import Store
from index.errors import IndexNotReady
from web.owners import Owner


def get_assistant(request: Request) -> Assistant:
    assistant = request.app.state.assistant
    if assistant is None:
        failed = request.app.state.load_error is not None
        raise IndexNotReady(
            "the index could not be loaded; see the server log" if failed else "the index and model are still loading"
        )
    return assistant


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_owner(request: Request) -> Owner:
    """Whoever is asking: a session, an API key, or nobody yet (who owns nothing)."""
    return request.app.state.owners.of(request)


def get_asker(request: Request) -> Owner:
    """Whoever asks a question; someone new is issued a session, set as a cookie on the answer."""
    owner: Owner = request.app.state.owners.of(request, start=True)
    if owner.issued:
        request.state.issued_session = owner.issued
    return owner


def limited(name: str) -> Callable[[Request], None]:
    """A dependency counting the request against the named rate limit (429 past it)."""

    def count(request: Request) -> None:
        request.app.state.limits.hit(name, request.app.state.owners.client_key(request))

    return count


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
StoreDep = Annotated[Store, Depends(get_store)]
OwnerDep = Annotated[Owner, Depends(get_owner)]
AskerDep = Annotated[Owner, Depends(get_asker)]
