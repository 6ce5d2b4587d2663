"""Start-up and shutdown: nothing connects early, minimal intents, slash sync modes, sharding, a flushed log."""

from __future__ import annotations

import discord

from bot.bot import FactBot, intents
from store.service import ClaimStore
from tests.bot.conftest import StartBot, bot_settings, logged, start
from tests.bot.fake_discord import FakeDiscord

HEADLINE = "Is there any progress in the Cairo truce talks?"


async def test_nothing_connects_before_start(fake: FakeDiscord, store: ClaimStore) -> None:
    bot = FactBot(bot_settings(fake), store=store)
    assert len(fake.requests) == 0 and len(fake.gateway.received) == 0
    assert not hasattr(bot, "desk")  # the desk and its query log start in setup_hook, not before


async def test_minimal_intents_and_no_pings_by_default(fake: FakeDiscord, start_bot: StartBot) -> None:
    bot = await start_bot()
    [identify] = fake.gateway.received.matching(lambda f: f["op"] == 2)
    wanted = discord.Intents.none()
    wanted.guilds = wanted.guild_messages = wanted.dm_messages = wanted.message_content = True
    assert identify["d"]["intents"] == wanted.value == intents().value
    mentions = bot.allowed_mentions
    assert mentions is not None and not (mentions.everyone or mentions.users or mentions.roles or mentions.replied_user)


async def test_slash_commands_synced_globally(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot(sync_commands="global")
    [put] = fake.requests.matching(lambda r: r.method == "PUT")
    assert put.path == f"/applications/{fake.application_id}/commands"
    commands = {c["name"]: c for c in put.json}
    [question] = commands["factcheck"]["options"]
    assert question["name"] == "question" and question["autocomplete"] is True and question["required"] is True
    assert question["max_length"] == 1000
    settings = commands["factbot-settings"]
    assert int(settings["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    assert {o["name"] for o in settings["options"]} >= {"answer-in", "private-answers", "prefix", "show"}


async def test_slash_commands_synced_to_chosen_guilds_only(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot(sync_commands=str(fake.guild.id))
    puts = fake.requests.matching(lambda r: r.method == "PUT")
    assert [p.path for p in puts] == [f"/applications/{fake.application_id}/guilds/{fake.guild.id}/commands"]
    assert "factcheck" in {c["name"] for c in puts[0].json}


async def test_no_sync_when_off(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot(sync_commands="off")
    assert not fake.requests.matching(lambda r: r.method == "PUT")


async def test_shards_recommended_by_discord(store: ClaimStore) -> None:
    fake = FakeDiscord(recommended_shards=2)
    async with fake.running():
        bot = FactBot(bot_settings(fake), store=store, guild_ready_timeout=0.05)
        task = await start(bot, fake)
        try:
            assert fake.requests.matching(lambda r: r.path == "/gateway/bot")
            shards = sorted(tuple(f["d"]["shard"]) for f in fake.gateway.received if f["op"] == 2)
            assert shards == [(0, 2), (1, 2)]
            question = await fake.send_message(f"!factcheck {HEADLINE}")
            assert (await fake.posts.wait_for(lambda p: p.reply_to == question["id"])).embeds
        finally:
            await bot.close()
            await task
    assert not fake.problems


async def test_shard_ids_from_settings(fake: FakeDiscord, start_bot: StartBot) -> None:
    shard = fake.shard_of(fake.guild.id, 2)
    await start_bot(shard_count=2, shard_ids=str(shard))
    assert [f["d"]["shard"] for f in fake.gateway.received if f["op"] == 2] == [[shard, 2]]
    assert not fake.requests.matching(lambda r: r.path == "/gateway/bot")


async def test_closing_the_bot_leaves_the_store_open(fake: FakeDiscord, start_bot: StartBot, store: ClaimStore) -> None:
    bot = await start_bot()
    await bot.close()
    assert bot.store is store
    assert (await store.ask(HEADLINE)).answered  # the store is the caller's: `factbot run` closes it last


async def test_closing_writes_out_the_query_log(fake: FakeDiscord, start_bot: StartBot, store: ClaimStore) -> None:
    bot = await start_bot()
    question = await fake.send_message(f"!factcheck {HEADLINE}")
    await fake.posts.wait_for(lambda p: p.reply_to == question["id"])
    assert bot.query_log.pending == 1  # still lingering for company
    await bot.close()
    assert bot.query_log.pending == 0
    [row] = await logged(bot, store)
    assert row.text == HEADLINE


async def test_without_message_content_slash_and_mentions_still_work(store: ClaimStore) -> None:
    fake = FakeDiscord(privileged_intents=False)
    async with fake.running():
        bot = FactBot(bot_settings(fake, message_content=False), store=store, guild_ready_timeout=0.05)
        task = await start(bot, fake)
        try:
            [identify] = fake.gateway.received.matching(lambda f: f["op"] == 2)
            assert not identify["d"]["intents"] & discord.Intents(message_content=True).value
            assert (await (await fake.slash("factcheck", {"question": HEADLINE})).reply()).embeds
            question = await fake.send_message(f"<@{fake.bot_user.id}> {HEADLINE}", mentions=[fake.bot_user])
            assert (await fake.posts.wait_for(lambda p: p.reply_to == question["id"])).embeds
        finally:
            await bot.close()
            await task
    assert not fake.problems
