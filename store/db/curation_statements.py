"""Moderators' changes to statements: add, edit, retract, restore, move; each with its audit event in the
same transaction (see curation.py), each a new version of the statement."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.curation import (
    StatementChanges,
    StatementDraft,
    checked_actor,
    checked_draft,
    required_text,
    statement_record,
)
from store.curation_views import StatementDetail, TopicState
from store.db import curation_rows as rows
from store.db import models as m
from store.db.audit import audit
from store.db.curation_rows import Written
from store.db.entities import fill_statement
from store.db.rows import content_of
from store.db.rows import statement_record as record_of_row
from store.errors import InvalidInput
from store.records import Status


async def add_statement(
    session: AsyncSession, topic_slug: str, draft: StatementDraft, *, actor: str
) -> Written[StatementDetail]:
    actor, checked = checked_actor(actor), checked_draft(draft)
    topic = await rows.topic_for_change(session, topic_slug)
    if rows.state_of(topic) is not TopicState.OPEN:
        raise InvalidInput("topic", f"topic: {topic.slug!r} is {rows.state_of(topic).value}; add to an open topic.")
    if checked.supersedes is not None:
        await _check_supersedes(session, checked.supersedes, topic, None)
    uid = uuid.uuid4().hex[:16]
    now = m.utcnow()
    row = m.Statement(
        uid=uid,
        topic_id=topic.id,
        position=await rows.next_position(session, topic.id),
        version=1,
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
        supersedes_id=checked.supersedes,
        speaker_role=checked.role,
    )
    await fill_statement(session, row, statement_record(checked, uid=uid))
    session.add(row)
    await session.flush()
    audit(
        session,
        actor=actor,
        action="create",
        entity="statement",
        key=uid,
        before=None,
        after=rows.statement_state(row, topic.slug),
    )
    return Written(rows.statement_detail(row, topic.slug), (topic.id,))


async def edit_statement(
    session: AsyncSession, statement_id: int, *, version: int, changes: StatementChanges, actor: str
) -> Written[StatementDetail]:
    actor = checked_actor(actor)
    row = await rows.lock_statement(session, statement_id)
    rows.check_statement_version(row, version)
    slug = row.topic.slug
    current = rows.statement_detail(row, slug)
    checked = checked_draft(changes.apply(current.as_draft()))
    if checked.supersedes is not None and checked.supersedes != row.supersedes_id:
        await _check_supersedes(session, checked.supersedes, row.topic, row.id)
    before = rows.statement_state(row, slug)
    stored = record_of_row(row)
    record = statement_record(checked, uid=row.uid, base=stored)
    unchanged = (content_of(record), checked.supersedes, checked.role) == (
        content_of(stored),
        row.supersedes_id,
        row.speaker_role,
    )
    if unchanged:  # nothing to write: no new version, no event
        return Written(rows.statement_detail(row, slug, await rows.superseded_by(session, row.id)), ())
    await fill_statement(session, row, record)
    row.supersedes_id = checked.supersedes
    row.speaker_role = checked.role
    return await _written(session, row, slug, "update", before, actor)


async def retract_statement(
    session: AsyncSession, statement_id: int, *, reason: str, version: int | None, actor: str
) -> Written[StatementDetail]:
    actor, reason = checked_actor(actor), required_text("reason", reason)
    row = await rows.lock_statement(session, statement_id)
    rows.check_statement_version(row, version)
    if row.status == Status.RETRACTED.value:
        raise InvalidInput("statement", f"statement: #{row.id} is already retracted.")
    before = rows.statement_state(row, row.topic.slug)
    row.status, row.retraction_reason = Status.RETRACTED.value, reason
    return await _written(session, row, row.topic.slug, "retract", before, actor)


async def restore_statement(
    session: AsyncSession, statement_id: int, *, version: int | None, actor: str
) -> Written[StatementDetail]:
    actor = checked_actor(actor)
    row = await rows.lock_statement(session, statement_id)
    rows.check_statement_version(row, version)
    if row.status != Status.RETRACTED.value:
        raise InvalidInput("statement", f"statement: #{row.id} is not retracted (it is {row.status}).")
    before = rows.statement_state(row, row.topic.slug)
    row.status, row.retraction_reason = Status.PUBLISHED.value, None
    return await _written(session, row, row.topic.slug, "restore", before, actor)


async def move_statement(
    session: AsyncSession, statement_id: int, topic_slug: str, *, version: int | None, actor: str
) -> Written[StatementDetail]:
    actor = checked_actor(actor)
    source_id = await rows.statement_topic_id(session, statement_id)
    target_id = await rows.resolve_topic_id(session, topic_slug)
    await rows.lock_topics(session, [source_id, target_id])  # topics before the statement, as merges do
    row = await rows.lock_statement(session, statement_id)
    rows.check_statement_version(row, version)
    target = await rows.load_topic(session, target_id)
    source_slug = row.topic.slug
    if target.id == row.topic_id:
        raise InvalidInput("topic", f"topic: statement #{row.id} is already in {target.slug!r}.")
    if rows.state_of(target) is not TopicState.OPEN:
        raise InvalidInput("topic", f"topic: {target.slug!r} is {rows.state_of(target).value}; move to an open topic.")
    partners = [row.supersedes_id] if row.supersedes_id is not None else []
    partners += await rows.superseded_by(session, row.id)
    if partners:
        listed = ", ".join(f"#{p}" for p in partners)
        raise InvalidInput(
            "topic",
            f"topic: statement #{row.id} and {listed} supersede one another and stay together; clear supersedes first.",
        )
    before = rows.statement_state(row, source_slug)
    row.topic_id = target.id  # the column, not the relationship: leaving a loaded collection would delete it
    row.position = await rows.next_position(session, target.id)
    return await _written(session, row, target.slug, "move", before, actor, extra_topic=source_id)


async def statement_detail(session: AsyncSession, statement_id: int) -> StatementDetail:
    row = await rows.load_statement(session, statement_id)
    return rows.statement_detail(row, row.topic.slug, await rows.superseded_by(session, row.id))


async def _written(
    session: AsyncSession,
    row: m.Statement,
    slug: str,
    action: str,
    before: dict[str, object],
    actor: str,
    *,
    extra_topic: int | None = None,
) -> Written[StatementDetail]:
    rows.touch_statement(row, actor)
    await session.flush()
    after = rows.statement_state(row, slug)
    audit(session, actor=actor, action=action, entity="statement", key=row.uid, before=before, after=after)
    touched = (row.topic_id,) if extra_topic is None else (extra_topic, row.topic_id)
    return Written(rows.statement_detail(row, slug, await rows.superseded_by(session, row.id)), touched)


async def _check_supersedes(session: AsyncSession, older_id: int, topic: m.Topic, statement_id: int | None) -> None:
    """The older statement exists, is another statement of the same topic, and doesn't (in turn) supersede
    this one: a loop would hide both."""
    if older_id == statement_id:
        raise InvalidInput("supersedes", f"supersedes: statement #{older_id} can't supersede itself.")
    older = await session.get(m.Statement, older_id)
    if older is None:
        raise InvalidInput("supersedes", f"supersedes: there is no statement #{older_id}.")
    if older.topic_id != topic.id:
        other = await rows.slug_of(session, older.topic_id)
        raise InvalidInput(
            "supersedes", f"supersedes: statement #{older_id} is in topic {other!r}, not {topic.slug!r}."
        )
    seen, step = {older_id}, older.supersedes_id
    while step is not None and statement_id is not None:
        if step == statement_id:
            raise InvalidInput("supersedes", f"supersedes: statement #{older_id} already supersedes #{statement_id}.")
        if step in seen:
            break
        seen.add(step)
        step = await session.scalar(select(m.Statement.supersedes_id).where(m.Statement.id == step))
