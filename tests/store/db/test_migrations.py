"""Alembic owns the schema: empty -> head -> base works on both backends, and head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from store.db import migrate
from store.db.engine import make_engine
from store.db.models import Base
from store.settings import StoreSettings


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_upgrade_to_head_and_back_to_base(store_settings: StoreSettings) -> None:
    engine = make_engine(store_settings)
    try:
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == set(Base.metadata.tables)
            assert await connection.run_sync(_diff) == []  # the migrations build exactly what the models say

        await migrate.downgrade(engine, "base")
        assert await migrate.current_revision(engine) is None
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == set()

        await migrate.upgrade(engine)  # and up again from nothing
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()


async def test_0002_keeps_each_users_latest_verdict(store_settings: StoreSettings) -> None:
    engine = make_engine(store_settings)
    rows = [("q1", True, "u1"), ("q1", False, "u1"), ("q1", True, "u2"), ("q2", True, "u1"), ("q1", True, None)]
    try:
        await migrate.upgrade(engine, "0001")
        async with engine.begin() as connection:
            for query_uid, helpful, user_hash in rows:
                await connection.execute(
                    text(
                        "INSERT INTO query_feedback (query_uid, helpful, user_hash, created_at) "
                        "VALUES (:q, :h, :u, CURRENT_TIMESTAMP)"
                    ),
                    {"q": query_uid, "h": helpful, "u": user_hash},
                )
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            query = text("SELECT query_uid, user_hash, helpful FROM query_feedback ORDER BY id")
            kept = [tuple(r) for r in await connection.execute(query)]
        assert kept == [("q1", "u1", False), ("q1", "u2", True), ("q2", "u1", True), ("q1", None, True)]
    finally:
        await engine.dispose()
