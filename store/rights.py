"""Who may change the shared store from Discord: one rule for every command, button and modal, and the tests.

The store is shared by every server the bot is in, so only the servers the operator names
(FACTBOT_CURATION_GUILDS) may change it, and in those only members with Manage Server or the server's
moderator role. The CLI always may: it runs on the operator's machine.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from store.views import GuildSettings

OFF = (
    "Changing the store from Discord is off. The operator turns it on by naming the curation servers "
    "(FACTBOT_CURATION_GUILDS, comma-separated server ids) and restarting the bot."
)
NOT_A_CURATION_SERVER = (
    "This server can't change the shared store: only the curation servers the operator named can "
    "(FACTBOT_CURATION_GUILDS)."
)
NOT_IN_A_SERVER = "The store can only be changed from a curation server, not in a direct message."


@dataclass(frozen=True, slots=True)
class CurationVerdict:
    """Whether a member may change the store, and if not, the sentence that tells them why."""

    allowed: bool
    reason: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


def may_curate(
    guild_id: int | None,
    member_role_ids: Iterable[int],
    *,
    has_manage_server: bool,
    guild: GuildSettings | None,
    curation_guilds: Collection[int],
) -> CurationVerdict:
    """May this member change the store? `guild` is their server's settings (its moderator role)."""
    if not curation_guilds:
        return CurationVerdict(False, OFF)
    if guild_id is None:
        return CurationVerdict(False, NOT_IN_A_SERVER)
    if guild_id not in curation_guilds:
        return CurationVerdict(False, NOT_A_CURATION_SERVER)
    if has_manage_server:
        return CurationVerdict(True)
    role = guild.moderator_role_id if guild is not None and guild.guild_id == guild_id else None
    if role is not None and role in set(member_role_ids):
        return CurationVerdict(True)
    if role is None:
        return CurationVerdict(
            False,
            "Changing the store needs Manage Server here, or the moderator role once one is set "
            "(/factbot-settings moderator-role).",
        )
    return CurationVerdict(False, f"Changing the store needs Manage Server or the moderator role (<@&{role}>).")
