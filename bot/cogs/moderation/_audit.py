"""/audit [topic] [statement] [moderator]: the audit trail, newest first, ten events a page.

The page buttons are DynamicItems whose custom_id holds the filters and the page (`fb:a:<page>:<statement>:
<topic>:<moderator>`), like the answer's buttons: they work after a restart, and every click is admitted
again. A page is counted from the newest event at the time of the click.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits, wording
from bot.cogs.moderation._choices import topic_choices, topic_slug
from bot.cogs.moderation._replies import attempt
from bot.cogs.moderation._rights import Curators
from bot.cogs.moderation._show import audit_line, fitted
from bot.reply import Reply
from bot.text import one_line, safe
from store import ClaimStore

if TYPE_CHECKING:
    from bot.bot import FactBot

AnyButton = discord.ui.Button[discord.ui.View]

PAGE_SIZE = 10
LAST_PAGE = 999  # the page number has three digits in the button's custom_id
PAGE_ID = re.compile(r"fb:a:(?P<page>\d{1,3}):(?P<statement>\d{0,19}):(?P<topic>[^:]*):(?P<moderator>.*)")


@dataclass(frozen=True, slots=True)
class AuditQuery:
    topic: str | None = None  # a slug
    statement: int | None = None
    moderator: str | None = None  # any part of the actor

    def custom_id(self, page: int) -> str | None:
        """The page button's custom_id, or None when the filters don't fit in one (or can't be read back)."""
        topic, moderator = self.topic or "", self.moderator or ""
        if ":" in topic:
            return None
        custom_id = f"fb:a:{page}:{self.statement or ''}:{topic}:{moderator}"
        return custom_id if len(custom_id) <= limits.CUSTOM_ID else None

    def describe(self) -> str:
        parts = []
        if self.topic:
            parts.append(f"topic {safe(self.topic)}")
        if self.statement:
            parts.append(f"statement #{self.statement}")
        if self.moderator:
            parts.append(f"moderator “{safe(one_line(self.moderator))}”")
        return ", ".join(parts) or "every change"

    @property
    def key(self) -> str:
        """The filters as the audit trail records a refused look at them."""
        return f"topic={self.topic or ''} statement={self.statement or ''} moderator={self.moderator or ''}"


async def audit_page(store: ClaimStore, query: AuditQuery, page: int) -> Reply:
    """Page `page` (from 0) of the trail for `query`, with buttons to the newer and older pages."""
    page = max(0, min(page, LAST_PAGE))
    events = await store.audit_events(
        topic=query.topic,
        statement=query.statement,
        actor=query.moderator,
        limit=PAGE_SIZE + 1,  # one more than shown: is there an older page?
        offset=page * PAGE_SIZE,
    )
    shown = events[:PAGE_SIZE]
    if not shown:
        return Reply(wording.no_audit_events(query.describe()), private=True, replaces=page > 0)
    older = len(events) > PAGE_SIZE and page < LAST_PAGE
    head = f"**Audit trail** · {query.describe()} · newest first · page {page + 1}"
    lines = [head, *(audit_line(e) for e in shown)]
    view = discord.ui.View(timeout=None)
    newer_id, older_id = query.custom_id(page - 1), query.custom_id(page + 1)
    if (page > 0 or older) and (newer_id is None or older_id is None):
        lines.append(wording.AUDIT_FILTERS_TOO_LONG)
    if page > 0 and newer_id is not None:
        view.add_item(AuditPageButton(query, page - 1, label="◀ Newer"))
    if older and older_id is not None:
        view.add_item(AuditPageButton(query, page + 1, label="Older ▶"))
    text = fitted(lines, keep_last=lines[-1] == wording.AUDIT_FILTERS_TOO_LONG)
    return Reply(text, view=view if view.children else None, private=True, replaces=True)


class AuditPageButton(discord.ui.DynamicItem[AnyButton], template=PAGE_ID):
    def __init__(self, query: AuditQuery, page: int, *, label: str = "Older ▶") -> None:
        custom_id = query.custom_id(page)
        if custom_id is None:
            raise ValueError("these filters don't fit in a button")
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id))
        self.query, self.page = query, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        query = AuditQuery(
            topic=match["topic"] or None,
            statement=int(match["statement"]) if match["statement"] else None,
            moderator=match["moderator"] or None,
        )
        return cls(query, int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        curators = Curators(interaction.client)
        if await curators.admit(interaction, action="audit", entity="audit", key=self.query.key) is None:
            return

        async def work() -> Reply:
            return await audit_page(interaction.client.store, self.query, self.page)

        await attempt(interaction, work, where="audit page button", defer=False)


class Audit(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self.curators = Curators(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AuditPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AuditPageButton)

    @app_commands.command(name="audit", description="Who changed what in the claim store, newest first.")
    @app_commands.describe(
        topic="Only this topic and its statements (pick one, or type its slug)",
        statement="Only this statement (its id)",
        moderator="Only changes by this moderator: any part of their name or id, e.g. cli:alice or 1234",
    )
    @app_commands.autocomplete(topic=topic_choices)
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def audit(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300] | None = None,
        statement: app_commands.Range[int, 1] | None = None,
        moderator: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        key = AuditQuery(topic, statement, moderator).key
        if await self.curators.admit(interaction, action="audit", entity="audit", key=key) is None:
            return

        async def work() -> Reply:
            slug = await topic_slug(self.bot.store, topic) if topic else None
            return await audit_page(self.bot.store, AuditQuery(slug, statement, moderator), 0)

        await attempt(interaction, work, where="/audit")
