"""Moderators' commands: /factbot-settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cogs.moderation._settings import ServerSettings

if TYPE_CHECKING:
    from bot.bot import FactBot


async def setup(bot: FactBot) -> None:
    await bot.add_cog(ServerSettings(bot))
