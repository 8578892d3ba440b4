"""Who is asking: the owner a conversation belongs to.

A browser (or any HTTP client that keeps cookies) is a session: a random token the server
sets, on the first question, in a signed, HttpOnly, SameSite cookie. An API client can
instead present a key (`Authorization: Bearer …`) whose SHA-256 is listed in
NEGOTIATE_API_KEYS; its conversations belong to the key. Tokens and keys are never stored:
conversations are kept under a keyed hash of them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, Response

from assistant.settings import key_digest

SESSION_COOKIE = "negotiate_session"
SESSION_DAYS = 30
KEY_PREFIX = "key:"


class Unauthorized(PermissionError):
    """An API key was presented and it is not one of ours."""


@dataclass(frozen=True)
class Owner:
    id: str  # what conversations are stored under; "" for nobody yet
    issued: str | None = None  # a new session token, to be set as the cookie

    @property
    def by_key(self) -> bool:
        """An API client (a key), rather than a session (a browser, or a client keeping cookies)."""
        return self.id.startswith(KEY_PREFIX)


class Owners:
    def __init__(self, secret: bytes, knows_key: Callable[[str], bool], secure: bool) -> None:
        self.secret = secret
        self.knows_key = knows_key
        self.secure = secure  # served over https: the cookie is Secure too

    def of(self, request: Request, start: bool = False) -> Owner:
        """The request's owner. With `start`, someone new gets a session (their first question)."""
        key = _presented_key(request)
        if key is not None:
            if not self.knows_key(key):
                raise Unauthorized("the API key is not valid")
            return Owner(f"{KEY_PREFIX}{key_digest(key)}")
        token = self._session(request.cookies.get(SESSION_COOKIE, ""))
        if token is not None:
            return Owner(self._owner_id(token))
        if not start:
            return Owner("")
        token = secrets.token_urlsafe(32)
        return Owner(self._owner_id(token), issued=token)

    def set_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            f"{token}.{self._sign(token)}",
            max_age=SESSION_DAYS * 86_400,
            httponly=True,
            samesite="lax",
            secure=self.secure,
            path="/",
        )

    def client_key(self, request: Request) -> str:
        """Whom rate limits count: the owner when known, else the address."""
        try:
            owner = self.of(request)
        except Unauthorized:
            owner = Owner("")
        return owner.id or f"ip:{request.client.host if request.client else '?'}"

    def _session(self, cookie: str) -> str | None:
        token, _, signature = cookie.rpartition(".")
        if token and hmac.compare_digest(signature, self._sign(token)):
            return token
        return None

    def _sign(self, token: str) -> str:
        return hmac.new(self.secret, f"session:{token}".encode(), hashlib.sha256).hexdigest()

    def _owner_id(self, token: str) -> str:
        return "session:" + hmac.new(self.secret, f"owner:{token}".encode(), hashlib.sha256).hexdigest()


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def load_secret(path: Path) -> bytes:
    """The server's signing secret, kept in a 0600 file beside the database: made once, and
    shared by every worker process (written aside and linked into place, so a worker never
    reads a half-written one)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, aside = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mkstemp makes it 0600
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.close(fd)
            os.link(aside, path)
        except FileExistsError:
            pass  # another worker made it first: use theirs
        finally:
            os.unlink(aside)
    secret = path.read_bytes().strip()
    if len(secret) < 32:
        raise ValueError(f"{path}: the signing secret is too short; delete the file to make a new one")
    return secret
