"""Moderators change topics from Discord: add, aliases, edit, merge (the old slug keeps working), retire, show."""

from __future__ import annotations

from bot.bot import FactBot
from store.service import ClaimStore
from tests.bot.fake_discord import FakeDiscord, Posted
from tests.bot.moderation.conftest import World
from tests.support.discord_markup import plain
from tests.support.moderation import audit_mark, events_after

MEETING = "When, where and between whom were the Cairo truce talks held?"
PROGRESS_TITLE = "Has the Cairo round of Gaza truce talks made progress?"


async def ask(fake: FakeDiscord, question: str) -> Posted:
    return await (await fake.slash("factcheck", {"question": question})).reply()


async def test_a_new_topic_is_found_by_its_title_and_aliases_at_once(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    options = {
        "slug": "rafah-crossing",
        "title": "Is the Rafah border crossing open?",
        "aliases": "can trucks get through Rafah; is the Egypt-Gaza border open",
        "tags": "gaza, borders",
    }
    added = await (await fake.slash("topic add", options, user=world.moderator)).reply()
    assert added.ephemeral and added.content.startswith("Added the topic")
    assert "**Is the Rafah border crossing open?** · rafah-crossing · open · version 1" in added.content
    assert "**Aliases:** can trucks get through Rafah, is the Egypt-Gaza border open" in added.content
    statement = {"topic": "rafah-crossing", "stance": "disputes", "speaker": "Gaza border authority"}
    form = await (await fake.slash("statement add", statement, user=world.moderator)).modal()
    await (await fake.submit(form, {"text": "The crossing has been closed since Tuesday."})).reply()
    assert (await ask(fake, "Can trucks get through Rafah?")).embeds[0]["title"] == options["title"]

    alias = {"topic": "rafah-crossing", "alias": "is the rafah gate shut"}
    await (await fake.slash("topic alias-add", alias, user=world.moderator)).reply()
    assert (await ask(fake, "is the rafah gate shut")).embeds[0]["title"] == options["title"]
    offered = await (
        await fake.autocomplete(
            "topic alias-remove", "alias", "gate", user=world.moderator, others={"topic": "rafah-crossing"}
        )
    ).choices()
    assert offered == [{"name": "is the rafah gate shut", "value": "is the rafah gate shut"}]
    await (await fake.slash("topic alias-remove", alias, user=world.moderator)).reply()
    assert "is the rafah gate shut" not in (await store.topic_detail("rafah-crossing")).aliases

    edited = await (
        await fake.slash(
            "topic edit", {"topic": "rafah-crossing", "title": "Is Rafah open?", "tags": "-"}, user=world.admin
        )
    ).reply()
    assert "**Is Rafah open?** · rafah-crossing · open · version" in edited.content
    detail = await store.topic_detail("rafah-crossing")
    assert (detail.title, detail.tags) == ("Is Rafah open?", ())


async def test_merge_keeps_the_old_slug_working(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    merged = await (
        await fake.slash(
            "topic merge", {"topic": "cairo-talks-meeting", "into": "cairo-talks-progress"}, user=world.moderator
        )
    ).reply()
    assert "Merged:" in merged.content and "**Merged in:** cairo-talks-meeting" in merged.content

    assert (await ask(fake, MEETING)).embeds[0]["title"] == PROGRESS_TITLE  # its title is an alias now
    shown = await (await fake.slash("topic show", {"topic": "cairo-talks-meeting"}, user=world.moderator)).reply()
    assert shown.content.startswith(f"**{PROGRESS_TITLE}** · cairo-talks-progress · open")
    assert "The meeting in Cairo took place." in shown.content

    options = {"topic": "cairo-talks-meeting", "stance": "context", "speaker": "Al Qahera News"}
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    saved = await (await fake.submit(form, {"text": "The delegations met at the intelligence headquarters."})).reply()
    assert "to cairo-talks-progress: answers show it now" in saved.content


async def test_a_retired_topic_leaves_answers_and_autocomplete(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    question = "What has Netanyahu said about a Gaza truce and the hostages?"
    assert (await ask(fake, question)).embeds[0]["title"] == question
    choices = await (await fake.autocomplete("factcheck", "question", "netanyahu truce")).choices()
    assert question in [c["name"] for c in choices]

    options = {"topic": "netanyahu-truce-position", "reason": "duplicates another topic"}
    retired = await (await fake.slash("topic retire", options, user=world.moderator)).reply()
    assert "Retired:" in retired.content and "**Retired:** duplicates another topic" in retired.content

    answer = await ask(fake, question)
    assert not answer.embeds or answer.embeds[0].get("title") != question
    choices = await (await fake.autocomplete("factcheck", "question", "netanyahu truce")).choices()
    assert question not in [c["name"] for c in choices]
    moderators = await (
        await fake.autocomplete("topic show", "topic", "netanyahu truce", user=world.moderator)
    ).choices()
    assert question not in [c["name"] for c in moderators]
    shown = await (await fake.slash("topic show", {"topic": "netanyahu-truce-position"}, user=world.moderator)).reply()
    assert "netanyahu-truce-position · retired" in shown.content  # kept, with its statements
    assert shown.content.count("· published ·") == 2


async def test_bad_topic_input_is_named_and_nothing_is_written(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    mark = await audit_mark(store)
    refusals = [
        ("topic add", {"slug": "Rafah Crossing", "title": "Is Rafah open?"}, "slug: 'Rafah Crossing' should be"),
        (
            "topic alias-add",
            {"topic": "gaza-death-toll", "alias": "any progress in the cairo talks"},
            "cairo-talks-progress",
        ),
        ("topic show", {"topic": "no-such-topic"}, "no-such-topic"),
        ("topic retire", {"topic": "#999999", "reason": "gone"}, "Topic #999999 is no longer in the claim store."),
    ]
    for command, options, message in refusals:
        refused = await (await fake.slash(command, options, user=world.moderator)).reply()
        assert refused.ephemeral and message in plain(refused.content), (command, refused.content)
    assert await events_after(store, mark) == []
