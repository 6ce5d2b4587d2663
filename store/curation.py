"""What a moderator may write, checked before anything touches the database.

The fronts (CLI, Discord) fill a `StatementDraft` or `StatementChanges` from what was typed and hand it to the
service; every check here raises `InvalidInput` naming the one field at fault, so a change is refused whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final, TypeVar

from pydantic import HttpUrl, TypeAdapter, ValidationError

from store.errors import InvalidInput
from store.matching.text import fold, has_control_characters
from store.records import FigureRecord, OutletRecord, SpeakerKind, SpeakerRecord, Stance, StatementKind, StatementRecord

# The interchange format's limits (store.records), so that whatever a moderator writes exports and imports again.
TEXT_LIMIT: Final = 4000
SHORT_LIMIT: Final = 300  # the column width of names, cues, URLs, reasons, aliases
MAX_FIGURES: Final = 50
MAX_ALIASES: Final = 200
MAX_TAGS: Final = 50
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = TypeAdapter(HttpUrl)
_E = TypeVar("_E", bound=Enum)


class Keep(Enum):
    """The value of a `StatementChanges` field that is not to change."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


@dataclass(frozen=True, slots=True)
class FigureDraft:
    """A number the statement gives: value, unit, what is counted, and the date it counts up to."""

    value: float
    unit: str
    counted: str
    as_of: dt.date | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class StatementDraft:
    """A statement as a moderator gives it (`add_statement`); strings are stripped, an empty optional is none."""

    text: str
    speaker: str
    stance: Stance | str
    speaker_kind: SpeakerKind | str = SpeakerKind.PERSON
    descriptor: str | None = None  # for an anonymous source, how it is attributed ("an Egyptian source ...")
    affiliation: str | None = None
    role: str | None = None  # the speaker's role when it was said
    outlet: str | None = None
    cue: str | None = None  # told / said / according to
    said_on: dt.date | None = None
    url: str | None = None
    paraphrase: bool = False  # False: the speaker's exact words (a quote)
    figures: Sequence[FigureDraft] = ()
    supersedes: int | None = None  # id of an older statement of the same topic this one replaces
    note: str | None = None  # a moderator's note, never shown as part of the claim


@dataclass(frozen=True, slots=True)
class StatementChanges:
    """An edit (`edit_statement`): the fields given change, those left at KEEP don't; None clears an optional."""

    text: str | Keep = KEEP
    speaker: str | Keep = KEEP
    stance: Stance | str | Keep = KEEP
    speaker_kind: SpeakerKind | str | Keep = KEEP
    descriptor: str | Keep | None = KEEP
    affiliation: str | Keep | None = KEEP
    role: str | Keep | None = KEEP
    outlet: str | Keep | None = KEEP
    cue: str | Keep | None = KEEP
    said_on: dt.date | Keep | None = KEEP
    url: str | Keep | None = KEEP
    paraphrase: bool | Keep = KEEP
    figures: Sequence[FigureDraft] | Keep = KEEP
    supersedes: int | Keep | None = KEEP
    note: str | Keep | None = KEEP

    def apply(self, draft: StatementDraft) -> StatementDraft:
        """`draft` with these changes made."""
        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return dataclasses.replace(draft, **{k: v for k, v in given.items() if v is not KEEP})


# -- statements ----------------------------------------------------------------------------------------


