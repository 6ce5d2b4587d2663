"""Reading the store: what the matcher indexes, the topics an answer shows, and records for export.

Functions take an open AsyncSession and never commit: the service owns the transaction. Writing lives beside
this module (importing, guilds, query_log, review, audit).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.db import models as m
from store.db import speaker_aliases, superseding
from store.db.rows import topic_record
from store.matching.index import IndexDoc
from store.matching.speakers import NAME_SEPARATOR
from store.records import SpeakerKind, Stance, StatementKind, Status, TopicRecord, TopicStatus
from store.views import Figure, Speaker, StatementView, TopicView

# -- reading for the index ----------------------------------------------------------------------------


async def index_docs(session: AsyncSession, topic_ids: Iterable[int] | None = None) -> list[IndexDoc]:
    """What the matcher indexes of each open topic: title, aliases and its published statements."""
    topics = select(m.Topic.id, m.Topic.title).where(m.Topic.status == TopicStatus.OPEN.value)
    aliases = select(m.TopicAlias.topic_id, m.TopicAlias.text).order_by(m.TopicAlias.position)
    statements = (
        select(
            m.Statement.topic_id,
            m.Statement.text,
            m.Speaker.name,
            m.Speaker.descriptor,
            m.Speaker.affiliation,
            m.Outlet.name,
        )
        .join(m.Speaker, m.Statement.speaker_id == m.Speaker.id)
        .outerjoin(m.Outlet, m.Statement.outlet_id == m.Outlet.id)
        .where(m.Statement.status == Status.PUBLISHED.value)
        .order_by(m.Statement.topic_id, m.Statement.position)
    )
    if topic_ids is not None:
        ids = list(topic_ids)
        topics = topics.where(m.Topic.id.in_(ids))
        aliases = aliases.where(m.TopicAlias.topic_id.in_(ids))
        statements = statements.where(m.Statement.topic_id.in_(ids))
    parts: dict[int, tuple[str, list[str], list[str], list[str], list[str]]] = {
        topic_id: (title, [], [], [], []) for topic_id, title in (await session.execute(topics))
    }
    for topic_id, text in await session.execute(aliases):
        if topic_id in parts:
            parts[topic_id][1].append(text)
    aliases_of = await speaker_aliases.alias_lookup(session)
    for topic_id, text, speaker, descriptor, affiliation, outlet in await session.execute(statements):
        if topic_id in parts:
            _, _, texts, speakers, outlets = parts[topic_id]
            texts.append(text)
            # every name the speaker goes by, which "what did X say" is matched with (store/matching/speakers.py)
            names = (speaker, descriptor, affiliation, *aliases_of(speaker))
            speakers.append(NAME_SEPARATOR.join(part for part in names if part))
            if outlet:
                outlets.append(outlet)
    return [
        IndexDoc(topic_id, title, aliases_, texts, _unique(speakers), _unique(outlets))
        for topic_id, (title, aliases_, texts, speakers, outlets) in parts.items()
    ]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- reading for answers ------------------------------------------------------------------------------


def _topic_query() -> Select[m.Topic]:
    return select(m.Topic).options(
        selectinload(m.Topic.aliases),
        selectinload(m.Topic.statements).selectinload(m.Statement.figures),
    )


async def topic_views(session: AsyncSession, topic_ids: Sequence[int]) -> dict[int, TopicView]:
    rows = (await session.scalars(_topic_query().where(m.Topic.id.in_(topic_ids)))).all()
    return {t.id: to_view(t) for t in rows}


async def topic_slugs(session: AsyncSession) -> dict[int, str]:
    """Every topic's slug by id (benchmarks map topics back to the collection's own ids)."""
    return {topic_id: slug for topic_id, slug in await session.execute(select(m.Topic.id, m.Topic.slug))}


async def topic_id_by_slug(session: AsyncSession, slug: str) -> int | None:
    """The topic a slug names; a merged topic's slug names the topic it was merged into."""
    found = await session.scalar(select(func.coalesce(m.Topic.merged_into_id, m.Topic.id)).where(m.Topic.slug == slug))
    return int(found) if found is not None else None


async def topic_ids_by_slugs(session: AsyncSession, slugs: Iterable[str]) -> list[int]:
    return list((await session.scalars(select(m.Topic.id).where(m.Topic.slug.in_(list(slugs))))).all())


def to_view(topic: m.Topic) -> TopicView:
    return TopicView(
        id=topic.id,
        slug=topic.slug,
        title=topic.title,
        aliases=tuple(a.text for a in topic.aliases),
        tags=tuple(topic.tags or ()),
        statements=superseding.answer_statements(topic.statements, _statement_view),
    )


def _statement_view(s: m.Statement) -> StatementView:
    return StatementView(
        id=s.id,
        uid=s.uid,
        text=s.text,
        kind=StatementKind(s.kind),
        speaker=Speaker(s.speaker.name, SpeakerKind(s.speaker.kind), s.speaker.descriptor, s.speaker.affiliation),
        outlet=s.outlet.name if s.outlet else None,
        outlet_url=s.outlet.url if s.outlet else None,
        cue=s.cue,
        date=s.said_on or s.published_on,
        url=s.url,
        stance=Stance(s.stance),
        figures=tuple(Figure(f.value, f.unit, f.counted, f.as_of, f.approximate) for f in s.figures),
        status=Status(s.status),
        supersedes=s.supersedes_id,
        speaker_role=s.speaker_role,
        version=s.version,
    )


# -- records out --------------------------------------------------------------------------------------


async def export_records(session: AsyncSession, batch: int = 500) -> AsyncIterator[TopicRecord]:
    """Every topic as a record, with what moderation added: supersedes, speakers' aliases and roles, merges."""
    profiles = {p.name_key: p for p in await session.scalars(select(m.SpeakerProfile))}
    last = 0
    while True:
        query = _topic_query().where(m.Topic.id > last).order_by(m.Topic.id).limit(batch)
        topics = (await session.scalars(query)).all()
        if not topics:
            return
        targets = {t.merged_into_id for t in topics if t.merged_into_id is not None}
        slugs = dict((await session.execute(select(m.Topic.id, m.Topic.slug).where(m.Topic.id.in_(targets)))).all())
        for topic in topics:
            merged_into = slugs.get(topic.merged_into_id) if topic.merged_into_id is not None else None
            yield topic_record(topic, merged_into=merged_into, profiles=profiles)
        last = topics[-1].id


async def topic_by_slug(session: AsyncSession, slug: str) -> m.Topic | None:
    topic: m.Topic | None = await session.scalar(_topic_query().where(m.Topic.slug == slug))
    return topic


async def count_statements(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count(m.Statement.id))) or 0)
