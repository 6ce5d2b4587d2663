"""Read-only views the service hands to its callers (CLI, bot). Plain frozen dataclasses, no ORM state."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from store.records import QueryOutcome, QuerySource, SpeakerKind, Stance, StatementKind, Status

STANCE_ORDER = (Stance.AFFIRMS, Stance.DISPUTES, Stance.CONTEXT)


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    kind: SpeakerKind
    descriptor: str | None = None
    affiliation: str | None = None

    @property
    def attribution(self) -> str:
        """How to name the speaker: anonymous sources are known only by their descriptor."""
        if self.kind is SpeakerKind.ANONYMOUS and self.descriptor:
            return self.descriptor
        return self.name


@dataclass(frozen=True, slots=True)
class Figure:
    value: float
    unit: str
    counted: str
    as_of: dt.date | None = None
    approximate: bool = False

    @property
    def display_value(self) -> str:
        return _display_value(self.value, self.approximate)


def _display_value(value: float, approximate: bool) -> str:
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return ("about " if approximate else "") + number


@dataclass(frozen=True, slots=True)
class PreviousFigure:
    """A figure of the older statement a newer one supersedes: "previously 33,175 (as of ..., Gaza Health
    Ministry)". The older statement is not shown on its own while the newer one is published."""

    value: float
    unit: str
    counted: str
    as_of: dt.date | None
    approximate: bool
    given_by: str  # the older statement's speaker, as attributed
    statement_id: int

    @property
    def display_value(self) -> str:
        return _display_value(self.value, self.approximate)


@dataclass(frozen=True, slots=True)
class StatementView:
    id: int
    uid: str
    text: str
    kind: StatementKind
    speaker: Speaker
    outlet: str | None
    outlet_url: str | None
    cue: str | None
    date: dt.date | None
    url: str | None
    stance: Stance
    figures: tuple[Figure, ...] = ()
    status: Status = Status.PUBLISHED
    previous: tuple[PreviousFigure, ...] = ()  # the figures this statement supersedes, if any
    supersedes: int | None = None  # id of the older statement it replaces
    speaker_role: str | None = None  # the speaker's role when it was said
    version: int = 1

    @property
    def is_quote(self) -> bool:
        return self.kind is StatementKind.QUOTE


@dataclass(frozen=True, slots=True)
class TopicView:
    id: int
    slug: str
    title: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    statements: tuple[StatementView, ...]

    def by_stance(self) -> dict[Stance, list[StatementView]]:
        """Statements by stance: affirming, then disputing, then context; empty groups left out."""
        groups: dict[Stance, list[StatementView]] = {stance: [] for stance in STANCE_ORDER}
        for statement in self.statements:
            groups[statement.stance].append(statement)
        return {stance: items for stance, items in groups.items() if items}


@dataclass(frozen=True, slots=True)
class TopicRef:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class Match:
    topic: TopicView
    score: float
    matched_fields: tuple[str, ...]
    matched_terms: tuple[str, ...]
    meaning: float | None = None  # cosine with the question, when the semantic re-ranker scored it


@dataclass(frozen=True, slots=True)
class Answer:
    query: str
    answered: bool
    matches: tuple[Match, ...]
    latency_ms: float
    # why a question went unanswered, where there is more to say than "nothing on that"
    claimless: bool = False  # it was nothing but fact-check phrasing ("is it true?"): which claim?
    no_statement_by: str | None = None  # it asked what someone said ("what did Qatar say"), as asked, and
    # the store holds no statement by them on it
    related: tuple[Match, ...] = ()  # then: the topics that mention them, or that answer the rest of it


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class QueryLogEntry:
    """One question and what came of it; the uid is made by the caller so feedback can refer to it."""

    text: str
    source: QuerySource | str  # the front ends' plain strings compare equal to the members
    outcome: QueryOutcome | str
    latency_ms: float
    matches: list[dict[str, Any]] = field(default_factory=list)
    guild_id: int | None = None
    channel_id: int | None = None
    user_hash: str | None = None
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: dt.datetime = field(default_factory=_now)

    @classmethod
    def from_answer(
        cls,
        answer: Answer,
        *,
        source: QuerySource | str,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_hash: str | None = None,
        uid: str | None = None,
    ) -> QueryLogEntry:
        return cls(
            text=answer.query,
            source=source,
            # a question with no claim in it is nothing a moderator could add to the store
            outcome=(
                QueryOutcome.ANSWERED
                if answer.answered
                else QueryOutcome.CLAIMLESS
                if answer.claimless
                else QueryOutcome.UNANSWERED
            ),
            latency_ms=answer.latency_ms,
            matches=[{"topic_id": m.topic.id, "score": round(m.score, 4)} for m in answer.matches],
            guild_id=guild_id,
            channel_id=channel_id,
            user_hash=user_hash,
            uid=uid or uuid.uuid4().hex,
        )


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    query_uid: str
    helpful: bool
    user_hash: str | None = None
    created_at: dt.datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    prefix: str | None = None
    answer_channel_ids: tuple[int, ...] = ()
    ephemeral: bool = False
    moderator_role_id: int | None = None  # members with it may change the store, in a curation server


@dataclass(frozen=True, slots=True)
class ImportReport:
    topics_created: int
    topics_updated: int
    statements_written: int


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """One question (as first worded) and every time it went unanswered in the window."""

    text: str
    asked: int
    askers: int  # distinct askers known (a CLI question has none)
    first_asked: dt.datetime
    last_asked: dt.datetime
    sources: tuple[str, ...]
    log_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """An unanswered question with the topic nearest to it now: a moderator may have taught the store since."""

    question: UnansweredQuestion
    nearest_topic_id: int | None
    nearest_title: str | None
    nearest_score: float
    answered_now: bool
