"""The database schema, for operators: where it stands, and moving it (`factbot db upgrade` / `downgrade`).

A database that can't be reached is StoreUnavailable, naming the driver's reason.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from store.db import migrate
from store.db.engine import Database, Engine, unreachable_as_unavailable
from store.settings import StoreSettings


async def upgrade_schema(settings: StoreSettings | None = None, revision: str = "head") -> str | None:
    """Bring the schema up to `revision` (default: the newest); returns the revision it is at now."""
    return await _at_revision(settings, lambda engine: migrate.upgrade(engine, revision))


async def downgrade_schema(settings: StoreSettings | None = None, revision: str = "base") -> str | None:
    """Take the schema back to `revision` (data in dropped tables is lost); returns the revision now, None
    for an empty database."""
    return await _at_revision(settings, lambda engine: migrate.downgrade(engine, revision))


async def schema_revision(settings: StoreSettings | None = None) -> str | None:
    """The revision the schema is at (None: an empty database)."""
    return await _at_revision(settings, None)


def head_revision() -> str | None:
    """The newest revision this version of factbot knows."""
    return migrate.head_revision()


async def _at_revision(settings: StoreSettings | None, step: Callable[[Engine], Awaitable[None]] | None) -> str | None:
    async with unreachable_as_unavailable():
        db = Database.connect(settings or StoreSettings())
        try:
            if step is not None:
                await step(db.engine)
            return await migrate.current_revision(db.engine)
        finally:
            await db.dispose()
