"""Options the moderators' commands share, and reading the ids and dates they are typed as."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import typer

from store import InvalidInput, parse_date

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the readable result.")]
OptionalVersion = Annotated[
    int | None,
    typer.Option(
        "--version",
        metavar="N",
        help="The version you reviewed (from `show`): refused if someone changed it since. Unchecked when left out.",
    ),
]
StatementId = Annotated[
    str, typer.Argument(metavar="ID", help="The statement's id, e.g. 12 or #12 (`factbot topic show` lists them).")
]

_ID = re.compile(r"^#?\s*(\d{1,18})$")


def record_id(text: str, field: str) -> int:
    """A statement id as typed: `12` or `#12`; InvalidInput naming `field` otherwise."""
    found = _ID.match(text.strip())
    if found is None or int(found[1]) < 1:
        raise InvalidInput(field, f"{field}: {text.strip()!r} is not a statement id (a number, e.g. 12).")
    return int(found[1])


def optional_id(text: str | None, field: str) -> int | None:
    return None if text is None else record_id(text, field)


def optional_date(text: str | None, field: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when not given or given empty."""
    return parse_date(text, field) if text is not None and text.strip() else None
