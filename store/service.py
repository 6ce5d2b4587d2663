"""The one service API the CLI and the bot call: ask, browse, import/export, log, settings."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from importlib import resources
from typing import TYPE_CHECKING

from store.db import guilds, importing, query_log, review
from store.db import repository as repo
from store.db.engine import Database, Engine, Sessions
from store.errors import InvalidQuestion, InvalidSetting, TopicNotFound
from store.ingest import read_records
from store.live_index import LiveIndex, load_semantic
from store.matching.matcher import Matcher, MatcherParams, Scored
from store.matching.text import has_control_characters
from store.records import TopicRecord
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

DEMO_FILE = "cairo-truce-talks.jsonl"
_UNSET: object = object()


class ClaimStore:
    """Attributed statements grouped by topic, with an in-memory matcher kept in step with the database."""

    def __init__(self, db: Database, settings: StoreSettings, index: LiveIndex) -> None:
        self.settings = settings
        self._db = db
        self._index = index

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
        semantic = load_semantic(settings)  # first: a bad model setting fails before any database work
        db = Database.connect(settings)
        try:
            await db.ensure_schema(upgrade=migrate_schema)
            index = LiveIndex(db, semantic, matcher_params)
            await index.reindex()
        except BaseException:
            await db.dispose()
            raise
        return cls(db, settings, index)

    async def close(self) -> None:
        await self._db.dispose()
        self._index.close()

    async def reindex(self) -> None:
        """Rebuild the whole index from the database."""
        await self._index.reindex()

    async def sync(self) -> int:
        """Pick up changes other processes made; returns how many topics were re-indexed."""
        return await self._index.sync()

    # What tests and benchmarks look at: the index as it is now, and the database.
    @property
    def matcher(self) -> Matcher:
        return self._index.matcher

    @property
    def semantic(self) -> SemanticReranker | None:
        return self._index.semantic

    @property
    def sync_interval_s(self) -> float:
        return self._index.sync_interval_s

    @sync_interval_s.setter
    def sync_interval_s(self, seconds: float) -> None:
        self._index.sync_interval_s = seconds

    @property
    def engine(self) -> Engine:
        return self._db.engine

    @property
    def _sessions(self) -> Sessions:  # bench/tune.py reads the index documents through it
        return self._db.sessions

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
        await self._index.maybe_sync()
        scored = [s for s in self.rank(text, limit=limit + 3) if s.score >= self.settings.match_threshold]
        views = await self._index.topic_views([s.topic_id for s in scored])
        matches = tuple(
            Match(views[s.topic_id], s.score, s.fields, s.terms, s.meaning)
            for s in scored
            if s.topic_id in views and views[s.topic_id].statements  # a topic with nothing to show answers nothing
        )[:limit]
        return Answer(text, bool(matches), matches, (time.perf_counter() - started) * 1000)

    def rank(self, question: str, *, limit: int) -> list[Scored]:
        """The best-scoring topics for a validated question, with no threshold: lexical, then semantic if on."""
        return self._index.rank(question, limit=limit)

    def suggest(self, partial: str, *, limit: int = 25) -> list[TopicRef]:
        """Topic titles for autocomplete: in memory only, never raises."""
        return self._index.suggest(partial, limit=limit)

    async def topic(self, topic_id: int) -> TopicView:
        views = await self._index.topic_views([topic_id])
        if topic_id not in views:
            raise TopicNotFound(f"There is no topic #{topic_id}.")
        return views[topic_id]

    async def topic_by_slug(self, slug: str) -> TopicView:
        async with self._db.session() as session:
            topic_id = await repo.topic_id_by_slug(session, slug)
        if topic_id is None:
            raise TopicNotFound(f"There is no topic {slug!r}.")
        return await self.topic(topic_id)

    # -- curation -------------------------------------------------------------------------------------
    async def import_records(self, records: Iterable[TopicRecord], *, actor: str) -> ImportReport:
        """Create or update topics from records, all in one transaction: all of it lands or none."""
        records = list(records)
        await self._index.sync()  # catch up first, so that only this import's own events are skipped after
        async with self._db.transaction() as session:
            imported = await importing.import_records(session, records, actor=actor)
        await self._index.take_in(imported.topic_ids)
        return imported.report

    async def import_file(self, path: str, *, actor: str) -> ImportReport:
        return await self.import_records(read_records(path), actor=actor)

    async def export_records(self) -> AsyncIterator[TopicRecord]:
        async with self._db.session() as session:
            async for record in repo.export_records(session):
                yield record

    async def is_empty(self) -> bool:
        async with self._db.session() as session:
            return await repo.count_statements(session) == 0

    async def load_demo(self) -> ImportReport:
        """Load (or refresh) the demo data: the statements of one news article on the Cairo truce talks."""
        source = resources.files("store").joinpath("data", DEMO_FILE)
        with resources.as_file(source) as path:
            return await self.import_file(str(path), actor="demo")

    async def load_demo_if_empty(self) -> ImportReport | None:
        """Give an embedded SQLite store that holds no statement the demo data, so that a first question gets
        an answer; a database server is never filled unasked. Returns what was loaded, or None."""
        if not self.settings.is_embedded or not await self.is_empty():
            return None
        return await self.load_demo()

    # -- query log and settings -----------------------------------------------------------------------
    async def write_query_events(self, events: Sequence[QueryLogEntry | FeedbackEntry]) -> None:
        if not events:
            return
        async with self._db.transaction() as session:
            await query_log.write_query_events(session, events)

    async def unanswered(self, *, days: int = 30, limit: int = 20, guild_id: int | None = None) -> list[ReviewItem]:
        """Questions left unanswered in the last `days` days and not yet reviewed, most asked first (with
        `guild_id`: asked on that server only)."""
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        async with self._db.session() as session:
            found = await review.unanswered(session, since, limit, guild_id)
        titles = self._index.titles
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
        async with self._db.transaction() as session:
            return await review.mark_reviewed(session, list(log_ids))

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        async with self._db.session() as session:
            return await guilds.guild_settings(session, guild_id)

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
        changes: dict[str, object] = {}
        if prefix is not _UNSET:
            changes["prefix"] = prefix.strip() if isinstance(prefix, str) else None
        if answer_channel_ids is not _UNSET:
            changes["answer_channel_ids"] = sorted({int(c) for c in answer_channel_ids or []})  # type: ignore[attr-defined]
        if ephemeral is not _UNSET:
            changes["ephemeral"] = bool(ephemeral)
        async with self._db.transaction() as session:
            return await guilds.update_guild_settings(session, guild_id, changes, actor=actor)
