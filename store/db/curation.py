"""Moderators' changes to topics and statements, each with its audit event in the same transaction.

Functions take a session inside a transaction the service opened and never commit: if the change or its
event fails, neither is written. Each returns what it changed and the ids of the topics whose answers the
change touched, which the service re-indexes at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.curation import (
    StatementChanges,
    StatementDraft,
    checked_actor,
    checked_aliases,
    checked_draft,
    checked_slug,
    checked_tags,
    required_text,
    statement_record,
)
from store.curation_views import StatementDetail, TopicDetail, TopicState, TopicSummary
from store.db import curation_rows as rows
from store.db import models as m
from store.db import repository as repo
from store.errors import InvalidInput, TopicNotFound
from store.matching.text import fold
from store.records import Status, TopicStatus

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Written(Generic[T]):
    """A change's result and the topics whose answers it touched."""

    result: T
    topic_ids: tuple[int, ...]


# -- topics --------------------------------------------------------------------------------------------


async def add_topic(
    session: AsyncSession, slug: str, title: str, aliases: Sequence[str], tags: Sequence[str], actor: str
) -> Written[TopicDetail]:
    actor = checked_actor(actor)
    slug, title = checked_slug(slug), required_text("title", title)
    alias_texts, tag_texts = checked_aliases("aliases", aliases), checked_tags(tags)
    if await session.scalar(select(m.Topic.id).where(m.Topic.slug == slug)) is not None:
        raise InvalidInput("slug", f"slug: there is already a topic {slug!r}.")
    await _refuse_aliases_of_others(session, alias_texts, None)
    now = m.utcnow()
    topic = m.Topic(
        slug=slug,
        title=title,
        tags=tag_texts,
        status=TopicStatus.OPEN.value,
        version=1,
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
        aliases=[m.TopicAlias(text=a, position=i) for i, a in enumerate(alias_texts)],
        statements=[],
    )
    session.add(topic)
    await session.flush()
    repo.audit(
        session, actor=actor, action="create", entity="topic", key=slug, before=None, after=rows.topic_state(topic)
    )
    return Written(await rows.topic_detail(session, topic), (topic.id,))


async def edit_topic(
    session: AsyncSession,
    slug: str,
    *,
    version: int | None,
    title: str | None,
    add_aliases: Sequence[str],
    remove_aliases: Sequence[str],
    tags: Sequence[str] | None,
    actor: str,
) -> Written[TopicDetail]:
    actor = checked_actor(actor)
    new_title = required_text("title", title) if title is not None else None
    adding, removing = checked_aliases("aliases", add_aliases), checked_aliases("remove_aliases", remove_aliases)
    new_tags = checked_tags(tags) if tags is not None else None
    topic = await rows.topic_for_change(session, slug)
    rows.check_topic_version(topic, version)
    before = rows.topic_state(topic)
    own = {fold(a.text): a for a in topic.aliases}
    for alias in removing:
        if fold(alias) not in own:
            raise InvalidInput("remove_aliases", f"remove_aliases: {alias!r} is not an alias of {topic.slug!r}.")
    gone = {fold(a) for a in removing}
    adding = [a for a in adding if fold(a) not in own or fold(a) in gone]
    await _refuse_aliases_of_others(session, adding, topic.id)
    for key in gone:
        topic.aliases.remove(own[key])
    await session.flush()  # removed before re-added, so an alias re-cased in one edit doesn't collide
    for alias in adding:
        topic.aliases.append(m.TopicAlias(text=alias, position=0))
    for i, alias_row in enumerate(topic.aliases):
        alias_row.position = i
    if new_title is not None:
        topic.title = new_title
    if new_tags is not None:
        topic.tags = new_tags
    if rows.topic_state(topic) == before:
        return Written(await rows.topic_detail(session, topic), ())
    rows.touch_topic(topic, actor)
    await session.flush()
    repo.audit(
        session,
        actor=actor,
        action="update",
        entity="topic",
        key=topic.slug,
        before=before,
        after=rows.topic_state(topic),
    )
    return Written(await rows.topic_detail(session, topic), (topic.id,))


async def retire_topic(
    session: AsyncSession, slug: str, *, reason: str, version: int | None, actor: str
) -> Written[TopicDetail]:
    actor, reason = checked_actor(actor), required_text("reason", reason)
    topic = await rows.topic_for_change(session, slug)
    rows.check_topic_version(topic, version)
    if rows.state_of(topic) is TopicState.RETIRED:
        raise InvalidInput("slug", f"slug: topic {topic.slug!r} is already retired.")
    before = rows.topic_state(topic)
    topic.status = TopicStatus.ARCHIVED.value
    topic.retired_reason = reason
    rows.touch_topic(topic, actor)
    await session.flush()
    repo.audit(
        session,
        actor=actor,
        action="retire",
        entity="topic",
        key=topic.slug,
        before=before,
        after=rows.topic_state(topic),
    )
    return Written(await rows.topic_detail(session, topic), (topic.id,))


