"""Engine and session factory for the embedded SQLite file or a PostgreSQL server."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from store.errors import StoreUnavailable
from store.settings import StoreSettings


def make_engine(settings: StoreSettings) -> AsyncEngine:
    url = settings.resolved_url
    if url.startswith("sqlite"):
        if settings.is_embedded:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 15})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't wait for a writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


_OUTAGE = (OperationalError, InterfaceError, ConnectionError, OSError, TimeoutError)


def is_outage(exc: BaseException) -> bool:
    """True when `exc` means the database can't be reached, as opposed to a bug or bad data."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, _OUTAGE)


@contextlib.asynccontextmanager
async def translate_outage() -> AsyncIterator[None]:
    """Turn a lost or refused database connection into StoreUnavailable, with a message users can read."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        if is_outage(exc):
            raise StoreUnavailable("The claim store is unavailable right now; try again shortly.") from exc
        raise
