"""Buttons under an answer: paging, feedback, "did you mean", and "more" for statements cut short.

Each button is a DynamicItem whose custom_id holds its own state: topic and page, query uid and verdict, a
runner-up and its score, topic and statement (each well within Discord's 100 characters). So a button works
after a restart and nothing is remembered per message. What no custom_id can hold (the question echo, the
matched terms) lives in the answer's header embed, which a page turn sends back exactly as it is: only the
statement embeds, the page footer and the buttons are made again, the feedback and "did you mean" buttons
from their own custom_ids (a runner-up's title from the store). Nothing is read back out of rendered text.

Buttons reach the answer desk as the client's `desk` attribute, typed by the `Desk` protocol here: the desk
imports this module to lay out its answers, and this module never imports the desk.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self

import discord

from bot import limits
from bot.cogs.factcheck import _render as render
from bot.failures import tell_interaction
from bot.limits import clip
from bot.origin import Origin
from bot.reply import Reply, to_interaction
from store.records import QuerySource

AnyButton = discord.ui.Button[discord.ui.View]

PAGE_ID = re.compile(r"fb:p:(?P<topic>\d+):(?P<page>\d+)")
# The topic answered rides on the feedback buttons, which every answer has: the moderators' "Edit these
# statements" reads it there. Buttons sent before it was added have none.
FEEDBACK_ID = re.compile(r"fb:f:(?P<uid>[0-9a-f]{32}):(?P<helpful>[01])(?::(?P<topic>\d{1,19}))?")
SUGGESTION_ID = re.compile(r"fb:d:(?P<topic>\d+):(?P<score>\d+)")
MORE_ID = re.compile(r"fb:m:(?P<topic>\d+):(?P<statement>\d+)")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A runner-up topic offered as "did you mean", as its button's custom_id holds it."""

    topic_id: int
    score: float  # three decimals survive the custom_id


@dataclass(frozen=True, slots=True)
class Controls:
    """The buttons a page turn keeps: feedback on the query that was answered, and the runner-ups offered."""

    query_uid: str | None = None
    suggestions: tuple[Suggestion, ...] = ()

    @classmethod
    def on(cls, message: discord.Message | None) -> Controls:
        """Read from the custom_ids of this module's buttons on `message`."""
        query_uid: str | None = None
        suggestions: list[Suggestion] = []
        for row in message.components if message else []:
            for component in getattr(row, "children", []):
                custom_id = getattr(component, "custom_id", None) or ""
                if m := FEEDBACK_ID.fullmatch(custom_id):
                    query_uid = m["uid"]
                elif m := SUGGESTION_ID.fullmatch(custom_id):
                    suggestions.append(Suggestion(int(m["topic"]), int(m["score"]) / 1000))
        return cls(query_uid, tuple(suggestions))


class Desk(Protocol):
    """What the buttons ask of the answer desk; every outcome is a Reply to send."""

    async def turn_page(self, topic_id: int, page: int, header: discord.Embed | None, controls: Controls) -> Reply:
        """Page `page` of the topic under `header`, with `controls` kept; a Reply that replaces the message."""
        ...

    async def open_topic(self, suggestion: Suggestion, origin: Origin) -> Reply: ...

    async def more(self, topic_id: int, statement_id: int) -> Reply: ...

    def feedback(self, query_uid: str, helpful: bool, user_id: int) -> Reply: ...


def desk_of(interaction: discord.Interaction[Any]) -> Desk:
    desk: Desk | None = getattr(interaction.client, "desk", None)
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


class PageButton(discord.ui.DynamicItem[AnyButton], template=PAGE_ID):
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
        message = interaction.message
        header = message.embeds[0] if message and message.embeds else None
        reply = await desk_of(interaction).turn_page(self.topic_id, self.page, header, Controls.on(message))
        await to_interaction(interaction, reply)


class FeedbackButton(discord.ui.DynamicItem[AnyButton], template=FEEDBACK_ID):
    def __init__(self, query_uid: str, helpful: bool, topic_id: int | None = None) -> None:
        label, emoji = ("This answered it", "👍") if helpful else ("Not what I asked", "👎")
        topic = f":{topic_id}" if topic_id is not None else ""
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                custom_id=f"fb:f:{query_uid}:{int(helpful)}{topic}",
                row=0,
            )
        )
        self.query_uid, self.helpful = query_uid, helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["uid"], match["helpful"] == "1", int(match["topic"]) if match["topic"] else None)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        reply = desk_of(interaction).feedback(self.query_uid, self.helpful, interaction.user.id)
        await guarded(interaction, to_interaction(interaction, reply), where="feedback button")


class DidYouMeanButton(discord.ui.DynamicItem[AnyButton], template=SUGGESTION_ID):
    PREFIX = "Did you mean: "

    def __init__(self, suggestion: Suggestion, title: str | None = None) -> None:
        """`title` makes the label; a button rebuilt from a click has none (only its callback runs)."""
        super().__init__(
            discord.ui.Button(
                label=clip(self.PREFIX + title, limits.BUTTON_LABEL) if title else None,
                style=discord.ButtonStyle.secondary,
                custom_id=f"fb:d:{suggestion.topic_id}:{round(suggestion.score * 1000)}",
                row=1,
            )
        )
        self.suggestion = suggestion

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(Suggestion(int(match["topic"]), int(match["score"]) / 1000))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._open(interaction), where="did-you-mean button")

    async def _open(self, interaction: discord.Interaction[Any]) -> None:
        origin = Origin.of_interaction(interaction, QuerySource.BUTTON)
        reply = await desk_of(interaction).open_topic(self.suggestion, origin)
        await to_interaction(interaction, reply, ephemeral=_is_ephemeral(interaction))


class MoreButton(discord.ui.DynamicItem[AnyButton], template=MORE_ID):
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
        await to_interaction(interaction, await desk_of(interaction).more(self.topic_id, self.statement_id))


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PageButton,
    FeedbackButton,
    DidYouMeanButton,
    MoreButton,
)


def answer_view(
    topic_id: int, page: render.Page, *, query_uid: str | None, suggestions: Sequence[tuple[Suggestion, str]]
) -> discord.ui.View:
    """Paging and feedback on the first row, "did you mean" (suggestion, title) on the second, "more" on the
    third and fourth."""
    view = discord.ui.View(timeout=None)
    if page.number > 0:
        view.add_item(PageButton(topic_id, page.number - 1, label="◀ Previous"))
    if page.number + 1 < page.count:
        view.add_item(PageButton(topic_id, page.number + 1, label="Next ▶"))
    if query_uid:
        view.add_item(FeedbackButton(query_uid, True, topic_id))
        view.add_item(FeedbackButton(query_uid, False, topic_id))
    for suggestion, title in list(suggestions)[: limits.BUTTONS_PER_ROW]:
        view.add_item(DidYouMeanButton(suggestion, title))
    for i, statement in enumerate(page.truncated[: 2 * limits.BUTTONS_PER_ROW]):
        row = 2 + i // limits.BUTTONS_PER_ROW
        view.add_item(MoreButton(topic_id, statement.id, who=statement.speaker.attribution, row=row))
    return view
