"""What the bot says back, and getting it to the user whichever way they asked. Nobody is ever pinged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
    replaces: bool = False  # takes the place of the message its button is on (a page turn)

    def message_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_PINGS, "embeds": self.embeds[: limits.EMBEDS]}
        if self.content:
            kwargs["content"] = clip(self.content, limits.CONTENT)
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


@dataclass(frozen=True, slots=True)
class Response:
    """The answer desk's word on a question: a refusal, ready at once, or an accepted question whose answer
    `reply()` fetches, so that a slash command can show "thinking…" first (`deferrable`)."""

    private: bool  # for the asker's eyes only, where Discord allows it (a slash command's answer)
    quiet: bool  # nothing to say in chat: a typed question in a channel the bot doesn't answer in
    deferrable: bool  # the work is still to do, and may take longer than Discord's 3 s to respond
    fetch: Callable[[], Awaitable[Reply]]

    @classmethod
    def refused(cls, reply: Reply, *, quiet: bool = False) -> Response:
        async def ready() -> Reply:
            return reply

        return cls(private=True, quiet=quiet, deferrable=False, fetch=ready)

    @classmethod
    def accepted(cls, answer: Callable[[], Awaitable[Reply]], *, private: bool) -> Response:
        return cls(private=private, quiet=False, deferrable=True, fetch=answer)

    async def reply(self) -> Reply:
        return await self.fetch()


async def respond_to_interaction(interaction: discord.Interaction[Any], response: Response) -> None:
    """A slash command: refusals at once and privately; answers after "thinking…", private if the server says."""
    if response.deferrable:
        await interaction.response.defer(ephemeral=response.private, thinking=True)
    await to_interaction(interaction, await response.reply(), ephemeral=response.private)


async def respond_to_message(message: discord.Message, response: Response) -> None:
    """A typed question (prefix, mention, DM): the reply under it, unless there is nothing to say in chat."""
    if not response.quiet:
        await to_message(message, await response.reply())


async def to_interaction(interaction: discord.Interaction[Any], reply: Reply, *, ephemeral: bool = False) -> None:
    """Answer an interaction: the first response if it is still open, a followup otherwise; a page turn
    edits the message its button is on."""
    kwargs = reply.message_kwargs()
    ephemeral = ephemeral or reply.private
    if reply.replaces and not interaction.response.is_done():
        await interaction.response.edit_message(**kwargs)
    elif interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def to_message(message: discord.Message, reply: Reply) -> discord.Message:
    """Reply under a member's message, without pinging them, even if their message is gone by now."""
    return await message.channel.send(
        reference=message.to_reference(fail_if_not_exists=False), mention_author=False, **reply.message_kwargs()
    )
