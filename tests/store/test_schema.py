"""The operators' side of the store: moving the schema, and the demo data an empty embedded store gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import (
    ClaimStore,
    StoreSettings,
    StoreUnavailable,
    downgrade_schema,
    head_revision,
    schema_revision,
    upgrade_schema,
)


async def test_the_schema_moves_up_and_down_and_says_where_it_is(store_settings: StoreSettings) -> None:
    assert await schema_revision(store_settings) is None  # an empty database
    assert await upgrade_schema(store_settings, "0001") == "0001"
    assert await schema_revision(store_settings) == "0001"
    assert await upgrade_schema(store_settings) == head_revision()
    assert await downgrade_schema(store_settings, "base") is None
    assert await schema_revision(store_settings) is None


async def test_a_database_out_of_reach_is_unavailable_with_the_drivers_reason(tmp_path: Path) -> None:
    nowhere = StoreSettings(database_url="postgresql+asyncpg://postgres@127.0.0.1:9/none", data_dir=tmp_path)
    for step in (upgrade_schema, downgrade_schema):
        with pytest.raises(StoreUnavailable, match=r"^can't reach the database: .+"):
            await step(nowhere)
    with pytest.raises(StoreUnavailable, match="unavailable"):
        await ClaimStore.open(nowhere)


async def test_an_embedded_store_gets_the_demo_once_and_only_when_empty(tmp_path: Path) -> None:
    embedded = StoreSettings(database_url=None, data_dir=tmp_path)
    store = await ClaimStore.open(embedded, migrate_schema=True)
    try:
        report = await store.ensure_demo()
        assert report is not None and report.topics_created > 0 and report.statements_written > 0
        assert await store.ensure_demo() is None  # it holds statements now
        assert (await store.ask("Is there any progress in the Cairo truce talks?")).answered
    finally:
        await store.close()


async def test_a_database_server_is_never_filled_unasked(store_settings: StoreSettings) -> None:
    store = await ClaimStore.open(store_settings, migrate_schema=True)
    try:
        if store_settings.is_sqlite:  # an SQLite file is embedded wherever it lives
            assert await store.ensure_demo() is not None
            return
        assert await store.ensure_demo() is None
        assert await store.is_empty()
    finally:
        await store.close()
