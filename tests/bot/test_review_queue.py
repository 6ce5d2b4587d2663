"""The review queue seen from Discord: what members ask lands in it, teaching a group answers them from then on,
and "forget" finds a member by the hash the bot logged (the store's salt, the same at every start)."""

from __future__ import annotations

from bot.bot import FactBot
from store.service import ClaimStore
from tests.bot.conftest import StartBot, feedback_rows, logged
from tests.bot.fake_discord import FakeDiscord

TEAM = "Is the Israeli team going to Cairo?"
NEXT_STEPS = "What happens next in the Cairo truce talks?"


def button(custom_ids: list[dict[str, str]], label: str) -> str:
    return next(str(b["custom_id"]) for b in custom_ids if b.get("label", "").startswith(label))


async def test_a_taught_group_is_answered_in_discord_from_then_on(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    first = await (await fake.slash("factcheck", {"question": TEAM})).reply()
    assert "logged your question for the moderators" in first.content
    await (await fake.slash("factcheck", {"question": "is the israeli team goin to cairo"}, user=fake.owner)).reply()
    await bot.query_log.flush()
    [group] = (await store.review_queue(guild_id=fake.guild.id)).groups
    assert (group.count, group.askers, group.servers) == (2, 2, (fake.guild.id,))

    await store.teach_group(group.id, "cairo-talks-next-steps", actor="discord:1 (Mod)")
    for question in (TEAM, "is the israeli team going to cairo this week"):
        answer = await (await fake.slash("factcheck", {"question": question})).reply()
        assert answer.embeds[0]["title"] == NEXT_STEPS, question
    await bot.query_log.flush()
    assert (await store.review_queue()).groups == ()  # answered now: nothing more to review


async def test_forget_finds_the_member_the_bot_logged_across_restarts(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore
) -> None:
    bot = await start_bot()
    answer = await (
        await fake.slash("factcheck", {"question": "Is there any progress in the Cairo truce talks?"})
    ).reply()
    await (await fake.click(answer, button(answer.buttons, "Not what I asked"))).reply()
    await bot.close()
    restarted = await start_bot()  # a new process would hash the same member the same way
    await (await fake.slash("factcheck", {"question": "banana bread recipe"})).reply()
    await (await fake.slash("factcheck", {"question": "banana bread recipe"}, user=fake.owner)).reply()
    before, after, owners = await logged(restarted, store)
    assert before.user_hash == after.user_hash == await store.user_hash(fake.member.id)  # the same across restarts
    assert owners.user_hash != before.user_hash and len(await feedback_rows(restarted, store)) == 1

    report = await store.forget_member(fake.member.id)
    assert (report.queries, report.feedback) == (2, 1)
    left = await logged(restarted, store)
    assert [r.user_hash for r in left] == [await store.user_hash(fake.owner.id)]
    assert await feedback_rows(restarted, store) == []
