"""Bot settings, read from the environment (prefix FACTBOT_, and DISCORD_TOKEN) or passed explicitly."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SyncMode = Literal["off", "global"] | tuple[int, ...]


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FACTBOT_", extra="ignore", populate_by_name=True)

    discord_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("discord_token", "DISCORD_TOKEN", "FACTBOT_DISCORD_TOKEN"),
        description="The bot token from the Developer Portal (Bot → Reset Token).",
    )
    message_content: bool = Field(
        default=True,
        description="Ask for the privileged Message Content intent (needed by the prefix command). False: "
        "slash commands, mentions and DMs only.",
    )
    prefix: str = Field(default="!", min_length=1, max_length=5, description="Prefix where a server set none.")
    sync_commands: Annotated[SyncMode, NoDecode] = Field(
        default="global",
        description="Slash command sync at start: 'off', 'global', or comma-separated guild ids "
        "(instant, for testing in a few servers).",
    )
    shard_count: int | None = Field(default=None, ge=1, description="Total shards; unset: Discord recommends.")
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(
        default=None, description="Comma-separated shard ids this process runs (needs shard_count)."
    )
    user_rate: int = Field(default=5, ge=1, description="Questions one user may ask per user_per_s.")
    user_per_s: float = Field(default=60.0, gt=0)
    guild_rate: int = Field(default=60, ge=1, description="Questions one server may ask per guild_per_s.")
    guild_per_s: float = Field(default=60.0, gt=0)
    answers: int = Field(default=4, ge=1, le=5, description="Topics fetched per question: the best + runner-ups.")
    settings_cache_s: float = Field(default=60.0, ge=0, description="How long a server's settings are cached.")
    query_log_buffer: int = Field(default=10_000, ge=1, description="Query log events kept while the DB is down.")
    store_startup_wait_s: float = Field(default=30.0, ge=0, description="`factbot run` waits this long for the DB.")
    log_level: str = Field(default="INFO")

    @field_validator("sync_commands", mode="before")
    @classmethod
    def _parse_sync(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("off", "global"):
                return text
            try:
                return tuple(int(part) for part in text.split(",") if part.strip())
            except ValueError:
                raise ValueError("sync_commands is 'off', 'global' or comma-separated guild ids") from None
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(",") if part.strip()) or None
        return value

    @model_validator(mode="after")
    def _shard_ids_need_a_count(self) -> BotSettings:
        if self.shard_ids is not None and self.shard_count is None:
            raise ValueError("shard_ids needs shard_count (FACTBOT_SHARD_COUNT)")
        if self.shard_ids and self.shard_count and max(self.shard_ids) >= self.shard_count:
            raise ValueError("shard ids must be below shard_count")
        return self

    def token(self) -> str | None:
        return self.discord_token.get_secret_value() if self.discord_token else None
