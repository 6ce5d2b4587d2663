"""`factbot run`: a missing or refused token, or a database that needs upgrading, is one clear line."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.run import MISSING_TOKEN, NEEDS_INTENT, REFUSED_TOKEN, run
from bot.settings import BotSettings
from store.settings import StoreSettings
from store.testing import sqlite_settings
from tests.bot.fake_discord import FakeDiscord


@contextlib.contextmanager
def fake_discord_in_a_thread(**options: bool) -> Iterator[FakeDiscord]:
    """`run` owns its event loop (asyncio.run), so the fake serves from a loop of its own."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeDiscord(**options)
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


def test_a_database_that_needs_upgrading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(BotSettings(discord_token="x"), store_settings=sqlite_settings(tmp_path))
    assert code == 1
    err = capsys.readouterr().err
    assert "factbot db upgrade" in err and "Traceback" not in err


def test_the_cli_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("FACTBOT_DISCORD_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert "DISCORD_TOKEN is not set" in result.output
