"""The one place errors become words: short, friendly replies for users, tracebacks for the log only."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import reply, wording
from bot.failures import reply_for, tell_interaction

if TYPE_CHECKING:
    from bot.bot import FactBot

_log = logging.getLogger("bot.errors")


class ErrorHandler(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error

    async def cog_load(self) -> None:
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        where = f"/{interaction.command.qualified_name}" if interaction.command else "app command"
        if isinstance(error, app_commands.MissingPermissions):
            await reply.to_interaction(interaction, reply.Reply(wording.NOT_A_MODERATOR), ephemeral=True)
        elif isinstance(error, app_commands.NoPrivateMessage):
            await reply.to_interaction(interaction, reply.Reply(wording.SERVER_ONLY), ephemeral=True)
        else:
            original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
            await tell_interaction(interaction, original, where=where)

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context[FactBot], error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandNotFound | commands.CheckFailure):
            return
        if isinstance(error, commands.UserInputError):
            answer = reply.Reply(wording.NEED_QUESTION.format(prefix=ctx.clean_prefix))
        else:
            original = error.original if isinstance(error, commands.CommandInvokeError) else error
            answer = reply_for(original, where=f"{ctx.prefix}{ctx.invoked_with}")
        try:
            await reply.to_message(ctx.message, answer)
        except discord.HTTPException:
            _log.warning("could not send an error reply in channel %s", ctx.channel.id)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(ErrorHandler(bot))
