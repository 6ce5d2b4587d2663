"""Moderators' changes to topics (statements: curation_statements.py), each with its audit event in the same
transaction.

Functions take a session inside a transaction the service opened and never commit: if the change or its
event fails, neither is written. Each returns what it changed and the ids of the topics whose answers the
change touched, which the service re-indexes at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.curation import checked_actor, checked_aliases, checked_slug, checked_tags, required_text
from store.curation_views import TopicDetail, TopicState, TopicSummary
from store.db import curation_rows as rows
from store.db import models as m
from store.db.audit import audit
from store.db.curation_rows import Written
from store.errors import InvalidInput, TopicNotFound
from store.matching.text import fold
from store.records import Status, TopicStatus

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
    audit(
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
    audit(
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
    audit(
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
    audit(session, actor=actor, action="merge", entity="topic", key=source.slug, before=before, after=after)
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


async def alias_owners(session: AsyncSession, aliases: Sequence[str], topic_id: int | None) -> dict[str, str]:
    """Which of `aliases` already belong to another open topic (folded alias -> its slug): an alias names one
    open topic, so a question asked that way must not find two."""
    if not aliases:
        return {}
    query = (
        select(m.TopicAlias.text, m.Topic.slug)
        .join(m.Topic, m.Topic.id == m.TopicAlias.topic_id)
        .where(func.lower(m.TopicAlias.text).in_({a.lower() for a in aliases}))
        .where(m.Topic.status == TopicStatus.OPEN.value, m.Topic.merged_into_id.is_(None))
    )
    if topic_id is not None:
        query = query.where(m.Topic.id != topic_id)
    return {fold(text): slug for text, slug in await session.execute(query)}


async def _refuse_aliases_of_others(session: AsyncSession, aliases: Sequence[str], topic_id: int | None) -> None:
    owners = await alias_owners(session, aliases, topic_id)
    for alias in aliases:
        if fold(alias) in owners:
            raise InvalidInput("aliases", f"aliases: {alias!r} already belongs to topic {owners[fold(alias)]!r}.")
