"""Moderators' commands: /factbot-settings for this server, and for the shared store (curation servers only)
/topic, /statement, /audit and the "Edit these statements" menu on an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cogs.moderation._audit import Audit
from bot.cogs.moderation._menu import EditMenu
from bot.cogs.moderation._settings import ServerSettings
from bot.cogs.moderation._statements import Statements
from bot.cogs.moderation._topics import Topics

if TYPE_CHECKING:
    from bot.bot import FactBot


async def setup(bot: FactBot) -> None:
    for cog in (ServerSettings(bot), Topics(bot), Statements(bot), Audit(bot), EditMenu(bot)):
        await bot.add_cog(cog)
