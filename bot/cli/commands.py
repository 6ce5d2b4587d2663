"""The `factbot` command line: ask, the review queue (bot/cli/review.py), import/export, demo data, migrations,
and the moderators' commands (topic, statement, speaker, outlet, audit). No Discord token needed."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot import __version__
from bot.cli import runtime
from bot.cli.actor import cli_actor
from bot.cli.audit import audit
from bot.cli.json_output import answer_json
from bot.cli.moderation_output import print_demo_kept
from bot.cli.options import JsonFlag
from bot.cli.review import register as register_review
from bot.cli.runtime import err, open_store, out, print_json, settings, with_store
from bot.cli.sources import outlet_app, speaker_app
from bot.cli.statements import statement_app
from bot.cli.terminal import print_answer
from bot.cli.topics import topic_app
from store import (
    ClaimStore,
    DemoReport,
    QueryLogEntry,
    StoreSettings,
    downgrade_schema,
    read_records,
    upgrade_schema,
    write_records,
)
from store.records import QuerySource

T = TypeVar("T")

app = typer.Typer(
    name="factbot",
    help="Answer a question with the competing, attributed statements on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags read as flags, with no value placeholder
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo store (statements from one news article).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
register_review(app)  # `factbot review ...` and its short form `factbot unanswered`


def run(work: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine; every failure becomes a one-line message and a non-zero exit, never a traceback."""
    return runtime.run(work)  # a database out of reach too: the store says so as StoreUnavailable


def version_callback(value: bool) -> None:
    if value:
        out.print(f"factbot {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """factbot shows who says what on a question; it does not decide who is right."""


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: JsonFlag = False,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, max=25, help="At most this many topics.")] = 3,
) -> None:
    """Answer QUESTION with the attributed statements of the best-matching topics."""
    s = settings()

    async def work() -> None:
        store = await open_store(s)
        try:
            store.validate_question(question)
            report = await store.ensure_demo()  # FACTBOT_DEMO=auto: a fresh SQLite store gets the demo
            if report is not None:
                err.print(
                    f"[yellow]The store was empty, so the demo store was loaded ({report.statements_written} "
                    "statements from one news article on the Cairo truce talks). This is demo data.[/]"
                )
            answer = await store.ask(question, limit=limit)
            await store.write_query_events([QueryLogEntry.from_answer(answer, source=QuerySource.CLI)])
        finally:
            await store.close()
        if as_json:
            sys.stdout.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
        else:
            print_answer(out, answer)

    run(work)


def _migrate(step: Callable[[StoreSettings, str], Awaitable[str | None]], revision: str) -> None:
    s = settings()

    async def work() -> None:
        current = await step(s, revision)
        out.print(f"Database schema at revision {current or 'base (empty)'}.")

    run(work)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    _migrate(upgrade_schema, revision)


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")]) -> None:
    """Take the database schema back to REVISION (data in dropped tables is lost)."""
    _migrate(downgrade_schema, revision)


@demo_app.command("load")
def demo_load(as_json: JsonFlag = False) -> None:
    """Load (or refresh) the demo store: the statements of one news article on the Cairo truce talks. What a
    moderator changed is left as they changed it."""

    async def action(store: ClaimStore) -> DemoReport:
        return await store.load_demo()

    report = with_store(action)
    if as_json:
        print_json(report.to_json())
        return
    out.print(
        f"Demo store loaded: {report.topics_created} topics created, {report.topics_updated} updated, "
        f"{report.statements_written} statements written."
    )
    print_demo_kept(out, report)


@demo_app.command("remove")
def demo_remove(as_json: JsonFlag = False) -> None:
    """Take the demo topics out of answers again, keeping (and naming) those a moderator changed."""

    async def action(store: ClaimStore) -> DemoReport:
        return await store.remove_demo(actor=cli_actor())

    report = with_store(action)
    if as_json:
        print_json(report.to_json())
        return
    removed = len(report.removed)
    out.print(f"Demo store removed: {removed} topic{'s' if removed != 1 else ''} taken out of answers.")
    if report.kept:
        out.print(
            f"Kept, because a moderator changed them: {', '.join(report.kept)}. `factbot topic retire SLUG "
            "--reason TEXT` takes one out.",
            markup=False,
        )


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="JSON lines, one topic per line.")]) -> None:
    """Import topics and their statements from FILE; all of it lands or none."""
    s = settings()

    async def work() -> None:
        records = read_records(file)  # validated whole before the database is touched
        store = await open_store(s)
        try:
            report = await store.import_records(records, actor=cli_actor())
        finally:
            await store.close()
        out.print(
            f"Imported {file}: {report.topics_created} topics created, {report.topics_updated} updated, "
            f"{report.statements_written} statements written."
        )

    run(work)


@app.command()
def export(
    file: Annotated[Path | None, typer.Argument(help="Output file; standard output when left out.")] = None,
) -> None:
    """Export every topic with all its statements (drafts and retractions too) as JSON lines."""
    s = settings()

    async def work() -> None:
        store = await open_store(s)
        try:
            records = [record async for record in store.export_records()]
        finally:
            await store.close()
        if file is None:
            write_records(records, sys.stdout)
            return
        partial = file.with_name(file.name + ".partial")
        with partial.open("w", encoding="utf-8") as handle:
            count = write_records(records, handle)
        partial.replace(file)  # never leave a half-written export under the real name
        err.print(f"Exported {count} topics to {file}.")

    run(work)


@app.command("run")
def run_bot() -> None:
    """Connect the Discord bot (DISCORD_TOKEN) and answer questions until stopped."""
    from bot.run import run as serve  # discord.py is imported only for this command

    raise typer.Exit(serve())


# Moderators' commands, listed after the others in `factbot --help`.
app.add_typer(topic_app, name="topic")
app.add_typer(statement_app, name="statement")
app.add_typer(speaker_app, name="speaker")
app.add_typer(outlet_app, name="outlet")
app.command("audit")(audit)


def main() -> None:
    app()
