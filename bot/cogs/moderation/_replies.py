"""How the moderators' tools answer: privately, never pinging, and with whatever anyone typed made inert.

The store's error messages quote what was typed ("url: 'javascript:…' is not a web address") and name who
changed a statement (their display name), so they are passed through `safe` like any other echo.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import wording
from bot.limits import CONTENT, clip
from bot.reply import Reply, to_interaction
from bot.text import safe
from store import FactbotError, StaleEdit, StoreUnavailable

_log = logging.getLogger("bot.errors")


def private(text: str, *, embeds: list[discord.Embed] | None = None, view: discord.ui.View | None = None) -> Reply:
    return Reply(clip(text, CONTENT), embeds=embeds or [], view=view, private=True)


def problem(error: BaseException, *, where: str, statement_id: int | None = None) -> Reply:
    """The private reply for a change the store refused, or an apology for anything unexpected (logged)."""
    if isinstance(error, StoreUnavailable):
        _log.warning("%s: claim store unavailable: %s", where, error)
        return private(wording.UNAVAILABLE)
    if isinstance(error, StaleEdit) and statement_id is not None:
        return private(wording.stale_edit(str(error), statement_id))
    if isinstance(error, FactbotError):  # written for users; it may quote what they typed
        return private(safe(str(error)))
    _log.error("%s failed", where, exc_info=error)
    return private(wording.APOLOGY)


async def answer(interaction: discord.Interaction[Any], reply: Reply) -> None:
    await to_interaction(interaction, reply, ephemeral=True)


async def attempt(
    interaction: discord.Interaction[Any],
    work: Callable[[], Awaitable[Reply]],
    *,
    where: str,
    statement_id: int | None = None,
    defer: bool = True,
) -> None:
    """Run `work` and send its reply; a refusal or failure becomes a private message instead of a traceback.
    With `defer`, Discord shows "thinking…" meanwhile (a change re-indexes its topic before it returns)."""
    try:
        if defer and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await work()
    except Exception as exc:
        reply = problem(exc, where=where, statement_id=statement_id)
    try:
        await answer(interaction, reply)
    except discord.HTTPException:
        _log.warning("%s: could not answer the moderator", where)
