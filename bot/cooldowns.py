"""Per-user and per-server question rate limits, shared by every way of asking.

Fixed windows, like discord.py's cooldowns: `rate` questions per `per` seconds, counted from the first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

_PRUNE_AT = 10_000


@dataclass(frozen=True, slots=True)
class Limited:
    """Why a question was refused and when asking again will work."""

    scope: str  # "user" or "server"
    retry_after: float


class _Windows:
    def __init__(self, rate: int, per: float) -> None:
        self.rate, self.per = rate, per
        self._used: dict[int, tuple[float, int]] = {}  # key → (window start, questions in it)

    def take(self, key: int, now: float) -> float | None:
        """Count one for `key`; None if allowed, else seconds until its window reopens."""
        if len(self._used) > _PRUNE_AT:
            self._used = {k: v for k, v in self._used.items() if now < v[0] + self.per}
        start, used = self._used.get(key, (now, 0))
        if now >= start + self.per:
            start, used = now, 0
        if used >= self.rate:
            return start + self.per - now
        self._used[key] = (start, used + 1)
        return None

    def give_back(self, key: int) -> None:
        start, used = self._used.get(key, (0.0, 0))
        if used:
            self._used[key] = (start, used - 1)


class Cooldowns:
    def __init__(
        self,
        *,
        user_rate: int,
        user_per: float,
        guild_rate: int,
        guild_per: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._users = _Windows(user_rate, user_per)
        self._guilds = _Windows(guild_rate, guild_per)
        self._clock = clock

    def check(self, user_id: int, guild_id: int | None) -> Limited | None:
        """Count one question; None when it may go ahead."""
        now = self._clock()
        wait = self._users.take(user_id, now)
        if wait is not None:
            return Limited("user", wait)
        if guild_id is not None:
            wait = self._guilds.take(guild_id, now)
            if wait is not None:
                self._users.give_back(user_id)  # refused for the server's sake: don't charge the user
                return Limited("server", wait)
        return None
