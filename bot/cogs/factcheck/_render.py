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
from bot.text import one_line, quoted, safe
from store import Figure, Match, StatementView, TopicView, meaning_note
from store.records import SpeakerKind, Stance

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
class MatchNote:
    """How a topic came to be shown, for the footer."""

    score: float
    fields: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    via: str | None = None  # e.g. "did you mean"
    meaning: float | None = None  # cosine with the question, when the semantic re-ranker scored it

    @classmethod
    def of(cls, match: Match) -> MatchNote:
        return cls(match.score, match.matched_fields, match.matched_terms, meaning=match.meaning)

    def text(self) -> str:
        parts = [f"Match score {self.score:.2f}"]
        if self.via:
            parts.insert(0, f"Opened from “{self.via}”")
        if self.terms:
            terms = ", ".join(self.terms[:12]) + (" …" if len(self.terms) > 12 else "")
            where = f" in {', '.join(self.fields)}" if self.fields else ""
            parts.append(f"matched {terms}{where}")
        if self.meaning is not None:
            parts.append(meaning_note(self.meaning, shares_words=bool(self.terms)))
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Page:
    embeds: list[discord.Embed]
    number: int  # 0-based
    count: int
    truncated: tuple[StatementView, ...]  # statements cut short here: they get a "more" button


def asked_line(question: str) -> str:
    """The question echoed back, escaped and bounded."""
    return f"You asked: {clip(safe(one_line(question)), ASKED_LIMIT)}"


def format_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "date not given"


def speaker_line(statement: StatementView) -> str:
    speaker = statement.speaker
    name = speaker.attribution
    name = name[:1].upper() + name[1:]
    if speaker.affiliation and speaker.affiliation not in name:
        name = f"{name} ({speaker.affiliation})"
    return clip(safe(name), limits.FIELD_NAME) or "(unnamed)"  # a name of invisible characters only


def source_line(statement: StatementView) -> str:
    speaker = statement.speaker
    parts: list[str] = []
    if statement.cue:
        parts.append(f"_{safe(statement.cue)}_")
    if statement.outlet and not (speaker.kind is SpeakerKind.PUBLICATION and statement.outlet == speaker.name):
        parts.append(f"via **{safe(statement.outlet)}**")
    parts.append(format_date(statement.date))
    if statement.url:
        parts.append(f"[source]({statement.url.replace(')', '%29')})")
    return " · ".join(parts)


def figure_line(figure: Figure, statement: StatementView) -> str:
    as_of = f"as of {format_date(figure.as_of)}" if figure.as_of else "as of: not given"
    who = statement.speaker.attribution
    return f"▸ {figure.display_value} {safe(figure.unit)}: {safe(figure.counted)} ({as_of}; given by {safe(who)})"


def statement_value(statement: StatementView, limit: int = limits.FIELD_VALUE) -> tuple[str, bool]:
    """The field text for one statement and whether its words had to be cut to fit."""
    tail_lines = [source_line(statement)] + [figure_line(f, statement) for f in statement.figures]
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


def _page_embeds(topic: TopicView, statements: Sequence[StatementView], *, asked: str | None) -> list[discord.Embed]:
    description = f"{asked}\n{DISCLAIMER}" if asked else DISCLAIMER
    header = discord.Embed(title=clip(safe(topic.title), limits.TITLE), description=description, colour=HEADER_COLOUR)
    embeds = [header]
    for stance in STANCE_HEADINGS:
        group = [s for s in statements if s.stance is stance]
        if not group:
            continue
        embed = discord.Embed(title=STANCE_HEADINGS[stance], colour=STANCE_COLOURS[stance])
        for statement in group[: limits.FIELDS]:
            embed.add_field(name=speaker_line(statement), value=statement_value(statement)[0], inline=False)
        embeds.append(embed)
    if not statements:
        header.add_field(name="No statements", value="This topic has no published statements yet.", inline=False)
    return embeds


def render_page(topic: TopicView, number: int, *, asked: str | None, note: str | None) -> Page:
    """Page `number` of a topic; `asked` is an `asked_line`, `note` a `MatchNote.text()` (both kept by paging)."""
    pages = paginate(topic)
    number = max(0, min(number, len(pages) - 1))
    statements = pages[number]
    embeds = _page_embeds(topic, statements, asked=clip(asked, ASKED_LIMIT + 20) if asked else None)
    footer = [clip(note, FOOTER_LIMIT - 30)] if note else []
    if len(pages) > 1:
        footer.append(f"{PAGE_PREFIX}{number + 1} of {len(pages)}")
    if footer:
        embeds[-1].set_footer(text="\n".join(footer))
    truncated = tuple(s for s in statements if statement_value(s)[1])
    return Page(embeds, number, len(pages), truncated)


def full_statement(statement: StatementView) -> discord.Embed:
    """One statement in full, for the "more" button."""
    words = quoted(statement) if statement.is_quote else safe(statement.text)
    embed = discord.Embed(
        title=clip(speaker_line(statement), limits.TITLE),
        description=clip(words, limits.DESCRIPTION),
        colour=STANCE_COLOURS[statement.stance],
    )
    embed.add_field(name=STANCE_HEADINGS[statement.stance], value=clip(source_line(statement), limits.FIELD_VALUE))
    for figure in statement.figures:
        value = clip(figure_line(figure, statement), limits.FIELD_VALUE)
        if len(embed) + len("Figure") + len(value) > PAGE_BUDGET or len(embed.fields) >= limits.FIELDS:
            break
        embed.add_field(name="Figure", value=value, inline=False)
    return embed
