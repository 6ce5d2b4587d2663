"""Writing an import: topic records become topics, statements and audit events, in the caller's transaction.

A topic whose slug and statement uids are new (to the database and to this import so far) is staged as plain
rows and inserted in batches, with no per-record look-ups; any other record goes through the per-record
upsert. Both write the same rows and the same audit events, in record order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.db import entities
from store.db import models as m
from store.db.audit import audit, event_row
from store.db.entities import EntityCache
from store.db.repository import topic_by_slug
from store.db.rows import (
    audit_json,
    content_columns,
    content_of,
    figure_columns,
    new_bookkeeping,
    outlet_record,
    speaker_record,
    statement_record,
    topic_record,
)
from store.errors import ImportRejected
from store.matching.text import fold
from store.records import AuditAction, AuditEntity, StatementRecord, TopicRecord
from store.views import ImportReport

BATCH = 1000  # new topics staged before they are inserted


@dataclass(frozen=True, slots=True)
class Imported:
    report: ImportReport
    topic_ids: list[int]  # every topic the import touched, in record order


async def import_records(session: AsyncSession, records: Sequence[TopicRecord], *, actor: str) -> Imported:
    """Create or update topics from `records`; the caller's transaction makes it all land or none."""
    created = updated = written = 0
    touched: list[int | str] = []  # topic ids, or slugs of topics not inserted yet
    ids: dict[str, int] = {}
    known_slugs = await existing_slugs(session, [r.slug for r in records])
    known_uids = await existing_uids(session, [s.uid for r in records for s in r.statements if s.uid])
    cache = EntityCache()
    await entities.prefetch(session, [s for r in records for s in r.statements], cache)
    batch = NewTopics()
    for record in records:
        uids = [s.uid for s in record.statements if s.uid]
        if record.slug in known_slugs or any(uid in known_uids for uid in uids):
            ids.update(await write_new_topics(session, batch))  # what came before, first
            batch = NewTopics()
            topic_id, is_new, n = await _upsert_topic(session, record, actor, cache)
            touched.append(topic_id)
        else:
            n = await _stage_new_topic(session, record, actor, cache, batch)
            touched.append(record.slug)
            is_new = True
            if len(batch) >= BATCH:
                ids.update(await write_new_topics(session, batch))
                batch = NewTopics()
        known_slugs.add(record.slug)
        known_uids.update(uids)
        created += is_new
        updated += not is_new
        written += n
    ids.update(await write_new_topics(session, batch))
    await _link_supersedes(session, records)
    await _link_merges(session, records)
    await _add_speaker_profiles(session, records, actor)
    return Imported(ImportReport(created, updated, written), [t if isinstance(t, int) else ids[t] for t in touched])


async def existing_slugs(session: AsyncSession, slugs: Sequence[str], chunk: int = 500) -> set[str]:
    """Which of `slugs` already name a topic (looked up in chunks: one query per `chunk` slugs)."""
    wanted = list(dict.fromkeys(slugs))
    found: set[str] = set()
    for i in range(0, len(wanted), chunk):
        query = select(m.Topic.slug).where(m.Topic.slug.in_(wanted[i : i + chunk]))
        found.update((await session.scalars(query)).all())
    return found


async def existing_uids(session: AsyncSession, uids: Sequence[str], chunk: int = 500) -> set[str]:
    """Which of `uids` already name a statement."""
    wanted = list(dict.fromkeys(uids))
    found: set[str] = set()
    for i in range(0, len(wanted), chunk):
        query = select(m.Statement.uid).where(m.Statement.uid.in_(wanted[i : i + chunk]))
        found.update((await session.scalars(query)).all())
    return found


# -- new topics, in bulk ------------------------------------------------------------------------------


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


async def _stage_new_topic(
    session: AsyncSession, record: TopicRecord, actor: str, cache: EntityCache, batch: NewTopics
) -> int:
    """Queue a topic that doesn't exist yet (the caller checked its slug and uids) as rows for a bulk
    INSERT: the same rows and audit events that `_upsert_topic` writes for a new slug."""
    now = m.utcnow()
    created = {
        "version": record.version,
        "created_by": record.created_by or actor,
        "created_at": record.created_at or now,
        "updated_by": record.updated_by or record.created_by or actor,
        "updated_at": record.updated_at or now,
    }
    columns = {
        "slug": record.slug,
        "title": record.title,
        "tags": list(record.tags),
        "status": record.status.value,
        "retired_reason": record.retired_reason,
    }
    batch.topics.append(columns | created)
    aliases = _unique_aliases(record.aliases)
    batch.aliases.extend((record.slug, {"text": alias, "position": i}) for i, alias in enumerate(aliases))
    for position, sr in enumerate(record.statements):
        uid = sr.uid or _new_uid()
        speaker = await entities.speaker(session, sr.speaker, cache)
        outlet = await entities.outlet(session, sr.outlet, cache)
        bookkeeping = new_bookkeeping(sr, actor)
        row = {
            "uid": uid,
            "position": position,
            **content_columns(sr),
            "speaker_id": speaker.id,
            "outlet_id": outlet.id if outlet else None,
            **bookkeeping,
        }
        batch.statements.append((record.slug, row, figure_columns(sr)))
        # the record as it is stored, without reading it back: what the per-record path's audit holds
        stored = sr.model_copy(
            update={
                "uid": uid,
                "speaker": speaker_record(speaker),
                "outlet": outlet_record(outlet),
                **{k: bookkeeping[k] for k in ("created_by", "created_at", "updated_by", "updated_at")},
            }
        )
        after = {**audit_json(stored), "topic": record.slug}
        batch.audits.append(event_row(actor, AuditAction.CREATE, AuditEntity.STATEMENT, uid, None, after))
    topic = record.model_copy(update={"aliases": aliases, "statements": [], **created})  # merged_into: as given
    after = topic.model_dump(mode="json", by_alias=True, exclude={"statements"})
    batch.audits.append(event_row(actor, AuditAction.CREATE, AuditEntity.TOPIC, record.slug, None, after))
    return len(record.statements)


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
        ids = {slug: topic_id for slug, topic_id in result}
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