def latest_today() -> dt.date:
    """Today somewhere on Earth (UTC+14): a date said "today" by a moderator anywhere is not in the future."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


def checked_draft(draft: StatementDraft, *, today: dt.date | None = None) -> StatementDraft:
    """`draft` normalised (stripped, enums, empty optionals as None), or InvalidInput for the first bad field."""
    today = today or latest_today()
    kind = _choice("speaker_kind", draft.speaker_kind, SpeakerKind)
    descriptor = optional_text("descriptor", draft.descriptor)
    if kind is SpeakerKind.ANONYMOUS and descriptor is None:
        raise InvalidInput("descriptor", "descriptor: an anonymous speaker needs one (e.g. 'an official source').")
    figures = list(draft.figures)
    if len(figures) > MAX_FIGURES:
        raise InvalidInput("figures", f"figures: at most {MAX_FIGURES} per statement, not {len(figures)}.")
    supersedes = draft.supersedes
    if supersedes is not None and (isinstance(supersedes, bool) or not isinstance(supersedes, int) or supersedes < 1):
        raise InvalidInput("supersedes", f"supersedes: {supersedes!r} is not a statement id.")
    return StatementDraft(
        text=required_text("text", draft.text, limit=TEXT_LIMIT),
        speaker=required_text("speaker", draft.speaker),
        stance=_choice("stance", draft.stance, Stance),
        speaker_kind=kind,
        descriptor=descriptor,
        affiliation=optional_text("affiliation", draft.affiliation),
        role=optional_text("role", draft.role),
        outlet=optional_text("outlet", draft.outlet),
        cue=optional_text("cue", draft.cue),
        said_on=past_date("date", draft.said_on, today),
        url=checked_url(draft.url),
        paraphrase=bool(draft.paraphrase),
        figures=tuple(_checked_figure(f, today) for f in figures),
        supersedes=supersedes,
        note=optional_text("note", draft.note, limit=TEXT_LIMIT),
    )


def _checked_figure(figure: FigureDraft, today: dt.date) -> FigureDraft:
    try:
        value = float(figure.value)
    except (TypeError, ValueError):
        raise InvalidInput("figures", f"figures: {figure.value!r} is not a number.") from None
    if not math.isfinite(value):
        raise InvalidInput("figures", f"figures: {figure.value!r} is not a number.")
    return FigureDraft(
        value=value,
        unit=required_text("figures", figure.unit, what="a figure's unit"),
        counted=required_text("figures", figure.counted, what="what a figure counts"),
        as_of=past_date("figures", figure.as_of, today),
        approximate=bool(figure.approximate),
    )


def statement_record(
    draft: StatementDraft, *, uid: str, base: StatementRecord | None = None, published_on: dt.date | None = None
) -> StatementRecord:
    """The interchange record of a checked draft: what repository.fill_statement writes to a row. `base` keeps
    what a draft doesn't carry (status, retraction, bookkeeping) from the statement being edited."""
    kind = SpeakerKind(draft.speaker_kind)
    values = {
        "uid": uid,
        "text": draft.text,
        "kind": StatementKind.PARAPHRASE if draft.paraphrase else StatementKind.QUOTE,
        "speaker": SpeakerRecord(
            name=draft.speaker, kind=kind, descriptor=draft.descriptor, affiliation=draft.affiliation
        ),
        "outlet": OutletRecord(name=draft.outlet) if draft.outlet else None,
        "cue": draft.cue,
        "said_on": draft.said_on,
        "published_on": base.published_on if base is not None else published_on,
        "url": draft.url,
        "stance": Stance(draft.stance),
        "figures": [
            FigureRecord(value=f.value, unit=f.unit, counted=f.counted, as_of=f.as_of, approximate=f.approximate)
            for f in draft.figures
        ],
        "note": draft.note,
        "speaker_role": draft.role,
    }
    try:
        return StatementRecord.model_validate({**(base.model_dump() if base else {}), **values})
    except ValidationError as exc:  # the checks above should have caught it; say which field anyway
        problem = exc.errors()[0]
        field = str(problem["loc"][0]) if problem["loc"] else "statement"
        raise InvalidInput(field, f"{field}: {problem['msg']}") from None


# -- figures and dates as typed ------------------------------------------------------------------------

_FIGURE = re.compile(
    r"^(?P<about>about\s+|~\s*|c\.\s*)?(?P<value>-?\d[\d,]*(?:\.\d+)?)\s+(?P<unit>\S+)\s+(?P<counted>.+?)"
    r"(?:\s+as\s+of\s+(?P<as_of>\S+))?$",
    re.IGNORECASE,
)


