"""Who may change the shared store from Discord: only curation servers, and there Manage Server or the role."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from store.rights import NOT_A_CURATION_SERVER, NOT_IN_A_SERVER, OFF, may_curate
from store.service import ClaimStore
from store.settings import StoreSettings
from store.views import GuildSettings
from tests.support.moderation import audit_mark, events_after

CURATION = 100
ROLE = 555
WITH_ROLE = GuildSettings(guild_id=CURATION, moderator_role_id=ROLE)


@pytest.mark.parametrize(
    ("guild_id", "roles", "manage", "guild", "servers", "allowed", "reason"),
    [
        (CURATION, [], True, None, {CURATION}, True, None),
        (CURATION, [ROLE], False, WITH_ROLE, {CURATION}, True, None),
        (CURATION, [1, 2], False, WITH_ROLE, {CURATION}, False, f"<@&{ROLE}>"),
        (CURATION, [ROLE], False, GuildSettings(guild_id=CURATION), {CURATION}, False, "moderator-role"),
        (CURATION, [ROLE], False, GuildSettings(guild_id=999, moderator_role_id=ROLE), {CURATION}, False, "Manage"),
        (200, [], True, GuildSettings(guild_id=200, moderator_role_id=ROLE), {CURATION}, False, NOT_A_CURATION_SERVER),
        (
            200,
            [ROLE],
            False,
            GuildSettings(guild_id=200, moderator_role_id=ROLE),
            {CURATION},
            False,
            NOT_A_CURATION_SERVER,
        ),
        (None, [], True, None, {CURATION}, False, NOT_IN_A_SERVER),
        (CURATION, [], True, None, set(), False, OFF),
    ],
    ids=[
        "manage server",
        "moderator role",
        "other roles",
        "no role set",
        "settings of another server",
        "admin of another server",
        "role holder of another server",
        "direct message",
        "curation off",
    ],
)
def test_may_curate(
    guild_id: int | None,
    roles: list[int],
    manage: bool,
    guild: GuildSettings | None,
    servers: set[int],
    allowed: bool,
    reason: str | None,
) -> None:
    verdict = may_curate(guild_id, roles, has_manage_server=manage, guild=guild, curation_guilds=servers)
    assert bool(verdict) is allowed and verdict.allowed is allowed
    if reason is None:
        assert verdict.reason is None
    else:
        assert verdict.reason is not None and reason in verdict.reason


def test_curation_servers_and_the_demo_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTBOT_CURATION_GUILDS", " 123, 456 ,")
    monkeypatch.setenv("FACTBOT_DEMO", "off")
    settings = StoreSettings()
    assert (settings.curation_guilds, settings.demo) == ((123, 456), "off")
    monkeypatch.setenv("FACTBOT_CURATION_GUILDS", "123,abc")
    with pytest.raises(ValidationError, match="comma-separated list of server ids"):
        StoreSettings()
    monkeypatch.delenv("FACTBOT_CURATION_GUILDS")
    monkeypatch.setenv("FACTBOT_DEMO", "sometimes")
    with pytest.raises(ValidationError, match="demo"):
        StoreSettings()
    monkeypatch.delenv("FACTBOT_DEMO")
    assert (StoreSettings().curation_guilds, StoreSettings().demo) == ((), "auto")


async def test_the_moderator_role_is_a_server_setting_and_audited(empty_store: ClaimStore) -> None:
    mark = await audit_mark(empty_store)
    updated = await empty_store.update_guild_settings(CURATION, actor="discord:1 (Ana)", moderator_role_id=ROLE)
    assert updated.moderator_role_id == ROLE
    assert (await empty_store.guild_settings(CURATION)).moderator_role_id == ROLE
    cleared = await empty_store.update_guild_settings(CURATION, actor="discord:1 (Ana)", moderator_role_id=None)
    assert cleared.moderator_role_id is None
    first, second = await events_after(empty_store, mark)
    assert (first["before"]["moderator_role_id"], first["after"]["moderator_role_id"]) == (None, ROLE)
    assert (second["before"]["moderator_role_id"], second["after"]["moderator_role_id"]) == (ROLE, None)
    assert first["after"] == {"prefix": None, "answer_channel_ids": [], "ephemeral": False, "moderator_role_id": ROLE}