# -- any topic, one record at a time -------------------------------------------------------------------


async def _upsert_topic(
    session: AsyncSession, record: TopicRecord, actor: str, cache: EntityCache
) -> tuple[int, bool, int]:
    """Create or update one topic and its statements; returns its id, whether it is new, statements written."""
    now = m.utcnow()
    topic = await topic_by_slug(session, record.slug)
    is_new = topic is None
    before = None if topic is None else topic_record(topic, merged_into=record.merged_into).dump()
    if topic is None:
        topic = m.Topic(
            slug=record.slug,
            version=record.version,
            created_by=record.created_by or actor,
            created_at=record.created_at or now,
            updated_by=record.updated_by or record.created_by or actor,
            aliases=[],
            statements=[],
        )
        session.add(topic)
    was = _topic_content(topic) if not is_new else None
    topic.title = record.title
    topic.tags = list(record.tags)
    topic.status = record.status.value
    if record.retired_reason is not None:  # an older file, without it, keeps the reason stored
        topic.retired_reason = record.retired_reason
    topic.updated_at = record.updated_at or now
    known = {a.text.casefold() for a in topic.aliases}
    for alias in record.aliases:
        if alias.casefold() not in known:  # aliases are only ever added by an import
            known.add(alias.casefold())
            topic.aliases.append(m.TopicAlias(text=alias, position=len(topic.aliases)))
    if was is not None and _topic_content(topic) != was:  # an edit based on the version before is told
        topic.version = max(topic.version + 1, record.version)
        topic.updated_by = actor  # who changed it here, which a stale edit names
    await session.flush()
    written = 0
    uids = {s.id: s.uid for s in topic.statements}
    for sr in record.statements:
        written += await _upsert_statement(session, topic, sr, actor, cache, uids)
    await session.flush()
    after = topic_record(topic, merged_into=record.merged_into).model_dump(
        mode="json", by_alias=True, exclude={"statements"}
    )
    if before is not None:
        before.pop("statements", None)
    if before != after:
        action = AuditAction.CREATE if is_new else AuditAction.UPDATE
        audit(
            session, actor=actor, action=action, entity=AuditEntity.TOPIC, key=record.slug, before=before, after=after
        )
    return topic.id, is_new, written


def _topic_content(topic: m.Topic) -> tuple[object, ...]:
    """What a moderator's topic edit changes: when an import changes it, the topic gets a new version."""
    return (topic.title, [a.text for a in topic.aliases], list(topic.tags or ()), topic.status, topic.retired_reason)


async def _upsert_statement(
    session: AsyncSession,
    topic: m.Topic,
    sr: StatementRecord,
    actor: str,
    cache: EntityCache,
    uids: dict[int, str],
) -> int:
    """Create or update one statement of `topic`; returns 1 if anything was written, else 0."""
    uid = sr.uid or _new_uid()
    row = await _statement_by_uid(session, uid)
    if row is not None and row.topic_id != topic.id:
        raise ImportRejected(f"Statement {uid!r} already belongs to another topic; nothing was imported.")
    if row is None:
        row = m.Statement(uid=uid, position=len(topic.statements), **new_bookkeeping(sr, actor))
        await entities.fill_statement(session, row, sr, cache)
        topic.statements.append(row)
        after = {
            **audit_json(statement_record(row).model_copy(update={"supersedes": sr.supersedes})),
            "topic": topic.slug,
        }
        audit(
            session,
            actor=actor,
            action=AuditAction.CREATE,
            entity=AuditEntity.STATEMENT,
            key=uid,
            before=None,
            after=after,
        )
        await session.flush()
        return 1
    before = statement_record(row, uids)
    # what moderation added is kept when a record (from an older file) doesn't carry it
    kept = {name: getattr(before, name) for name in ("supersedes", "speaker_role") if name not in sr.model_fields_set}
    sr = sr.model_copy(update={"uid": uid, **kept})
    if content_of(before) == content_of(sr):
        return 0
    await entities.fill_statement(session, row, sr, cache)
    row.version = max(before.version + 1, sr.version)
    row.updated_by = sr.updated_by or actor
    row.updated_at = sr.updated_at or m.utcnow()
    await session.flush()
    audit(
        session,
        actor=actor,
        action=AuditAction.UPDATE,
        entity=AuditEntity.STATEMENT,
        key=uid,
        before={**audit_json(before), "topic": topic.slug},
        after={
            **audit_json(statement_record(row).model_copy(update={"supersedes": sr.supersedes})),
            "topic": topic.slug,
        },
    )
    return 1


