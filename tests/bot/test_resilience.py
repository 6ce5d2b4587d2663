"""Things going wrong: a dropped gateway, rate limits, Discord 5xx, a failing send, the database going away."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot import wording
from bot.bot import FactBot
from store.db.testing import open_store, sqlite_settings, temporary_postgres_database
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.bot.conftest import StartBot, logged
from tests.bot.fake_discord import FakeDiscord, Posted
from tests.support.requirements import require_postgres
from tests.support.tcp_proxy import TcpProxy

HEADLINE = "Is there any progress in the Cairo truce talks?"
MESSAGES = r"/channels/\d+/messages"


async def reply_to(fake: FakeDiscord, message: dict[str, object]) -> Posted:
    return await fake.posts.wait_for(lambda p: p.reply_to == message["id"])


async def test_gateway_closed_with_4000_resumes_and_answers_the_missed_message(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    closing = fake.drop_gateway()
    missed = await fake.send_message(f"!factcheck {HEADLINE}")  # sent while the bot is disconnected
    await closing
    answer = await reply_to(fake, missed)
    assert answer.embeds[0]["title"] == "Has the Cairo round of Gaza truce talks made progress?"
    frames = [f["op"] for f in fake.gateway.received if f["op"] in (2, 6)]
    assert frames == [2, 6]  # one IDENTIFY at start, then a RESUME, not a new session
    resume = fake.gateway.received.matching(lambda f: f["op"] == 6)[0]["d"]
    assert resume["session_id"] in fake.gateway.sessions and resume["token"] == fake.token
    assert fake.gateway.replayed.matching(lambda f: f["t"] == "MESSAGE_CREATE" and f["d"]["id"] == missed["id"])
    assert [r.source for r in await logged(bot, store)] == ["prefix"]


async def test_a_429_is_waited_out(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    fake.rate_limit_next("POST", MESSAGES, retry_after=0.2)
    question = await fake.send_message(f"!factcheck {HEADLINE}")
    answer = await reply_to(fake, question)
    attempts = fake.requests.matching(lambda r: r.method == "POST" and r.path.endswith("/messages"))
    assert len(attempts) == 2 and attempts[0].json == attempts[1].json
    assert attempts[1].at - attempts[0].at >= 0.2  # it waited as long as Discord asked
    assert answer.embeds
    assert [r.outcome for r in await logged(bot, store)] == ["answered"]


async def test_a_discord_server_error_is_retried(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    fake.fail_next("POST", MESSAGES, status=500)
    question = await fake.send_message(f"!factcheck {HEADLINE}")
    answer = await reply_to(fake, question)
    assert answer.embeds
    assert len(fake.requests.matching(lambda r: r.method == "POST" and r.path.endswith("/messages"))) == 2
    assert [r.outcome for r in await logged(bot, store)] == ["answered"]


async def test_an_unexpected_error_gets_a_short_apology_and_a_logged_traceback(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("POST", r"/webhooks/\d+/[^/]+", status=400, body={"code": 50035, "message": "Invalid Form Body"})
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        interaction = await fake.slash("factcheck", {"question": HEADLINE})
        apology = await interaction.reply()
    assert apology.content == wording.APOLOGY
    assert "Traceback" not in apology.text() and "HTTPException" not in apology.text()
    [record] = [r for r in caplog.records if r.name == "bot.errors"]
    assert record.exc_info and "400 Bad Request" in str(record.exc_info[1])
    assert [r.outcome for r in await logged(bot, store)] == ["answered"]  # the question itself was answered
    second = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()  # and the bot carries on
    assert second.embeds


# -- the database going away and coming back --------------------------------------------------------


async def test_the_sqlite_volume_going_away_and_coming_back(
    fake: FakeDiscord, start_bot: StartBot, tmp_path: Path, demo_database: Path
) -> None:
    """The embedded store's directory disappears (an unmounted volume) and comes back."""
    volume, away = tmp_path / "volume", tmp_path / "unmounted"
    volume.mkdir()
    shutil.copyfile(demo_database, volume / demo_database.name)
    store = await ClaimStore.open(sqlite_settings(volume, data_dir=volume))
    store.sync_interval_s = 0.0
    try:
        bot = await start_bot(store_=store)
        assert (await (await fake.slash("factcheck", {"question": HEADLINE})).reply()).embeds

        await store.engine.dispose()  # let go of open files, as a lost volume would force
        volume.rename(away)
        during = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
        assert during.content == wording.UNAVAILABLE

        away.rename(volume)
        assert (await (await fake.slash("factcheck", {"question": HEADLINE})).reply()).embeds
        assert [r.outcome for r in await logged(bot, store)] == ["answered", "unavailable", "answered"]
    finally:
        await store.close()


# PostgreSQL behind a proxy the test can cut: connections break and new ones are refused.


@pytest.fixture
async def proxied_store(tmp_path: Path) -> AsyncIterator[tuple[ClaimStore, TcpProxy]]:
    await require_postgres()
    async with temporary_postgres_database() as url:
        target = make_url(url)
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
        await proxy.start()
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            async with open_store(StoreSettings(database_url=proxied, data_dir=tmp_path)) as store:
                store.sync_interval_s = 0.0  # look at the database on every question, as after a quiet spell
                yield store, proxy
        finally:
            await proxy.close()


@pytest.mark.postgres
async def test_the_database_going_away_and_coming_back(
    fake: FakeDiscord, start_bot: StartBot, proxied_store: tuple[ClaimStore, TcpProxy]
) -> None:
    store, proxy = proxied_store
    bot = await start_bot(store_=store)
    before = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    assert before.embeds

    await proxy.cut()
    during = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    assert during.content == "The claim store is unavailable right now, try again shortly."
    question = await fake.send_message(f"!factcheck {HEADLINE}")
    assert (await reply_to(fake, question)).content == wording.UNAVAILABLE
    choices = await (await fake.autocomplete("factcheck", "question", "cairo truce")).choices()
    assert choices  # autocomplete works from memory meanwhile
    assert bot.query_log.pending >= 2  # the outage's questions wait in the buffer

    await proxy.restore()
    after = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    assert after.embeds

    rows = await logged(bot, store)
    assert [(r.source, r.outcome) for r in rows] == [
        ("slash", "answered"),
        ("slash", "unavailable"),
        ("prefix", "unavailable"),
        ("slash", "answered"),
    ]
