"""The "Edit these statements" menu: a message context-menu command on one of factbot's answers, for moderators.

It reads the answer's topic and page from the custom_ids of the answer's own buttons (the feedback buttons
carry the topic; paging and "more" buttons too; the paging buttons say which page is shown), never from the
rendered text, and lists the statements of that page as the topic stands now, with a select menu: picking
one opens the statement form pre-filled (`_forms.edit_modal`). The select is a DynamicItem (`fb:es:<topic>`),
so it works after a restart; the pick is admitted again, and so is the form's submit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits, wording
from bot.cogs.factcheck import _render as render
from bot.cogs.factcheck._buttons import FEEDBACK_ID, MORE_ID, PAGE_ID
from bot.cogs.moderation._forms import edit_modal
from bot.cogs.moderation._replies import answer, attempt, private, problem
from bot.cogs.moderation._rights import Curators
from bot.cogs.moderation._show import fitted
from bot.limits import clip
from bot.reply import Reply
from bot.text import one_line, safe
from store import ClaimStore, StatementView

if TYPE_CHECKING:
    from bot.bot import FactBot

AnySelect = discord.ui.Select[discord.ui.View]

MENU_NAME = "Edit these statements"
PICK_ID = re.compile(r"fb:es:(?P<topic>\d{1,19})")
OPTIONS = 25  # a select menu's most


@dataclass(frozen=True, slots=True)
class Shown:
    """Which topic an answer shows, and which page of it."""

    topic_id: int
    page: int

    @classmethod
    def on(cls, message: discord.Message) -> Shown | None:
        """Read from the custom_ids of factbot's buttons on `message`; None when it has none (not an answer)."""
        topic_id: int | None = None
        page: int | None = None
        for row in message.components:
            for component in getattr(row, "children", []):
                custom_id = getattr(component, "custom_id", None) or ""
                found = PAGE_ID.fullmatch(custom_id) or MORE_ID.fullmatch(custom_id)
                found = found or FEEDBACK_ID.fullmatch(custom_id)
                if found is None or found["topic"] is None:
                    continue
                topic_id = int(found["topic"])
                if found.re is PAGE_ID:  # "◀ Previous" leads to the page before this one, "Next" to the one after
                    target = int(found["page"])
                    page = target + 1 if (getattr(component, "label", None) or "").startswith("◀") else target - 1
        return cls(topic_id, max(0, page or 0)) if topic_id is not None else None


def _label_text(statement: StatementView) -> str:
    return safe(one_line(statement.speaker.attribution))


def _words(statement: StatementView, limit: int) -> str:
    return clip(safe(one_line(statement.text)), limit) or "(no words)"


def _label(statement: StatementView) -> str:
    return clip(f"#{statement.id} · {statement.stance.value} · {_label_text(statement)}", limits.CHOICE_TEXT)


class StatementPicker(discord.ui.DynamicItem[AnySelect], template=PICK_ID):
    """The select under the list: one statement's form opens when it is picked."""

    def __init__(self, topic_id: int, statements: Sequence[StatementView] = ()) -> None:
        options = [
            discord.SelectOption(label=_label(s), value=str(s.id), description=_words(s, limits.CHOICE_TEXT))
            for s in statements[:OPTIONS]
        ]
        super().__init__(
            discord.ui.Select(
                custom_id=f"fb:es:{topic_id}",
                placeholder="Pick a statement to edit",
                options=options or [discord.SelectOption(label="(none)", value="0")],
            )
        )
        self.topic_id = topic_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(int(match["topic"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        picked = self.item.values[0] if self.item.values else "0"
        statement_id = int(picked) if picked.isdigit() else 0
        curators = Curators(interaction.client)
        key = f"#{statement_id}"
        if await curators.admit(interaction, action="statement edit", entity="statement", key=key) is None:
            return
        store: ClaimStore = interaction.client.store
        try:
            detail = await store.statement_detail(statement_id)
            await interaction.response.send_modal(edit_modal(detail))
        except Exception as exc:
            await answer(interaction, problem(exc, where="edit these statements (pick)"))


async def statements_shown(store: ClaimStore, shown: Shown) -> list[StatementView]:
    """The statements on that page of the answer, as the topic stands now."""
    topic = await store.topic(shown.topic_id)
    pages = render.paginate(topic)
    return list(pages[max(0, min(shown.page, len(pages) - 1))])


def _listing(statements: Sequence[StatementView], topic_id: int) -> Reply:
    lines = [wording.EDIT_THESE_HEAD]
    lines += [f"**#{s.id}** · {s.stance.value} · {_label_text(s)}: “{_words(s, 150)}”" for s in statements]
    lines.append(wording.EDIT_THESE_FOOT)
    view = discord.ui.View(timeout=None)
    view.add_item(StatementPicker(topic_id, statements))
    return private(fitted(lines, keep_last=True), view=view)


class EditMenu(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self.curators = Curators(bot)
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.edit_these)
        self.menu.guild_only = True
        self.menu.default_permissions = discord.Permissions(manage_guild=True)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        self.bot.add_dynamic_items(StatementPicker)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self.bot.remove_dynamic_items(StatementPicker)

    async def edit_these(self, interaction: discord.Interaction[Any], message: discord.Message) -> None:
        key = f"message {message.id}"
        if await self.curators.admit(interaction, action="edit these statements", entity="message", key=key) is None:
            return
        shown = Shown.on(message) if self.bot.user and message.author.id == self.bot.user.id else None

        async def work() -> Reply:
            if shown is None:
                return private(wording.NOT_AN_ANSWER)
            statements = await statements_shown(self.bot.store, shown)
            if not statements:
                return private(wording.NO_STATEMENTS_SHOWN)
            return _listing(statements, shown.topic_id)

        await attempt(interaction, work, where=MENU_NAME)
