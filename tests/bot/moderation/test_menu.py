""" "Edit these statements" on one of factbot's answers: the statements that answer shows, a pick, the form."""

from __future__ import annotations

import re

from bot.bot import FactBot
from store.curation import StatementDraft
from store.service import ClaimStore
from tests.bot.fake_discord import FakeDiscord, Posted
from tests.bot.moderation.conftest import World, button_id, select_id
from tests.support.moderation import statement_id

HEADLINE = "Is there any progress in the Cairo truce talks?"
LISTED = re.compile(r"^\*\*#(\d+)\*\* · ")


def listed(posted: Posted) -> list[int]:
    return [int(m[1]) for line in posted.content.splitlines() if (m := LISTED.match(line))]


async def page_ids(store: ClaimStore, uids: list[str]) -> list[int]:
    return [await statement_id(store, uid) for uid in uids]


async def test_the_menu_opens_the_form_for_a_statement_of_the_answer(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    answer = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    listing = await (await fake.message_command("Edit these statements", answer, user=world.moderator)).reply()
    assert listing.ephemeral and listing.content.startswith("**The statements this answer shows**")
    first_page = ["cairo-001", "cairo-002", "cairo-003", "cairo-004", "cairo-005", "cairo-006"]
    assert sorted(listed(listing)) == sorted(await page_ids(store, first_page))
    [menu] = listing.selects
    assert [o["value"] for o in menu["options"]] == [str(i) for i in listed(listing)]

    sid = await statement_id(store, "cairo-006")
    form = await (await fake.select(listing, select_id(listing), [str(sid)], user=world.moderator)).modal()
    assert form.modal["custom_id"] == f"fb:se:{sid}:1"
    assert form.fields["text"]["value"].startswith("There have been no changes regarding the occupation.")
    assert form.fields["outlet"]["value"] == "Reuters"
    saved = await (await fake.submit(form, {"text": "There have been no changes at all."})).reply()
    assert f"Saved statement #{sid} (now version 2)" in saved.content
    again = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    assert "“There have been no changes at all.”" in again.text()


async def test_the_menu_lists_the_page_shown(fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore) -> None:
    seventh = await store.add_statement(
        "cairo-talks-progress", StatementDraft("The gaps remain wide.", "Al Jazeera", "disputes"), actor="test"
    )
    answer = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    second = await (await fake.click(answer, button_id(answer, "Next"))).reply()
    on_second = await (await fake.message_command("Edit these statements", second, user=world.moderator)).reply()
    fresh = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()  # `answer` shows page 2 now
    on_first = await (await fake.message_command("Edit these statements", fresh, user=world.moderator)).reply()
    assert len(listed(on_first)) == 6 and seventh.id not in listed(on_first)
    assert listed(on_second) == [seventh.id]  # the page the message shows now


async def test_a_short_answer_and_a_typed_question_work_too(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    """One page, no paging buttons: the topic comes from the feedback buttons' custom_ids."""
    asked = await fake.send_message("!factcheck how many people have been killed in gaza")
    answer = await fake.posts.wait_for(lambda p: p.reply_to == asked["id"])
    assert not [b for b in answer.buttons if b["custom_id"].startswith("fb:p:")]
    listing = await (await fake.message_command("Edit these statements", answer, user=world.admin)).reply()
    assert listed(listing) == await page_ids(store, ["cairo-017"])


async def test_the_menu_on_anything_else_says_so(fake: FakeDiscord, world: World, bot: FactBot) -> None:
    message = await fake.send_message("hello everyone")
    reply = await (await fake.message_command("Edit these statements", message, user=world.moderator)).reply()
    assert reply.ephemeral and reply.content.startswith("That message isn't one of factbot's answers")
