"""Asking without a slash command: the prefix command, a mention of the bot, a DM; and busy-channel safety."""

from __future__ import annotations

from bot.bot import FactBot
from store.service import ClaimStore
from tests.bot.conftest import logged
from tests.bot.fake_discord import FakeDiscord, FakeRole, Posted

HEADLINE = "Is there any progress in the Cairo truce talks?"
TOPIC = "Has the Cairo round of Gaza truce talks made progress?"


def replies_to(fake: FakeDiscord, message: dict[str, object]) -> list[Posted]:
    return fake.posts.matching(lambda p: p.reply_to == message["id"])


async def reply_to(fake: FakeDiscord, message: dict[str, object]) -> Posted:
    return await fake.posts.wait_for(lambda p: p.reply_to == message["id"])


async def test_prefix_command(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    question = await fake.send_message(f"!factcheck {HEADLINE}")
    answer = await reply_to(fake, question)
    assert answer.embeds[0]["title"] == TOPIC
    assert answer.pings_nobody
    assert answer.body["message_reference"]["fail_if_not_exists"] is False
    [row] = await logged(bot, store)
    assert (row.source, row.outcome, row.text) == ("prefix", "answered", HEADLINE)


async def test_prefix_without_a_question_explains_how(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await reply_to(fake, await fake.send_message("!factcheck"))
    assert "Ask me a question after the command" in answer.content
    assert "`!factcheck Is there progress" in answer.content
    assert await logged(bot, store) == []


async def test_a_server_can_change_the_prefix(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    await store.update_guild_settings(fake.guild.id, actor="test", prefix="?")
    ignored = await fake.send_message(f"!factcheck {HEADLINE}")
    answered = await fake.send_message(f"?factcheck {HEADLINE}")
    await reply_to(fake, answered)
    rows = await logged(bot, store)
    assert [r.source for r in rows] == ["prefix"]
    assert replies_to(fake, ignored) == []


async def test_mentioning_the_bot_asks_the_rest(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    question = await fake.send_message(f"<@{fake.bot_user.id}> {HEADLINE}", mentions=[fake.bot_user])
    answer = await reply_to(fake, question)
    assert answer.embeds[0]["title"] == TOPIC
    assert f"You asked: {HEADLINE}" in answer.embeds[0]["description"]
    [row] = await logged(bot, store)
    assert (row.source, row.text) == ("mention", HEADLINE)


async def test_a_mention_followed_by_the_command_word_works_too(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    question = await fake.send_message(f"<@!{fake.bot_user.id}> factcheck {HEADLINE}", mentions=[fake.bot_user])
    await reply_to(fake, question)
    [row] = await logged(bot, store)
    assert row.text == HEADLINE


async def test_a_dm_is_a_question(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    question = await fake.send_dm(HEADLINE)
    answer = await reply_to(fake, question)
    assert answer.channel_id == fake.dm_channel(fake.member).id
    assert answer.embeds[0]["title"] == TOPIC
    [row] = await logged(bot, store)
    assert (row.source, row.guild_id, row.channel_id) == ("dm", None, fake.dm_channel(fake.member).id)


async def test_unanswered_question_is_logged_for_moderators(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await reply_to(fake, await fake.send_message("!factcheck what's the weather in Paris tomorrow?"))
    assert "what's the weather in Paris tomorrow?" in answer.content
    assert "logged your question for the moderators" in answer.content
    assert answer.embeds == []
    [row] = await logged(bot, store)
    assert (row.outcome, row.matches) == ("unanswered", [])


async def test_mass_mentions_are_echoed_harmlessly(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    role = FakeRole(name="Everyone important")
    fake.guild.roles.append(role)
    text = f"@everyone @here <@&{role.id}> <@{fake.owner.id}> **is** there `any` progress in Cairo truce talks?"
    question = await fake.send_message(
        f"!factcheck {text}", mentions=[fake.owner], mention_roles=[role.id], mention_everyone=True
    )
    answer = await reply_to(fake, question)
    assert answer.pings_nobody  # Discord pings nobody, whatever the text says
    shown = answer.text()
    assert "@everyone" not in shown and "@here" not in shown
    assert f"<@&{role.id}>" not in shown and f"<@{fake.owner.id}>" not in shown
    assert "\\*\\*is\\*\\*" in shown and "\\`any\\`" in shown
    assert all(posted.pings_nobody for posted in fake.posts)
    [row] = await logged(bot, store)
    assert row.text == text  # the log keeps what was typed


async def test_other_bots_are_ignored(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    other = fake.guild.member(fake.bot_user).user.__class__(username="otherbot", bot=True)
    fake.guild.member(other)
    ignored = await fake.send_message(f"!factcheck {HEADLINE}", author=other)
    answered = await fake.send_message(f"!factcheck {HEADLINE}")
    await reply_to(fake, answered)
    assert replies_to(fake, ignored) == []
    assert len(await logged(bot, store)) == 1
