"""/factbot-settings: moderators choose where the bot answers, whether slash answers are private, the prefix,
the moderator role (who may change the shared store, in a curation server), and review the questions left
unanswered on their server.

Hidden from members by default permissions, and checked again at run time: default permissions can be
changed by server admins in Discord's integration settings, so they are not a security boundary.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import wording
from bot.reply import NO_PINGS
from store import GuildSettings

if TYPE_CHECKING:
    from bot.bot import FactBot

REVIEW_LIMIT = 10  # questions in one message


def describe(settings: GuildSettings, default_prefix: str, curation_guilds: Collection[int] = ()) -> str:
    channels = ", ".join(f"<#{c}>" for c in settings.answer_channel_ids) or "every channel"
    return "\n".join(
        [
            f"**Answers in:** {channels}",
            f"**Slash answers visible to:** {'the asker only' if settings.ephemeral else 'everyone in the channel'}",
            f"**Prefix:** `{settings.prefix or default_prefix}`",
            f"**Moderator role:** {wording.moderator_role(settings.moderator_role_id)}",
            f"**Changing the store from here:** {wording.curation_here(settings.guild_id, curation_guilds)}",
        ]
    )


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ServerSettings(commands.GroupCog, group_name="factbot-settings", group_description="factbot's settings here"):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    async def _update(self, interaction: discord.Interaction[Any], **changes: Any) -> None:
        assert interaction.guild_id is not None
        settings = await self.bot.store.update_guild_settings(
            interaction.guild_id, actor=f"discord:{interaction.user.id}", **changes
        )
        self.bot.guild_config.remember(settings)
        await interaction.response.send_message(
            "Saved.\n" + self._describe(settings), ephemeral=True, allowed_mentions=NO_PINGS
        )

    def _describe(self, settings: GuildSettings) -> str:
        return describe(settings, self.bot.settings.prefix, self.bot.store.settings.curation_guilds)

    @app_commands.command(name="show", description="Show factbot's settings on this server.")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None
        settings = await self.bot.store.guild_settings(interaction.guild_id)
        self.bot.guild_config.remember(settings)
        await interaction.response.send_message(self._describe(settings), ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="answer-in", description="Answer questions in this channel (add it to the list).")
    @app_commands.describe(channel="A channel where factbot answers; when the list is empty it answers everywhere")
    async def answer_in(self, interaction: discord.Interaction[Any], channel: discord.TextChannel) -> None:
        current = await self._current(interaction)
        await self._update(interaction, answer_channel_ids=sorted({*current.answer_channel_ids, channel.id}))

    @app_commands.command(name="stop-answering-in", description="Remove a channel from the answer list.")
    async def stop_answering_in(self, interaction: discord.Interaction[Any], channel: discord.TextChannel) -> None:
        current = await self._current(interaction)
        await self._update(interaction, answer_channel_ids=[c for c in current.answer_channel_ids if c != channel.id])

    @app_commands.command(name="answer-everywhere", description="Answer in every channel (clear the list).")
    async def answer_everywhere(self, interaction: discord.Interaction[Any]) -> None:
        await self._update(interaction, answer_channel_ids=[])

    @app_commands.command(name="private-answers", description="Show /factcheck answers to the asker only.")
    @app_commands.describe(enabled="True: only the asker sees slash answers; False: the whole channel does")
    async def private_answers(self, interaction: discord.Interaction[Any], enabled: bool) -> None:
        await self._update(interaction, ephemeral=enabled)

    @app_commands.command(name="prefix", description="Set the prefix for the text command (default !).")
    @app_commands.describe(prefix="1 to 5 characters, e.g. ? or fb!")
    async def prefix(self, interaction: discord.Interaction[Any], prefix: app_commands.Range[str, 1, 5]) -> None:
        if any(ch.isspace() for ch in prefix):
            await interaction.response.send_message(
                "A prefix can't contain spaces.", ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await self._update(interaction, prefix=prefix)

    @app_commands.command(name="moderator-role", description="Who may change the shared store from this server.")
    @app_commands.describe(
        role="Members with this role may change the claim store here (in a curation server); leave it out to "
        "clear it, so only Manage Server may"
    )
    async def moderator_role(self, interaction: discord.Interaction[Any], role: discord.Role | None = None) -> None:
        if role is not None and role.is_default():
            await interaction.response.send_message(
                wording.EVERYONE_IS_NO_MODERATOR_ROLE, ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await self._update(interaction, moderator_role_id=role.id if role is not None else None)

    @app_commands.command(name="unanswered", description="Questions factbot left unanswered here, most asked first.")
    @app_commands.describe(
        days="Look back this many days (default 30)",
        mark_reviewed="True: mark the questions listed as reviewed, so the next list shows only what came since",
    )
    async def unanswered(
        self,
        interaction: discord.Interaction[Any],
        days: app_commands.Range[int, 1, 365] = 30,
        mark_reviewed: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)  # each question is matched again
        store = self.bot.store
        items = await store.unanswered(days=days, limit=REVIEW_LIMIT, guild_id=interaction.guild_id)
        marked = await store.mark_reviewed([i for it in items for i in it.question.log_ids]) if mark_reviewed else 0
        await interaction.followup.send(
            wording.review_list(items, days, marked), ephemeral=True, allowed_mentions=NO_PINGS
        )

    async def _current(self, interaction: discord.Interaction[Any]) -> GuildSettings:
        assert interaction.guild_id is not None
        return await self.bot.store.guild_settings(interaction.guild_id)
