"""Text that goes into a Discord message: escaped so nobody's words can ping, format or break the layout."""

from __future__ import annotations

import re

import discord

from store import StatementView

# Mentions discord.utils.escape_mentions leaves alone: user, role and channel references of any length.
_REFERENCES = re.compile(r"<(@[!&]?|#)(\d+)>")


def safe(text: str) -> str:
    """Escape markdown and mentions: `@everyone`, `<@&role>` and `**` show as typed and do nothing."""
    text = discord.utils.escape_mentions(text)
    text = _REFERENCES.sub("<\\1\u200b\\2>", text)
    return discord.utils.escape_markdown(text)


def quoted(statement: StatementView) -> str:
    """A verbatim quote in quotation marks; paraphrases never get them."""
    return f"“{safe(statement.text)}”"


def one_line(text: str) -> str:
    """Collapse whitespace, so a pasted question can't push the layout around."""
    return " ".join(text.split())
