"""The product bot, run for real against the fake Discord and a real, migrated store with the demo data.

`fake` is torn down after `bot` (the bot closes first), and a test fails if the bot called a REST route the
fake doesn't know or sent a body Discord would reject.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bot import FactBot
from bot.settings import BotSettings
from store.db import models as m
from store.db.testing import open_store, sqlite_settings
from store.service import ClaimStore
from tests.bot.fake_discord import FakeDiscord

StartBot = Callable[..., Awaitable[FactBot]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    async with fake.running():
        yield fake
    if fake.problems:
        pytest.fail("the fake Discord saw problems:\n" + "\n".join(fake.problems))


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the demo data, built once; each test gets its own copy."""
    directory = tmp_path_factory.mktemp("demo-store")

    async def build() -> None:
        async with open_store(sqlite_settings(directory, data_dir=directory)):
            pass

    asyncio.run(build())
    return directory / "factbot.sqlite3"


@pytest.fixture
async def store(tmp_path: Path, demo_database: Path) -> AsyncIterator[ClaimStore]:
    shutil.copyfile(demo_database, tmp_path / demo_database.name)
    store = await ClaimStore.open(sqlite_settings(tmp_path, data_dir=tmp_path))
    try:
        yield store
    finally:
        await store.close()


def bot_settings(fake: FakeDiscord, **overrides: Any) -> BotSettings:
    values: dict[str, Any] = {
        "discord_token": fake.token,
        "sync_commands": "off",
        "user_hash_salt": "test-salt",
        "settings_cache_s": 0.0,
    }
    values.update(overrides)
    return BotSettings(**values)


async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before every IDENTIFY but the first, to respect Discord's rate; the fake has none."""


async def start(bot: FactBot, fake: FakeDiscord) -> asyncio.Task[None]:
    """Connect `bot` to the fake and return once it is ready (or raise what stopped it)."""
    bot.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    running = asyncio.create_task(bot.start(fake.token))
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait({running, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if running in done:
        ready.cancel()
        running.result()  # raises what went wrong
        raise AssertionError("the bot stopped before it was ready")
    if ready not in done:
        raise AssertionError("the bot didn't become ready within 10 s")
    return running


@pytest.fixture
async def start_bot(fake: FakeDiscord, store: ClaimStore) -> AsyncIterator[StartBot]:
    """Start the product bot with settings overrides; it is closed (and its query log flushed) afterwards."""
    running: list[tuple[FactBot, asyncio.Task[None]]] = []

    async def _start(*, store_: ClaimStore | None = None, **overrides: Any) -> FactBot:
        bot = FactBot(bot_settings(fake, **overrides), store=store_ or store, guild_ready_timeout=0.05)
        running.append((bot, await start(bot, fake)))
        return bot

    yield _start
    for bot, task in running:
        await bot.close()
        await task


@pytest.fixture
async def bot(start_bot: StartBot) -> FactBot:
    return await start_bot()


async def logged(bot: FactBot, store: ClaimStore) -> list[m.QueryLog]:
    """Every query-log row, oldest first, once the bot's writer has written what it has."""
    await bot.query_log.flush()
    async with AsyncSession(store.engine) as session:
        return list((await session.scalars(select(m.QueryLog).order_by(m.QueryLog.id))).all())


async def feedback_rows(bot: FactBot, store: ClaimStore) -> list[m.QueryFeedback]:
    await bot.query_log.flush()
    async with AsyncSession(store.engine) as session:
        return list((await session.scalars(select(m.QueryFeedback).order_by(m.QueryFeedback.id))).all())
