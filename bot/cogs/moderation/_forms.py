"""The statement form: a Discord modal for a statement's words and sources, opened by /statement add and edit.

A modal holds at most five inputs: the words, the descriptor, the outlet, the date and link (one input, either
or both), and the figures, one a line. Who said it and how (topic, stance, speaker, kind...) are the command's
options. What the submit needs besides the inputs travels in the modal's custom_id:

- an edit: `fb:se:<statement id>:<version>`, the version the form was filled from, so a submit after someone
  else's change is refused by the store; with the command's options, `:<token>` of the options kept here;
- an add: `fb:sa:<token>`, the options kept here (the speaker's name alone could outgrow the custom_id).

The options are kept in memory for a while (`PendingForms`); a submit whose token is gone (a restart) is told
to run the command again. Submits are read from the interaction's own data by the statements cog, not by
discord.py's modal store, so a form opened twice on the same version (two moderators) reaches its handler both
times, and nothing is kept for forms that are never sent back.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import discord

from bot.text import one_line, safe
from store import FigureDraft, InvalidInput, StatementDetail, StatementDraft, parse_date, parse_figure

EDIT_ID = re.compile(r"fb:se:(?P<statement>\d{1,19}):(?P<version>\d{1,9})(?::(?P<token>[\w-]{1,24}))?")
ADD_ID = re.compile(r"fb:sa:(?P<token>[\w-]{1,24})")

TEXT, DESCRIPTOR, OUTLET, WHEN, FIGURES = "text", "descriptor", "outlet", "when", "figures"
# The store's names for the fields the form's inputs fill (InvalidInput.field).
FORM_FIELDS = frozenset({"text", "descriptor", "outlet", "date", "url", "figures"})
TEXT_LIMIT = 4000
SHORT_LIMIT = 300
WHEN_LIMIT = 320  # a date, a space and a link of up to 300 characters
TITLE_LIMIT = 45


@dataclass(frozen=True, slots=True)
class FormFields:
    """What a moderator typed into the statement form, read into the store's types."""

    text: str
    descriptor: str | None
    outlet: str | None
    said_on: dt.date | None
    url: str | None
    figures: tuple[FigureDraft, ...]


def figure_typed(figure: FigureDraft) -> str:
    """A figure the way the form reads it back: "33,175 people killed in Gaza as of 2024-04-07"."""
    value = f"{int(figure.value):,}" if float(figure.value).is_integer() else f"{figure.value:,}"
    as_of = f" as of {figure.as_of.isoformat()}" if figure.as_of else ""
    return f"{'about ' if figure.approximate else ''}{value} {figure.unit} {figure.counted}{as_of}"


def _when_typed(said_on: dt.date | None, url: str | None) -> str:
    return " ".join(part for part in (said_on.isoformat() if said_on else None, url) if part)


def _input(
    label: str, custom_id: str, *, hint: str, limit: int, default: str | None, paragraph: bool = False
) -> discord.ui.Label[Any]:
    required = custom_id == TEXT
    text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
        custom_id=custom_id,
        style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
        default=default[:limit] if default else None,
        required=required,
        max_length=limit,
    )
    return discord.ui.Label(text=label, description=hint, component=text_input)


def draft_values(draft: StatementDraft) -> dict[str, str]:
    """A draft as the form's inputs show it."""
    return {
        TEXT: draft.text,
        DESCRIPTOR: draft.descriptor or "",
        OUTLET: draft.outlet or "",
        WHEN: _when_typed(draft.said_on, draft.url),
        FIGURES: "\n".join(figure_typed(f) for f in draft.figures),
    }


def statement_modal(title: str, custom_id: str, draft: StatementDraft | None = None) -> discord.ui.Modal:
    """The form, pre-filled from `draft` (an edit: the statement as stored; an add: what is known already)."""
    return form_modal(title, custom_id, draft_values(draft) if draft else {})


