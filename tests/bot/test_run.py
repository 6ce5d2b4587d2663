"""`factbot run`: a missing or refused token, or a database that needs upgrading, is one clear line."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from bot.cli.commands import app
from bot.run import MISSING_TOKEN, NEEDS_INTENT, REFUSED_TOKEN, run
from bot.settings import BotSettings
from store.db import models as m
from store.db.testing import sqlite_settings
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.bot.fake_discord import FakeDiscord

T = TypeVar("T")


@contextlib.contextmanager
def fake_discord_in_a_thread(**options: bool) -> Iterator[FakeDiscord]:
    """`run` owns its event loop (asyncio.run), so the fake serves from a loop of its own."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeDiscord(**options)
    fake.loop = loop  # type: ignore[attr-defined]
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(5)
    try:
        with fake.pointed_at():
            yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.close(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_missing_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(BotSettings(discord_token=None)) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"factbot: {MISSING_TOKEN}"


def test_refused_token(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with fake_discord_in_a_thread() as fake:
        settings = BotSettings(discord_token="not-the-token", sync_commands="off")
        code = run(settings, store_settings=StoreSettings(database_url=None, data_dir=tmp_path))
    assert code == 1
    err = capsys.readouterr().err
    assert f"factbot: {REFUSED_TOKEN}" in err and "Traceback" not in err
    [login] = fake.requests.matching(lambda r: r.path == "/users/@me")
    assert login.headers["Authorization"] == "Bot not-the-token"


def test_message_content_intent_not_enabled_in_the_portal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with fake_discord_in_a_thread(privileged_intents=False) as fake:
        settings = BotSettings(discord_token=fake.token, sync_commands="off")
        code = run(settings, store_settings=StoreSettings(database_url=None, data_dir=tmp_path))
    assert code == 1
    err = capsys.readouterr().err
    assert f"factbot: {NEEDS_INTENT}" in err and "Traceback" not in err


def on_fake(fake: FakeDiscord, work: Coroutine[Any, Any, T]) -> T:
    """Run `work` on the fake's loop from another thread and wait for its result."""
    return asyncio.run_coroutine_threadsafe(work, fake.loop).result(10)  # type: ignore[attr-defined]


def test_answers_then_shuts_down_cleanly_on_sigterm(tmp_path: Path) -> None:
    """The whole `factbot run`: connect, answer a DM, and on SIGTERM disconnect and write the query log."""
    with fake_discord_in_a_thread() as fake:

        def member_asks_then_docker_stops() -> None:
            on_fake(fake, fake.gateway.received.wait_for(lambda f: f["op"] == 2))  # connected (IDENTIFY)
            question = on_fake(fake, fake.send_dm("Is there any progress in the Cairo truce talks?"))
            on_fake(fake, fake.posts.wait_for(lambda p: p.reply_to == question["id"]))
            os.kill(os.getpid(), signal.SIGTERM)

        member = threading.Thread(target=member_asks_then_docker_stops)
        member.start()
        code = run(
            BotSettings(discord_token=fake.token, sync_commands="off", user_hash_salt="s"),
            store_settings=StoreSettings(database_url=None, data_dir=tmp_path),
        )
        member.join(10)
    assert code == 0
    assert not fake.problems

    async def logged_sources() -> list[str]:
        store = await ClaimStore.open(StoreSettings(database_url=None, data_dir=tmp_path))
        try:
            async with AsyncSession(store.engine) as session:
                return list((await session.scalars(select(m.QueryLog.source))).all())
        finally:
            await store.close()

    assert asyncio.run(logged_sources()) == ["dm"]  # written on the way out


def test_a_database_that_needs_upgrading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(BotSettings(discord_token="x", store_startup_wait_s=0), store_settings=sqlite_settings(tmp_path))
    assert code == 1
    err = capsys.readouterr().err
    assert "factbot db upgrade" in err and "Traceback" not in err


def test_the_cli_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("FACTBOT_DISCORD_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert "DISCORD_TOKEN is not set" in result.output
