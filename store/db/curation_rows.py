"""Rows a moderator's change works on: found, locked against a concurrent change, checked against the version
the change was based on, and described as JSON for the audit trail and as details for the reader.

Locking is a no-op UPDATE of the row before it is read: on PostgreSQL it takes the row lock, on SQLite it
starts the write transaction (the driver begins one at the first write), so a second change to the same row
waits for the first to commit and then sees its version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.curation_views import StatementDetail, TopicDetail, TopicState
from store.db import models as m
from store.db import repository as repo
from store.db.rows import as_utc, audit_json
from store.db.rows import statement_record as record_of_row
from store.errors import StaleEdit, StatementNotFound, TopicNotFound
from store.records import SpeakerKind, Stance, StatementKind, Status, TopicStatus
from store.views import Figure, Speaker

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Written(Generic[T]):
    """A change's result and the topics whose answers it touched (the service re-indexes them at once)."""

    result: T
    topic_ids: tuple[int, ...]


def state_of(topic: m.Topic) -> TopicState:
    if topic.merged_into_id is not None:
        return TopicState.MERGED
    return TopicState.OPEN if topic.status == TopicStatus.OPEN.value else TopicState.RETIRED


def retired_reason(topic: m.Topic) -> str | None:
    """Why a retired topic was retired (a topic opened again by a reload keeps no reason)."""
    return topic.retired_reason if state_of(topic) is TopicState.RETIRED else None


# -- topics --------------------------------------------------------------------------------------------


async def resolve_topic_id(session: AsyncSession, slug: str) -> int:
    topic_id = await repo.topic_id_by_slug(session, slug)
    if topic_id is None:
        raise TopicNotFound(f"There is no topic {slug!r}.")
    return topic_id


async def lock_topics(session: AsyncSession, topic_ids: Sequence[int]) -> None:
    """Lock topics in id order, so that two changes locking the same pair can't wait on each other."""
    for topic_id in sorted(set(topic_ids)):
        await session.execute(
            update(m.Topic)
            .where(m.Topic.id == topic_id)
            .values(version=m.Topic.version)
            .execution_options(synchronize_session=False)
        )


async def load_topic(session: AsyncSession, topic_id: int) -> m.Topic:
    query = (
        select(m.Topic)
        .where(m.Topic.id == topic_id)
        .options(selectinload(m.Topic.aliases), selectinload(m.Topic.statements).selectinload(m.Statement.figures))
        .execution_options(populate_existing=True)
    )
    topic = await session.scalar(query)
    if topic is None:
        raise TopicNotFound(f"There is no topic #{topic_id}.")
    return topic


async def topic_for_change(session: AsyncSession, slug: str) -> m.Topic:
    """The topic `slug` names (a merged slug names where it went), locked and freshly read."""
    topic_id = await resolve_topic_id(session, slug)
    await lock_topics(session, [topic_id])
    topic = await load_topic(session, topic_id)
    if topic.merged_into_id is not None:  # merged between the look-up and the lock
        return await topic_for_change(session, slug)
    return topic


async def slug_of(session: AsyncSession, topic_id: int | None) -> str | None:
    if topic_id is None:
        return None
    return await session.scalar(select(m.Topic.slug).where(m.Topic.id == topic_id))


def topic_state(topic: m.Topic, merged_into: str | None = None) -> dict[str, Any]:
    """A topic as its audit events record it (statements are recorded by their own events)."""
    return {
        "slug": topic.slug,
        "title": topic.title,
        "aliases": [a.text for a in topic.aliases],
        "tags": list(topic.tags or ()),
        "state": state_of(topic).value,
        "version": topic.version,
        "retired_reason": retired_reason(topic),
        "merged_into": merged_into,
    }


async def topic_detail(session: AsyncSession, topic: m.Topic) -> TopicDetail:
    merged_from = await session.scalars(
        select(m.Topic.slug).where(m.Topic.merged_into_id == topic.id).order_by(m.Topic.slug)
    )
    superseded_by: dict[int, list[int]] = {}
    for s in topic.statements:
        if s.supersedes_id is not None:
            superseded_by.setdefault(s.supersedes_id, []).append(s.id)
    return TopicDetail(
        id=topic.id,
        slug=topic.slug,
        title=topic.title,
        state=state_of(topic),
        version=topic.version,
        aliases=tuple(a.text for a in topic.aliases),
        tags=tuple(topic.tags or ()),
        retired_reason=retired_reason(topic),
        merged_into=await slug_of(session, topic.merged_into_id),
        merged_from=tuple(merged_from),
        statements=tuple(statement_detail(s, topic.slug, superseded_by.get(s.id, ())) for s in topic.statements),
        created_by=topic.created_by,
        created_at=as_utc(topic.created_at),
        updated_by=topic.updated_by,
        updated_at=as_utc(topic.updated_at),
    )


