"""SQLAlchemy ORM models. Alembic (store/migrations) owns the schema; these mirror it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from store.records import ReviewState

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Topic(Base):
    """A question that a group of statements answers."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_by: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # moderation: an edit names the version it was based on; a retired or merged topic is archived
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_by: Mapped[str | None] = mapped_column(String(300))
    retired_reason: Mapped[str | None] = mapped_column(String(300))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))

    aliases: Mapped[list[TopicAlias]] = relationship(
        back_populates="topic", cascade="all, delete-orphan", order_by="TopicAlias.position"
    )
    statements: Mapped[list[Statement]] = relationship(
        back_populates="topic", cascade="all, delete-orphan", order_by="Statement.position"
    )


class TopicAlias(Base):
    """Another phrasing of a topic's question; moderators and query review add more."""

    __tablename__ = "topic_aliases"
    __table_args__ = (UniqueConstraint("topic_id", "text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    topic: Mapped[Topic] = relationship(back_populates="aliases")


class Speaker(Base):
    """Who made a statement: a person, an organisation, or an anonymous source kept by its descriptor."""

    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(700))  # folded name|kind|descriptor|affiliation: dedup key
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    descriptor: Mapped[str | None] = mapped_column(String(300))
    affiliation: Mapped[str | None] = mapped_column(String(300))


class SpeakerProfile(Base):
    """What moderators know of a speaker beyond one statement: other names (matched in questions, shown
    nowhere) and a role. Keyed by the folded name, so it covers every kind and descriptor of that name."""

    __tablename__ = "speaker_profiles"
    __table_args__ = (UniqueConstraint("name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    role: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Outlet(Base):
    """The medium that carried a statement (Reuters, Al Qahera News), kept apart from the speaker."""

    __tablename__ = "outlets"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(300))


class Statement(Base):
    """An attributed claim: who said what, through which outlet, when, and how it bears on its topic."""

    __tablename__ = "statements"
    __table_args__ = (Index("ix_statements_topic_position", "topic_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(300), unique=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    cue: Mapped[str | None] = mapped_column(String(300))
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(300))
    stance: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    retraction_reason: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # a newer statement of the same topic that replaces this one's figures (a new death toll)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id", ondelete="SET NULL"), index=True)
    speaker_role: Mapped[str | None] = mapped_column(String(300))  # the speaker's role when it was said

    topic: Mapped[Topic] = relationship(back_populates="statements")
    speaker: Mapped[Speaker] = relationship(lazy="joined")
    outlet: Mapped[Outlet | None] = relationship(lazy="joined")
    figures: Mapped[list[Figure]] = relationship(
        cascade="all, delete-orphan", order_by="Figure.position", lazy="selectin"
    )


class Figure(Base):
    """A number a statement gives ("33,175 killed"), so figures can be compared and superseded."""

    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(300))
    counted: Mapped[str] = mapped_column(String(300))
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)


class QueryLog(Base):
    """Every question asked, from every entry point, and what came of it."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    guild_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    user_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    matches: Mapped[list[Any]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    latency_ms: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    review_state: Mapped[str] = mapped_column(String(20), default=ReviewState.NEW.value, index=True)
    # the review queue: what the question asks of moderators (None: not looked at yet) and its group
    review_kind: Mapped[str | None] = mapped_column(String(20), index=True)
    review_group_id: Mapped[int | None] = mapped_column(ForeignKey("review_groups.id", ondelete="SET NULL"), index=True)


class QueryFeedback(Base):
    """A user's verdict on an answer ("this answered it" / "not what I asked"), keyed by the query's uid.

    One row per user and answer: a second click replaces the first verdict, and a retried batch writes
    nothing twice. No foreign key: the query log row is written in batches and may land after the click.
    """

    __tablename__ = "query_feedback"
    __table_args__ = (UniqueConstraint("query_uid", "user_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    query_uid: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    user_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewGroup(Base):
    """Logged questions of one review kind that ask the same thing, and what moderators decided about them."""

    __tablename__ = "review_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    key: Mapped[str] = mapped_column(Text)  # the question new asks are compared with
    state: Mapped[str] = mapped_column(String(20), index=True)
    topic_slug: Mapped[str | None] = mapped_column(String(300))  # taught to (kept when opened again)
    dismiss_reason: Mapped[str | None] = mapped_column(String(20))
    dismiss_note: Mapped[str | None] = mapped_column(String(300))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(300))


class DailyStats(Base):
    """Counts of the query log's rows that retention or "forget" deleted, per day and server (0: none), so that
    the figures of a day stay whole once its raw rows are gone."""

    __tablename__ = "daily_stats"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    asked: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    weak: Mapped[int] = mapped_column(Integer, default=0)
    disputed: Mapped[int] = mapped_column(Integer, default=0)
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    not_helpful: Mapped[int] = mapped_column(Integer, default=0)


class Installation(Base):
    """Values of this installation made once and kept (the salt of the hashed user ids)."""

    __tablename__ = "installation"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEvent(Base):
    """Who changed what, with the record before and after."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(String(300), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class GuildSettings(Base):
    """Per-server settings moderators control."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    prefix: Mapped[str | None] = mapped_column(String(20))
    answer_channel_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    ephemeral: Mapped[bool] = mapped_column(Boolean, default=False)
    moderator_role_id: Mapped[int | None] = mapped_column(BigInteger)  # may change the store in a curation server
    updated_by: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


__all__ = [
    "AuditEvent",
    "Base",
    "DailyStats",
    "Figure",
    "GuildSettings",
    "Installation",
    "Outlet",
    "QueryFeedback",
    "QueryLog",
    "ReviewGroup",
    "Speaker",
    "SpeakerProfile",
    "Statement",
    "Topic",
    "TopicAlias",
]
