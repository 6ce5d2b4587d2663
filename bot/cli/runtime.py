"""What every `factbot` command shares: the consoles, settings, opening the store, and turning any failure into
one line on stderr and a non-zero exit."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from store import ClaimStore, FactbotError, InvalidInput, StoreSettings

T = TypeVar("T")

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

# The store names a field as its API does; the terminal names the option that was typed.
OPTION_OF_FIELD = {
    "text": "--text",
    "speaker": "--speaker",
    "stance": "--stance",
    "speaker_kind": "--speaker-kind",
    "descriptor": "--descriptor",
    "affiliation": "--affiliation",
    "role": "--role",
    "outlet": "--outlet",
    "cue": "--cue",
    "date": "--date",
    "url": "--url",
    "figures": "--figure",
    "supersedes": "--supersedes",
    "note": "--note",
    "title": "--title",
    "aliases": "--alias",
    "remove_aliases": "--remove-alias",
    "tags": "--tag",
    "reason": "--reason",
    "topic": "--topic",
    "limit": "--limit",
    "since": "--since",
    "slug": "SLUG",
    "actor": "FACTBOT_ACTOR",
}


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` as one unwrapped line on stderr; raise the returned Exit."""
    line = " ".join(message.split())
    err.print(f"[bold red]error:[/] {escape(line)}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def settings() -> StoreSettings:
    try:
        return StoreSettings()
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise fail(f"bad setting FACTBOT_{str(problem['loc'][0]).upper()}: {problem['msg']}") from None


def error_line(exc: FactbotError, options: Mapping[str, str] | None = None) -> str:
    """The message of a refused change, naming the option typed rather than the store's field."""
    message = str(exc)
    if not isinstance(exc, InvalidInput):
        return message
    option = {**OPTION_OF_FIELD, **(options or {})}.get(exc.field)
    if option is None:
        return message
    prefix = f"{exc.field}: "
    return option + ": " + (message[len(prefix) :] if message.startswith(prefix) else message)


def first_line(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return (str(getattr(cause, "orig", None) or cause).strip().splitlines() or [type(cause).__name__])[0]


def unexpected(exc: Exception) -> str:
    return f"unexpected {type(exc).__name__}: {first_line(exc)}"


def run(
    work: Callable[[], Awaitable[T]],
    *,
    options: Mapping[str, str] | None = None,
    describe: Callable[[Exception], str] = unexpected,
) -> T:
    """Run a coroutine; every failure becomes a one-line message and a non-zero exit, never a traceback."""
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except typer.Exit:
        raise
    except FactbotError as exc:
        raise fail(error_line(exc, options)) from None
    except Exception as exc:
        raise fail(describe(exc)) from None


async def open_store(s: StoreSettings) -> ClaimStore:
    # The embedded file is ours to migrate; a shared server is migrated deliberately (`factbot db upgrade`).
    return await ClaimStore.open(s, migrate_schema=s.is_embedded)


def with_store(action: Callable[[ClaimStore], Awaitable[T]], *, options: Mapping[str, str] | None = None) -> T:
    """Open the store, run `action` on it, close it: the result, or one line on stderr and exit 1."""
    s = settings()

    async def work() -> T:
        store = await open_store(s)
        try:
            return await action(store)
        finally:
            await store.close()

    return run(work, options=options)


def print_json(payload: Mapping[str, Any]) -> None:
    """The one JSON object a `--json` command prints."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
