"""What a user hears when something fails. Known problems get their own sentence; anything else gets a short
apology while the full traceback goes to the log, never to Discord."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot import wording
from bot.reply import Reply, to_interaction
from bot.text import safe
from store import FactbotError, StatementNotFound, StoreUnavailable, TopicNotFound

_log = logging.getLogger("bot.errors")


def reply_for(error: BaseException, *, where: str) -> Reply:
    """A private reply describing `error`; unexpected errors are logged with their traceback."""
    if isinstance(error, StoreUnavailable):
        _log.warning("%s: claim store unavailable: %s", where, error)
        return Reply(wording.UNAVAILABLE, private=True)
    if isinstance(error, TopicNotFound):
        return Reply(wording.TOPIC_GONE, private=True)
    if isinstance(error, StatementNotFound):
        return Reply(wording.STATEMENT_GONE, private=True)
    if isinstance(error, FactbotError):  # written to be read by users; it may quote what they typed
        return Reply(safe(str(error)), private=True)
    _log.error("%s failed", where, exc_info=error)
    return Reply(wording.APOLOGY, private=True)


async def tell_interaction(interaction: discord.Interaction[Any], error: BaseException, *, where: str) -> None:
    """Report `error` to whoever triggered the interaction; if even that fails, only log it."""
    reply = reply_for(error, where=where)
    try:
        await to_interaction(interaction, reply, ephemeral=True)
    except discord.HTTPException:
        _log.warning("%s: could not tell the user about %r", where, error)
