"""The JSON API, /api/v1: ask, list and read guides, leave feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field, field_validator

from assistant.answer import Answer
from assistant.conversation import UnknownConversation
from assistant.core import MAX_QUESTION
from index.model import Guide
from web import question_log
from web.deps import AskerDep, AssistantDep, OwnerDep, StoreDep, limited
from web.errors import GuideNotFound
from web.render import answer_html

router = APIRouter(prefix="/api/v1", tags=["api"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not UTF-8 JSON, or nests too deep; the error names the body"},
    401: {"description": "An API key was presented and it is not valid"},
    413: {"description": "The request body is over the limit"},
    422: {"description": "A field is missing or invalid; the error names it"},
    429: {"description": "Too many requests from this client; Retry-After says when to try again"},
    503: {"description": "Still loading"},
}
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": "No such conversation of yours"}}

# Conversation ids are issued by the server (URL-safe base64); nothing else is one.
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
CONVERSATION_ID = Field(
    None,
    min_length=1,
    max_length=100,
    pattern=ID_PATTERN,
    description="Continue this conversation: an id a previous answer returned to you. "
    "Omit it to start a new one; an id that is not one of yours is 404.",
)


class Query(BaseModel):
    question: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUESTION,
        pattern=r"\S",
        description="The question, in plain words (not empty, not only whitespace).",
    )
    conversation_id: str | None = CONVERSATION_ID

    @field_validator("question", mode="before")
    @classmethod
    def not_blank(cls, question: object) -> object:
        if isinstance(question, str) and not question.strip():
            raise ValueError("must not be empty or only whitespace")
        return question


class WebAnswer(Answer):
    answer_html: str = Field(description="answer_markdown rendered to safe HTML, citations linked.")
    your_rating: Literal["up", "down"] | None = Field(None, description="How you rated it, when you did.")


class ConversationSummary(BaseModel):
    conversation_id: str
    title: str = Field(description="Its first question.")
    updated: datetime


class GuideSummary(BaseModel):
    id: str
    company: str
    role: str
    regions: list[str]
    last_updated: date | None
    next_review_due: date | None
    stale: bool


class FeedbackIn(BaseModel):
    conversation_id: str = Field(..., min_length=1, max_length=100, pattern=ID_PATTERN)
    message_id: str = Field(..., min_length=1, max_length=100)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=2000)


class FeedbackOut(BaseModel):
    id: int
    status: Literal["stored"] = "stored"


class ConversationOut(BaseModel):
    conversation_id: str
    answers: list[WebAnswer]


def web_answer(answer: Answer, rating: str | None = None) -> WebAnswer:
    return WebAnswer(**answer.model_dump(), answer_html=answer_html(answer), your_rating=rating)


@router.post(
    "/query", response_model=WebAnswer, responses={**NOT_YOURS, **ERRORS}, dependencies=[Depends(limited("query"))]
)
def query(body: Query, assistant: AssistantDep, asker: AskerDep, store: StoreDep) -> WebAnswer:
    """Answer a question with exact, cited figures from the guides. The first question starts
    a conversation, owned by a session cookie set on the answer (or by the API key)."""
    answer = assistant.ask(body.question, body.conversation_id, owner=asker.id)
    # The chat page asks as a session; API clients with a key. (A script that keeps cookies
    # instead of using a key is counted with the page: nothing else tells them apart.)
    question_log.record(store, answer, "api" if asker.by_key else "web")
    return web_answer(answer)


@router.get("/guides", response_model=list[GuideSummary], responses=ERRORS)
def guides(assistant: AssistantDep) -> list[GuideSummary]:
    """Every indexed guide, with its regions, dates and whether its data is stale."""
    return [
        GuideSummary(
            id=g.id,
            company=g.company,
            role=g.role,
            regions=g.regions,
            last_updated=g.last_updated,
            next_review_due=g.next_review_due,
            stale=g.is_stale(assistant.today),
        )
        for g in assistant.guides()
    ]


def find_guide(assistant: AssistantDep, guide_id: str) -> Guide:
    guide = assistant.guide(guide_id)
    if guide is None:
        raise GuideNotFound(f"no guide {guide_id!r}; GET /api/v1/guides lists them")
    return guide


@router.get(
    "/guides/{guide_id:path}", response_model=Guide, responses={404: {"description": "No such guide"}, **ERRORS}
)
def guide(guide_id: str, assistant: AssistantDep) -> Guide:
    """One guide's parsed structure: pay per region, levers, targets, premiums, mapping, sources."""
    return find_guide(assistant, guide_id)


@router.post(
    "/feedback",
    response_model=FeedbackOut,
    status_code=201,
    responses={404: {"description": "No such message in a conversation of yours"}, **ERRORS},
    dependencies=[Depends(limited("feedback"))],
)
def feedback(body: FeedbackIn, store: StoreDep, owner: OwnerDep) -> FeedbackOut:
    """Rate an answer up or down, with an optional comment; rating it again changes the rating."""
    stored = store.add_feedback(body.conversation_id, body.message_id, body.rating, body.comment, owner.id)
    return FeedbackOut(id=stored.id)


ConversationId = Annotated[str, PathParam(min_length=1, max_length=100, pattern=ID_PATTERN)]


@router.get(
    "/conversations/{conversation_id}",
    response_model=ConversationOut,
    responses={**NOT_YOURS, **ERRORS},
    dependencies=[Depends(limited("read"))],
)
def conversation(conversation_id: ConversationId, store: StoreDep, owner: OwnerDep) -> ConversationOut:
    """One of your conversations' answers, oldest first (the chat page redraws itself from this)."""
    answers = store.answers(conversation_id, owner.id)
    if answers is None:
        raise UnknownConversation(f"no conversation {conversation_id!r}")
    rated = store.ratings(conversation_id, owner.id)
    return ConversationOut(
        conversation_id=conversation_id, answers=[web_answer(a, rated.get(a.message_id)) for a in answers]
    )


@router.get(
    "/conversations",
    response_model=list[ConversationSummary],
    responses=ERRORS,
    dependencies=[Depends(limited("read"))],
)
def conversations(store: StoreDep, owner: OwnerDep) -> list[ConversationSummary]:
    """Your conversations, latest first, titled by their first question (the chat's history)."""
    return [
        ConversationSummary(conversation_id=cid, title=title[:120], updated=updated)
        for cid, title, updated in store.conversations_of(owner.id)
    ]


@router.delete(
    "/conversations/{conversation_id}",
    status_code=204,
    responses={**NOT_YOURS, **ERRORS},
    dependencies=[Depends(limited("read"))],
)
def delete_conversation(conversation_id: ConversationId, store: StoreDep, owner: OwnerDep) -> Response:
    """Forget one of your conversations: its questions, answers and ratings."""
    if not store.delete(conversation_id, owner.id):
        raise UnknownConversation(f"no conversation {conversation_id!r}")
    return Response(status_code=204)
