"""Turn a topic into embeds: statements grouped by stance, attributed, paginated inside Discord's limits.

Every page shows each side that still has statements (round robin), so no page shows one side alone while
the other waits on page 3. The renderer only formats; factbot never says who is right.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot import limits
from bot.limits import clip
from bot.match_note import MatchNote as MatchNote  # the footer's note; callers reach it through the renderer
from bot.text import one_line, quoted, safe
from store import Attribution, Figure, PreviousFigure, StatementView, TopicView
from store.records import Stance

STATEMENTS_PER_PAGE = 6
PAGE_BUDGET = limits.EMBED_TOTAL - 100  # a margin for rounding
PAGE_PREFIX = "Page "
ASKED_LIMIT = 250  # characters of the question echoed back
FOOTER_LIMIT = 400

STANCE_HEADINGS = {
    Stance.AFFIRMS: "Says yes / affirms",
    Stance.DISPUTES: "Says no / disputes",
    Stance.CONTEXT: "Context",
}
# Distinct but neutral colours: blue and amber, not green/red, which would read as right and wrong.
STANCE_COLOURS = {Stance.AFFIRMS: 0x1E88E5, Stance.DISPUTES: 0xF9A825, Stance.CONTEXT: 0x78909C}
HEADER_COLOUR = 0x37474F
DISCLAIMER = "Who says what on this question, attributed. factbot shows the claims side by side; it doesn't judge them."


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an answer: the header, the same on every page, above this page's statements."""

    header: discord.Embed  # title, question echo, disclaimer and match note: paging sends it back untouched
    statements: list[discord.Embed]  # grouped by stance; the last one's footer says "Page n of m"
    number: int  # 0-based
    count: int
    truncated: tuple[StatementView, ...]  # statements cut short here: they get a "more" button

    @property
    def embeds(self) -> list[discord.Embed]:
        return [self.header, *self.statements]


def asked_line(question: str) -> str:
    """The question echoed back, escaped and bounded."""
    return f"You asked: {clip(safe(one_line(question)), ASKED_LIMIT)}"


def format_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "date not given"


def speaker_line(statement: StatementView) -> str:
    """Who said it, with their role and affiliation: "An official source from the organization (Hamas)"."""
    # a name of invisible characters only would leave an empty field name, which Discord refuses
    return clip(safe(Attribution.of(statement).heading), limits.FIELD_NAME) or "(unnamed)"


def source_line(statement: StatementView) -> str:
    """How and where it was said: "_told_ · via **Reuters** · 3 May 2024 · [source](…)"."""
    attribution = Attribution.of(statement)
    parts: list[str] = []
    if attribution.cue:
        parts.append(f"_{safe(attribution.cue)}_")
    if attribution.outlet:
        parts.append(f"via **{safe(attribution.outlet)}**")
    parts.append(format_date(attribution.date))
    if statement.url:
        parts.append(f"[source]({statement.url.replace(')', '%29')})")
    return " · ".join(parts)


def figure_line(figure: Figure, statement: StatementView) -> str:
    as_of = f"as of {format_date(figure.as_of)}" if figure.as_of else "as of: not given"
    who = Attribution.of(statement).speaker
    return f"▸ {figure.display_value} {safe(figure.unit)}: {safe(figure.counted)} ({as_of}; given by {safe(who)})"


def previous_line(previous: PreviousFigure) -> str:
    """A figure the statement supersedes: "previously 33,175 people: killed in Gaza (as of 7 April 2024, Gaza
    Health Ministry)"."""
    as_of = f"as of {format_date(previous.as_of)}" if previous.as_of else "date not given"
    what = f"{previous.display_value} {safe(previous.unit)}: {safe(previous.counted)}"
    return f"▹ previously {what} ({as_of}, {safe(previous.given_by)})"


def figure_lines(statement: StatementView) -> list[str]:
    """Its own figures, then those of the older statement it supersedes."""
    return [figure_line(f, statement) for f in statement.figures] + [previous_line(p) for p in statement.previous]


