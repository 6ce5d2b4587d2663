"""Asking: /factcheck, !factcheck, mentions and DMs, and the buttons under an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cogs.factcheck._cog import FactCheck

if TYPE_CHECKING:
    from bot.bot import FactBot


async def setup(bot: FactBot) -> None:
    await bot.add_cog(FactCheck(bot))
