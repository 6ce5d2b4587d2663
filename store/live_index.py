"""The matcher and the semantic re-ranker, kept in step with the database, and the topics they answer with.

Every write leaves an audit event; the index follows them (`sync`), so changes made by another process (a
`factbot import` while the bot runs) are picked up too. Reading goes through store/db; nothing here runs SQL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from store.db import audit
from store.db import repository as repo
from store.db.engine import Database
from store.errors import StoreUnavailable
from store.matching.index import IndexDoc
from store.matching.matcher import Matcher, MatcherParams, Scored
from store.settings import StoreSettings
from store.views import TopicRef, TopicView

if TYPE_CHECKING:
    from store.matching.semantic import SemanticReranker

_log = logging.getLogger(__name__)

CACHED_VIEWS = 4096  # topics whose answer is kept in memory, the least recently loaded dropped first
REBUILD_OVER = 2000  # topics written at once past which the whole index is rebuilt rather than patched


def load_semantic(settings: StoreSettings) -> SemanticReranker | None:
    """The semantic re-ranker FACTBOT_SEMANTIC_MODEL names, if any (imports torch: only when asked for)."""
    if not settings.semantic_model:
        return None
    from store.matching.semantic import SemanticReranker

    return SemanticReranker.load(settings.semantic_model, cache_dir=settings.embedding_cache_dir or settings.data_dir)


class LiveIndex:
    """What answers questions in memory, following the database's audit trail."""

    def __init__(
        self, db: Database, semantic: SemanticReranker | None = None, params: MatcherParams | None = None
    ) -> None:
        params = params or MatcherParams()
        if semantic is not None:  # it re-scores more candidates than lexical scoring alone would
            params = dataclasses.replace(params, rerank=max(params.rerank, semantic.blend.depth))
        self.matcher = Matcher(params)
        self.semantic = semantic  # re-scores the matcher's candidates when FACTBOT_SEMANTIC_MODEL is set
        self.sync_interval_s = 1.0
        self._db = db
        self._views: OrderedDict[int, TopicView] = OrderedDict()
        self._audit_seen = 0
        self._synced_at = 0.0
        # Every index change holds `_indexing`, from reading the documents to applying them, so changes land
        # in the order they were read, even though embedding them and rebuilding await a worker thread.
        self._indexing = asyncio.Lock()

    def close(self) -> None:
        if self.semantic is not None:
            self.semantic.cache.close()

    # -- answering ------------------------------------------------------------------------------------
    def rank(
        self, question: str, *, limit: int, within: frozenset[int] | None = None, speaker: Sequence[str] = ()
    ) -> list[Scored]:
        """The best-scoring topics for a validated question, with no threshold: lexical, then semantic if on;
        `within` limits them to some topics, `speaker` names who the question asks about."""
        if self.semantic is not None:
            return self.semantic.match(self.matcher, question, limit=limit, within=within, speaker=speaker)
        return self.matcher.match(question, limit=limit, within=within, speaker=speaker)

    def suggest(self, partial: str, *, limit: int) -> list[TopicRef]:
        """Topic titles for autocomplete: in memory only, never raises."""
        try:
            if not partial.strip():
                return []
            scored = self.matcher.match(partial, limit=limit)
        except Exception:  # autocomplete must never break typing
            return []
        titles = self.matcher.titles
        return [TopicRef(s.topic_id, titles[s.topic_id]) for s in scored if s.topic_id in titles]

    @property
    def titles(self) -> dict[int, str]:
        return self.matcher.titles

    async def topic_views(self, topic_ids: Sequence[int]) -> dict[int, TopicView]:
        """The topics of `topic_ids` that exist, as answers show them (from memory when seen lately)."""
        missing = [topic_id for topic_id in topic_ids if topic_id not in self._views]
        if missing:
            async with self._db.session() as session:
                loaded = await repo.topic_views(session, missing)
            for topic_id, view in loaded.items():
                self._views[topic_id] = view
            while len(self._views) > CACHED_VIEWS:
                self._views.popitem(last=False)
        return {topic_id: self._views[topic_id] for topic_id in topic_ids if topic_id in self._views}

    # -- keeping it current ---------------------------------------------------------------------------
    async def reindex(self) -> None:
        """Rebuild the whole index from the database."""
        async with self._indexing:
            async with self._db.session() as session:
                self._audit_seen = await audit.last_event_id(session)
                docs = await repo.index_docs(session)
            await self._rebuild(docs)
            self._synced_at = time.monotonic()

    async def sync(self) -> int:
        """Pick up changes other processes made (every write leaves an audit event); returns topics re-indexed."""
        async with self._indexing:
            async with self._db.session() as session:
                newest, slugs = await audit.topics_changed_since(session, self._audit_seen)
                if not slugs:
                    self._audit_seen = newest
                    return 0
                ids = await repo.topic_ids_by_slugs(session, slugs)
                docs = await repo.index_docs(session, ids)
            await self._apply(ids, docs)
            self._audit_seen = newest
            return len(ids)

    async def maybe_sync(self) -> None:
        """Sync when the last look at the database is `sync_interval_s` old, unless indexing is under way."""
        if self._indexing.locked():  # an import or a sync is under way: answer from the index as it is
            return
        now = time.monotonic()
        if now - self._synced_at >= self.sync_interval_s:
            self._synced_at = now
            await self.sync()

    async def take_in(self, topic_ids: Sequence[int]) -> None:
        """Index the topics this process has just written, and skip the audit events that wrote them (the
        caller synced before writing). Past `REBUILD_OVER` topics the whole index is rebuilt."""
        everything = len(topic_ids) > REBUILD_OVER
        async with self._indexing:
            async with self._db.session() as session:
                self._audit_seen = await audit.last_event_id(session)
                docs = await repo.index_docs(session, None if everything else topic_ids)
            if everything:
                await self._rebuild(docs)
            else:
                await self._apply(topic_ids, docs)

    async def refresh(self, topic_ids: Iterable[int]) -> None:
        """Index `topic_ids` after a change made here, with what other processes changed meanwhile, so the
        audit position moves on without skipping their events. The change has landed: if the database can't
        be read now, the next sync picks it up."""
        async with self._indexing:
            try:
                async with self._db.session() as session:
                    newest, slugs = await audit.topics_changed_since(session, self._audit_seen)
                    ids = set(topic_ids)
                    if slugs:
                        ids.update(await repo.topic_ids_by_slugs(session, slugs))
                    docs = await repo.index_docs(session, sorted(ids))
            except StoreUnavailable:
                _log.warning("could not re-index after a change: the claim store is unavailable", exc_info=True)
                return
            await self._apply(sorted(ids), docs)
            self._audit_seen = newest

    async def _rebuild(self, docs: Sequence[IndexDoc]) -> None:
        vectors = await self._embed(docs, everything=True)
        self.matcher = await self._built_matcher(docs)
        if self.semantic is not None:
            self.semantic.install(docs, vectors, everything=True)
        self._views.clear()

    async def _apply(self, topic_ids: Iterable[int], docs: Sequence[IndexDoc]) -> None:
        vectors = await self._embed(docs)
        found = {d.topic_id for d in docs}
        for topic_id in topic_ids:
            self._views.pop(topic_id, None)
            if topic_id not in found:
                self.matcher.remove(topic_id)
                if self.semantic is not None:
                    self.semantic.remove(topic_id)
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
            async with self._db.session() as session:
                everything = await repo.index_docs(session)
        except StoreUnavailable:
            _log.warning("could not rebuild the lexical index: the claim store is unavailable", exc_info=True)
            return
        self.matcher = await self._built_matcher(everything)

    async def _built_matcher(self, docs: Sequence[IndexDoc]) -> Matcher:
        """A new matcher of `docs`, built in a worker thread (a large store takes a while): the event loop,
        and with it the bot's gateway heartbeat, keeps running, and questions are answered from the matcher
        in place until the new one takes over."""
        fresh = Matcher(self.matcher.params)
        await asyncio.to_thread(fresh.rebuild, docs)
        return fresh

    async def _embed(self, docs: Sequence[IndexDoc], *, everything: bool = False) -> dict[str, np.ndarray]:
        if self.semantic is None:
            return {}
        # minutes for a large import: in a worker thread, so that questions are answered meanwhile
        return await asyncio.to_thread(self.semantic.embed, docs, everything=everything)
