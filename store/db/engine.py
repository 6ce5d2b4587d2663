"""Engine and sessions for the embedded SQLite file or a PostgreSQL server, with outages told apart from bugs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from store.db import migrate
from store.errors import SchemaOutdated, StoreUnavailable
from store.settings import StoreSettings

Engine = AsyncEngine
Sessions = async_sessionmaker[AsyncSession]


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


def session_factory(engine: AsyncEngine) -> Sessions:
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


@contextlib.asynccontextmanager
async def unreachable_as_unavailable() -> AsyncIterator[None]:
    """Like `translate_outage`, naming the driver's reason: for operators' commands (migrations, opening)."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        if is_outage(exc):
            raise StoreUnavailable(f"can't reach the database: {_first_line(exc)}") from exc
        raise


def _first_line(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return (str(getattr(cause, "orig", None) or cause).strip().splitlines() or [type(cause).__name__])[0]


class Database:
    """The store's connection: sessions to read in, transactions to write in, outages as StoreUnavailable."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    @classmethod
    def connect(cls, settings: StoreSettings) -> Database:
        try:  # the embedded store's folder is made here: a refusal to make it is an outage
            return cls(make_engine(settings))
        except OSError as exc:
            raise StoreUnavailable(f"can't reach the database: {_first_line(exc)}") from exc

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with translate_outage(), self.sessions() as session:
            yield session

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed when the block ends, rolled back if it raises."""
        async with translate_outage(), self.sessions() as session, session.begin():
            yield session

    async def ensure_schema(self, *, upgrade: bool) -> None:
        """Check that the schema is at head; with `upgrade`, bring it there instead of refusing."""
        async with translate_outage():
            if await migrate.current_revision(self.engine) != migrate.head_revision():
                if not upgrade:
                    raise SchemaOutdated("The database schema is not up to date: run `factbot db upgrade`.")
                await migrate.upgrade(self.engine)

    async def dispose(self) -> None:
        async with unreachable_as_unavailable():
            await self.engine.dispose()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT with the dialect's ON CONFLICT clauses (PostgreSQL's or SQLite's)."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