def check_topic_version(topic: m.Topic, expected: int | None) -> None:
    if expected is not None and expected != topic.version:
        raise stale(f"Topic {topic.slug!r}", expected, topic.version, topic.updated_by, topic.updated_at)


def touch_topic(topic: m.Topic, actor: str) -> None:
    topic.version += 1
    topic.updated_by = actor
    topic.updated_at = m.utcnow()


# -- statements ----------------------------------------------------------------------------------------


async def statement_topic_id(session: AsyncSession, statement_id: int) -> int:
    topic_id = await session.scalar(select(m.Statement.topic_id).where(m.Statement.id == statement_id))
    if topic_id is None:
        raise StatementNotFound(f"There is no statement #{statement_id}.")
    return topic_id


async def lock_statement(session: AsyncSession, statement_id: int) -> m.Statement:
    """The statement, locked and freshly read, with its topic, speaker, outlet and figures."""
    locked = await session.execute(
        update(m.Statement)
        .where(m.Statement.id == statement_id)
        .values(version=m.Statement.version)
        .execution_options(synchronize_session=False)
    )
    if getattr(locked, "rowcount", 1) == 0:
        raise StatementNotFound(f"There is no statement #{statement_id}.")
    return await load_statement(session, statement_id)


async def load_statement(session: AsyncSession, statement_id: int) -> m.Statement:
    query = (
        select(m.Statement)
        .where(m.Statement.id == statement_id)
        .options(selectinload(m.Statement.figures), selectinload(m.Statement.topic))
        .execution_options(populate_existing=True)
    )
    row = await session.scalar(query)
    if row is None:
        raise StatementNotFound(f"There is no statement #{statement_id}.")
    return row


async def superseded_by(session: AsyncSession, statement_id: int) -> list[int]:
    query = select(m.Statement.id).where(m.Statement.supersedes_id == statement_id).order_by(m.Statement.id)
    return list(await session.scalars(query))


def check_statement_version(row: m.Statement, expected: int | None) -> None:
    if expected is not None and expected != row.version:
        raise stale(f"Statement #{row.id}", expected, row.version, row.updated_by, row.updated_at)


def touch_statement(row: m.Statement, actor: str) -> None:
    row.version += 1
    row.updated_by = actor
    row.updated_at = m.utcnow()


def statement_state(row: m.Statement, topic_slug: str) -> dict[str, Any]:
    """A statement as its audit events record it: the interchange record, its topic, and what moderation adds."""
    return {
        **audit_json(record_of_row(row)),
        "topic": topic_slug,
        "id": row.id,
        "supersedes": row.supersedes_id,
        "speaker_role": row.speaker_role,
    }


def statement_detail(row: m.Statement, topic_slug: str, superseded_by: Sequence[int] = ()) -> StatementDetail:
    return StatementDetail(
        id=row.id,
        uid=row.uid,
        version=row.version,
        topic=topic_slug,
        status=Status(row.status),
        text=row.text,
        kind=StatementKind(row.kind),
        stance=Stance(row.stance),
        speaker=Speaker(
            row.speaker.name, SpeakerKind(row.speaker.kind), row.speaker.descriptor, row.speaker.affiliation
        ),
        speaker_role=row.speaker_role,
        outlet=row.outlet.name if row.outlet else None,
        outlet_url=row.outlet.url if row.outlet else None,
        cue=row.cue,
        said_on=row.said_on,
        published_on=row.published_on,
        url=row.url,
        figures=tuple(Figure(f.value, f.unit, f.counted, f.as_of, f.approximate) for f in row.figures),
        supersedes=row.supersedes_id,
        superseded_by=tuple(superseded_by),
        retraction_reason=row.retraction_reason,
        note=row.note,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        updated_by=row.updated_by,
        updated_at=as_utc(row.updated_at),
    )


async def next_position(session: AsyncSession, topic_id: int) -> int:
    last = await session.scalar(select(func.max(m.Statement.position)).where(m.Statement.topic_id == topic_id))
    return 0 if last is None else int(last) + 1


# -- versions ------------------------------------------------------------------------------------------


def stale(what: str, expected: int, current: int, by: str | None, at: dt.datetime) -> StaleEdit:
    when = as_utc(at).strftime("%Y-%m-%d %H:%M:%S UTC")
    return StaleEdit(
        f"{what} was changed by {by or 'someone'} at {when}: review and retry "
        f"(your change was based on version {expected}; it is now at version {current}).",
        changed_by=by,
        changed_at=as_utc(at),
        version=current,
    )
