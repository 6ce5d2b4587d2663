"""The moderators' world: the fake's server is the one curation server (unless a test says otherwise), with a
moderator role and a member holding it, a member without it, and another server whose admin may not curate.

`store` here replaces the bot tests' store with one whose settings name the curation servers; parametrize
`curation_guilds` to change them (an empty tuple: curating from Discord is off).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.bot import FactBot
from store.db.testing import sqlite_settings
from store.service import ClaimStore
from tests.bot.conftest import StartBot
from tests.bot.fake_discord import FakeDiscord, FakeGuild, FakeRole, FakeUser, Posted
from tests.bot.fake_discord.payloads import MANAGE_GUILD


@dataclass(frozen=True)
class World:
    fake: FakeDiscord
    moderator_role: FakeRole
    moderator: FakeUser  # has the moderator role, not Manage Server
    second_moderator: FakeUser  # has it too
    admin: FakeUser  # a member with Manage Server (through a role), no moderator role
    member: FakeUser  # neither
    elsewhere: FakeGuild  # another server the bot is in, not a curation server
    elsewhere_admin: FakeUser  # has Manage Server there


@pytest.fixture
def world(fake: FakeDiscord) -> World:
    """Roles and members, made before the bot connects so its cache knows them."""
    moderator_role = fake.add_role("fact moderators")
    admins = fake.add_role("admins", permissions=MANAGE_GUILD)
    elsewhere = fake.add_guild("Elsewhere")
    return World(
        fake=fake,
        moderator_role=moderator_role,
        moderator=fake.add_member("mod-ana", roles=(moderator_role,)),
        second_moderator=fake.add_member("mod-ben", roles=(moderator_role,)),
        admin=fake.add_member("admin-cy", roles=(admins,)),
        member=fake.member,
        elsewhere=elsewhere,
        elsewhere_admin=fake.add_member(
            "elsewhere-admin",
            roles=(fake.add_role("their admins", permissions=MANAGE_GUILD, guild=elsewhere),),
            guild=elsewhere,
        ),
    )


@pytest.fixture
def curation_guilds(fake: FakeDiscord) -> tuple[int, ...]:
    return (fake.guild.id,)


@pytest.fixture
async def store(tmp_path: Path, demo_database: Path, curation_guilds: tuple[int, ...]) -> AsyncIterator[ClaimStore]:
    shutil.copyfile(demo_database, tmp_path / demo_database.name)
    store = await ClaimStore.open(sqlite_settings(tmp_path, data_dir=tmp_path, curation_guilds=curation_guilds))
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def bot(start_bot: StartBot, world: World, store: ClaimStore) -> FactBot:
    """The bot, with the server's moderator role already set."""
    await store.update_guild_settings(world.fake.guild.id, actor="test", moderator_role_id=world.moderator_role.id)
    return await start_bot()


def select_id(posted: Posted) -> str:
    [menu] = posted.selects
    return str(menu["custom_id"])


def button_id(posted: Posted, label_start: str) -> str:
    for b in posted.buttons:
        if str(b.get("label", "")).startswith(label_start):
            return str(b["custom_id"])
    raise AssertionError(f"no button starting {label_start!r}: {[b.get('label') for b in posted.buttons]}")
