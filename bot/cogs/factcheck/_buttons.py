"""Buttons under an answer: paging, feedback, "did you mean", and "more" for statements cut short.

Every button is a DynamicItem whose custom_id carries what it needs (topic, page, query uid...), so buttons
keep working after a restart and no per-message state is held in memory. Paging reads the rest of what it
needs (the question echo, the match note, the other buttons) back from the message it edits.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import discord

from bot import limits
from bot.cogs.factcheck import _render as render
from bot.failures import tell_interaction
from bot.limits import clip
from bot.origin import Origin
from bot.reply import NO_PINGS, Reply, to_interaction
from store import Match, StatementNotFound

if TYPE_CHECKING:
    from bot.cogs.factcheck._desk import AnswerDesk

AnyButton = discord.ui.Button[discord.ui.View]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A runner-up topic offered as "did you mean"."""

    topic_id: int
    score: float
    title: str


def desk_of(interaction: discord.Interaction[Any]) -> AnswerDesk:
    desk: AnswerDesk | None = getattr(interaction.client, "desk", None)
    if desk is None:
        raise RuntimeError("the client has no answer desk")
    return desk


async def guarded(interaction: discord.Interaction[Any], work: Awaitable[None], *, where: str) -> None:
    try:
        await work
    except Exception as exc:
        await tell_interaction(interaction, exc, where=where)


def _is_ephemeral(interaction: discord.Interaction[Any]) -> bool:
    return bool(interaction.message and interaction.message.flags.ephemeral)


class PageButton(discord.ui.DynamicItem[AnyButton], template=r"fb:p:(?P<topic>\d+):(?P<page>\d+)"):
    def __init__(self, topic_id: int, page: int, *, label: str = "Next ▶") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=f"fb:p:{topic_id}:{page}", row=0
            )
        )
        self.topic_id, self.page = topic_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(int(match["topic"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._turn(interaction), where="page button")

    async def _turn(self, interaction: discord.Interaction[Any]) -> None:
        topic = await desk_of(interaction).store.topic(self.topic_id)
        state = AnswerState.read(interaction.message)
        page = render.render_page(topic, self.page, asked=state.asked, note=state.note)
        view = answer_view(topic.id, page, query_uid=state.query_uid, runner_ups=state.suggestions)
        await interaction.response.edit_message(embeds=page.embeds, view=view, allowed_mentions=NO_PINGS)


class FeedbackButton(discord.ui.DynamicItem[AnyButton], template=r"fb:f:(?P<uid>[0-9a-f]{32}):(?P<helpful>[01])"):
    def __init__(self, query_uid: str, helpful: bool) -> None:
        label, emoji = ("This answered it", "👍") if helpful else ("Not what I asked", "👎")
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                custom_id=f"fb:f:{query_uid}:{int(helpful)}",
                row=0,
            )
        )
        self.query_uid, self.helpful = query_uid, helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["uid"], match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        reply = desk_of(interaction).feedback(self.query_uid, self.helpful, interaction.user.id)
        await guarded(interaction, to_interaction(interaction, reply), where="feedback button")


class DidYouMeanButton(discord.ui.DynamicItem[AnyButton], template=r"fb:d:(?P<topic>\d+):(?P<score>\d+)"):
    PREFIX = "Did you mean: "

    def __init__(self, topic_id: int, score: float, title: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(self.PREFIX + title, limits.BUTTON_LABEL),
                style=discord.ButtonStyle.secondary,
                custom_id=f"fb:d:{topic_id}:{round(score * 1000)}",
                row=1,
            )
        )
        self.suggestion = Suggestion(topic_id, score, title)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        label = getattr(item, "label", None) or ""
        return cls(int(match["topic"]), int(match["score"]) / 1000, label.removeprefix(cls.PREFIX))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._open(interaction), where="did-you-mean button")

    async def _open(self, interaction: discord.Interaction[Any]) -> None:
        s = self.suggestion
        reply = await desk_of(interaction).open_topic(s.topic_id, s.score, Origin.of_interaction(interaction, "button"))
        await to_interaction(interaction, reply, ephemeral=_is_ephemeral(interaction))


