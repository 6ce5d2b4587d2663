"""Speakers' other names ("Bibi" for Benjamin Netanyahu), which the matcher indexes with the speaker's
statements so that a question naming them finds those statements. They are shown nowhere else."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.matching.text import fold


async def alias_lookup(session: AsyncSession) -> Callable[[str], tuple[str, ...]]:
    """A function from a speaker's name to its aliases, each name folded once (there are few speakers)."""
    rows = await session.execute(select(m.SpeakerProfile.name_key, m.SpeakerProfile.aliases))
    by_key = {key: tuple(aliases) for key, aliases in rows if aliases}
    if not by_key:
        return lambda _name: ()
    seen: dict[str, tuple[str, ...]] = {}

    def aliases_of(name: str) -> tuple[str, ...]:
        found = seen.get(name)
        if found is None:
            found = seen[name] = by_key.get(fold(name), ())
        return found

    return aliases_of
