"""The `factbot` command line: ask, the review queue (bot/cli/review.py), import/export, demo data, migrations. No
Discord token needed."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot import __version__
from bot.cli.json_output import answer_json
from bot.cli.review import register as register_review
from bot.cli.terminal import print_answer
from store import (
    ClaimStore,
    FactbotError,
    QueryLogEntry,
    StoreSettings,
    downgrade_schema,
    read_records,
    upgrade_schema,
    write_records,
)

T = TypeVar("T")

app = typer.Typer(
    name="factbot",
    help="Answer a question with the competing, attributed statements on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo store (statements from one news article).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
register_review(app)  # `factbot review ...` and its short form `factbot unanswered`

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False)  # "[semantic]" is text
    return typer.Exit(code)


def settings() -> StoreSettings:
    try:
        return StoreSettings()
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise fail(f"bad setting FACTBOT_{str(problem['loc'][0]).upper()}: {problem['msg']}") from None


def run(work: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine; every failure becomes a one-line message and a non-zero exit, never a traceback."""
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except typer.Exit:
        raise
    except FactbotError as exc:  # a database out of reach too: the store says so as StoreUnavailable
        raise fail(str(exc)) from None
    except Exception as exc:
        raise fail(f"unexpected {type(exc).__name__}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return (str(getattr(cause, "orig", None) or cause).strip().splitlines() or [type(cause).__name__])[0]


async def open_store(s: StoreSettings) -> ClaimStore:
    # The embedded file is ours to migrate; a shared server is migrated deliberately (`factbot db upgrade`).
    return await ClaimStore.open(s, migrate_schema=s.is_embedded)


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
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=25, help="At most this many topics.")] = 3,
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
            await store.write_query_events([QueryLogEntry.from_answer(answer, source="cli")])
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
def demo_load() -> None:
    """Load (or refresh) the demo store: the statements of one news article on the Cairo truce talks."""
    s = settings()

    async def work() -> None:
        store = await open_store(s)
        try:
            report = await store.load_demo()
        finally:
            await store.close()
        out.print(
            f"Demo store loaded: {report.topics_created} topics created, {report.topics_updated} updated, "
            f"{report.statements_written} statements written."
        )

    run(work)


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="JSON lines, one topic per line.")]) -> None:
    """Import topics and their statements from FILE; all of it lands or none."""
    s = settings()

    async def work() -> None:
        records = read_records(file)  # validated whole before the database is touched
        store = await open_store(s)
        try:
            report = await store.import_records(records, actor="cli")
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


def main() -> None:
    app()