def form_modal(title: str, custom_id: str, values: Mapping[str, str]) -> discord.ui.Modal:
    """The form with its inputs holding `values` (by input custom_id): a draft's, or what was typed before."""
    # a title can hold a topic's title: shown inert like any other echo
    modal = discord.ui.Modal(title=safe(one_line(title))[:TITLE_LIMIT], custom_id=custom_id)
    modal.stop()  # never kept by discord.py's modal store: the statements cog reads the submit itself
    modal.add_item(
        _input(
            "What was said",
            TEXT,
            hint="Their exact words, or a paraphrase (see the paraphrase option).",
            limit=TEXT_LIMIT,
            default=values.get(TEXT),
            paragraph=True,
        )
    )
    modal.add_item(
        _input(
            "Descriptor (anonymous sources)",
            DESCRIPTOR,
            hint="How an anonymous source is attributed, e.g. an official source close to the talks.",
            limit=SHORT_LIMIT,
            default=values.get(DESCRIPTOR),
        )
    )
    modal.add_item(
        _input(
            "Outlet",
            OUTLET,
            hint="Who carried it, e.g. Reuters. Empty: the speaker's own channel.",
            limit=SHORT_LIMIT,
            default=values.get(OUTLET),
        )
    )
    modal.add_item(
        _input(
            "Date and link",
            WHEN,
            hint="When it was said (YYYY-MM-DD) and the source's link (https://…): either, both or neither.",
            limit=WHEN_LIMIT,
            default=values.get(WHEN),
        )
    )
    modal.add_item(
        _input(
            "Figures, one a line",
            FIGURES,
            hint="VALUE UNIT WHAT IS COUNTED [as of YYYY-MM-DD], e.g. 33175 people killed as of 2024-04-07",
            limit=TEXT_LIMIT,
            default=values.get(FIGURES),
            paragraph=True,
        )
    )
    return modal


def edit_modal(statement: StatementDetail, token: str | None = None) -> discord.ui.Modal:
    """The form for an edit of `statement`, pre-filled as stored, its version in the custom_id."""
    custom_id = f"fb:se:{statement.id}:{statement.version}" + (f":{token}" if token else "")
    title = f"Edit statement #{statement.id} (version {statement.version})"
    return statement_modal(title, custom_id, statement.as_draft())


def submitted_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The text inputs of a modal submit by custom_id, whether sent in labels or (older) action rows."""
    values: dict[str, str] = {}

    def walk(components: Iterable[Mapping[str, Any]]) -> None:
        for component in components:
            if "component" in component:
                walk([component["component"]])
            elif "components" in component:
                walk(component["components"])
            elif "custom_id" in component:
                values[str(component["custom_id"])] = str(component.get("value") or "")

    walk(data.get("components") or [])
    return values


def read_fields(values: Mapping[str, str]) -> FormFields:
    """The form's inputs as the store takes them; InvalidInput names the first input that can't be read."""
    said_on: dt.date | None = None
    url: str | None = None
    for word in values.get(WHEN, "").split():
        if "://" in word or word.lower().startswith("www."):
            if url is not None:
                raise InvalidInput("url", "url: give one link in 'Date and link'.")
            url = word
        elif said_on is None:
            said_on = parse_date(word)
        else:
            raise InvalidInput("date", "date: give one date (YYYY-MM-DD) in 'Date and link'.")
    figures = tuple(parse_figure(line) for line in values.get(FIGURES, "").splitlines() if line.strip())
    return FormFields(
        text=values.get(TEXT, ""),
        descriptor=values.get(DESCRIPTOR, "").strip() or None,
        outlet=values.get(OUTLET, "").strip() or None,
        said_on=said_on,
        url=url,
        figures=figures,
    )


T = TypeVar("T")


class PendingForms(Generic[T]):
    """What a form's submit needs besides its inputs, kept by token for `ttl_s`, for the member who opened it."""

    def __init__(self, *, ttl_s: float = 3600.0, capacity: int = 1000) -> None:
        self.ttl_s = ttl_s
        self._capacity = capacity
        self._kept: OrderedDict[str, tuple[float, int, T]] = OrderedDict()

    def keep(self, user_id: int, value: T) -> str:
        self._expire()
        while len(self._kept) >= self._capacity:
            self._kept.popitem(last=False)
        token = secrets.token_urlsafe(12)
        self._kept[token] = (time.monotonic() + self.ttl_s, user_id, value)
        return token

    def get(self, token: str) -> tuple[int, T] | None:
        """The opener's id and what was kept, or None once expired or forgotten (a restart)."""
        self._expire()
        kept = self._kept.get(token)
        return (kept[1], kept[2]) if kept is not None else None

    def drop(self, token: str) -> None:
        self._kept.pop(token, None)

    def _expire(self) -> None:
        now = time.monotonic()
        while self._kept and next(iter(self._kept.values()))[0] < now:
            self._kept.popitem(last=False)
