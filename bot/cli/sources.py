"""`factbot speaker show|edit|merge` and `factbot outlet show|merge`: who says things, and who carries them."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.actor import cli_actor
from bot.cli.moderation_output import changes_between, print_changes, print_outlet, print_speaker
from bot.cli.options import JsonFlag, OptionalVersion
from bot.cli.runtime import fail, out, print_json, with_store
from store import KEEP, ClaimStore, Keep, OutletDetail, SpeakerDetail

speaker_app = typer.Typer(help="Speakers: aliases, role, merging.", no_args_is_help=True)
outlet_app = typer.Typer(help="Outlets: show, merge duplicates.", no_args_is_help=True)

Speaker = Annotated[str, typer.Argument(metavar="NAME", help="The speaker's name or one of their aliases.")]
Outlet = Annotated[str, typer.Argument(metavar="NAME", help="The outlet's name.")]
MERGE_FIELDS = {"into": "INTO", "name": "NAME"}


@speaker_app.command("show")
def speaker_show(name: Speaker, as_json: JsonFlag = False) -> None:
    """Show a speaker: aliases, role, kinds, descriptors and how many statements they have."""

    async def action(store: ClaimStore) -> SpeakerDetail:
        return await store.speaker_detail(name)

    detail = with_store(action)
    if as_json:
        print_json(detail.to_json())
        return
    print_speaker(out, detail)


@speaker_app.command("edit")
def speaker_edit(
    name: Speaker,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", metavar="TEXT", help="Another name to match in questions ('Bibi'). Repeat for more."),
    ] = None,
    remove_alias: Annotated[
        list[str] | None, typer.Option("--remove-alias", metavar="TEXT", help="An alias to remove. Repeat for more.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", metavar="TEXT", help="Their role, e.g. 'Prime Minister of Israel'; '' clears it."),
    ] = None,
    version: OptionalVersion = None,
    as_json: JsonFlag = False,
) -> None:
    """Give a speaker other names (matched in questions, shown nowhere else) or a role."""
    if not alias and not remove_alias and role is None:
        raise fail("nothing to change: give --alias, --remove-alias or --role.")
    new_role: str | Keep = KEEP if role is None else role

    async def action(store: ClaimStore) -> tuple[SpeakerDetail, SpeakerDetail]:
        before = await store.speaker_detail(name)
        after = await store.edit_speaker(
            name,
            add_aliases=alias or (),
            remove_aliases=remove_alias or (),
            role=new_role,
            version=version,
            actor=cli_actor(),
        )
        return before, after

    before, after = with_store(action)
    if as_json:
        print_json(after.to_json())
        return
    out.print(f"Speaker {after.name} edited (now version {after.version}).", markup=False)
    print_changes(out, changes_between(before.to_json(), after.to_json()))


@speaker_app.command("merge")
def speaker_merge(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The speaker that goes (e.g. a misspelling).")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The speaker that stays.")],
    as_json: JsonFlag = False,
) -> None:
    """Move NAME's statements to INTO; NAME becomes one of INTO's aliases."""

    async def action(store: ClaimStore) -> SpeakerDetail:
        return await store.merge_speakers(name, into, actor=cli_actor())

    merged = with_store(action, options=MERGE_FIELDS)
    if as_json:
        print_json(merged.to_json())
        return
    out.print(
        f"{name.strip()} merged into {merged.name}: {merged.statements} statements now, aliases "
        f"{', '.join(merged.aliases) or '—'}.",
        markup=False,
    )


@outlet_app.command("show")
def outlet_show(name: Outlet, as_json: JsonFlag = False) -> None:
    """Show an outlet: its address, and how many statements it carried in which topics."""

    async def action(store: ClaimStore) -> OutletDetail:
        return await store.outlet_detail(name)

    detail = with_store(action)
    if as_json:
        print_json(detail.to_json())
        return
    print_outlet(out, detail)


@outlet_app.command("merge")
def outlet_merge(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The outlet that goes (e.g. a variant spelling).")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The outlet that stays.")],
    as_json: JsonFlag = False,
) -> None:
    """Move NAME's statements to INTO; NAME is gone."""

    async def action(store: ClaimStore) -> OutletDetail:
        return await store.merge_outlets(name, into, actor=cli_actor())

    merged = with_store(action, options=MERGE_FIELDS)
    if as_json:
        print_json(merged.to_json())
        return
    out.print(f"{name.strip()} merged into {merged.name}: {merged.statements} statements now.", markup=False)
