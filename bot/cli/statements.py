"""`factbot statement add|edit|retract|restore|move|show`: moderators' changes to single statements."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bot.cli.actor import cli_actor
from bot.cli.moderation_output import Change, changes_between, print_statement, print_statement_change
from bot.cli.options import JsonFlag, OptionalVersion, StatementId, optional_date, optional_id, record_id
from bot.cli.runtime import fail, out, print_json, with_store
from store import ClaimStore, FigureDraft, StatementChanges, StatementDetail, StatementDraft, parse_figure

statement_app = typer.Typer(help="Statements: add, edit, retract, restore, move, show.", no_args_is_help=True)

STANCES = "affirms|disputes|context"
KINDS = "person|organisation|publication|anonymous"

Topic = Annotated[str, typer.Option("--topic", metavar="SLUG", help="The topic (a merged slug means where it went).")]
Text = Annotated[str, typer.Option("--text", metavar="TEXT", help="The words: as said, or a paraphrase.")]
Speaker = Annotated[str, typer.Option("--speaker", metavar="NAME", help="Who said it (person, body or source).")]
Stance = Annotated[str, typer.Option("--stance", metavar=STANCES, help="Its stance on the topic's question.")]
Reason = Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why: kept with it and in the audit trail.")]


# Every field of a statement but the required four, with the same option in `add` and `edit`.
SpeakerKind = Annotated[str | None, typer.Option("--speaker-kind", metavar=KINDS, help="What the speaker is.")]
Descriptor = Annotated[
    str | None,
    typer.Option("--descriptor", metavar="TEXT", help="How an anonymous source is attributed ('an official source')."),
]
Affiliation = Annotated[
    str | None, typer.Option("--affiliation", metavar="TEXT", help="Who the speaker belongs to (e.g. Hamas).")
]
Role = Annotated[str | None, typer.Option("--role", metavar="TEXT", help="The speaker's role when it was said.")]
Outlet = Annotated[str | None, typer.Option("--outlet", metavar="NAME", help="The outlet that carried it.")]
Cue = Annotated[str | None, typer.Option("--cue", metavar="WORD", help="How it was said: told, said, according to.")]
Date = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When it was said (not later than today).")
]
Url = Annotated[str | None, typer.Option("--url", metavar="URL", help="The source's web address (http or https).")]
Figures = Annotated[
    list[str] | None,
    typer.Option(
        "--figure",
        metavar="'VALUE UNIT COUNTED [as of YYYY-MM-DD]'",
        help="A number it gives, e.g. '34097 people killed in Gaza as of 2024-04-20'; 'about' first if approximate. "
        "Repeat for more.",
    ),
]
Note = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="A moderator's note, never shown as the claim.")
]


@statement_app.command("add")
def add(
    topic: Topic,
    text: Text,
    speaker: Speaker,
    stance: Stance,
    speaker_kind: SpeakerKind = None,
    descriptor: Descriptor = None,
    affiliation: Affiliation = None,
    role: Role = None,
    outlet: Outlet = None,
    cue: Cue = None,
    date: Date = None,
    url: Url = None,
    paraphrase: Annotated[
        bool, typer.Option("--paraphrase", help="The text is a paraphrase, not the speaker's exact words.")
    ] = False,
    figure: Figures = None,
    supersedes: Annotated[
        str | None,
        typer.Option(
            "--supersedes", metavar="ID", help="An older statement of the topic this replaces (a new death toll)."
        ),
    ] = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a published statement to a topic: answered at once."""

    async def action(store: ClaimStore) -> StatementDetail:
        draft = StatementDraft(
            text=text,
            speaker=speaker,
            stance=stance,
            speaker_kind=speaker_kind or "person",
            descriptor=descriptor,
            affiliation=affiliation,
            role=role,
            outlet=outlet,
            cue=cue,
            said_on=optional_date(date, "date"),
            url=url,
            paraphrase=paraphrase,
            figures=_figures(figure or []),
            supersedes=optional_id(supersedes, "supersedes"),
            note=note,
        )
        return await store.add_statement(topic, draft, actor=cli_actor())

    added = with_store(action)
    if as_json:
        print_json(added.to_json())
        return
    print_statement_change(out, "added", added)
    out.print(f"Show it: factbot statement show {added.id}")


