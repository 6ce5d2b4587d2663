"""/factbot-settings: moderators (Manage Server, checked at run time) choose channels, privacy and prefix."""

from __future__ import annotations

from bot.bot import FactBot
from store.service import ClaimStore
from store.views import QueryLogEntry
from tests.bot.conftest import StartBot, logged
from tests.bot.fake_discord import FakeDiscord

HEADLINE = "Is there any progress in the Cairo truce talks?"


async def test_a_moderator_makes_slash_answers_private(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    saved = await (await fake.slash("factbot-settings private-answers", {"enabled": True}, user=fake.owner)).reply()
    assert saved.ephemeral and "Saved." in saved.content and "the asker only" in saved.content
    assert (await store.guild_settings(fake.guild.id)).ephemeral is True

    answer = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    assert answer.ephemeral and answer.embeds


async def test_members_without_manage_server_are_refused(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    refused = await (await fake.slash("factbot-settings private-answers", {"enabled": True}, user=fake.member)).reply()
    assert refused.ephemeral and "Manage Server" in refused.content
    assert (await store.guild_settings(fake.guild.id)).ephemeral is False


async def test_answer_channels(fake: FakeDiscord, start_bot: StartBot, store: ClaimStore) -> None:
    facts = fake.add_channel("facts")
    bot = await start_bot()
    general = fake.guild.channels[0]
    saved = await (await fake.slash("factbot-settings answer-in", {"channel": facts}, user=fake.owner)).reply()
    assert f"<#{facts.id}>" in saved.content
    assert (await store.guild_settings(fake.guild.id)).answer_channel_ids == (facts.id,)

    elsewhere = await fake.send_message(f"!factcheck {HEADLINE}", channel=general)
    notice = await (await fake.slash("factcheck", {"question": HEADLINE}, channel=general)).reply()
    assert notice.ephemeral and notice.content == f"On this server I answer questions in <#{facts.id}>."
    here = await fake.send_message(f"!factcheck {HEADLINE}", channel=facts)
    answer = await fake.posts.wait_for(lambda p: p.reply_to == here["id"])
    assert answer.channel_id == facts.id and answer.embeds
    assert not fake.posts.matching(lambda p: p.reply_to == elsewhere["id"])  # quiet in other channels

    rows = await logged(bot, store)
    assert sorted((r.source, r.outcome, r.channel_id) for r in rows) == sorted(
        [
            ("prefix", "rejected", general.id),
            ("slash", "rejected", general.id),
            ("prefix", "answered", facts.id),
        ]
    )

    await (await fake.slash("factbot-settings answer-everywhere", {}, user=fake.owner)).reply()
    assert (await store.guild_settings(fake.guild.id)).answer_channel_ids == ()


async def test_a_moderator_sets_the_prefix(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    await (await fake.slash("factbot-settings prefix", {"prefix": "fb?"}, user=fake.owner)).reply()
    question = await fake.send_message(f"fb?factcheck {HEADLINE}")
    await fake.posts.wait_for(lambda p: p.reply_to == question["id"])
    shown = await (await fake.slash("factbot-settings show", {}, user=fake.owner)).reply()
    assert "**Prefix:** `fb?`" in shown.content and "every channel" in shown.content


async def test_settings_commands_need_a_server(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    dm = fake.dm_channel(fake.owner)
    refused = await (await fake.slash("factbot-settings show", {}, user=fake.owner, channel=dm)).reply()
    assert "only works in a server" in refused.content


async def test_a_moderator_reviews_this_servers_unanswered_questions(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    for text in ("who won the 2018 world cup?", "Who won the 2018 World Cup", "is **@everyone** invited to the truce"):
        asked = await fake.send_message(f"!factcheck {text}")
        # mypy can't type a lambda with a default argument; the default binds this iteration's message
        await fake.posts.wait_for(lambda p, asked=asked: p.reply_to == asked["id"])  # type: ignore[misc]
    await logged(bot, store)  # written
    other_server = QueryLogEntry(
        text="a question from another server",
        source="slash",
        outcome="unanswered",
        latency_ms=1.0,
        guild_id=fake.guild.id + 1,
    )
    await store.write_query_events([other_server])

    refused = await (await fake.slash("factbot-settings unanswered", {}, user=fake.member)).reply()
    assert "Manage Server" in refused.content

    listed = await (await fake.slash("factbot-settings unanswered", {}, user=fake.owner)).reply()
    lines = listed.content.splitlines()
    assert listed.ephemeral and lines[0].startswith("**Unanswered here in the last 30 days**")
    assert lines[1].startswith("1. **2x** “who won the 2018 world cup?” — 1 asker, last <t:")
    assert "“is \\*\\*@\u200beveryone\\*\\* invited to the truce”" in lines[2]  # shown as typed, never pinging
    assert "nearest topic: *" in lines[2] and "another server" not in listed.content

    marked = await (await fake.slash("factbot-settings unanswered", {"mark_reviewed": True}, user=fake.owner)).reply()
    assert "Marked 3 logged questions reviewed." in marked.content
    empty = await (await fake.slash("factbot-settings unanswered", {"days": 7}, user=fake.owner)).reply()
    assert empty.content == "No unanswered questions waiting for review here in the last 7 days."
    assert [i.question.text for i in await store.unanswered()] == ["a question from another server"]