def parse_figure(text: str) -> FigureDraft:
    """A figure as typed: "VALUE UNIT WHAT IS COUNTED [as of YYYY-MM-DD]", e.g. "33,175 people killed in Gaza
    as of 2024-04-07"; "about" before the value marks it approximate."""
    found = _FIGURE.match(text.strip())
    if found is None or ",," in found["value"]:
        raise InvalidInput(
            "figures",
            f"figures: {text.strip()!r} should read 'VALUE UNIT WHAT IS COUNTED [as of YYYY-MM-DD]', "
            "e.g. '33175 people killed in Gaza as of 2024-04-07'.",
        )
    as_of = parse_date(found["as_of"], "figures") if found["as_of"] else None
    return FigureDraft(
        float(found["value"].replace(",", "")), found["unit"], found["counted"], as_of, bool(found["about"])
    )


def parse_date(text: str, field: str = "date") -> dt.date:
    """A date typed as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field, f"{field}: {text.strip()!r} is not a date (YYYY-MM-DD).") from None


# -- topics --------------------------------------------------------------------------------------------


def checked_slug(slug: object) -> str:
    text = required_text("slug", slug)
    if not _SLUG.match(text):
        raise InvalidInput(
            "slug", f"slug: {text!r} should be lowercase words joined by hyphens, e.g. 'rafah-crossing'."
        )
    return text


def checked_aliases(field: str, aliases: Iterable[object]) -> list[str]:
    """Aliases stripped and checked, each once (case and accents aside), in the order given."""
    out: dict[str, str] = {}
    for alias in aliases:
        text = required_text(field, alias, what="an alias")
        out.setdefault(fold(text), text)
    if len(out) > MAX_ALIASES:
        raise InvalidInput(field, f"{field}: at most {MAX_ALIASES} aliases.")
    return list(out.values())


def checked_tags(tags: Iterable[object]) -> list[str]:
    out = list(dict.fromkeys(required_text("tags", t, what="a tag") for t in tags))
    if len(out) > MAX_TAGS:
        raise InvalidInput("tags", f"tags: at most {MAX_TAGS}.")
    return out


def checked_actor(actor: object) -> str:
    return required_text("actor", actor, what="who makes the change")


# -- single fields -------------------------------------------------------------------------------------


def required_text(field: str, value: object, *, limit: int = SHORT_LIMIT, what: str | None = None) -> str:
    text = optional_text(field, value, limit=limit, what=what)
    if text is None:
        raise InvalidInput(field, f"{field}: {what or 'it'} can't be empty.")
    return text


def optional_text(field: str, value: object, *, limit: int = SHORT_LIMIT, what: str | None = None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"{field}: {what or 'it'} must be text.")
    text = value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise InvalidInput(field, f"{field}: {what or 'it'} is {len(text):,} characters long; the limit is {limit:,}.")
    if has_control_characters(text):
        raise InvalidInput(field, f"{field}: {what or 'it'} contains control characters.")
    return text


def checked_url(value: object) -> str | None:
    text = optional_text("url", value)
    if text is None:
        return None
    try:
        _URL.validate_python(text)
    except ValidationError:
        raise InvalidInput("url", f"url: {text!r} is not a web address (http:// or https://).") from None
    if any(ch.isspace() for ch in text):
        raise InvalidInput("url", f"url: {text!r} contains spaces.")
    return text


def past_date(field: str, value: dt.date | None, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput(field, f"{field}: {value!r} is not a date.")
    if value > today:
        raise InvalidInput(field, f"{field}: {value.isoformat()} is in the future.")
    return value


def _choice(field: str, value: object, enum: type[_E]) -> _E:
    try:
        return enum(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        options = ", ".join(str(e.value) for e in enum)
        raise InvalidInput(field, f"{field}: {value!r} is not one of {options}.") from None