class MoreButton(discord.ui.DynamicItem[AnyButton], template=r"fb:m:(?P<topic>\d+):(?P<statement>\d+)"):
    def __init__(self, topic_id: int, statement_id: int, *, who: str = "statement", row: int = 2) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(f"More: {who}", limits.BUTTON_LABEL),
                style=discord.ButtonStyle.secondary,
                custom_id=f"fb:m:{topic_id}:{statement_id}",
                row=row,
            )
        )
        self.topic_id, self.statement_id = topic_id, statement_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(int(match["topic"]), int(match["statement"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._show(interaction), where="more button")

    async def _show(self, interaction: discord.Interaction[Any]) -> None:
        topic = await desk_of(interaction).store.topic(self.topic_id)
        statement = next((s for s in topic.statements if s.id == self.statement_id), None)
        if statement is None:
            raise StatementNotFound(f"There is no statement #{self.statement_id} in topic #{self.topic_id}.")
        await to_interaction(interaction, Reply(embeds=[render.full_statement(statement)], private=True))


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PageButton,
    FeedbackButton,
    DidYouMeanButton,
    MoreButton,
)


def answer_view(
    topic_id: int,
    page: render.Page,
    *,
    query_uid: str | None,
    runner_ups: Sequence[Match | Suggestion],
) -> discord.ui.View:
    """Paging and feedback on the first row, "did you mean" on the second, "more" on the third and fourth."""
    view = discord.ui.View(timeout=None)
    if page.number > 0:
        view.add_item(PageButton(topic_id, page.number - 1, label="◀ Previous"))
    if page.number + 1 < page.count:
        view.add_item(PageButton(topic_id, page.number + 1, label="Next ▶"))
    if query_uid:
        view.add_item(FeedbackButton(query_uid, True))
        view.add_item(FeedbackButton(query_uid, False))
    for runner_up in list(runner_ups)[: limits.BUTTONS_PER_ROW]:
        s = (
            Suggestion(runner_up.topic.id, runner_up.score, runner_up.topic.title)
            if isinstance(runner_up, Match)
            else runner_up
        )
        view.add_item(DidYouMeanButton(s.topic_id, s.score, s.title))
    for i, statement in enumerate(page.truncated[: 2 * limits.BUTTONS_PER_ROW]):
        row = 2 + i // limits.BUTTONS_PER_ROW
        view.add_item(MoreButton(topic_id, statement.id, who=statement.speaker.attribution, row=row))
    return view


@dataclass(frozen=True, slots=True)
class AnswerState:
    """What paging keeps from the message it turns: the echo, the match note and the other buttons."""

    asked: str | None
    note: str | None
    query_uid: str | None
    suggestions: tuple[Suggestion, ...]

    @classmethod
    def read(cls, message: discord.Message | None) -> AnswerState:
        if message is None or not message.embeds:
            return cls(None, None, None, ())
        description = message.embeds[0].description or ""
        first = description.split("\n", 1)[0]
        asked = first if first.startswith("You asked: ") else None
        footer = (message.embeds[-1].footer.text or "").split("\n")[0]
        note = footer if footer and not footer.startswith(render.PAGE_PREFIX) else None
        query_uid: str | None = None
        suggestions: list[Suggestion] = []
        for row in message.components:
            for component in getattr(row, "children", []):
                custom_id = getattr(component, "custom_id", None) or ""
                if m := re.fullmatch(FeedbackButton.__discord_ui_compiled_template__, custom_id):
                    query_uid = m["uid"]
                elif m := re.fullmatch(DidYouMeanButton.__discord_ui_compiled_template__, custom_id):
                    title = (getattr(component, "label", None) or "").removeprefix(DidYouMeanButton.PREFIX)
                    suggestions.append(Suggestion(int(m["topic"]), int(m["score"]) / 1000, title))
        return cls(asked, note, query_uid, tuple(suggestions))
