"""Over the fake Discord: "no statement by X" with its related topics, and "which claim?" for bare phrasing."""

from __future__ import annotations

from bot import wording
from bot.bot import FactBot
from store.service import ClaimStore
from tests.bot.conftest import logged
from tests.bot.fake_discord import FakeDiscord

NEXT_STEPS = "What happens next in the Cairo truce talks?"


async def test_no_statement_by_x_offers_the_related_topics(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    reply = await (await fake.slash("factcheck", {"question": "What did Qatar say?"})).reply()
    assert reply.content.startswith("I have no statement by **Qatar** on this.")
    assert reply.embeds == [] and reply.pings_nobody
    [button] = [b for b in reply.buttons if b.get("label") == f"Did you mean: {NEXT_STEPS}"]
    opened = await (await fake.click(reply, str(button["custom_id"]))).reply()
    assert opened.embeds[0]["title"] == NEXT_STEPS
    rows = await logged(bot, store)
    assert ("slash", "unanswered") in [(r.source, r.outcome) for r in rows]  # moderators may add Qatar's word


async def test_what_x_said_shows_x(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    reply = await (await fake.slash("factcheck", {"question": "What does Hamas say about the truce?"})).reply()
    assert reply.embeds[0]["title"] == "Has the Cairo round of Gaza truce talks made progress?"
    speakers = [f["name"] for e in reply.embeds[1:] for f in e.get("fields") or []]
    assert "Hamas" in speakers


async def test_the_speaker_is_echoed_inert(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    asked = await fake.send_message("!factcheck what did Sisi||x|| say")
    said = await fake.posts.wait_for(lambda p: p.reply_to == asked["id"])
    assert said.content.startswith("I have no statement by **Sisi\\|\\|x** on this.")  # no spoiler markup
    assert said.pings_nobody


async def test_phrasing_alone_is_asked_which_claim(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    reply = await (await fake.slash("factcheck", {"question": "Is it true?"})).reply()
    assert reply.content == wording.WHICH_CLAIM
    [row] = await logged(bot, store)
    assert row.outcome == "claimless"  # nothing a moderator could add
