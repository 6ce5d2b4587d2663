"""Who may change the shared store from Discord, asked again on every command, button, select and form submit.

Default permissions only hide commands (server admins can change them in Discord's settings), so they are no
boundary: each handler calls `Curators.admit` first and stops when it returns None. The rule itself is the
store's (`store.may_curate`): only the operator's curation servers, and there only Manage Server or the
server's moderator role. A refusal is answered privately and recorded in the audit trail.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import TYPE_CHECKING, Any

import discord

from bot.reply import Reply, to_interaction
from bot.text import one_line
from store import CurationVerdict, StoreUnavailable, may_curate

if TYPE_CHECKING:
    from bot.bot import FactBot

_log = logging.getLogger(__name__)

NAME_LIMIT = 100  # of the display name kept in the actor


def actor_of(user: discord.abc.User) -> str:
    """`discord:<user id> (display name)`: the id says who, the name what they were called at the time."""
    name = "".join(ch for ch in one_line(user.display_name) if unicodedata.category(ch)[0] != "C")
    return f"discord:{user.id} ({name[:NAME_LIMIT] or user.id})"


def _has_manage_server(interaction: discord.Interaction[Any]) -> bool:
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


def _role_ids(interaction: discord.Interaction[Any]) -> list[int]:
    return [role.id for role in getattr(interaction.user, "roles", [])]


class Curators:
    """The run-time check every moderation handler makes before it reads or changes anything."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    async def verdict(self, interaction: discord.Interaction[Any]) -> CurationVerdict:
        guild_id = interaction.guild_id
        settings = await self.bot.guild_config.get(guild_id) if guild_id is not None else None
        return may_curate(
            guild_id,
            _role_ids(interaction),
            has_manage_server=_has_manage_server(interaction),
            guild=settings,
            curation_guilds=self.bot.store.settings.curation_guilds,
        )

    async def admit(self, interaction: discord.Interaction[Any], *, action: str, entity: str, key: str) -> str | None:
        """The actor to record when this member may curate; otherwise None, after telling them why (privately)
        and auditing the refused `action` on `entity` `key`."""
        verdict = await self.verdict(interaction)
        actor = actor_of(interaction.user)
        if verdict.allowed:
            return actor
        reason = verdict.reason or "You can't change the store from here."
        await to_interaction(interaction, Reply(reason, private=True), ephemeral=True)
        try:
            await self.bot.store.record_refusal(actor=actor, action=action, entity=entity, key=key, reason=reason)
        except StoreUnavailable:
            _log.warning("could not audit a refused %s by %s: the claim store is unavailable", action, actor)
        return None
