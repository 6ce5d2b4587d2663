"""/audit: the trail newest first, ten a page, paged with buttons that carry the filters."""

from __future__ import annotations

import re

from bot.bot import FactBot
from store.service import ClaimStore
from tests.bot.fake_discord import FakeDiscord, Option, Posted
from tests.bot.moderation.conftest import World, button_id
from tests.support.discord_markup import problems
from tests.support.moderation import statement_id

EVENT = re.compile(r"^`#(\d+)` <t:\d+:f> · ")


def event_ids(posted: Posted) -> list[int]:
    return [int(m[1]) for line in posted.content.splitlines() if (m := EVENT.match(line))]


async def test_the_trail_pages_newest_first(fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore) -> None:
    newest = [e.id for e in await store.audit_events(limit=100)]  # the demo's import and the role set
    assert len(newest) == 27
    first = await (await fake.slash("audit", {}, user=world.moderator)).reply()
    assert first.ephemeral and first.content.startswith("**Audit trail** · every change · newest first · page 1")
    assert event_ids(first) == newest[:10]
    assert "· demo · **create** topic " in first.content
    assert [b["label"] for b in first.buttons] == ["Older ▶"]

    second = await (await fake.click(first, button_id(first, "Older"), user=world.moderator)).reply()
    assert second.kind == "edit" and second.message["id"] == first.message["id"]  # the same message, turned
    assert event_ids(second) == newest[10:20]
    assert [b["label"] for b in second.buttons] == ["◀ Newer", "Older ▶"]
    third = await (await fake.click(second, button_id(second, "Older"), user=world.moderator)).reply()
    assert event_ids(third) == newest[20:] and [b["label"] for b in third.buttons] == ["◀ Newer"]
    back = await (await fake.click(third, button_id(third, "◀ Newer"), user=world.moderator)).reply()
    assert event_ids(back) == newest[10:20]


async def test_the_filters_ride_on_the_buttons(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    sid = await statement_id(store, "cairo-005")
    for n in range(6):  # twelve changes of one statement by one moderator
        await (
            await fake.slash("statement retract", {"statement": sid, "reason": f"check {n}"}, user=world.moderator)
        ).reply()
        await (await fake.slash("statement restore", {"statement": sid}, user=world.moderator)).reply()
    await (await fake.slash("statement retract", {"statement": sid, "reason": "other"}, user=world.admin)).reply()

    options: dict[str, Option] = {"statement": sid, "moderator": str(world.moderator.id)}
    first = await (await fake.slash("audit", options, user=world.admin)).reply()
    assert f"· statement #{sid}, moderator “{world.moderator.id}” · newest first · page 1" in first.content
    older = button_id(first, "Older")
    assert older == f"fb:a:1:{sid}::{world.moderator.id}"
    lines = [line for line in first.content.splitlines() if EVENT.match(line)]
    assert len(lines) == 10 and all(f"discord:{world.moderator.id} (mod-ana)" in line for line in lines)
    assert "**restore** statement cairo-005 — status, retraction\\_reason" in lines[0]
    second = await (await fake.click(first, older, user=world.admin)).reply()
    assert len(event_ids(second)) == 2 and not [b for b in second.buttons if b["label"] == "Older ▶"]

    topic = await (await fake.autocomplete("audit", "topic", "cairo progress", user=world.admin)).choices()
    [picked] = [c["value"] for c in topic if c["name"].startswith("Has the Cairo round")]
    by_topic = await (await fake.slash("audit", {"topic": picked}, user=world.admin)).reply()
    assert "· topic cairo-talks-progress · newest first" in by_topic.content
    assert button_id(by_topic, "Older") == "fb:a:1::cairo-talks-progress:"


async def test_refusals_are_on_the_trail_and_echoes_are_inert(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    await (await fake.slash("topic show", {"topic": "gaza-death-toll"}, user=world.member)).reply()
    trail = await (await fake.slash("audit", {"moderator": "reader"}, user=world.moderator)).reply()
    [line] = [line for line in trail.content.splitlines() if EVENT.match(line)]
    assert f"discord:{world.member.id} (reader) · **refused** topic show (topic gaza-death-toll)" in line

    typed = "**@everyone** https://x.example/"
    hostile = await (await fake.slash("audit", {"moderator": typed}, user=world.moderator)).reply()
    assert hostile.content.startswith("No changes recorded for moderator “") and hostile.pings_nobody
    assert not problems(hostile.content)  # shown as typed, but nothing in it acts
