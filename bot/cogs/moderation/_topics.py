"""/topic add|edit|alias-add|alias-remove|merge|retire|show: the questions statements are filed under.

Every command asks `Curators.admit` first; the store checks everything typed and refuses a change whole.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits, wording
from bot.cogs.moderation._choices import topic_choices, topic_slug
from bot.cogs.moderation._replies import attempt, private
from bot.cogs.moderation._rights import Curators
from bot.cogs.moderation._show import topic_text
from bot.reply import Reply
from store import ClaimStore, TopicDetail

if TYPE_CHECKING:
    from bot.bot import FactBot

ALIAS_SEPARATOR = ";"  # aliases are phrasings of a question, which may hold commas
CLEAR = "-"
Change = Callable[[str], Awaitable[TopicDetail]]  # given the actor, makes the change and returns the topic after


def _split(text: str | None, separator: str) -> list[str]:
    return [part.strip() for part in (text or "").split(separator) if part.strip()]


async def alias_choices(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    """The aliases of the topic already chosen in the command, matching what has been typed."""
    store: ClaimStore = interaction.client.store
    chosen = getattr(interaction.namespace, "topic", None)
    if not chosen:
        return []
    try:
        detail = await store.topic_detail(await topic_slug(store, str(chosen)))
    except Exception:  # autocomplete must never break typing
        return []
    typed = current.casefold()
    return [
        app_commands.Choice(name=alias, value=alias)
        for alias in detail.aliases
        if typed in alias.casefold() and len(alias) <= limits.CHOICE_TEXT
    ][: limits.CHOICES]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Topics(commands.GroupCog, group_name="topic", group_description="Change the claim store's topics"):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self.curators = Curators(bot)
        super().__init__()

    @property
    def store(self) -> ClaimStore:
        return self.bot.store

    async def _run(
        self, interaction: discord.Interaction[Any], action: str, key: str, change: Change, *, done: str
    ) -> None:
        """Admit the member, make the change (a coroutine function of the actor) and show the topic after."""
        actor = await self.curators.admit(interaction, action=action, entity="topic", key=key)
        if actor is None:
            return

        async def work() -> Reply:
            detail = await change(actor)
            return private(f"{done}\n{topic_text(detail)}" if done else topic_text(detail))

        await attempt(interaction, work, where=f"/{action}")

    @app_commands.command(name="add", description="Add a topic: a question statements answer.")
    @app_commands.describe(
        slug="Its short name: lowercase words joined by hyphens, e.g. rafah-crossing",
        title="The question, e.g. Is the Rafah crossing open?",
        aliases="Other ways people ask it, separated by ;",
        tags="Tags, separated by commas",
    )
    async def add(
        self,
        interaction: discord.Interaction[Any],
        slug: app_commands.Range[str, 1, 300],
        title: app_commands.Range[str, 1, 300],
        aliases: app_commands.Range[str, 1, 1000] | None = None,
        tags: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        async def change(actor: str) -> TopicDetail:
            return await self.store.add_topic(
                slug, title, aliases=_split(aliases, ALIAS_SEPARATOR), tags=_split(tags, ","), actor=actor
            )

        await self._run(interaction, "topic add", slug, change, done=wording.TOPIC_ADDED)

    @app_commands.command(name="edit", description="Change a topic's title or tags.")
    @app_commands.describe(
        topic="The topic (pick one, or type its slug)",
        title="A new title",
        tags="New tags, separated by commas: they replace the old ones ('-' clears them)",
    )
    @app_commands.autocomplete(topic=topic_choices)
    async def edit(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300],
        title: app_commands.Range[str, 1, 300] | None = None,
        tags: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        async def change(actor: str) -> TopicDetail:
            new_tags = None if tags is None else ([] if tags.strip() == CLEAR else _split(tags, ","))
            return await self.store.edit_topic(
                await topic_slug(self.store, topic), title=title, tags=new_tags, actor=actor
            )

        await self._run(interaction, "topic edit", topic, change, done=wording.TOPIC_SAVED)

    @app_commands.command(name="alias-add", description="Add another way people ask a topic's question.")
    @app_commands.describe(topic="The topic (pick one, or type its slug)", alias="The other phrasing")
    @app_commands.autocomplete(topic=topic_choices)
    async def alias_add(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300],
        alias: app_commands.Range[str, 1, 300],
    ) -> None:
        async def change(actor: str) -> TopicDetail:
            return await self.store.edit_topic(await topic_slug(self.store, topic), add_aliases=[alias], actor=actor)

        await self._run(interaction, "topic alias-add", topic, change, done=wording.TOPIC_SAVED)

    @app_commands.command(name="alias-remove", description="Remove one of a topic's other phrasings.")
    @app_commands.describe(topic="The topic (pick one, or type its slug)", alias="The phrasing to remove")
    @app_commands.autocomplete(topic=topic_choices, alias=alias_choices)
    async def alias_remove(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300],
        alias: app_commands.Range[str, 1, 300],
    ) -> None:
        async def change(actor: str) -> TopicDetail:
            slug = await topic_slug(self.store, topic)
            return await self.store.edit_topic(slug, remove_aliases=[alias], actor=actor)

        await self._run(interaction, "topic alias-remove", topic, change, done=wording.TOPIC_SAVED)

    @app_commands.command(name="merge", description="Merge a topic into another: its statements and aliases move.")
    @app_commands.describe(
        topic="The topic that goes (its slug keeps working, for the other one)",
        into="The topic that stays",
    )
    @app_commands.autocomplete(topic=topic_choices, into=topic_choices)
    async def merge(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300],
        into: app_commands.Range[str, 1, 300],
    ) -> None:
        async def change(actor: str) -> TopicDetail:
            gone, kept = await topic_slug(self.store, topic), await topic_slug(self.store, into)
            return await self.store.merge_topics(gone, kept, actor=actor)

        await self._run(interaction, "topic merge", topic, change, done=wording.TOPIC_MERGED)

    @app_commands.command(name="retire", description="Take a topic out of answers and autocomplete (kept in history).")
    @app_commands.describe(topic="The topic (pick one, or type its slug)", reason="Why, for the audit trail")
    @app_commands.autocomplete(topic=topic_choices)
    async def retire(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300],
        reason: app_commands.Range[str, 1, 300],
    ) -> None:
        async def change(actor: str) -> TopicDetail:
            return await self.store.retire_topic(await topic_slug(self.store, topic), reason=reason, actor=actor)

        await self._run(interaction, "topic retire", topic, change, done=wording.TOPIC_RETIRED)

    @app_commands.command(name="show", description="Show a topic as stored: every statement, with ids and status.")
    @app_commands.describe(topic="The topic (pick one, or type its slug, retired and merged ones too)")
    @app_commands.autocomplete(topic=topic_choices)
    async def show(self, interaction: discord.Interaction[Any], topic: app_commands.Range[str, 1, 300]) -> None:
        async def change(actor: str) -> TopicDetail:
            return await self.store.topic_detail(await topic_slug(self.store, topic))

        await self._run(interaction, "topic show", topic, change, done="")
