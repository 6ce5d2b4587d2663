"""All SQL of the store: reading topics for the index and for answers, writing records with their audit trail.

Functions take an open AsyncSession and never commit: the service owns the transaction, so a failure
anywhere rolls back everything the operation touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast, overload

from sqlalchemy import Select, Table, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.db import models as m
from store.matching.index import IndexDoc
from store.matching.speakers import NAME_SEPARATOR
from store.matching.text import fold
from store.records import (
    FigureRecord,
    OutletRecord,
    SpeakerKind,
    SpeakerRecord,
    Stance,
    StatementKind,
    StatementRecord,
    Status,
    TopicRecord,
    TopicStatus,
)
from store.views import (
    FeedbackEntry,
    Figure,
    GuildSettings,
    QueryLogEntry,
    Speaker,
    StatementView,
    TopicView,
)

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
        tid: (title, [], [], [], []) for tid, title in (await session.execute(topics))
    }
    for tid, text in await session.execute(aliases):
        if tid in parts:
            parts[tid][1].append(text)
    for tid, text, speaker, descriptor, affiliation, outlet in await session.execute(statements):
        if tid in parts:
            _, _, texts, speakers, outlets = parts[tid]
            texts.append(text)
            # every name the speaker goes by, which "what did X say" is matched with (store/matching/speakers.py)
            speakers.append(NAME_SEPARATOR.join(part for part in (speaker, descriptor, affiliation) if part))
            if outlet:
                outlets.append(outlet)
    return [
        IndexDoc(tid, title, aliases_, texts, _unique(speakers), _unique(outlets))
        for tid, (title, aliases_, texts, speakers, outlets) in parts.items()
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
    return {tid: slug for tid, slug in await session.execute(select(m.Topic.id, m.Topic.slug))}


async def topic_id_by_slug(session: AsyncSession, slug: str) -> int | None:
    return await session.scalar(select(m.Topic.id).where(m.Topic.slug == slug))


def to_view(topic: m.Topic) -> TopicView:
    published = [s for s in topic.statements if s.status == Status.PUBLISHED.value]
    return TopicView(
        id=topic.id,
        slug=topic.slug,
        title=topic.title,
        aliases=tuple(a.text for a in topic.aliases),
        tags=tuple(topic.tags or ()),
        statements=tuple(_statement_view(s) for s in published),
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
    )


# -- records in and out -------------------------------------------------------------------------------


def speaker_key(r: SpeakerRecord) -> str:
    return "|".join(fold(x or "") for x in (r.name, r.kind.value, r.descriptor, r.affiliation))


class EntityCache:
    """Speakers and outlets already looked up or created in one session, by dedup key.

    A bulk import names the same few speakers and outlets thousands of times; with the cache each is read
    (or created) once per transaction instead of once per statement. Same rows, same result.
    """

    def __init__(self) -> None:
        self.speakers: dict[str, m.Speaker] = {}
        self.outlets: dict[str, m.Outlet] = {}


async def prefetch_entities(
    session: AsyncSession, statements: Sequence[StatementRecord], cache: EntityCache, chunk: int = 500
) -> None:
    """Read every speaker and outlet that `statements` name in a few queries, and add the missing ones in
    one flush, into `cache`: the rows `_speaker` and `_outlet` would make one statement at a time."""
    speakers: dict[str, SpeakerRecord] = {}
    outlet_names: dict[str, str] = {}
    outlet_urls: dict[str, str] = {}  # the first URL given for each outlet fills a missing one
    for sr in statements:
        speakers.setdefault(speaker_key(sr.speaker), sr.speaker)
        if sr.outlet is not None:
            key = fold(sr.outlet.name)
            outlet_names.setdefault(key, sr.outlet.name)
            if sr.outlet.url:
                outlet_urls.setdefault(key, sr.outlet.url)
    keys = list(speakers)
    for i in range(0, len(keys), chunk):
        query = select(m.Speaker).where(m.Speaker.key.in_(keys[i : i + chunk]))
        cache.speakers.update((row.key, row) for row in await session.scalars(query))
    keys = list(outlet_names)
    for i in range(0, len(keys), chunk):
        outlets = select(m.Outlet).where(m.Outlet.key.in_(keys[i : i + chunk]))
        cache.outlets.update((row.key, row) for row in await session.scalars(outlets))
    for key, r in speakers.items():
        if key not in cache.speakers:
            row = m.Speaker(key=key, name=r.name, kind=r.kind.value, descriptor=r.descriptor, affiliation=r.affiliation)
            cache.speakers[key] = row
            session.add(row)
    for key, name in outlet_names.items():
        outlet = cache.outlets.get(key)
        if outlet is None:
            cache.outlets[key] = outlet = m.Outlet(key=key, name=name, url=outlet_urls.get(key))
            session.add(outlet)
        elif not outlet.url and key in outlet_urls:
            outlet.url = outlet_urls[key]
    await session.flush()


async def _speaker(session: AsyncSession, r: SpeakerRecord, cache: EntityCache | None = None) -> m.Speaker:
    key = speaker_key(r)
    if cache is not None and key in cache.speakers:
        return cache.speakers[key]
    found = await session.scalar(select(m.Speaker).where(m.Speaker.key == key))
    if found is None:
        found = m.Speaker(key=key, name=r.name, kind=r.kind.value, descriptor=r.descriptor, affiliation=r.affiliation)
        session.add(found)
        await session.flush()
    if cache is not None:
        cache.speakers[key] = found
    return found


async def _outlet(session: AsyncSession, r: OutletRecord | None, cache: EntityCache | None = None) -> m.Outlet | None:
    if r is None:
        return None
    key = fold(r.name)
    found = cache.outlets.get(key) if cache is not None else None
    if found is None:
        found = await session.scalar(select(m.Outlet).where(m.Outlet.key == key))
    if found is None:
        found = m.Outlet(key=key, name=r.name, url=r.url)
        session.add(found)
        await session.flush()
    elif r.url and not found.url:
        found.url = r.url
    if cache is not None:
        cache.outlets[key] = found
    return found


def statement_record(s: m.Statement) -> StatementRecord:
    return StatementRecord(
        uid=s.uid,
        text=s.text,
        kind=StatementKind(s.kind),
        speaker=SpeakerRecord(
            name=s.speaker.name,
            kind=SpeakerKind(s.speaker.kind),
            descriptor=s.speaker.descriptor,
            affiliation=s.speaker.affiliation,
        ),
        outlet=OutletRecord(name=s.outlet.name, url=s.outlet.url) if s.outlet else None,
        cue=s.cue,
        said_on=s.said_on,
        published_on=s.published_on,
        url=s.url,
        stance=Stance(s.stance),
        figures=[
            FigureRecord(value=f.value, unit=f.unit, counted=f.counted, as_of=f.as_of, approximate=f.approximate)
            for f in s.figures
        ],
        status=Status(s.status),
        retraction_reason=s.retraction_reason,
        note=s.note,
        version=s.version,
        created_by=s.created_by,
        created_at=as_utc(s.created_at),
        updated_by=s.updated_by,
        updated_at=as_utc(s.updated_at),
    )


def topic_record(t: m.Topic, *, with_statements: bool = True) -> TopicRecord:
    return TopicRecord(
        slug=t.slug,
        title=t.title,
        aliases=[a.text for a in t.aliases],
        tags=list(t.tags or ()),
        status=TopicStatus(t.status),
        statements=[statement_record(s) for s in t.statements] if with_statements else [],
        created_by=t.created_by,
        created_at=as_utc(t.created_at),
        updated_at=as_utc(t.updated_at),
    )


@overload
def as_utc(value: dt.datetime) -> dt.datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


async def export_records(session: AsyncSession, batch: int = 500) -> AsyncIterator[TopicRecord]:
    last = 0
    while True:
        query = _topic_query().where(m.Topic.id > last).order_by(m.Topic.id).limit(batch)
        topics = (await session.scalars(query)).all()
        if not topics:
            return
        for topic in topics:
            yield topic_record(topic)
        last = topics[-1].id


async def topic_by_slug(session: AsyncSession, slug: str) -> m.Topic | None:
    topic: m.Topic | None = await session.scalar(_topic_query().where(m.Topic.slug == slug))
    return topic


async def existing_slugs(session: AsyncSession, slugs: Iterable[str], chunk: int = 500) -> set[str]:
    """Which of `slugs` already name a topic (looked up in chunks: one query per `chunk` slugs)."""
    wanted = list(dict.fromkeys(slugs))
    found: set[str] = set()
    for i in range(0, len(wanted), chunk):
        query = select(m.Topic.slug).where(m.Topic.slug.in_(wanted[i : i + chunk]))
        found.update((await session.scalars(query)).all())
    return found


async def existing_uids(session: AsyncSession, uids: Iterable[str], chunk: int = 500) -> set[str]:
    """Which of `uids` already name a statement."""
    wanted = list(dict.fromkeys(uids))
    found: set[str] = set()
    for i in range(0, len(wanted), chunk):
        query = select(m.Statement.uid).where(m.Statement.uid.in_(wanted[i : i + chunk]))
        found.update((await session.scalars(query)).all())
    return found


@dataclass
class NewTopics:
    """Topics that don't exist yet, with their statements, as plain rows for multi-row INSERTs.

    Rows are keyed by topic slug until the topics have ids. `audits` are the audit events of the batch, in
    the order the per-record path would have written them.
    """

    topics: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    statements: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.topics)


def _table(model: type[m.Base]) -> Table:
    # Declarative models map to one Table each; the stubs type __table__ as the wider FromClause.
    return cast(Table, model.__table__)


async def write_new_topics(session: AsyncSession, new: NewTopics) -> dict[str, int]:
    """Insert a batch of new topics (after anything the ORM still holds); returns slug -> topic id."""
    await session.flush()
    ids: dict[str, int] = {}
    topics, statements = _table(m.Topic), _table(m.Statement)
    if new.topics:
        result = await session.execute(insert(topics).returning(topics.c.slug, topics.c.id), new.topics)
        ids = {slug: tid for slug, tid in result}
    if new.aliases:
        rows = [{**row, "topic_id": ids[slug]} for slug, row in new.aliases]
        await session.execute(insert(_table(m.TopicAlias)), rows)
    with_figures = [(slug, row, figures) for slug, row, figures in new.statements if figures]
    plain = [{**row, "topic_id": ids[slug]} for slug, row, figures in new.statements if not figures]
    if plain:
        await session.execute(insert(statements), plain)
    if with_figures:
        rows = [{**row, "topic_id": ids[slug]} for slug, row, _ in with_figures]
        result = await session.execute(insert(statements).returning(statements.c.uid, statements.c.id), rows)
        statement_ids = {uid: sid for uid, sid in result}
        figure_rows = [
            {**figure, "statement_id": statement_ids[row["uid"]]}
            for _, row, figures in with_figures
            for figure in figures
        ]
        await session.execute(insert(_table(m.Figure)), figure_rows)
    if new.audits:
        await session.execute(insert(_table(m.AuditEvent)), new.audits)
    return ids


async def statement_by_uid(session: AsyncSession, uid: str) -> m.Statement | None:
    query = select(m.Statement).options(selectinload(m.Statement.figures)).where(m.Statement.uid == uid)
    return await session.scalar(query)


async def fill_statement(
    session: AsyncSession, row: m.Statement, r: StatementRecord, cache: EntityCache | None = None
) -> None:
    """Copy a record's content onto a statement row (identity and bookkeeping are the caller's)."""
    row.text = r.text
    row.kind = r.kind.value
    row.speaker = await _speaker(session, r.speaker, cache)
    row.outlet = await _outlet(session, r.outlet, cache)
    row.cue = r.cue
    row.said_on = r.said_on
    row.published_on = r.published_on
    row.url = r.url
    row.stance = r.stance.value
    row.status = r.status.value
    row.retraction_reason = r.retraction_reason
    row.note = r.note
    row.figures = [
        m.Figure(
            position=i,
            value=f.value,
            unit=f.unit,
            counted=f.counted,
            as_of=f.as_of,
            approximate=f.approximate,
        )
        for i, f in enumerate(r.figures)
    ]


def content_of(r: StatementRecord) -> dict[str, Any]:
    """A statement record without its bookkeeping: what an edit compares."""
    return r.model_dump(mode="json", exclude={"version", "created_by", "created_at", "updated_by", "updated_at"})


def audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity: str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(m.AuditEvent(actor=actor, action=action, entity=entity, entity_key=key, before=before, after=after))


async def last_audit_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(m.AuditEvent.id), 0))) or 0)


async def topics_changed_since(session: AsyncSession, audit_id: int) -> tuple[int, set[str]]:
    """Slugs of topics touched by audit events after `audit_id`, and the newest event id."""
    rows = await session.execute(
        select(m.AuditEvent.id, m.AuditEvent.entity, m.AuditEvent.entity_key, m.AuditEvent.after)
        .where(m.AuditEvent.id > audit_id)
        .order_by(m.AuditEvent.id)
    )
    newest, slugs = audit_id, set()
    for event_id, entity, key, after in rows:
        newest = event_id
        if entity == "topic":
            slugs.add(key)
        elif entity == "statement" and after and after.get("topic"):
            slugs.add(after["topic"])
    return newest, slugs


async def count_statements(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count(m.Statement.id))) or 0)


# -- query log ----------------------------------------------------------------------------------------


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


async def write_query_events(session: AsyncSession, events: Sequence[QueryLogEntry | FeedbackEntry]) -> None:
    logs = [
        {
            "uid": e.uid,
            "source": e.source,
            "guild_id": e.guild_id,
            "channel_id": e.channel_id,
            "user_hash": e.user_hash,
            "text": e.text,
            "matches": e.matches,
            "outcome": e.outcome,
            "latency_ms": e.latency_ms,
            "created_at": e.created_at,
            "review_state": "new",
        }
        for e in events
        if isinstance(e, QueryLogEntry)
    ]
    # a user's later verdict on the same answer replaces the earlier one (also within one batch)
    latest = {(e.query_uid, e.user_hash): e for e in events if isinstance(e, FeedbackEntry)}
    feedback = [
        {"query_uid": e.query_uid, "helpful": e.helpful, "user_hash": e.user_hash, "created_at": e.created_at}
        for e in latest.values()
    ]
    if logs:
        # a batch retried after an ambiguous failure must not fail on rows that did land
        await session.execute(_insert(session, m.QueryLog).values(logs).on_conflict_do_nothing(index_elements=["uid"]))
    if feedback:
        insert_ = _insert(session, m.QueryFeedback).values(feedback)
        verdict = {"helpful": insert_.excluded.helpful, "created_at": insert_.excluded.created_at}
        await session.execute(insert_.on_conflict_do_update(index_elements=["query_uid", "user_hash"], set_=verdict))


# -- guild settings -----------------------------------------------------------------------------------


def guild_view(row: m.GuildSettings | None, guild_id: int) -> GuildSettings:
    if row is None:
        return GuildSettings(guild_id=guild_id)
    return GuildSettings(
        guild_id=guild_id,
        prefix=row.prefix,
        answer_channel_ids=tuple(int(c) for c in row.answer_channel_ids or ()),
        ephemeral=row.ephemeral,
    )
