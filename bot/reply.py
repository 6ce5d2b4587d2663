"""What the bot says back, and getting it to the user whichever way they asked. Nobody is ever pinged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord

from bot import limits
from bot.limits import clip

NO_PINGS = discord.AllowedMentions.none()


@dataclass(frozen=True)
class Reply:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    private: bool = False  # a notice for the asker only (ephemeral where Discord allows it)

    def message_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_PINGS, "embeds": self.embeds[: limits.EMBEDS]}
        if self.content:
            kwargs["content"] = clip(self.content, limits.CONTENT)
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


async def to_interaction(interaction: discord.Interaction[Any], reply: Reply, *, ephemeral: bool = False) -> None:
    """Answer an interaction: the first response if it is still open, a followup otherwise."""
    kwargs = reply.message_kwargs()
    ephemeral = ephemeral or reply.private
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def to_message(message: discord.Message, reply: Reply) -> discord.Message:
    """Reply under a member's message, without pinging them, even if their message is gone by now."""
    return await message.channel.send(
        reference=message.to_reference(fail_if_not_exists=False), mention_author=False, **reply.message_kwargs()
    )
