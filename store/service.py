"""The one service API the CLI and the bot call: ask, browse, import/export, log, settings."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Sequence
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from store.db import migrate, review
from store.db import models as m
from store.db import repository as repo
from store.db.engine import make_engine, session_factory, translate_outage
from store.errors import (
    ImportRejected,
    InvalidQuestion,
    InvalidSetting,
    SchemaOutdated,
    StoreUnavailable,
    TopicNotFound,
)
from store.ingest import read_records
from store.matching.index import IndexDoc
from store.matching.matcher import Matcher, MatcherParams, Scored, SpeakerAsked
from store.matching.text import has_control_characters
from store.records import OutletRecord, SpeakerKind, SpeakerRecord, StatementRecord, TopicRecord
from store.settings import StoreSettings
from store.views import (
    Answer,
    FeedbackEntry,
    GuildSettings,
    ImportReport,
    Match,
    QueryLogEntry,
    ReviewItem,
    TopicRef,
    TopicView,
)

if TYPE_CHECKING:
    from store.matching.semantic import SemanticReranker

_log = logging.getLogger(__name__)

DEMO_FILE = "cairo-truce-talks.jsonl"
_UNSET: object = object()


class ClaimStore:
    """Attributed statements grouped by topic, with an in-memory matcher kept in step with the database."""

    def __init__(
        self, engine: AsyncEngine, settings: StoreSettings, matcher: Matcher, semantic: SemanticReranker | None = None
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.matcher = matcher
        self.semantic = semantic  # re-scores the matcher's candidates when FACTBOT_SEMANTIC_MODEL is set
        self._sessions: async_sessionmaker[AsyncSession] = session_factory(engine)
        self._views: OrderedDict[int, TopicView] = OrderedDict()
        self._audit_seen = 0
        self._synced_at = 0.0
        self.sync_interval_s = 1.0
        self._indexing = asyncio.Lock()

    # -- lifecycle ------------------------------------------------------------------------------------
    @classmethod
    async def open(
        cls,
        settings: StoreSettings | None = None,
        *,
        migrate_schema: bool = False,
        matcher_params: MatcherParams | None = None,
    ) -> ClaimStore:
        """Connect and build the index. `migrate_schema` brings the schema to head first."""
        settings = settings or StoreSettings()
        semantic = None
        if settings.semantic_model:  # loaded first: a bad model setting fails before any database work
            from store.matching.semantic import SemanticReranker  # imports torch: only when asked for

            semantic = SemanticReranker.load(
                settings.semantic_model, cache_dir=settings.embedding_cache_dir or settings.data_dir
            )
            # it re-scores more candidates than lexical scoring alone would
            params = matcher_params or MatcherParams()
            matcher_params = dataclasses.replace(params, rerank=max(params.rerank, semantic.blend.depth))
        engine = make_engine(settings)
        try:
            async with translate_outage():
                if await migrate.current_revision(engine) != migrate.head_revision():
                    if not migrate_schema:
                        raise SchemaOutdated("The database schema is not up to date: run `factbot db upgrade`.")
                    await migrate.upgrade(engine)
                store = cls(engine, settings, Matcher(matcher_params), semantic)
                await store.reindex()
        except BaseException:
            await engine.dispose()
            raise
        return store

    async def close(self) -> None:
        await self.engine.dispose()
        if self.semantic is not None:
            self.semantic.cache.close()

    async def reindex(self) -> None:
        """Rebuild the whole index from the database."""
        async with self._indexing:
            async with translate_outage(), self._sessions() as session:
                self._audit_seen = await repo.last_audit_id(session)
                docs = await repo.index_docs(session)
            await self._rebuild(docs)
            self._synced_at = time.monotonic()

    async def sync(self) -> int:
        """Pick up changes other processes made (every write leaves an audit event); returns topics re-indexed."""
        async with self._indexing:
            async with translate_outage(), self._sessions() as session:
                newest, slugs = await repo.topics_changed_since(session, self._audit_seen)
                if not slugs:
                    self._audit_seen = newest
                    return 0
                ids = list((await session.scalars(select(m.Topic.id).where(m.Topic.slug.in_(slugs)))).all())
                docs = await repo.index_docs(session, ids)
            await self._apply(ids, docs)
            self._audit_seen = newest
            return len(ids)

    # Every index change holds `_indexing`, from reading the documents to applying them, so changes land in
    # the order they were read, even though embedding them and rebuilding await a worker thread.
    async def _rebuild(self, docs: Sequence[IndexDoc]) -> None:
        vectors = await self._embed(docs, everything=True)
        self.matcher = await self._built_matcher(docs)
        if self.semantic is not None:
            self.semantic.install(docs, vectors, everything=True)
        self._views.clear()

    async def _apply(self, topic_ids: Iterable[int], docs: Sequence[IndexDoc]) -> None:
        vectors = await self._embed(docs)
        found = {d.topic_id for d in docs}
        for tid in topic_ids:
            self._views.pop(tid, None)
            if tid not in found:
                self.matcher.remove(tid)
                if self.semantic is not None:
                    self.semantic.remove(tid)
        for doc in docs:
            self.matcher.upsert(doc)
        if self.semantic is not None:
            self.semantic.install(docs, vectors)
        if self.matcher.stale:
            await self._rebuild_lexical()

    async def _rebuild_lexical(self) -> None:
        """BM25F's length normalisation is only as good as the averages of the last build; the embeddings
        don't depend on them, so only the lexical index is rebuilt. The change itself has landed and is
        searchable: if the database can't be read now, the next change tries again."""
        try:
            async with translate_outage(), self._sessions() as session:
                everything = await repo.index_docs(session)
        except StoreUnavailable:
            _log.warning("could not rebuild the lexical index: the claim store is unavailable", exc_info=True)
            return
        self.matcher = await self._built_matcher(everything)

    async def _built_matcher(self, docs: Sequence[IndexDoc]) -> Matcher:
        """A new matcher of `docs`, built in a worker thread (half a minute at a million statements): the
        event loop, and with it the bot's gateway heartbeat, keeps running, and questions are answered from
        the matcher in place until the new one takes over."""
        fresh = Matcher(self.matcher.params)
        await asyncio.to_thread(fresh.rebuild, docs)
        return fresh

    async def _embed(self, docs: Sequence[IndexDoc], *, everything: bool = False) -> dict[str, np.ndarray]:
        if self.semantic is None:
            return {}
        # minutes for a large import: in a worker thread, so that questions are answered meanwhile
        return await asyncio.to_thread(self.semantic.embed, docs, everything=everything)

    async def _maybe_sync(self) -> None:
        if self._indexing.locked():  # an import or a sync is under way: answer from the index as it is
            return
        now = time.monotonic()
        if now - self._synced_at >= self.sync_interval_s:
            self._synced_at = now
            await self.sync()

    # -- asking ---------------------------------------------------------------------------------------
    def validate_question(self, question: object) -> str:
        if not isinstance(question, str):
            raise InvalidQuestion("The question must be text.")
        text = question.strip()
        if not text:
            raise InvalidQuestion("The question is empty: type what you want checked.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            raise InvalidQuestion(f"The question is {len(text):,} characters long; the limit is {limit:,}.")
        if has_control_characters(text):
            raise InvalidQuestion("The question contains control characters; remove them and ask again.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidQuestion("The question is not valid text (it contains broken characters).") from None
        return text

    async def ask(self, question: str, *, limit: int = 3) -> Answer:
        """The topics that answer `question`, best first, each with its published statements."""
        started = time.perf_counter()
        text = self.validate_question(question)
        limit = max(1, min(limit, 25))
        await self._maybe_sync()
        if self.matcher.read(text).claimless:  # "is it true?": there is no claim to look for
            return Answer(text, False, (), (time.perf_counter() - started) * 1000, claimless=True)
        ranked, speaker = self._ranked(text, limit=limit + 3)
        matches = await self._matches(self._passing(ranked), limit)
        if speaker is not None and not matches:  # "what did Qatar say": not by them, so no answer; but related
            related = await self._related(text, speaker, limit)
            latency = (time.perf_counter() - started) * 1000
            return Answer(text, False, (), latency, no_statement_by=speaker.phrase.text, related=related)
        return Answer(text, bool(matches), matches, (time.perf_counter() - started) * 1000)

    def rank(self, question: str, *, limit: int) -> list[Scored]:
        """The best-scoring topics for a validated question, with no threshold: lexical, then semantic if on.
        A question about what someone said ranks only the topics holding statements by them."""
        return self._ranked(question, limit=limit)[0]

    # -- what someone said (store/matching/speakers.py) -------------------------------------------------
    def _ranked(self, question: str, *, limit: int) -> tuple[list[Scored], SpeakerAsked | None]:
        speaker = self.matcher.speaker_asked(question)
        if speaker is None:
            return self._ranking(question, limit=limit), None
        if not speaker.topics:
            return [], speaker
        return self._ranking(question, limit=limit, within=speaker.topics, speaker=speaker.phrase.words), speaker

    def _ranking(
        self, question: str, *, limit: int, within: frozenset[int] | None = None, speaker: Sequence[str] = ()
    ) -> list[Scored]:
        if self.semantic is not None:
            return self.semantic.match(self.matcher, question, limit=limit, within=within, speaker=speaker)
        return self.matcher.match(question, limit=limit, within=within, speaker=speaker)

    async def _related(self, question: str, speaker: SpeakerAsked, limit: int) -> tuple[Match, ...]:
        """For a question about someone the store has no statement by on it: the topics that answer the rest
        of it ("did Biden say the talks made progress": the talks), then those that mention them."""
        answering = self._passing(self._ranking(speaker.phrase.rest, limit=limit + 3)) if speaker.phrase.topical else []
        mentioned = self.matcher.mentioning(speaker.phrase.words)
        mentioning = self._ranking(question, limit=limit + 3, within=mentioned) if mentioned else []
        first = {s.topic_id: s for s in [*mentioning, *answering]}  # each topic once, at its better score
        scored = sorted(first.values(), key=lambda s: -s.score)
        return await self._matches(scored, limit)

    def _passing(self, scored: Sequence[Scored]) -> list[Scored]:
        return [s for s in scored if s.score >= self.settings.match_threshold]

    async def _matches(self, scored: Sequence[Scored], limit: int) -> tuple[Match, ...]:
        views = await self._topic_views([s.topic_id for s in scored])
        return tuple(
            Match(views[s.topic_id], s.score, s.fields, s.terms, s.meaning)
            for s in scored
            if s.topic_id in views and views[s.topic_id].statements  # a topic with nothing to show answers nothing
        )[:limit]

    def suggest(self, partial: str, *, limit: int = 25) -> list[TopicRef]:
        """Topic titles for autocomplete: in memory only, never raises."""
        try:
            if not partial.strip():
                return []
            scored = self.matcher.match(partial, limit=limit)
        except Exception:  # autocomplete must never break typing
            return []
        titles = self.matcher.titles
        return [TopicRef(s.topic_id, titles[s.topic_id]) for s in scored if s.topic_id in titles]

    async def topic(self, topic_id: int) -> TopicView:
        views = await self._topic_views([topic_id])
        if topic_id not in views:
            raise TopicNotFound(f"There is no topic #{topic_id}.")
        return views[topic_id]

    async def topic_by_slug(self, slug: str) -> TopicView:
        async with translate_outage(), self._sessions() as session:
            topic_id = await repo.topic_id_by_slug(session, slug)
        if topic_id is None:
            raise TopicNotFound(f"There is no topic {slug!r}.")
        return await self.topic(topic_id)

    async def _topic_views(self, topic_ids: Sequence[int]) -> dict[int, TopicView]:
        missing = [tid for tid in topic_ids if tid not in self._views]
        if missing:
            async with translate_outage(), self._sessions() as session:
                loaded = await repo.topic_views(session, missing)
            for tid, view in loaded.items():
                self._views[tid] = view
            while len(self._views) > 4096:
                self._views.popitem(last=False)
        return {tid: self._views[tid] for tid in topic_ids if tid in self._views}

    # -- curation -------------------------------------------------------------------------------------
    async def import_records(self, records: Iterable[TopicRecord], *, actor: str) -> ImportReport:
        """Create or update topics from records, all in one transaction: all of it lands or none.

        A topic whose slug and statement uids are new (to the database and to this import so far) is
        created without per-record look-ups and flushed in batches; any other record goes through the
        per-record upsert. Both write the same rows and the same audit events, in record order.
        """
        records = list(records)
        created = updated = written = 0
        touched: list[int | str] = []  # topic ids, or slugs of topics not written yet
        ids: dict[str, int] = {}
        await self.sync()  # catch up first, so that only this import's own events are skipped below
        async with translate_outage(), self._sessions() as session, session.begin():
            known_slugs = await repo.existing_slugs(session, (r.slug for r in records))
            known_uids = await repo.existing_uids(session, (s.uid for r in records for s in r.statements if s.uid))
            cache = repo.EntityCache()
            await repo.prefetch_entities(session, [s for r in records for s in r.statements], cache)
            batch = repo.NewTopics()
            for record in records:
                uids = [s.uid for s in record.statements if s.uid]
                if record.slug in known_slugs or any(uid in known_uids for uid in uids):
                    ids.update(await repo.write_new_topics(session, batch))  # what came before, first
                    batch = repo.NewTopics()
                    topic_id, is_new, n = await _upsert_topic(session, record, actor, cache)
                    touched.append(topic_id)
                else:
                    n = await _stage_new_topic(session, record, actor, cache, batch)
                    touched.append(record.slug)
                    is_new = True
                    if len(batch) >= 1000:
                        ids.update(await repo.write_new_topics(session, batch))
                        batch = repo.NewTopics()
                known_slugs.add(record.slug)
                known_uids.update(uids)
                created += is_new
                updated += not is_new
                written += n
            ids.update(await repo.write_new_topics(session, batch))
            touched_ids = [t if isinstance(t, int) else ids[t] for t in touched]
        async with self._indexing:
            async with translate_outage(), self._sessions() as session:
                self._audit_seen = await repo.last_audit_id(session)
                docs = await repo.index_docs(session, None if len(touched_ids) > 2000 else touched_ids)
            if len(touched_ids) > 2000:
                await self._rebuild(docs)
            else:
                await self._apply(touched_ids, docs)
        return ImportReport(created, updated, written)

    async def import_file(self, path: str, *, actor: str) -> ImportReport:
        return await self.import_records(read_records(path), actor=actor)

    async def export_records(self) -> AsyncIterator[TopicRecord]:
        async with translate_outage(), self._sessions() as session:
            async for record in repo.export_records(session):
                yield record

    async def is_empty(self) -> bool:
        async with translate_outage(), self._sessions() as session:
            return await repo.count_statements(session) == 0

    async def load_demo(self) -> ImportReport:
        source = resources.files("store").joinpath("data", DEMO_FILE)
        with resources.as_file(source) as path:
            return await self.import_file(str(path), actor="demo")

    # -- query log and settings -----------------------------------------------------------------------
    async def write_query_events(self, events: Sequence[QueryLogEntry | FeedbackEntry]) -> None:
        if not events:
            return
        async with translate_outage(), self._sessions() as session, session.begin():
            await repo.write_query_events(session, events)

    async def unanswered(self, *, days: int = 30, limit: int = 20, guild_id: int | None = None) -> list[ReviewItem]:
        """Questions left unanswered in the last `days` days and not yet reviewed, most asked first (with
        `guild_id`: asked on that server only)."""
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        async with translate_outage(), self._sessions() as session:
            found = await review.unanswered(session, since, limit, guild_id)
        titles = self.matcher.titles
        out = []
        for question in found:
            best = self.rank(question.text, limit=1)
            top = best[0] if best and best[0].topic_id in titles else None
            out.append(
                ReviewItem(
                    question,
                    top.topic_id if top else None,
                    titles[top.topic_id] if top else None,
                    round(top.score, 4) if top else 0.0,
                    bool(top and top.score >= self.settings.match_threshold),
                )
            )
        return out

    async def mark_reviewed(self, log_ids: Sequence[int]) -> int:
        """Mark query log rows reviewed (all in one transaction); returns how many were still new."""
        async with translate_outage(), self._sessions() as session, session.begin():
            return await review.mark_reviewed(session, list(log_ids))

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        async with translate_outage(), self._sessions() as session:
            return repo.guild_view(await session.get(m.GuildSettings, guild_id), guild_id)

    async def update_guild_settings(
        self,
        guild_id: int,
        *,
        actor: str,
        prefix: str | object | None = _UNSET,
        answer_channel_ids: list[int] | object | None = _UNSET,
        ephemeral: bool | object | None = _UNSET,
    ) -> GuildSettings:
        """Change the given settings only; every change is audited."""
        if (isinstance(prefix, str) and not (1 <= len(prefix.strip()) <= 5)) or prefix == "":
            raise InvalidSetting("A prefix is 1 to 5 characters without spaces.")
        async with translate_outage(), self._sessions() as session, session.begin():
            row = await session.get(m.GuildSettings, guild_id)
            before = repo.guild_view(row, guild_id)
            if row is None:
                row = m.GuildSettings(guild_id=guild_id, answer_channel_ids=[], ephemeral=False)
                session.add(row)
            if prefix is not _UNSET:
                row.prefix = prefix.strip() if isinstance(prefix, str) else None
            if answer_channel_ids is not _UNSET:
                row.answer_channel_ids = sorted({int(c) for c in answer_channel_ids or []})  # type: ignore[attr-defined]
            if ephemeral is not _UNSET:
                row.ephemeral = bool(ephemeral)
            row.updated_by = actor
            row.updated_at = m.utcnow()
            after = repo.guild_view(row, guild_id)
            repo.audit(
                session,
                actor=actor,
                action="update",
                entity="guild_settings",
                key=str(guild_id),
                before=_settings_json(before),
                after=_settings_json(after),
            )
        return after


def _settings_json(s: GuildSettings) -> dict[str, object]:
    return {"prefix": s.prefix, "answer_channel_ids": list(s.answer_channel_ids), "ephemeral": s.ephemeral}


async def _stage_new_topic(
    session: AsyncSession, record: TopicRecord, actor: str, cache: repo.EntityCache, batch: repo.NewTopics
) -> int:
    """Queue a topic that doesn't exist yet (the caller checked its slug and uids) as rows for a bulk
    INSERT: the same rows and audit events that `_upsert_topic` writes for a new slug."""
    now = m.utcnow()
    batch.topics.append(
        {
            "slug": record.slug,
            "title": record.title,
            "tags": list(record.tags),
            "status": record.status.value,
            "created_by": record.created_by or actor,
            "created_at": record.created_at or now,
            "updated_at": record.updated_at or now,
        }
    )
    aliases: list[str] = []
    for alias in record.aliases:
        if alias.casefold() not in {a.casefold() for a in aliases}:
            batch.aliases.append((record.slug, {"text": alias, "position": len(aliases)}))
            aliases.append(alias)
    for position, sr in enumerate(record.statements):
        uid = sr.uid or uuid.uuid4().hex[:16]
        speaker = await repo._speaker(session, sr.speaker, cache)
        outlet = await repo._outlet(session, sr.outlet, cache)
        created_at = sr.created_at or m.utcnow()
        updated_at = sr.updated_at or sr.created_at or m.utcnow()
        row = {
            "uid": uid,
            "position": position,
            "text": sr.text,
            "kind": sr.kind.value,
            "speaker_id": speaker.id,
            "outlet_id": outlet.id if outlet else None,
            "cue": sr.cue,
            "said_on": sr.said_on,
            "published_on": sr.published_on,
            "url": sr.url,
            "stance": sr.stance.value,
            "status": sr.status.value,
            "retraction_reason": sr.retraction_reason,
            "note": sr.note,
            "version": sr.version,
            "created_by": sr.created_by or actor,
            "created_at": created_at,
            "updated_by": sr.updated_by or sr.created_by or actor,
            "updated_at": updated_at,
        }
        figures = [
            {
                "position": i,
                "value": f.value,
                "unit": f.unit,
                "counted": f.counted,
                "as_of": f.as_of,
                "approximate": f.approximate,
            }
            for i, f in enumerate(sr.figures)
        ]
        batch.statements.append((record.slug, row, figures))
        stored = sr.model_copy(
            update={
                "uid": uid,
                "speaker": SpeakerRecord(
                    name=speaker.name,
                    kind=SpeakerKind(speaker.kind),
                    descriptor=speaker.descriptor,
                    affiliation=speaker.affiliation,
                ),
                "outlet": OutletRecord(name=outlet.name, url=outlet.url) if outlet else None,
                "created_by": row["created_by"],
                "created_at": created_at,
                "updated_by": row["updated_by"],
                "updated_at": updated_at,
            }
        )
        batch.audits.append(
            _audit_row(
                actor, "create", "statement", uid, None, {**stored.model_dump(mode="json"), "topic": record.slug}
            )
        )
    topic = record.model_copy(
        update={
            "aliases": aliases,
            "statements": [],
            "created_by": record.created_by or actor,
            "created_at": record.created_at or now,
            "updated_at": record.updated_at or now,
        }
    )
    after = topic.model_dump(mode="json", by_alias=True, exclude={"statements"})
    batch.audits.append(_audit_row(actor, "create", "topic", record.slug, None, after))
    return len(record.statements)


def _audit_row(
    actor: str, action: str, entity: str, key: str, before: dict[str, object] | None, after: dict[str, object] | None
) -> dict[str, object]:
    return {
        "at": m.utcnow(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_key": key,
        "before": before,
        "after": after,
    }


async def _upsert_topic(
    session: AsyncSession, record: TopicRecord, actor: str, cache: repo.EntityCache | None = None
) -> tuple[int, bool, int]:
    now = m.utcnow()
    topic = await repo.topic_by_slug(session, record.slug)
    is_new = topic is None
    before = None if topic is None else repo.topic_record(topic).dump()
    if topic is None:
        topic = m.Topic(
            slug=record.slug,
            created_by=record.created_by or actor,
            created_at=record.created_at or now,
            aliases=[],
            statements=[],
        )
        session.add(topic)
    topic.title = record.title
    topic.tags = list(record.tags)
    topic.status = record.status.value
    topic.updated_at = record.updated_at or now
    known = {a.text.casefold() for a in topic.aliases}
    for alias in record.aliases:
        if alias.casefold() not in known:  # aliases are only ever added by an import
            known.add(alias.casefold())
            topic.aliases.append(m.TopicAlias(text=alias, position=len(topic.aliases)))
    await session.flush()
    written = 0
    for sr in record.statements:
        written += await _upsert_statement(session, topic, sr, actor, cache)
    await session.flush()
    after = repo.topic_record(topic).model_dump(mode="json", by_alias=True, exclude={"statements"})
    if before is not None:
        before.pop("statements", None)
    if before != after:
        repo.audit(
            session,
            actor=actor,
            action="create" if is_new else "update",
            entity="topic",
            key=record.slug,
            before=before,
            after=after,
        )
    return topic.id, is_new, written


async def _upsert_statement(
    session: AsyncSession, topic: m.Topic, sr: StatementRecord, actor: str, cache: repo.EntityCache | None = None
) -> int:
    uid = sr.uid or uuid.uuid4().hex[:16]
    row = await repo.statement_by_uid(session, uid)
    if row is not None and row.topic_id != topic.id:
        raise ImportRejected(f"Statement {uid!r} already belongs to another topic; nothing was imported.")
    if row is not None:
        before = repo.statement_record(row)
        if repo.content_of(before) == repo.content_of(sr.model_copy(update={"uid": uid})):
            return 0
        await repo.fill_statement(session, row, sr, cache)
        row.version = max(before.version + 1, sr.version)
        row.updated_by = sr.updated_by or actor
        row.updated_at = sr.updated_at or m.utcnow()
        await session.flush()
        repo.audit(
            session,
            actor=actor,
            action="update",
            entity="statement",
            key=uid,
            before={**before.model_dump(mode="json"), "topic": topic.slug},
            after={**repo.statement_record(row).model_dump(mode="json"), "topic": topic.slug},
        )
        return 1
    await _new_statement(session, topic, sr, uid, actor, cache)
    await session.flush()
    return 1


async def _new_statement(
    session: AsyncSession,
    topic: m.Topic,
    sr: StatementRecord,
    uid: str,
    actor: str,
    cache: repo.EntityCache | None,
) -> None:
    """Add a new statement row to `topic` (not flushed) and audit its creation."""
    row = m.Statement(
        uid=uid,
        position=len(topic.statements),
        version=sr.version,
        created_by=sr.created_by or actor,
        created_at=sr.created_at or m.utcnow(),
        updated_by=sr.updated_by or sr.created_by or actor,
        updated_at=sr.updated_at or sr.created_at or m.utcnow(),
    )
    await repo.fill_statement(session, row, sr, cache)
    topic.statements.append(row)
    repo.audit(
        session,
        actor=actor,
        action="create",
        entity="statement",
        key=uid,
        before=None,
        after={**repo.statement_record(row).model_dump(mode="json"), "topic": topic.slug},
    )
