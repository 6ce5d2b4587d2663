"""Asking: /factcheck (with autocomplete), the prefix command, a mention of the bot, and a DM.

All four take the same path, one call to the answer desk; this cog only reads the question and sends the
Response the desk gives back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits, reply, wording
from bot.origin import Origin
from bot.text import one_line
from store.records import QuerySource

if TYPE_CHECKING:
    from bot.bot import FactBot

_log = logging.getLogger(__name__)

MAX_QUESTION = 1000  # Discord enforces it in the slash command's option; the store refuses longer anyway


class FactCheck(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    # -- /factcheck -----------------------------------------------------------------------------------

    @app_commands.command(name="factcheck", description="Who says what on a question: attributed statements.")
    @app_commands.describe(question="Your question, e.g. Is there any progress in the Cairo truce talks?")
    async def factcheck_slash(
        self, interaction: discord.Interaction[Any], question: app_commands.Range[str, 1, MAX_QUESTION]
    ) -> None:
        response = await self.bot.desk.ask(question, Origin.of_interaction(interaction, QuerySource.SLASH))
        await reply.respond_to_interaction(interaction, response)

    @factcheck_slash.autocomplete("question")
    async def question_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        """Topic titles matching what has been typed so far (in memory, no database round trip)."""
        choices: list[app_commands.Choice[str]] = []
        seen: set[str] = set()
        for ref in self.bot.store.suggest(current, limit=limits.CHOICES):
            title = ref.title[: limits.CHOICE_TEXT]
            if title and title not in seen:
                seen.add(title)
                choices.append(app_commands.Choice(name=title, value=title))
        return choices

    # -- !factcheck -----------------------------------------------------------------------------------

    @commands.command(name="factcheck", aliases=["fc"])
    async def factcheck_prefix(self, ctx: commands.Context[FactBot], *, question: str = "") -> None:
        """Ask a question: !factcheck Is there any progress in the Cairo truce talks?"""
        if not question.strip():
            await reply.to_message(ctx.message, reply.Reply(wording.NEED_QUESTION.format(prefix=ctx.clean_prefix)))
            return
        await self._answer_message(ctx.message, question, QuerySource.PREFIX)

    # -- mentions and DMs -----------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        question: str | None
        if message.guild is None:
            source, question = QuerySource.DM, message.content
        else:
            source, question = QuerySource.MENTION, self._after_mention(message.content)
        if question is None or not question.strip():
            return
        ctx = await self.bot.get_context(message)
        if ctx.valid:  # a prefix command; the command itself answers
            return
        if source is QuerySource.MENTION:
            question = _drop_command_word(question)
        await self._answer_message(message, question, source)

    def _after_mention(self, content: str) -> str | None:
        """The text after a leading mention of the bot, or None when the message doesn't start with one."""
        assert self.bot.user is not None
        for mention in (f"<@{self.bot.user.id}>", f"<@!{self.bot.user.id}>"):
            if content.startswith(mention):
                return content[len(mention) :]
        return None

    async def _answer_message(self, message: discord.Message, question: str, source: QuerySource) -> None:
        response = await self.bot.desk.ask(question, Origin.of_message(message, source))
        await reply.respond_to_message(message, response)


def _drop_command_word(question: str) -> str:
    """ "@factbot factcheck is it true…" asks "is it true…"."""
    words = one_line(question).split(" ", 1)
    if words and words[0].lower() in ("factcheck", "fc") and len(words) == 2:
        return words[1]
    return question