async def _statement_by_uid(session: AsyncSession, uid: str) -> m.Statement | None:
    query = select(m.Statement).options(selectinload(m.Statement.figures)).where(m.Statement.uid == uid)
    return await session.scalar(query)


# -- what records name by uid or slug, and speakers' profiles: once everything is written ----------------


async def _link_supersedes(session: AsyncSession, records: Sequence[TopicRecord]) -> None:
    """Point each statement that supersedes another at it (both are in the same topic record)."""
    pairs = {s.uid: s.supersedes for r in records for s in r.statements if s.uid and s.supersedes}
    if not pairs:
        return
    wanted = list({*pairs, *pairs.values()})
    ids = dict(
        (await session.execute(select(m.Statement.uid, m.Statement.id).where(m.Statement.uid.in_(wanted)))).all()
    )
    for uid, older in pairs.items():
        await session.execute(
            update(m.Statement)
            .where(m.Statement.id == ids[uid])
            .values(supersedes_id=ids[older])
            .execution_options(synchronize_session=False)
        )


async def _link_merges(session: AsyncSession, records: Sequence[TopicRecord]) -> None:
    """Point each merged topic at the topic it went into, which is stored already or imported alongside."""
    pairs = {r.slug: r.merged_into for r in records if r.merged_into}
    if not pairs:
        return
    wanted = list({*pairs, *pairs.values()})
    ids = dict((await session.execute(select(m.Topic.slug, m.Topic.id).where(m.Topic.slug.in_(wanted)))).all())
    for slug, into in pairs.items():
        if into not in ids or into == slug:
            raise ImportRejected(
                f"Topic {slug!r} is merged into {into!r}, which is neither stored nor imported; nothing was imported."
            )
        await session.execute(
            update(m.Topic)
            .where(m.Topic.id == ids[slug])
            .values(merged_into_id=ids[into])
            .execution_options(synchronize_session=False)
        )


async def _add_speaker_profiles(session: AsyncSession, records: Sequence[TopicRecord], actor: str) -> None:
    """Add the aliases and set the role that records give a speaker's name, each change audited."""
    given: dict[str, tuple[str, dict[str, str], str | None]] = {}
    for sr in (s for r in records for s in r.statements):
        if sr.speaker.aliases or sr.speaker.role:
            name, aliases, role = given.setdefault(fold(sr.speaker.name), (sr.speaker.name, {}, None))
            for alias in sr.speaker.aliases or ():
                aliases.setdefault(fold(alias), alias)
            given[fold(sr.speaker.name)] = (name, aliases, sr.speaker.role or role)
    for key, (name, aliases, role) in given.items():
        profile = await session.scalar(select(m.SpeakerProfile).where(m.SpeakerProfile.name_key == key))
        before = None if profile is None else _profile_state(profile)
        if profile is None:
            profile = m.SpeakerProfile(name_key=key, name=name, aliases=[], role=None, version=0)
            session.add(profile)
        merged = {fold(a): a for a in profile.aliases or ()}
        for alias_key, alias in aliases.items():
            merged.setdefault(alias_key, alias)
        if (list(merged.values()), role or profile.role) == (list(profile.aliases or ()), profile.role):
            continue
        profile.aliases, profile.role = list(merged.values()), role or profile.role
        profile.version += 1
        profile.updated_by, profile.updated_at = actor, m.utcnow()
        await session.flush()
        action = AuditAction.CREATE if before is None else AuditAction.UPDATE
        audit(
            session,
            actor=actor,
            action=action,
            entity=AuditEntity.SPEAKER,
            key=profile.name,
            before=before,
            after=_profile_state(profile),
        )


def _profile_state(profile: m.SpeakerProfile) -> dict[str, object]:
    return {
        "name": profile.name,
        "aliases": list(profile.aliases or ()),
        "role": profile.role,
        "version": profile.version,
    }


def _unique_aliases(aliases: Sequence[str]) -> list[str]:
    """The aliases in order, each once whatever its case."""
    seen: dict[str, str] = {}
    for alias in aliases:
        seen.setdefault(alias.casefold(), alias)
    return list(seen.values())


def _new_uid() -> str:
    return uuid.uuid4().hex[:16]
