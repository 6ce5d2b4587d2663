"""Who may change the shared store from Discord, checked at run time on every command, button, select and form
submit: the curation servers' members with Manage Server or the moderator role, nobody else. A refusal is
private, changes nothing, and is recorded in the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest

from bot.bot import FactBot
from store.db.testing import sqlite_settings
from store.service import ClaimStore
from tests.bot.conftest import StartBot
from tests.bot.fake_discord import FakeDiscord, FakeUser, InteractionHandle, Option, Posted
from tests.bot.moderation.conftest import World, button_id, select_id
from tests.support.moderation import audit_mark, events_after, statement_id

NEEDS_A_ROLE = "Changing the store needs Manage Server or the moderator role"
NOT_CURATION = "This server can't change the shared store"
OFF = "Changing the store from Discord is off."
HEADLINE = "Is there any progress in the Cairo truce talks?"


def every_command(statement: int) -> list[tuple[str, dict[str, Option]]]:
    """Each moderation slash command with options that would change (or show) something if allowed."""
    return [
        ("topic add", {"slug": "rafah-crossing", "title": "Is Rafah open?"}),
        ("topic edit", {"topic": "gaza-death-toll", "title": "Gaza deaths"}),
        ("topic alias-add", {"topic": "gaza-death-toll", "alias": "gaza casualties"}),
        ("topic alias-remove", {"topic": "gaza-death-toll", "alias": "gaza death toll"}),
        ("topic merge", {"topic": "october-7-attack", "into": "gaza-death-toll"}),
        ("topic retire", {"topic": "gaza-death-toll", "reason": "not needed"}),
        ("topic show", {"topic": "gaza-death-toll"}),
        ("statement add", {"topic": "gaza-death-toll", "stance": "context", "speaker": "Someone"}),
        ("statement edit", {"statement": statement}),
        ("statement retract", {"statement": statement, "reason": "wrong"}),
        ("statement restore", {"statement": statement}),
        ("statement move", {"statement": statement, "topic": "october-7-attack"}),
        ("audit", {}),
    ]


async def snapshot(store: ClaimStore, statement: int) -> list[Any]:
    """Everything the refused attempts would have changed."""
    topics = [t.to_json() for t in await store.list_topics(include_retired=True)]
    return [topics, (await store.statement_detail(statement)).to_json(), await store.guild_settings(0)]


async def refused(handle: InteractionHandle, says: str) -> Posted:
    reply = await handle.reply()
    assert reply.ephemeral and says in reply.content, reply.content
    assert reply.kind in ("callback", "edit") and not reply.embeds
    return reply


async def assert_only_refusals(store: ClaimStore, mark: int, user: FakeUser, attempts: list[str]) -> None:
    events = await events_after(store, mark)
    assert [(e["action"], e["actor"]) for e in events] == [("refused", f"discord:{user.id} ({user.username})")] * len(
        attempts
    )
    assert [e["after"]["attempted"] for e in events] == attempts


async def test_every_command_checks_the_rule_at_run_time(bot: FactBot) -> None:
    """The list the refusal tests go through is every moderation command the bot has."""
    names = {
        c.qualified_name for c in bot.tree.walk_commands() if not c.qualified_name.startswith(("factcheck", "factbot"))
    }
    listed = {name for name, _ in every_command(1)}
    assert names == listed | {"topic", "statement"}  # the two groups themselves
    assert [m.name for m in bot.tree.get_commands(type=discord.AppCommandType.message)] == ["Edit these statements"]


async def test_the_commands_are_hidden_from_members_by_default(fake: FakeDiscord, start_bot: StartBot) -> None:
    """Only a convenience: server admins can change default permissions, so every handler checks again."""
    await start_bot(sync_commands="global")
    [put] = fake.requests.matching(lambda r: r.method == "PUT")
    synced = {(c["name"], c.get("type", 1)): c for c in put.json}
    manage_server = discord.Permissions(manage_guild=True).value
    for key in [("topic", 1), ("statement", 1), ("audit", 1), ("Edit these statements", 3)]:
        assert int(synced[key]["default_member_permissions"]) == manage_server, key
    assert {o["name"] for o in synced[("topic", 1)]["options"]} == {
        "add",
        "edit",
        "alias-add",
        "alias-remove",
        "merge",
        "retire",
        "show",
    }


@pytest.mark.parametrize("who", ["member without the role", "admin of another server"])
async def test_every_command_is_refused_and_audited(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore, who: str
) -> None:
    sid = await statement_id(store, "cairo-017")
    user, channel, says = world.member, fake.guild.channels[0], NEEDS_A_ROLE
    if who == "admin of another server":  # in their own server
        user, channel, says = world.elsewhere_admin, world.elsewhere.channels[0], NOT_CURATION
    answer = await (await fake.slash("factcheck", {"question": HEADLINE}, user=user, channel=channel)).reply()
    before = await snapshot(store, sid)
    mark = await audit_mark(store)

    for command, options in every_command(sid):
        await refused(await fake.slash(command, options, user=user, channel=channel), says)
    await refused(await fake.message_command("Edit these statements", answer, user=user), says)

    assert await snapshot(store, sid) == before
    attempts = [name for name, _ in every_command(sid)] + ["edit these statements"]
    await assert_only_refusals(store, mark, user, attempts)


async def test_a_member_who_lost_the_role_is_refused_at_every_button_select_and_form(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    """The moderator opens every tool, then loses the role: each later click, pick and submit is refused."""
    sid = await statement_id(store, "cairo-005")
    moderator = world.moderator
    trail = await (await fake.slash("audit", {}, user=moderator)).reply()
    answer = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    listing = await (await fake.message_command("Edit these statements", answer, user=moderator)).reply()
    add_form = await (
        await fake.slash(
            "statement add", {"topic": "gaza-death-toll", "stance": "context", "speaker": "X"}, user=moderator
        )
    ).modal()
    edit_form = await (await fake.slash("statement edit", {"statement": sid}, user=moderator)).modal()
    bad_form = await (await fake.slash("statement edit", {"statement": sid}, user=moderator)).modal()
    retry = await (await fake.submit(bad_form, {"when": "soon"})).reply()
    before = await snapshot(store, sid)
    mark = await audit_mark(store)

    fake.set_roles(moderator, ())
    await refused(await fake.click(retry, button_id(retry, "Fix and resubmit"), user=moderator), NEEDS_A_ROLE)
    await refused(await fake.click(trail, button_id(trail, "Older"), user=moderator), NEEDS_A_ROLE)
    await refused(await fake.select(listing, select_id(listing), [str(sid)], user=moderator), NEEDS_A_ROLE)
    await refused(await fake.submit(add_form, {"text": "Added without rights."}), NEEDS_A_ROLE)
    await refused(await fake.submit(edit_form, {"text": "Edited without rights."}), NEEDS_A_ROLE)

    assert await snapshot(store, sid) == before
    attempts = ["statement form", "audit", "statement edit", "statement add", "statement edit"]
    await assert_only_refusals(store, mark, moderator, attempts)


async def test_a_server_that_is_no_longer_a_curation_server_is_refused_everywhere(
    fake: FakeDiscord, world: World, start_bot: StartBot, store: ClaimStore, tmp_path: Path
) -> None:
    """The operator names another server instead and restarts: what its admin opened before does nothing now."""
    admin = world.admin
    first = await start_bot()
    sid = await statement_id(store, "cairo-005")
    trail = await (await fake.slash("audit", {}, user=admin)).reply()
    answer = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    listing = await (await fake.message_command("Edit these statements", answer, user=admin)).reply()
    edit_form = await (await fake.slash("statement edit", {"statement": sid}, user=admin)).modal()
    await first.close()

    settings = sqlite_settings(tmp_path, data_dir=tmp_path, curation_guilds=(world.elsewhere.id,))
    reopened = await ClaimStore.open(settings)
    try:
        await start_bot(store_=reopened)
        before = await snapshot(reopened, sid)
        mark = await audit_mark(reopened)
        await refused(await fake.click(trail, button_id(trail, "Older"), user=admin), NOT_CURATION)
        await refused(await fake.select(listing, select_id(listing), [str(sid)], user=admin), NOT_CURATION)
        await refused(await fake.submit(edit_form, {"text": "Edited from elsewhere."}), NOT_CURATION)
        await refused(
            await fake.slash("statement retract", {"statement": sid, "reason": "x"}, user=admin), NOT_CURATION
        )
        assert await snapshot(reopened, sid) == before
        attempts = ["audit", "statement edit", "statement edit", "statement retract"]
        await assert_only_refusals(reopened, mark, admin, attempts)
    finally:
        await reopened.close()


@pytest.mark.parametrize("curation_guilds", [()])
async def test_with_no_curation_servers_the_commands_say_how_to_turn_it_on(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    sid = await statement_id(store, "cairo-005")
    mark = await audit_mark(store)
    for command, options in every_command(sid):
        reply = await refused(await fake.slash(command, options, user=fake.owner), OFF)
        assert "FACTBOT_CURATION_GUILDS" in reply.content and "restarting the bot" in reply.content
    shown = await (await fake.slash("factbot-settings show", {}, user=fake.owner)).reply()
    assert "**Changing the store from here:** off everywhere" in shown.content
    assert len(await events_after(store, mark)) == len(every_command(sid))  # each attempt is on record


async def test_in_a_direct_message_nothing_can_be_changed(fake: FakeDiscord, world: World, bot: FactBot) -> None:
    dm = fake.dm_channel(world.moderator)
    reply = await (
        await fake.slash("topic show", {"topic": "gaza-death-toll"}, user=world.moderator, channel=dm)
    ).reply()
    assert reply.ephemeral and "not in a direct message" in reply.content


async def test_manage_server_or_the_moderator_role_set_in_discord_may(
    fake: FakeDiscord, world: World, start_bot: StartBot, store: ClaimStore
) -> None:
    """No role set yet: only Manage Server may. A moderator sets the role; its members may from then on."""
    await start_bot()
    show = {"topic": "gaza-death-toll"}
    before = await (await fake.slash("topic show", show, user=world.moderator)).reply()
    assert "needs Manage Server here, or the moderator role once one is set" in before.content
    assert (await (await fake.slash("topic show", show, user=world.admin)).reply()).content.startswith("**How many")

    member = await (
        await fake.slash("factbot-settings moderator-role", {"role": world.moderator_role}, user=world.member)
    ).reply()
    assert "Manage Server" in member.content and (await store.guild_settings(fake.guild.id)).moderator_role_id is None
    saved = await (
        await fake.slash("factbot-settings moderator-role", {"role": world.moderator_role}, user=world.admin)
    ).reply()
    assert f"**Moderator role:** <@&{world.moderator_role.id}>" in saved.content and saved.pings_nobody
    assert "**Changing the store from here:** yes" in saved.content
    after = await (await fake.slash("topic show", show, user=world.moderator)).reply()
    assert after.content.startswith("**How many people have been killed in the Gaza war?**")

    everyone = await (
        await fake.slash("factbot-settings moderator-role", {"role": fake.guild.everyone}, user=world.admin)
    ).reply()
    assert "can't be the moderator role" in everyone.content
    cleared = await (await fake.slash("factbot-settings moderator-role", {}, user=world.admin)).reply()
    assert "**Moderator role:** none" in cleared.content
    assert (await store.guild_settings(fake.guild.id)).moderator_role_id is None
