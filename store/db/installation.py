"""Values made once per installation and kept in the database (the salt of the hashed user ids)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.engine import dialect_insert


async def value(session: AsyncSession, key: str, make: Callable[[], str]) -> str:
    """The value kept under `key`, made with `make` and kept the first time; two processes at once keep one."""
    await session.execute(
        dialect_insert(session, m.Installation)
        .values(key=key, value=make())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    kept = await session.scalar(select(m.Installation.value).where(m.Installation.key == key))
    assert kept is not None  # inserted above, or already there
    return kept
