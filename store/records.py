"""The interchange format: one JSON object per topic, with its statements.

These pydantic models are the single definition of what `factbot import` accepts, what `factbot export`
writes and what the packaged demo store contains. Validation happens here, before anything touches the
database, so bad input is rejected whole.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from store.matching.text import has_control_characters

SCHEMA_VERSION = "factbot.topic/1"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Stance(StrEnum):
    """How a statement bears on its topic's question; competing sides are shown apart."""

    AFFIRMS = "affirms"
    DISPUTES = "disputes"
    CONTEXT = "context"


class StatementKind(StrEnum):
    QUOTE = "quote"  # the speaker's exact words
    PARAPHRASE = "paraphrase"  # the outlet's rendering of what was said


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    ANONYMOUS = "anonymous"  # keeps its descriptor, e.g. "an Egyptian source close to ..."
    PUBLICATION = "publication"  # the outlet speaking in its own voice (unattributed text of an article)


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETRACTED = "retracted"


class TopicStatus(StrEnum):
    OPEN = "open"
    ARCHIVED = "archived"


class QuerySource(StrEnum):
    """Where a question was asked."""

    SLASH = "slash"  # /factcheck
    PREFIX = "prefix"  # !factcheck, or the server's own prefix
    MENTION = "mention"
    DM = "dm"
    BUTTON = "button"  # "did you mean" and paging buttons under an answer
    CLI = "cli"  # factbot ask


class QueryOutcome(StrEnum):
    """What came of a question, as the query log keeps it."""

    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    CLAIMLESS = "claimless"  # only fact-check phrasing ("is it true?"): the asker is asked which claim
    REJECTED = "rejected"  # not a question the store can be asked (empty, too long, control characters...)
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"  # the store could not be reached
    ERROR = "error"  # a bug: the asker was told something went wrong


class ReviewState(StrEnum):
    """Whether a moderator has looked at a logged question yet."""

    NEW = "new"
    REVIEWED = "reviewed"


class AuditEntity(StrEnum):
    """What an audit event is about; its key is the topic's slug, the statement's uid or the server's id."""

    TOPIC = "topic"
    STATEMENT = "statement"
    SPEAKER = "speaker"
    OUTLET = "outlet"
    GUILD_SETTINGS = "guild_settings"
    REVIEW_GROUP = "review_group"  # a group of the review queue; its key is the group's id


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    RETRACT = "retract"
    RESTORE = "restore"
    MOVE = "move"
    RETIRE = "retire"
    MERGE = "merge"
    REMOVE_DEMO = "remove_demo"  # the demo taken out again; a removed topic is the demo's to load again
    REFUSED = "refused"  # an attempt refused for lack of rights: nothing else was written
    TEACH = "teach"  # a review group's questions made aliases of a topic
    CREATE_TOPIC = "create_topic"  # a topic created from a review group, its questions as aliases
    DISMISS = "dismiss"
    REOPEN = "reopen"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    @model_validator(mode="before")
    @classmethod
    def _reject_control_characters(cls, data: object) -> object:
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, str) and has_control_characters(value):
                    raise ValueError(f"{key!r} contains control characters")
        return data


class SpeakerRecord(_Record):
    name: ShortText
    kind: SpeakerKind = SpeakerKind.PERSON
    # For anonymous sources the descriptor *is* the attribution ("an official source from the organization").
    descriptor: ShortText | None = None
    affiliation: ShortText | None = None
    # What moderators know of everyone under this name (store/db/sources.py): other names and a role.
    # Exported with each statement of the speaker; an import adds the aliases and sets the role.
    aliases: list[ShortText] | None = Field(default=None, max_length=200)
    role: ShortText | None = None


class OutletRecord(_Record):
    name: ShortText
    url: ShortText | None = None


class FigureRecord(_Record):
    value: float
    unit: ShortText  # "people", "hours", "USD"
    counted: ShortText  # what is counted: "killed in Gaza since 7 October 2023"
    as_of: dt.date | None = None
    approximate: bool = False


class StatementRecord(_Record):
    uid: ShortText | None = None  # stable external id; assigned on import when missing
    text: LongText
    kind: StatementKind = StatementKind.PARAPHRASE
    speaker: SpeakerRecord
    outlet: OutletRecord | None = None
    cue: ShortText | None = None  # told / said / according to / reported
    said_on: dt.date | None = None
    published_on: dt.date | None = None
    url: ShortText | None = None
    stance: Stance = Stance.CONTEXT
    figures: list[FigureRecord] = Field(default_factory=list, max_length=50)
    status: Status = Status.PUBLISHED
    retraction_reason: ShortText | None = None
    note: LongText | None = None  # moderator's note, never shown as part of the claim
    supersedes: ShortText | None = None  # uid of an older statement of the same topic whose figures this replaces
    speaker_role: ShortText | None = None  # the speaker's role when it was said
    version: int = Field(default=1, ge=1)
    created_by: ShortText | None = None
    created_at: dt.datetime | None = None
    updated_by: ShortText | None = None
    updated_at: dt.datetime | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("url must be an http(s) address without spaces")
        return value

    @model_validator(mode="after")
    def _retraction_needs_reason(self) -> StatementRecord:
        if self.status is Status.RETRACTED and not self.retraction_reason:
            raise ValueError("a retracted statement needs a retraction_reason")
        return self


class TopicRecord(_Record):
    """One topic: a question, its other phrasings, and the attributed statements that answer it."""

    schema_: str = Field(default=SCHEMA_VERSION, alias="schema")
    slug: ShortText
    title: ShortText
    aliases: list[ShortText] = Field(default_factory=list, max_length=200)
    tags: list[ShortText] = Field(default_factory=list, max_length=50)
    status: TopicStatus = TopicStatus.OPEN
    statements: list[StatementRecord] = Field(default_factory=list, max_length=5000)
    retired_reason: ShortText | None = None
    merged_into: ShortText | None = None  # the slug of the topic this one was merged into
    version: int = Field(default=1, ge=1)
    created_by: ShortText | None = None
    created_at: dt.datetime | None = None
    updated_by: ShortText | None = None
    updated_at: dt.datetime | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("schema_")
    @classmethod
    def _known_schema(cls, value: str) -> str:
        if value != SCHEMA_VERSION:
            raise ValueError(f"unknown schema {value!r}, expected {SCHEMA_VERSION!r}")
        return value

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("slug must be lowercase words joined by hyphens, e.g. 'cairo-talks-progress'")
        return value

    @model_validator(mode="after")
    def _unique_statement_uids(self) -> TopicRecord:
        uids = [s.uid for s in self.statements if s.uid]
        if len(uids) != len(set(uids)):
            raise ValueError("statement uids must be unique within a topic")
        for s in self.statements:
            if s.supersedes is not None and not s.uid:
                raise ValueError("a statement that supersedes another needs a uid")
            if s.supersedes is not None and (s.supersedes not in uids or s.supersedes == s.uid):
                raise ValueError(f"supersedes {s.supersedes!r} must be the uid of another statement of this topic")
        return self

    def dump(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
