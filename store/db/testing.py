"""Helpers to stand up real, migrated stores in tests: a SQLite file, or a throwaway PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from store.service import ClaimStore
from store.settings import StoreSettings

POSTGRES_URL = os.environ.get("FACTBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def postgres_unavailable_reason() -> str | None:
    """None when the test PostgreSQL server answers, else why not."""
    engine = create_async_engine(POSTGRES_URL, connect_args={"timeout": 3})
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        return f"no PostgreSQL at {make_url(POSTGRES_URL).render_as_string(hide_password=True)}: {exc}"
    finally:
        await engine.dispose()
    return None


@contextlib.asynccontextmanager
async def temporary_postgres_database() -> AsyncIterator[str]:
    """A new empty database on the test server, dropped afterwards; yields its URL."""
    name = f"factbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def sqlite_settings(directory: Path, **overrides: object) -> StoreSettings:
    url = f"sqlite+aiosqlite:///{directory / 'factbot.sqlite3'}"
    return StoreSettings.model_validate({"database_url": url, "data_dir": directory, **overrides})


@contextlib.asynccontextmanager
async def open_store(settings: StoreSettings, *, demo: bool = True) -> AsyncIterator[ClaimStore]:
    """A migrated store on `settings`, loaded with the demo data unless `demo` is False."""
    store = await ClaimStore.open(settings, migrate_schema=True)
    try:
        if demo:
            await store.load_demo()
        yield store
    finally:
        await store.close()
