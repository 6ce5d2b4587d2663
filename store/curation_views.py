"""What moderators read back: topics and statements of every status, speakers, outlets, the audit trail.

Plain frozen dataclasses like store.views, each with `to_json()` for the CLI's `--json`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from store.curation import FigureDraft, StatementDraft
from store.records import SpeakerKind, Stance, StatementKind, Status
from store.views import Figure, Speaker


class TopicState(StrEnum):
    OPEN = "open"
    RETIRED = "retired"  # gone from answers and autocomplete, kept in history
    MERGED = "merged"  # its statements and aliases moved to another topic; its slug resolves there


@dataclass(frozen=True, slots=True)
class StatementDetail:
    """One statement as stored, whatever its status, with its version for the next edit."""

    id: int
    uid: str
    version: int
    topic: str  # the slug of its topic
    status: Status
    text: str
    kind: StatementKind
    stance: Stance
    speaker: Speaker
    speaker_role: str | None
    outlet: str | None
    outlet_url: str | None
    cue: str | None
    said_on: dt.date | None
    published_on: dt.date | None
    url: str | None
    figures: tuple[Figure, ...]
    supersedes: int | None
    superseded_by: tuple[int, ...]
    retraction_reason: str | None
    note: str | None
    created_by: str | None
    created_at: dt.datetime
    updated_by: str | None
    updated_at: dt.datetime

    def as_draft(self) -> StatementDraft:
        """The statement as a draft: what an edit form is pre-filled with."""
        return StatementDraft(
            text=self.text,
            speaker=self.speaker.name,
            stance=self.stance,
            speaker_kind=self.speaker.kind,
            descriptor=self.speaker.descriptor,
            affiliation=self.speaker.affiliation,
            role=self.speaker_role,
            outlet=self.outlet,
            cue=self.cue,
            said_on=self.said_on,
            url=self.url,
            paraphrase=self.kind is StatementKind.PARAPHRASE,
            figures=tuple(FigureDraft(f.value, f.unit, f.counted, f.as_of, f.approximate) for f in self.figures),
            supersedes=self.supersedes,
            note=self.note,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uid": self.uid,
            "version": self.version,
            "topic": self.topic,
            "status": self.status.value,
            "text": self.text,
            "kind": self.kind.value,
            "stance": self.stance.value,
            "speaker": self.speaker.name,
            "speaker_kind": self.speaker.kind.value,
            "descriptor": self.speaker.descriptor,
            "affiliation": self.speaker.affiliation,
            "role": self.speaker_role,
            "outlet": self.outlet,
            "cue": self.cue,
            "date": _date(self.said_on),
            "published_on": _date(self.published_on),
            "url": self.url,
            "figures": [_figure(f) for f in self.figures],
            "supersedes": self.supersedes,
            "superseded_by": list(self.superseded_by),
            "retraction_reason": self.retraction_reason,
            "note": self.note,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class TopicDetail:
    """A topic as stored, whatever its state, with every statement (drafts and retractions too)."""

    id: int
    slug: str
    title: str
    state: TopicState
    version: int
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    retired_reason: str | None
    merged_into: str | None  # the slug it now resolves to, when merged
    merged_from: tuple[str, ...]  # slugs merged into this one, which resolve here
    statements: tuple[StatementDetail, ...]
    created_by: str | None
    created_at: dt.datetime
    updated_by: str | None
    updated_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "state": self.state.value,
            "version": self.version,
            "aliases": list(self.aliases),
            "tags": list(self.tags),
            "retired_reason": self.retired_reason,
            "merged_into": self.merged_into,
            "merged_from": list(self.merged_from),
            "statements": [s.to_json() for s in self.statements],
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """One line of `list_topics`."""

    id: int
    slug: str
    title: str
    state: TopicState
    version: int
    published: int  # statements shown in answers
    merged_into: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "state": self.state.value,
            "version": self.version,
            "published": self.published,
            "merged_into": self.merged_into,
        }


@dataclass(frozen=True, slots=True)
class SpeakerDetail:
    """Everyone stored under one name (any kind or descriptor), with the other names matched in questions."""

    name: str
    aliases: tuple[str, ...]
    role: str | None
    kinds: tuple[SpeakerKind, ...]
    descriptors: tuple[str, ...]
    statements: int
    topics: tuple[str, ...]
    version: int
    # each way the name is stored (kind, descriptor, affiliation), the most used first: how to attribute it
    records: tuple[Speaker, ...] = ()

    @property
    def affiliation(self) -> str | None:
        """The affiliation the speaker is stored with most often."""
        return self.records[0].affiliation if self.records else None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "role": self.role,
            "affiliation": self.affiliation,
            "kinds": [k.value for k in self.kinds],
            "descriptors": list(self.descriptors),
            "records": [
                {"name": r.name, "kind": r.kind.value, "descriptor": r.descriptor, "affiliation": r.affiliation}
                for r in self.records
            ],
            "statements": self.statements,
            "topics": list(self.topics),
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class OutletDetail:
    name: str
    url: str | None
    statements: int
    topics: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "statements": self.statements, "topics": list(self.topics)}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change (or refused attempt): who, when, what, and the record before and after as stored."""

    id: int
    at: dt.datetime
    actor: str
    entity: str  # topic, statement, speaker, outlet, guild_settings
    entity_id: str  # the entity's key: a topic's slug, a statement's uid, a speaker's or outlet's name
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "action": self.action,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What loading (or removing) the demo did, and what it left alone because a moderator changed it."""

    topics_created: int = 0
    topics_updated: int = 0
    statements_written: int = 0
    removed: tuple[str, ...] = ()  # topic slugs taken out by remove_demo
    kept: tuple[str, ...] = ()  # "topic SLUG" or "statement #ID (UID)", changed by a moderator

    def to_json(self) -> dict[str, Any]:
        return {
            "topics_created": self.topics_created,
            "topics_updated": self.topics_updated,
            "statements_written": self.statements_written,
            "removed": list(self.removed),
            "kept": list(self.kept),
        }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _figure(f: Figure) -> dict[str, Any]:
    return {
        "value": f.value,
        "unit": f.unit,
        "counted": f.counted,
        "as_of": _date(f.as_of),
        "approximate": f.approximate,
    }
