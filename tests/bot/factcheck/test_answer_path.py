"""Every way of asking takes the one path through the desk: refused the same way, logged the same way."""

from __future__ import annotations

from store.service import ClaimStore
from tests.bot.conftest import StartBot, logged
from tests.bot.fake_discord import FakeDiscord, Posted

HEADLINE = "Is there any progress in the Cairo truce talks?"
SLOW_DOWN = "Slow down: you're asking questions faster"


async def reply_to(fake: FakeDiscord, message: dict[str, object]) -> Posted:
    return await fake.posts.wait_for(lambda p: p.reply_to == message["id"])


def did_you_mean(posted: Posted) -> str:
    return next(str(b["custom_id"]) for b in posted.buttons if b.get("label", "").startswith("Did you mean: "))


async def test_asking_too_fast_is_refused_on_every_path(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    bot = await start_bot(user_rate=1, user_per_s=60)
    answer = await (await fake.slash("factcheck", {"question": "gaza death toll"})).reply()
    assert answer.embeds

    slash = await fake.slash("factcheck", {"question": HEADLINE})
    refused = await slash.reply()
    assert refused.ephemeral and refused.content.startswith(SLOW_DOWN)
    assert [r.json["type"] for r in fake.requests if r.path.startswith(f"/interactions/{slash.id}/")] == [4]
    for asked in (
        await fake.send_message(f"!factcheck {HEADLINE}"),
        await fake.send_message(f"<@{fake.bot_user.id}> {HEADLINE}", mentions=[fake.bot_user]),
        await fake.send_dm(HEADLINE),
    ):
        said = await reply_to(fake, asked)
        assert said.content.startswith(SLOW_DOWN) and said.embeds == [] and said.pings_nobody
    button = await (await fake.click(answer, did_you_mean(answer))).reply()
    assert button.ephemeral and button.content.startswith(SLOW_DOWN)

    rows = await logged(bot, store)  # the three typed questions arrive together: in no set order
    assert sorted((r.source, r.outcome) for r in rows) == [
        ("button", "rate_limited"),
        ("dm", "rate_limited"),
        ("mention", "rate_limited"),
        ("prefix", "rate_limited"),
        ("slash", "answered"),
        ("slash", "rate_limited"),
    ]


async def test_outside_the_answer_channels_only_the_slash_command_says_so(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    facts = fake.add_channel("facts")
    bot = await start_bot()
    await store.update_guild_settings(fake.guild.id, actor="test", answer_channel_ids=[facts.id])

    notice = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    assert notice.ephemeral and notice.content == f"On this server I answer questions in <#{facts.id}>."
    prefix = await fake.send_message(f"!factcheck {HEADLINE}")
    mention = await fake.send_message(f"<@{fake.bot_user.id}> {HEADLINE}", mentions=[fake.bot_user])
    dm = await fake.send_dm(HEADLINE)  # a DM is in no server's channel
    assert (await reply_to(fake, dm)).embeds

    rows = await logged(bot, store)
    assert sorted((r.source, r.outcome) for r in rows) == [
        ("dm", "answered"),
        ("mention", "rejected"),
        ("prefix", "rejected"),
        ("slash", "rejected"),
    ]
    assert not fake.posts.matching(lambda p: p.reply_to in (prefix["id"], mention["id"]))  # quiet
