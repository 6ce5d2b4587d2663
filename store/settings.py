"""Store settings, read from the environment (prefix FACTBOT_) or passed explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_path
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _default_data_dir() -> Path:
    return user_data_path("factbot", appauthor=False)


class StoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FACTBOT_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL, e.g. postgresql+asyncpg://user@host/db. Unset: a SQLite file in data_dir.",
    )
    data_dir: Path = Field(default_factory=_default_data_dir, description="Where the embedded SQLite file lives.")
    match_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Score a topic needs to count as an answer (see README)."
    )
    max_question_chars: int = Field(default=1000, ge=10, description="Longer questions are refused.")
    semantic_model: str | None = Field(
        default=None,
        description="Optional sentence-embedding model (local directory or installed package name) "
        "that re-ranks the lexical candidates; needs the [semantic] extra.",
    )
    embedding_cache_dir: Path | None = Field(
        default=None,
        description="Where the semantic model's embeddings are kept between runs (one file per model). "
        "Unset: data_dir.",
    )
    demo: Literal["auto", "off"] = Field(
        default="auto",
        description="auto: a fresh SQLite store (no statements, never changed) gets the demo data; a PostgreSQL "
        "store never does. off: never loaded unless asked for (`factbot demo load`).",
    )
    curation_guilds: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(),
        description="Comma-separated ids of the Discord servers whose moderators may change the shared store. "
        "Unset: the store can't be changed from Discord (the CLI always may).",
    )

    review_weak_band: float = Field(
        default=0.10,
        ge=0.0,
        le=1.0,
        description="An answer whose best score is below match_threshold + this is a weak answer, for review.",
    )
    user_hash_salt: SecretStr | None = Field(
        default=None,
        description="Secret salt of the hashed user ids in the query log. Unset: one generated for this "
        "installation and kept in the database.",
    )
    query_log_retention_days: int | None = Field(
        default=None,
        ge=1,
        le=36500,
        description="Raw query log entries and feedback older than this many days are deleted (once a day), "
        "their daily figures kept. Unset: kept until purged (`factbot review purge`).",
    )

    @field_validator("curation_guilds", mode="before")
    @classmethod
    def _parse_guild_ids(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return tuple(int(part) for part in value.split(",") if part.strip())
            except ValueError:
                raise ValueError("curation_guilds is a comma-separated list of server ids") from None
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_url.startswith("sqlite")

    @property
    def is_embedded(self) -> bool:
        return self.database_url is None

    @property
    def resolved_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'factbot.sqlite3'}"