async def merge_topics(session: AsyncSession, from_slug: str, into_slug: str, *, actor: str) -> Written[TopicDetail]:
    """FROM's statements and aliases (and its title, as an alias) move into INTO; FROM is archived and its
    slug resolves to INTO from now on."""
    actor = checked_actor(actor)
    source_id = await session.scalar(select(m.Topic.id).where(m.Topic.slug == from_slug))
    if source_id is None:
        raise TopicNotFound(f"There is no topic {from_slug!r}.")
    target_id = await rows.resolve_topic_id(session, into_slug)
    if target_id == source_id:
        raise InvalidInput("into", f"into: a topic can't be merged into itself ({from_slug!r}).")
    await rows.lock_topics(session, [source_id, target_id])
    source, target = await rows.load_topic(session, source_id), await rows.load_topic(session, target_id)
    if source.merged_into_id is not None:
        into = await rows.slug_of(session, source.merged_into_id)
        raise InvalidInput("from", f"from: topic {from_slug!r} was already merged into {into!r}.")
    if rows.state_of(target) is not TopicState.OPEN:
        raise InvalidInput(
            "into", f"into: topic {target.slug!r} is {rows.state_of(target).value}; merge into an open one."
        )
    before = rows.topic_state(source)
    moved = [s.uid for s in source.statements]
    offset = await rows.next_position(session, target.id)
    now = m.utcnow()
    await session.execute(
        update(m.Statement)
        .where(m.Statement.topic_id == source.id)
        .values(
            topic_id=target.id,
            position=m.Statement.position + offset,
            version=m.Statement.version + 1,
            updated_by=actor,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire(source, ["statements"])  # they belong to INTO now
    known = {fold(a.text) for a in target.aliases} | {fold(target.title)}
    carried = [text for text in [source.title, *(a.text for a in source.aliases)] if fold(text) not in known]
    carried = list({fold(t): t for t in carried}.values())
    source.aliases.clear()
    await session.flush()
    for alias in carried:
        target.aliases.append(m.TopicAlias(text=alias, position=len(target.aliases)))
    await session.execute(  # topics merged into FROM earlier now resolve to INTO directly
        update(m.Topic)
        .where(m.Topic.merged_into_id == source.id)
        .values(merged_into_id=target.id)
        .execution_options(synchronize_session=False)
    )
    source.status = TopicStatus.ARCHIVED.value
    source.merged_into_id = target.id
    rows.touch_topic(source, actor)
    rows.touch_topic(target, actor)
    await session.flush()
    after = {**rows.topic_state(source, target.slug), "moved_statements": moved, "moved_aliases": carried}
    repo.audit(session, actor=actor, action="merge", entity="topic", key=source.slug, before=before, after=after)
    target = await rows.load_topic(session, target.id)
    return Written(await rows.topic_detail(session, target), (source.id, target.id))


async def topic_detail(session: AsyncSession, slug: str) -> TopicDetail:
    """A topic of any state with every statement; a merged slug gives the topic it went into."""
    topic = await rows.load_topic(session, await rows.resolve_topic_id(session, slug))
    return await rows.topic_detail(session, topic)


async def list_topics(session: AsyncSession, *, include_retired: bool) -> list[TopicSummary]:
    published = (
        select(m.Statement.topic_id, func.count(m.Statement.id).label("n"))
        .where(m.Statement.status == Status.PUBLISHED.value)
        .group_by(m.Statement.topic_id)
        .subquery()
    )
    query = (
        select(m.Topic, func.coalesce(published.c.n, 0))
        .outerjoin(published, published.c.topic_id == m.Topic.id)
        .order_by(m.Topic.slug)
    )
    if not include_retired:
        query = query.where(m.Topic.status == TopicStatus.OPEN.value, m.Topic.merged_into_id.is_(None))
    found = (await session.execute(query)).all()
    targets = {t.merged_into_id for t, _ in found if t.merged_into_id is not None}
    slugs = dict((await session.execute(select(m.Topic.id, m.Topic.slug).where(m.Topic.id.in_(targets)))).all())
    return [
        TopicSummary(
            t.id,
            t.slug,
            t.title,
            rows.state_of(t),
            t.version,
            int(n),
            slugs.get(t.merged_into_id) if t.merged_into_id is not None else None,
        )
        for t, n in found
    ]


async def _refuse_aliases_of_others(session: AsyncSession, aliases: Sequence[str], topic_id: int | None) -> None:
    """An alias names one open topic: a question asked that way must not find two."""
    if not aliases:
        return
    query = (
        select(m.TopicAlias.text, m.Topic.slug)
        .join(m.Topic, m.Topic.id == m.TopicAlias.topic_id)
        .where(func.lower(m.TopicAlias.text).in_({a.lower() for a in aliases}))
        .where(m.Topic.status == TopicStatus.OPEN.value, m.Topic.merged_into_id.is_(None))
    )
    if topic_id is not None:
        query = query.where(m.Topic.id != topic_id)
    owners = {fold(text): slug for text, slug in await session.execute(query)}
    for alias in aliases:
        if fold(alias) in owners:
            raise InvalidInput("aliases", f"aliases: {alias!r} already belongs to topic {owners[fold(alias)]!r}.")


# -- statements ----------------------------------------------------------------------------------------


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
    await repo.fill_statement(session, row, statement_record(checked, uid=uid))
    session.add(row)
    await session.flush()
    repo.audit(
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
    stored = repo.statement_record(row)
    record = statement_record(checked, uid=row.uid, base=stored)
    unchanged = (repo.content_of(record), checked.supersedes, checked.role) == (
        repo.content_of(stored),
        row.supersedes_id,
        row.speaker_role,
    )
    if unchanged:  # nothing to write: no new version, no event
        return Written(rows.statement_detail(row, slug, await rows.superseded_by(session, row.id)), ())
    await repo.fill_statement(session, row, record)
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
    repo.audit(session, actor=actor, action=action, entity="statement", key=row.uid, before=before, after=after)
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
