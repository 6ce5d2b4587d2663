"""A statement record and its row: the one mapping between them, both ways, with its speaker, outlet and figures.

Importing writes rows from records (as plain dicts for bulk INSERTs or onto ORM objects), exporting and the
audit trail read records back from rows; all of them go through here, so a new field is mapped once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, overload

from store.db import models as m
from store.matching.text import fold
from store.records import (
    FigureRecord,
    OutletRecord,
    SpeakerKind,
    SpeakerRecord,
    StatementRecord,
    TopicRecord,
    TopicStatus,
)

# Statement columns that hold the record's field of the same name; the enums' columns hold their value.
CONTENT = (
    "text",
    "kind",
    "cue",
    "said_on",
    "published_on",
    "url",
    "stance",
    "status",
    "retraction_reason",
    "note",
    "speaker_role",
)
ENUMS = ("kind", "stance", "status")
FIGURE = ("value", "unit", "counted", "as_of", "approximate")


def content_columns(r: StatementRecord) -> dict[str, Any]:
    """What a record says, as statement columns: all but its uid, speaker, outlet, figures and bookkeeping."""
    columns = {name: getattr(r, name) for name in CONTENT}
    for name in ENUMS:
        columns[name] = columns[name].value
    return columns


def new_bookkeeping(r: StatementRecord, actor: str) -> dict[str, Any]:
    """Version and authorship of a statement created from `r`: the record's own, else `actor` and now."""
    now = m.utcnow()
    return {
        "version": r.version,
        "created_by": r.created_by or actor,
        "created_at": r.created_at or now,
        "updated_by": r.updated_by or r.created_by or actor,
        "updated_at": r.updated_at or r.created_at or now,
    }


def figure_columns(r: StatementRecord) -> list[dict[str, Any]]:
    return [{"position": i, **{name: getattr(f, name) for name in FIGURE}} for i, f in enumerate(r.figures)]


def speaker_key(r: SpeakerRecord) -> str:
    """Speakers are one row per folded name, kind, descriptor and affiliation."""
    return "|".join(fold(x or "") for x in (r.name, r.kind.value, r.descriptor, r.affiliation))


def outlet_key(r: OutletRecord) -> str:
    return fold(r.name)


def speaker_row(r: SpeakerRecord) -> m.Speaker:
    return m.Speaker(
        key=speaker_key(r), name=r.name, kind=r.kind.value, descriptor=r.descriptor, affiliation=r.affiliation
    )


def speaker_record(row: m.Speaker, profile: m.SpeakerProfile | None = None) -> SpeakerRecord:
    """A speaker row as a record; with its profile, the aliases and role moderators gave its name."""
    return SpeakerRecord(
        name=row.name,
        kind=SpeakerKind(row.kind),
        descriptor=row.descriptor,
        affiliation=row.affiliation,
        aliases=list(profile.aliases) if profile is not None and profile.aliases else None,
        role=profile.role if profile is not None else None,
    )


Profiles = Mapping[str, m.SpeakerProfile]  # by folded speaker name


def profile_of(profiles: Profiles, row: m.Speaker) -> m.SpeakerProfile | None:
    return profiles.get(fold(row.name))


def outlet_record(row: m.Outlet | None) -> OutletRecord | None:
    return OutletRecord(name=row.name, url=row.url) if row is not None else None


def fill_statement(row: m.Statement, r: StatementRecord, speaker: m.Speaker, outlet: m.Outlet | None) -> None:
    """Copy a record's content onto a statement row (identity and bookkeeping are the caller's)."""
    for name, value in content_columns(r).items():
        setattr(row, name, value)
    row.speaker = speaker
    row.outlet = outlet
    row.figures = [m.Figure(**columns) for columns in figure_columns(r)]


def statement_record(
    s: m.Statement, uids: Mapping[int, str] | None = None, profiles: Profiles | None = None
) -> StatementRecord:
    """A statement row as a record. `supersedes` is filled only given `uids` (the topic's statements' uids by
    id), the speaker's aliases and role only given `profiles`: an export gives both."""
    supersedes = uids.get(s.supersedes_id) if uids is not None and s.supersedes_id is not None else None
    profile = profile_of(profiles, s.speaker) if profiles is not None else None
    return StatementRecord.model_validate(
        {
            "uid": s.uid,
            **{name: getattr(s, name) for name in CONTENT},
            "supersedes": supersedes,
            "speaker": speaker_record(s.speaker, profile),
            "outlet": outlet_record(s.outlet),
            "figures": [FigureRecord.model_validate({n: getattr(f, n) for n in FIGURE}) for f in s.figures],
            "version": s.version,
            "created_by": s.created_by,
            "created_at": as_utc(s.created_at),
            "updated_by": s.updated_by,
            "updated_at": as_utc(s.updated_at),
        }
    )


def topic_record(
    t: m.Topic, *, with_statements: bool = True, merged_into: str | None = None, profiles: Profiles | None = None
) -> TopicRecord:
    """A topic row as a record; `merged_into` is the slug of the topic `t.merged_into_id` names."""
    uids = {s.id: s.uid for s in t.statements} if with_statements else {}
    return TopicRecord(
        slug=t.slug,
        title=t.title,
        aliases=[a.text for a in t.aliases],
        tags=list(t.tags or ()),
        status=TopicStatus(t.status),
        statements=[statement_record(s, uids, profiles) for s in t.statements] if with_statements else [],
        retired_reason=t.retired_reason if t.status != TopicStatus.OPEN.value else None,
        merged_into=merged_into,
        version=t.version,
        created_by=t.created_by,
        created_at=as_utc(t.created_at),
        updated_by=t.updated_by,
        updated_at=as_utc(t.updated_at),
    )


def audit_json(r: StatementRecord) -> dict[str, Any]:
    """A statement record as audit events hold it: the speaker's profile has events of its own."""
    return r.model_dump(mode="json", exclude={"speaker": {"aliases", "role"}})


@overload
def as_utc(value: dt.datetime) -> dt.datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def content_of(r: StatementRecord) -> dict[str, Any]:
    """A statement record without its bookkeeping: what an edit compares."""
    bookkeeping = ("version", "created_by", "created_at", "updated_by", "updated_at")
    return r.model_dump(mode="json", exclude={**dict.fromkeys(bookkeeping, True), "speaker": {"aliases", "role"}})
