"""Rendering answers for a terminal with Rich: competing statements side by side, attributed."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.match_note import MatchNote
from store import Answer, Attribution, Match, PreviousFigure, StatementView
from store.records import Stance

STANCE_HEADINGS = {
    Stance.AFFIRMS: "Says yes",
    Stance.DISPUTES: "Says no",
    Stance.CONTEXT: "Context",
}


def statement_text(s: StatementView) -> Text:
    """The attribution, as `--json` gives it, then the words: a quote in quotation marks, the link, the figures."""
    line = Text(Attribution.of(s).text(), style="bold")
    line.append(": ")
    line.append(f"“{s.text}”" if s.is_quote else s.text)
    if s.url:
        line.append(f" <{s.url}>", style="cyan")
    for figure in s.figures:
        as_of = f" as of {figure.as_of.isoformat()}" if figure.as_of else ""
        line.append(f"\n  ▸ {figure.display_value} {figure.unit} — {figure.counted}{as_of}", style="magenta")
    for previous in s.previous:
        line.append(f"\n  ▹ {previously(previous)}", style="dim")
    return line


def previously(p: PreviousFigure) -> str:
    """A figure the statement supersedes: "previously 33,175 people killed (as of 7 April 2024, Gaza Health
    Ministry)"."""
    source = f"as of {p.as_of.day} {p.as_of:%B %Y}, {p.given_by}" if p.as_of else p.given_by
    return f"previously {p.display_value} {p.unit} {p.counted} ({source})"


def render_match(match: Match) -> RenderableType:
    groups = match.topic.by_stance()
    sides = [stance for stance in (Stance.AFFIRMS, Stance.DISPUTES) if stance in groups]
    parts: list[RenderableType] = []
    if sides:
        table = Table(expand=True, show_lines=False, box=None, padding=(0, 2))
        for stance in sides:
            table.add_column(f"{STANCE_HEADINGS[stance]} ({len(groups[stance])})", ratio=1, style="")
        column_cells = [[statement_text(s) for s in groups[stance]] for stance in sides]
        for row in range(max(len(c) for c in column_cells)):
            table.add_row(*[cells[row] if row < len(cells) else Text("") for cells in column_cells])
        parts.append(table)
    if Stance.CONTEXT in groups:
        parts.append(Text(f"\n{STANCE_HEADINGS[Stance.CONTEXT]}", style="bold underline"))
        parts.extend(statement_text(s) for s in groups[Stance.CONTEXT])
    parts.append(Text(MatchNote.of(match).text(), style="dim italic"))
    return Panel(Group(*parts), title=escape(match.topic.title), title_align="left")


def print_answer(console: Console, answer: Answer) -> None:
    if answer.claimless:
        console.print(
            Text.assemble(
                ("Which claim should I check?", "bold"),
                " Put it in the question, for example: factbot ask “is it true that the Cairo talks made progress?”",
            )
        )
        return
    if answer.no_statement_by is not None:
        print_no_statement_by(console, answer)
        return
    if not answer.answered:
        console.print(
            Text.assemble(
                ("I have nothing on that in the claim store", "bold"),
                f": “{answer.query}”. The question has been logged so moderators can review it.",
            )
        )
        return
    for match in answer.matches:
        console.print(render_match(match))


def print_no_statement_by(console: Console, answer: Answer) -> None:
    """A question about what someone said, and nothing by them on it: say so, and list the related topics."""
    console.print(
        Text.assemble(
            ("I have no statement by ", "bold"),
            (answer.no_statement_by or "", "bold"),
            (" on this in the claim store", "bold"),
            ". The question has been logged so moderators can review it.",
        )
    )
    if answer.related:
        console.print("Related topics:")
        for match in answer.related:
            console.print(Text(f"  • {match.topic.title} ({match.score:.2f})"))
