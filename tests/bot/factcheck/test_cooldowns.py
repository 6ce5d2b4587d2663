"""Per-user and per-server cooldowns: a clear "slow down", logged as rate_limited, and no work done."""

from __future__ import annotations

from bot.bot import FactBot
from bot.cooldowns import Cooldowns, Limited
from store.service import ClaimStore
from tests.bot.conftest import StartBot, logged
from tests.bot.fake_discord import FakeDiscord

HEADLINE = "Is there any progress in the Cairo truce talks?"


async def test_a_user_asking_too_fast_is_told_to_slow_down(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    bot: FactBot = await start_bot(user_rate=1, user_per_s=60)
    await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    second = await fake.slash("factcheck", {"question": HEADLINE})
    refused = await second.reply()
    assert refused.ephemeral and refused.content.startswith("Slow down: you're asking questions faster")
    assert "Try again in 60 s." in refused.content or "Try again in 59 s." in refused.content
    assert [r.json["type"] for r in fake.requests if r.path.startswith(f"/interactions/{second.id}/")] == [4]

    question = await fake.send_message(f"!factcheck {HEADLINE}")
    text_refusal = await fake.posts.wait_for(lambda p: p.reply_to == question["id"])
    assert text_refusal.content.startswith("Slow down") and text_refusal.pings_nobody

    rows = await logged(bot, store)
    assert [(r.source, r.outcome) for r in rows] == [
        ("slash", "answered"),
        ("slash", "rate_limited"),
        ("prefix", "rate_limited"),
    ]
    assert rows[1].text == HEADLINE


async def test_a_busy_server_is_told_to_slow_down(fake: FakeDiscord, start_bot: StartBot, store: ClaimStore) -> None:
    bot: FactBot = await start_bot(guild_rate=2, guild_per_s=60)
    await (await fake.slash("factcheck", {"question": HEADLINE}, user=fake.member)).reply()
    await (await fake.slash("factcheck", {"question": HEADLINE}, user=fake.owner)).reply()
    refused = await (await fake.slash("factcheck", {"question": HEADLINE}, user=fake.member)).reply()
    assert refused.content.startswith("Slow down: this server is asking a lot")
    dm = await fake.send_dm(HEADLINE)  # DMs aren't the server's
    answer = await fake.posts.wait_for(lambda p: p.reply_to == dm["id"])
    assert answer.embeds
    assert [r.outcome for r in await logged(bot, store)] == ["answered", "answered", "rate_limited", "answered"]


def test_windows_reopen_and_a_server_refusal_costs_the_user_nothing() -> None:
    now = [0.0]
    cooldowns = Cooldowns(user_rate=2, user_per=10, guild_rate=3, guild_per=10, clock=lambda: now[0])
    assert cooldowns.check(1, 100) is None
    assert cooldowns.check(1, 100) is None
    assert cooldowns.check(1, 100) == Limited("user", 10.0)
    now[0] = 4.0
    assert cooldowns.check(2, 100) is None  # the server's third
    assert cooldowns.check(3, 100) == Limited("server", 6.0)
    assert cooldowns.check(3, None) is None  # user 3 wasn't charged for the refusal above
    assert cooldowns.check(3, None) is None
    now[0] = 10.0
    assert cooldowns.check(1, 100) is None  # both windows reopened