@statement_app.command("edit")
def edit(
    statement: StatementId,
    version: Annotated[
        int, typer.Option("--version", metavar="N", help="The version you reviewed (`factbot statement show ID`).")
    ],
    text: Annotated[str | None, typer.Option("--text", metavar="TEXT", help="The words.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", metavar="NAME", help="Who said it.")] = None,
    stance: Annotated[str | None, typer.Option("--stance", metavar=STANCES, help="Its stance.")] = None,
    speaker_kind: SpeakerKind = None,
    descriptor: Descriptor = None,
    affiliation: Affiliation = None,
    role: Role = None,
    outlet: Outlet = None,
    cue: Cue = None,
    date: Date = None,
    url: Url = None,
    paraphrase: Annotated[
        bool | None,
        typer.Option(
            "--paraphrase/--quote", help="Mark it a paraphrase, or the speaker's exact words.", show_default=False
        ),
    ] = None,
    figure: Figures = None,
    clear_figures: Annotated[bool, typer.Option("--clear-figures", help="Remove all its figures.")] = False,
    supersedes: Annotated[
        str | None, typer.Option("--supersedes", metavar="ID", help="An older statement of the topic this replaces.")
    ] = None,
    clear_supersedes: Annotated[
        bool, typer.Option("--clear-supersedes", help="It no longer replaces an older statement.")
    ] = False,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Change the fields given (an optional one given as '' is cleared); refused if it changed since VERSION."""
    if figure and clear_figures:
        raise fail("--figure and --clear-figures: give one or the other.")
    if supersedes is not None and clear_supersedes:
        raise fail("--supersedes and --clear-supersedes: give one or the other.")
    texts = {
        "text": text,
        "speaker": speaker,
        "stance": stance,
        "speaker_kind": speaker_kind,
        "descriptor": descriptor,
        "affiliation": affiliation,
        "role": role,
        "outlet": outlet,
        "cue": cue,
        "url": url,
        "note": note,
    }
    given: dict[str, Any] = {name: value for name, value in texts.items() if value is not None}
    if paraphrase is not None:
        given["paraphrase"] = paraphrase
    special = (date, figure, supersedes)
    if not given and all(v is None for v in special) and not (clear_figures or clear_supersedes):
        raise fail("nothing to change: give at least one field (see `factbot statement edit --help`).")

    async def action(store: ClaimStore) -> tuple[StatementDetail, list[Change]]:
        statement_id = record_id(statement, "ID")
        fields = dict(given)
        if date is not None:
            fields["said_on"] = optional_date(date, "date")
        if figure is not None or clear_figures:
            fields["figures"] = _figures(figure or [])
        if supersedes is not None or clear_supersedes:
            fields["supersedes"] = optional_id(supersedes, "supersedes")
        before = await store.statement_detail(statement_id)
        after = await store.edit_statement(
            statement_id, version=version, changes=StatementChanges(**fields), actor=cli_actor()
        )
        return after, changes_between(before.to_json(), after.to_json())

    edited, changes = with_store(action)
    if as_json:
        print_json({**edited.to_json(), "changed": [field for field, _, _ in changes]})
        return
    print_statement_change(out, "edited" if changes else "unchanged", edited, changes)


@statement_app.command("retract")
def retract(statement: StatementId, reason: Reason, version: OptionalVersion = None, as_json: JsonFlag = False) -> None:
    """Take a statement out of answers at once, keeping it and the reason; `restore` brings it back."""

    async def action(store: ClaimStore) -> StatementDetail:
        return await store.retract_statement(
            record_id(statement, "ID"), reason=reason, version=version, actor=cli_actor()
        )

    done = with_store(action)
    if as_json:
        print_json(done.to_json())
        return
    print_statement_change(out, "retracted", done, [("retraction_reason", None, done.retraction_reason)])
    out.print(f"It is no longer in answers; `factbot statement restore {done.id}` brings it back.")


@statement_app.command("restore")
def restore(statement: StatementId, version: OptionalVersion = None, as_json: JsonFlag = False) -> None:
    """Publish a retracted statement again: back in answers at once."""

    async def action(store: ClaimStore) -> StatementDetail:
        return await store.restore_statement(record_id(statement, "ID"), version=version, actor=cli_actor())

    done = with_store(action)
    if as_json:
        print_json(done.to_json())
        return
    print_statement_change(out, "restored", done, [("status", "retracted", done.status.value)])


@statement_app.command("move")
def move(statement: StatementId, topic: Topic, version: OptionalVersion = None, as_json: JsonFlag = False) -> None:
    """Move a statement to another open topic (with what it supersedes, never apart from it)."""

    async def action(store: ClaimStore) -> tuple[StatementDetail, str]:
        statement_id = record_id(statement, "ID")
        before = await store.statement_detail(statement_id)
        moved = await store.move_statement(statement_id, topic, version=version, actor=cli_actor())
        return moved, before.topic

    moved, was_in = with_store(action)
    if as_json:
        print_json(moved.to_json())
        return
    print_statement_change(out, "moved", moved, [("topic", was_in, moved.topic)])


@statement_app.command("show")
def show(statement: StatementId, as_json: JsonFlag = False) -> None:
    """Show every field of a statement of any status, with its version for the next edit."""

    async def action(store: ClaimStore) -> StatementDetail:
        return await store.statement_detail(record_id(statement, "ID"))

    detail = with_store(action)
    if as_json:
        print_json(detail.to_json())
        return
    print_statement(out, detail)


def _figures(typed: list[str]) -> tuple[FigureDraft, ...]:
    return tuple(parse_figure(text) for text in typed)
