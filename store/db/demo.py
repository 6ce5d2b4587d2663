"""The demo stays a demo: reloading it never overwrites a moderator's change, and removing it keeps (and names)
every demo topic a moderator has changed.

What the demo owns is read off the trail: a topic or statement is a moderator's once someone other than
the demo loader changed it (its latest audit event, or who last updated the row). Removing the demo leaves
each topic as a retired, empty row, so that every process (and a later reload) still finds it by its slug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.curation_views import DemoReport
from store.db import curation_rows as rows
from store.db import models as m
from store.db import repository as repo
from store.db.audit import audit
from store.db.curation_rows import Written
from store.db.rows import topic_record
from store.ingest import read_records
from store.records import TopicRecord, TopicStatus

DEMO_ACTOR = "demo"
DEMO_FILE = "cairo-truce-talks.jsonl"
REMOVED = "remove_demo"  # the action of a removal: a removed topic is the demo's to load again
_DEMO_ACTORS = (None, DEMO_ACTOR)


def demo_records() -> list[TopicRecord]:
    source = resources.files("store").joinpath("data", DEMO_FILE)
    with resources.as_file(source) as path:
        return read_records(path)


@dataclass(frozen=True, slots=True)
class ReloadPlan:
    records: list[TopicRecord]  # what to import: the demo, less what moderators changed
    kept: tuple[str, ...]


async def is_fresh(session: AsyncSession) -> bool:
    """Nothing stored and nothing ever changed: a store the demo may be loaded into unasked."""
    if await repo.count_statements(session):
        return False
    return await session.scalar(select(func.count(m.AuditEvent.id))) == 0


async def plan_reload(session: AsyncSession, records: Sequence[TopicRecord]) -> ReloadPlan:
    topics = await _topics(session, [r.slug for r in records])
    topic_events = await _latest_events(session, "topic", list(topics))
    uids = [s.uid for r in records for s in r.statements if s.uid]
    statements = {s.uid: s for s in await session.scalars(select(m.Statement).where(m.Statement.uid.in_(uids)))}
    statement_events = await _latest_events(session, "statement", list(statements))
    planned: list[TopicRecord] = []
    kept: list[str] = []
    for record in records:
        topic = topics.get(record.slug)
        keep_topic = topic is not None and _moderated(topic.updated_by, topic_events.get(topic.slug))
        mine = []
        for sr in record.statements:
            row = statements.get(sr.uid or "")
            moved = row is not None and (topic is None or row.topic_id != topic.id)
            if row is not None and (moved or _moderated(row.updated_by, statement_events.get(row.uid))):
                kept.append(f"statement #{row.id} ({row.uid})")
            else:
                mine.append(sr)
        if topic is not None and keep_topic:
            kept.append(f"topic {record.slug}")
            record = topic_record(topic, with_statements=False)  # its fields as the moderator left them
        planned.append(record.model_copy(update={"statements": mine}))
    return ReloadPlan(planned, tuple(kept))


async def remove(session: AsyncSession, records: Sequence[TopicRecord], *, actor: str) -> Written[DemoReport]:
    """Take the demo's topics out of answers with their statements, except those a moderator changed."""
    demo_uids = {s.uid for r in records for s in r.statements if s.uid}
    topics = await _topics(session, [r.slug for r in records])
    events = await _latest_events(session, "topic", list(topics))
    removed: list[str] = []
    kept: list[str] = []
    touched: list[int] = []
    for record in records:
        topic = topics.get(record.slug)
        if topic is None or (not topic.statements and topic.status != TopicStatus.OPEN.value):
            continue  # never loaded, or removed already
        theirs = [
            s
            for s in topic.statements
            if s.uid not in demo_uids or s.created_by not in _DEMO_ACTORS or s.updated_by not in _DEMO_ACTORS
        ]
        if _moderated(topic.updated_by, events.get(topic.slug)) or theirs:
            kept.append(record.slug)
            continue
        await rows.lock_topics(session, [topic.id])
        before = {
            **rows.topic_state(topic),
            "statements": [rows.statement_state(s, topic.slug) for s in topic.statements],
        }
        topic.statements.clear()
        topic.aliases.clear()
        topic.status = TopicStatus.ARCHIVED.value
        topic.retired_reason = "removed with the demo"
        rows.touch_topic(topic, actor)
        await session.flush()
        audit(
            session,
            actor=actor,
            action=REMOVED,
            entity="topic",
            key=topic.slug,
            before=before,
            after=rows.topic_state(topic),
        )
        removed.append(topic.slug)
        touched.append(topic.id)
    return Written(DemoReport(removed=tuple(removed), kept=tuple(kept)), tuple(touched))


def _moderated(updated_by: str | None, latest: tuple[str, str] | None) -> bool:
    """Changed by someone other than the demo loader since it was loaded (a removal hands it back)."""
    if latest is not None and latest[1] == REMOVED:
        return False
    if latest is not None and latest[0] != DEMO_ACTOR:
        return True
    return updated_by not in _DEMO_ACTORS


async def _topics(session: AsyncSession, slugs: Iterable[str]) -> dict[str, m.Topic]:
    query = (
        select(m.Topic)
        .where(m.Topic.slug.in_(list(slugs)))
        .options(selectinload(m.Topic.aliases), selectinload(m.Topic.statements).selectinload(m.Statement.figures))
    )
    return {t.slug: t for t in await session.scalars(query)}


async def _latest_events(session: AsyncSession, entity: str, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(actor, action) of the newest event (refusals aside) of each key."""
    if not keys:
        return {}
    newest = (
        select(func.max(m.AuditEvent.id))
        .where(m.AuditEvent.entity == entity, m.AuditEvent.entity_key.in_(keys), m.AuditEvent.action != "refused")
        .group_by(m.AuditEvent.entity_key)
    )
    query = select(m.AuditEvent.entity_key, m.AuditEvent.actor, m.AuditEvent.action).where(m.AuditEvent.id.in_(newest))
    return {key: (actor, action) for key, actor, action in await session.execute(query)}
