"""Per-server settings, cached: the prefix is needed for every message, so it can't cost a query each time."""

from __future__ import annotations

import logging
import time

from store import ClaimStore, GuildSettings, StoreUnavailable

_log = logging.getLogger(__name__)


class GuildConfig:
    def __init__(self, store: ClaimStore, *, ttl_s: float) -> None:
        self._store = store
        self._ttl = ttl_s
        self._cache: dict[int, tuple[float, GuildSettings]] = {}

    async def get(self, guild_id: int) -> GuildSettings:
        """The server's settings; while the store is down, the last known ones (or the defaults)."""
        now = time.monotonic()
        cached = self._cache.get(guild_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        try:
            settings = await self._store.guild_settings(guild_id)
        except StoreUnavailable:
            _log.debug("store unavailable; using cached/default settings for guild %s", guild_id)
            return cached[1] if cached is not None else GuildSettings(guild_id=guild_id)
        self._cache[guild_id] = (now, settings)
        return settings

    def remember(self, settings: GuildSettings) -> None:
        self._cache[settings.guild_id] = (time.monotonic(), settings)