def statement_value(statement: StatementView, limit: int = limits.FIELD_VALUE) -> tuple[str, bool]:
    """The field text for one statement and whether its words had to be cut to fit."""
    tail_lines = [source_line(statement), *figure_lines(statement)]
    tail = clip("\n".join(tail_lines), limit // 2)
    room = limit - len(tail) - 1
    words = quoted(statement) if statement.is_quote else safe(statement.text)
    body = clip(words, room)
    return f"{body}\n{tail}", body != words


def paginate(topic: TopicView, *, per_page: int = STATEMENTS_PER_PAGE) -> list[list[StatementView]]:
    """Split statements into pages, taking from each stance in turn so every page shows every side left."""
    field_sizes = {s.id: len(speaker_line(s)) + len(statement_value(s)[0]) for s in topic.statements}
    # An upper bound on everything but the fields: title, question echo, disclaimer, footer, stance headings.
    fixed = len(clip(safe(topic.title), limits.TITLE)) + ASKED_LIMIT + 20 + len(DISCLAIMER) + FOOTER_LIMIT
    fixed += sum(len(h) for h in STANCE_HEADINGS.values())
    queues = [deque(items) for items in topic.by_stance().values()]
    pages: list[list[StatementView]] = []
    while any(queues):
        page: list[StatementView] = []
        size = fixed
        full = False
        while not full and any(queues) and len(page) < per_page:
            for queue in queues:
                if not queue or len(page) >= per_page:
                    continue
                if page and size + field_sizes[queue[0].id] > PAGE_BUDGET:
                    full = True
                    break
                size += field_sizes[queue[0].id]
                page.append(queue.popleft())
        pages.append(page)
    return pages or [[]]


def header_embed(topic: TopicView, *, asked: str | None, note: str | None) -> discord.Embed:
    """The top of an answer: `asked` is an `asked_line`, `note` a `MatchNote.text()` (shown as its footer)."""
    asked = clip(asked, ASKED_LIMIT + 20) if asked else None
    description = f"{asked}\n{DISCLAIMER}" if asked else DISCLAIMER
    header = discord.Embed(title=clip(safe(topic.title), limits.TITLE), description=description, colour=HEADER_COLOUR)
    if note:
        header.set_footer(text=clip(note, FOOTER_LIMIT - 30))
    return header


def _statement_embeds(statements: Sequence[StatementView]) -> list[discord.Embed]:
    if not statements:
        empty = discord.Embed(colour=HEADER_COLOUR)
        empty.add_field(name="No statements", value="This topic has no published statements yet.", inline=False)
        return [empty]
    embeds = []
    for stance in STANCE_HEADINGS:
        group = [s for s in statements if s.stance is stance]
        if not group:
            continue
        embed = discord.Embed(title=STANCE_HEADINGS[stance], colour=STANCE_COLOURS[stance])
        for statement in group[: limits.FIELDS]:
            embed.add_field(name=speaker_line(statement), value=statement_value(statement)[0], inline=False)
        embeds.append(embed)
    return embeds


def render_page(topic: TopicView, number: int, *, asked: str | None, note: str | None) -> Page:
    """Page `number` of a topic under a new header (see `header_embed`)."""
    return page_under(header_embed(topic, asked=asked, note=note), topic, number)


def page_under(header: discord.Embed, topic: TopicView, number: int) -> Page:
    """Page `number` of a topic under a header made by `header_embed`, kept as it is from page to page."""
    pages = paginate(topic)
    number = max(0, min(number, len(pages) - 1))
    statements = pages[number]
    embeds = _statement_embeds(statements)
    if len(pages) > 1:
        embeds[-1].set_footer(text=f"{PAGE_PREFIX}{number + 1} of {len(pages)}")
    truncated = tuple(s for s in statements if statement_value(s)[1])
    return Page(header, embeds, number, len(pages), truncated)


def full_statement(statement: StatementView) -> discord.Embed:
    """One statement in full, for the "more" button."""
    words = quoted(statement) if statement.is_quote else safe(statement.text)
    embed = discord.Embed(
        title=clip(speaker_line(statement), limits.TITLE),
        description=clip(words, limits.DESCRIPTION),
        colour=STANCE_COLOURS[statement.stance],
    )
    embed.add_field(name=STANCE_HEADINGS[statement.stance], value=clip(source_line(statement), limits.FIELD_VALUE))
    for line in figure_lines(statement):
        value = clip(line, limits.FIELD_VALUE)
        name = "Previously" if line.startswith("▹") else "Figure"
        if len(embed) + len(name) + len(value) > PAGE_BUDGET or len(embed.fields) >= limits.FIELDS:
            break
        embed.add_field(name=name, value=value, inline=False)
    return embed
