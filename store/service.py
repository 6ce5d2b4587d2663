"""The one service API the CLI and the bot call: ask, browse, import/export, log, settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from store.curation import KEEP, Keep, StatementChanges, StatementDraft, checked_actor
from store.curation_views import (
    AuditEntry,
    DemoReport,
    OutletDetail,
    SpeakerDetail,
    StatementDetail,
    TopicDetail,
    TopicSummary,
)
from store.db import (
    audit_trail,
    curation,
    curation_statements,
    demo,
    guilds,
    importing,
    installation,
    query_log,
    review,
    review_actions,
    review_groups,
    review_replay,
    review_retention,
    review_stats,
    sources,
)
from store.db import repository as repo
from store.db.curation_rows import Written
from store.db.engine import Database, Engine, Sessions
from store.db.review_actions import Taught
from store.db.rows import as_utc
from store.errors import InvalidInput, InvalidQuestion, InvalidSetting, TopicNotFound
from store.ingest import read_records
from store.live_index import LiveIndex, load_semantic
from store.matching.matcher import Matcher, MatcherParams, Scored, SpeakerAsked
from store.matching.text import has_control_characters
from store.privacy import SALT_KEY, hash_user_id, new_salt
from store.records import TopicRecord
from store.replay import ReplayReport, replay
from store.review_queue import (
    MAX_DAYS,
    MAX_LIMIT,
    DismissReason,
    ForgetReport,
    NearestTopic,
    PurgeReport,
    ReviewDecision,
    ReviewGroup,
    ReviewGroupDetail,
    ReviewKind,
    ReviewQueue,
    checked_count,
    checked_kinds,
    checked_threshold,
)
from store.settings import StoreSettings
from store.stats import ReviewStats
from store.stats import review_stats as stats_of
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

_UNSET: object = object()
T = TypeVar("T")
_log = logging.getLogger(__name__)


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
        return self._index.rank(question, limit=limit, within=within, speaker=speaker)

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
        views = await self._index.topic_views([s.topic_id for s in scored])
        return tuple(
            Match(views[s.topic_id], s.score, s.fields, s.terms, s.meaning)
            for s in scored
            if s.topic_id in views and views[s.topic_id].statements  # a topic with nothing to show answers nothing
        )[:limit]

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

    # -- query log and settings -----------------------------------------------------------------------
    async def write_query_events(self, events: Sequence[QueryLogEntry | FeedbackEntry]) -> None:
        if not events:
            return
        async with self._db.transaction() as session:
            await query_log.write_query_events(session, events)
        await self._apply_retention()

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
        moderator_role_id: int | object | None = _UNSET,
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
        if moderator_role_id is not _UNSET:
            changes["moderator_role_id"] = int(moderator_role_id) if moderator_role_id is not None else None  # type: ignore[call-overload]
        async with self._db.transaction() as session:
            return await guilds.update_guild_settings(session, guild_id, changes, actor=actor)

    # -- moderation -----------------------------------------------------------------------------------
    # Thin: each change is one transaction in store/db/ (curation.py: topics, curation_statements.py,
    # sources.py: speakers and outlets, audit_trail.py, demo.py) that writes its audit event with it; the
    # topics it touched are re-indexed here at once. `actor` is `cli:NAME` or `discord:<id> (display name)`.
    # Bad input raises InvalidInput (naming the field), an edit of an old version StaleEdit, an unknown name
    # TopicNotFound / StatementNotFound / SpeakerNotFound / OutletNotFound; nothing is written then.

    async def add_topic(
        self, slug: str, title: str, *, aliases: Sequence[str] = (), tags: Sequence[str] = (), actor: str
    ) -> TopicDetail:
        """A new open topic (version 1); each alias must not belong to another open topic."""
        return await self._write(lambda s: curation.add_topic(s, slug, title, aliases, tags, actor))

    async def edit_topic(
        self,
        slug: str,
        *,
        actor: str,
        version: int | None = None,
        title: str | None = None,
        add_aliases: Sequence[str] = (),
        remove_aliases: Sequence[str] = (),
        tags: Sequence[str] | None = None,
    ) -> TopicDetail:
        """Change what is given (`tags` replaces them all); with `version`, refused if the topic changed since."""
        return await self._write(
            lambda s: curation.edit_topic(
                s,
                slug,
                version=version,
                title=title,
                add_aliases=add_aliases,
                remove_aliases=remove_aliases,
                tags=tags,
                actor=actor,
            )
        )

    async def topic_detail(self, slug: str) -> TopicDetail:
        """A topic in any state, with every statement of any status; a merged slug gives where it went."""
        return await self._read(lambda s: curation.topic_detail(s, slug))

    async def list_topics(self, *, include_retired: bool = False) -> list[TopicSummary]:
        """Topics by slug; retired and merged ones only with `include_retired`."""
        return await self._read(lambda s: curation.list_topics(s, include_retired=include_retired))

    async def merge_topics(self, from_slug: str, into_slug: str, *, actor: str) -> TopicDetail:
        """FROM's statements and aliases (its title too, as an alias) move into INTO; FROM's slug resolves to
        INTO from now on, in answers, details and new statements."""
        return await self._write(lambda s: curation.merge_topics(s, from_slug, into_slug, actor=actor))

    async def retire_topic(self, slug: str, *, reason: str, actor: str, version: int | None = None) -> TopicDetail:
        """Gone from answers and autocomplete; kept, with its statements, in the detail and the trail."""
        return await self._write(lambda s: curation.retire_topic(s, slug, reason=reason, version=version, actor=actor))

    async def add_statement(self, topic_slug: str, draft: StatementDraft, *, actor: str) -> StatementDetail:
        """A new published statement (version 1) in an open topic, answered at once."""
        return await self._write(lambda s: curation_statements.add_statement(s, topic_slug, draft, actor=actor))

    async def edit_statement(
        self, statement_id: int, *, version: int, changes: StatementChanges, actor: str
    ) -> StatementDetail:
        """Change the fields given; refused with StaleEdit ("changed by X at T") unless `version` is current."""
        return await self._write(
            lambda s: curation_statements.edit_statement(s, statement_id, version=version, changes=changes, actor=actor)
        )

    async def retract_statement(
        self, statement_id: int, *, reason: str, actor: str, version: int | None = None
    ) -> StatementDetail:
        """Out of answers at once, kept with its reason; `restore_statement` brings it back."""
        return await self._write(
            lambda s: curation_statements.retract_statement(
                s, statement_id, reason=reason, version=version, actor=actor
            )
        )

    async def restore_statement(self, statement_id: int, *, actor: str, version: int | None = None) -> StatementDetail:
        """A retracted statement published again, in answers at once."""
        return await self._write(
            lambda s: curation_statements.restore_statement(s, statement_id, version=version, actor=actor)
        )

    async def move_statement(
        self, statement_id: int, topic_slug: str, *, actor: str, version: int | None = None
    ) -> StatementDetail:
        """To another open topic (a merged slug means where it went); not apart from what it supersedes."""
        return await self._write(
            lambda s: curation_statements.move_statement(s, statement_id, topic_slug, version=version, actor=actor)
        )

    async def statement_detail(self, statement_id: int) -> StatementDetail:
        """One statement of any status, with its version (for the next edit) and what supersedes it."""
        return await self._read(lambda s: curation_statements.statement_detail(s, statement_id))

    async def speaker_detail(self, name: str) -> SpeakerDetail:
        """The speaker stored under `name` (or whose alias it is): aliases, role, kinds, statements."""
        return await self._read(lambda s: sources.speaker_detail(s, name))

    async def edit_speaker(
        self,
        name: str,
        *,
        actor: str,
        add_aliases: Sequence[str] = (),
        remove_aliases: Sequence[str] = (),
        role: str | Keep | None = KEEP,
        version: int | None = None,
    ) -> SpeakerDetail:
        """Aliases are matched in questions with the speaker's statements and shown nowhere else."""
        return await self._write(
            lambda s: sources.edit_speaker(
                s,
                name,
                add_aliases=add_aliases,
                remove_aliases=remove_aliases,
                role=role,
                version=version,
                actor=actor,
            )
        )

    async def merge_speakers(self, name: str, into: str, *, actor: str) -> SpeakerDetail:
        """NAME's statements move to INTO, and NAME becomes one of INTO's aliases."""
        return await self._write(lambda s: sources.merge_speakers(s, name, into, actor=actor))

    async def outlet_detail(self, name: str) -> OutletDetail:
        """The outlet stored under `name` (case and accents aside), with its statements' count and topics."""
        return await self._read(lambda s: sources.outlet_detail(s, name))

    async def merge_outlets(self, name: str, into: str, *, actor: str) -> OutletDetail:
        """NAME's statements move to INTO; NAME is gone."""
        return await self._write(lambda s: sources.merge_outlets(s, name, into, actor=actor))

    async def suggest_speakers(self, partial: str, *, limit: int = 25) -> list[str]:
        """Speaker names for autocomplete; never raises (an outage suggests nothing)."""
        try:
            return await self._read(lambda s: sources.suggest_speakers(s, partial, max(1, min(limit, 25))))
        except Exception:  # autocomplete must never break typing
            return []

    async def audit_events(
        self,
        *,
        topic: str | None = None,
        statement: int | None = None,
        actor: str | None = None,
        since: dt.date | dt.datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """The trail, newest first, filtered by topic slug, statement id, any part of the actor, and date;
        `offset` skips that many of the newest matching events."""
        return await self._read(
            lambda s: audit_trail.audit_events(
                s, topic=topic, statement=statement, actor=actor, since=since, limit=limit, offset=offset
            )
        )

    async def record_refusal(self, *, actor: str, action: str, entity: str, key: str, reason: str) -> None:
        """Audit an attempt refused for lack of rights (nothing else is written)."""
        async with self._db.transaction() as session:
            audit_trail.record_refusal(session, actor=actor, action=action, entity=entity, key=key, reason=reason)

    async def ensure_demo(self) -> DemoReport | None:
        """FACTBOT_DEMO=auto: load the demo into a fresh SQLite store (nothing stored, nothing ever changed);
        never into PostgreSQL. Returns what was loaded, or None."""
        if self.settings.demo != "auto" or not self.settings.is_sqlite:
            return None
        if not await self._read(demo.is_fresh):
            return None
        return await self.load_demo()

    async def load_demo(self) -> DemoReport:
        """Load or refresh the demo, leaving alone (and naming in `kept`) what a moderator changed."""
        records = demo.demo_records()
        plan = await self._read(lambda s: demo.plan_reload(s, records))
        report = await self.import_records(plan.records, actor=demo.DEMO_ACTOR)
        return DemoReport(report.topics_created, report.topics_updated, report.statements_written, kept=plan.kept)

    async def remove_demo(self, *, actor: str) -> DemoReport:
        """Take the demo topics out of answers, keeping (and naming in `kept`) those a moderator changed."""
        records = demo.demo_records()
        return await self._write(lambda s: demo.remove(s, records, actor=checked_actor(actor)))

    async def _write(self, change: Callable[[AsyncSession], Awaitable[Written[T]]]) -> T:
        """Run one change in one transaction (its audit event with it), then re-index what it touched."""
        async with self._db.transaction() as session:
            written = await change(session)
        if written.topic_ids:
            await self._index.refresh(written.topic_ids)
        return written.result

    async def _read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with self._db.session() as session:
            return await query(session)

    # -- review ---------------------------------------------------------------------------------------
    # The moderators' queue of logged questions (store/review_queue.py: unanswered, weak and disputed asks in
    # groups of the same question), their decisions on it, the replay and the stats, retention and "forget",
    # and the installation's salt. Each listing first sorts the questions logged since into their groups
    # (store/db/review_groups.py); decisions are audited with their change (store/db/review_actions.py), and a
    # teach or create re-indexes its topic at once. An unknown group raises ReviewGroupNotFound, bad input
    # InvalidInput (naming the field); nothing is written then. With `guild_id`, a listing counts (and a group
    # is found by) the asks of that Discord server only: moderators of any server see their own questions.
    _salt: bytes | None = None
    _retention_ran_at: float | None = None

    async def review_queue(
        self,
        *,
        kind: ReviewKind | str | None = None,
        days: int = 30,
        guild_id: int | None = None,
        limit: int = 20,
        exclude: Sequence[int] = (),
    ) -> ReviewQueue:
        """Open groups of `kind` (None or "all": every kind) asked in the last `days` days, by demand; `more`
        counts those past `limit`. `exclude` leaves groups out (a moderator's "skip")."""
        kinds = checked_kinds(kind)
        window = self._window(days, guild_id)
        limit = checked_count("limit", limit, MAX_LIMIT)
        await self._refresh_review()
        groups, more = await self._read(lambda s: review_groups.open_groups(s, kinds, window, limit, exclude))
        await self._index.maybe_sync()
        return ReviewQueue(tuple([await self._with_nearest(g) for g in groups]), more)

    async def review_group(
        self, group_id: int, *, guild_id: int | None = None, wordings: int = 20
    ) -> ReviewGroupDetail:
        """One group of any state with every ask kept (with `guild_id`: that server's), and its wordings."""
        await self._refresh_review()
        return await self._group_detail(group_id, guild_id, wordings)

    async def teach_group(self, group_id: int, topic_slug: str, *, actor: str) -> ReviewDecision:
        """The open group's wordings become aliases of the open topic `topic_slug`, so the question and its close
        variants are answered by it from now on (once it has statements)."""
        await self._refresh_review()
        taught = await self._write(lambda s: review_actions.teach(s, group_id, topic_slug, actor=actor))
        return await self._decision(taught)

    async def create_topic_from_group(
        self, group_id: int, *, title: str, slug: str | None = None, actor: str
    ) -> ReviewDecision:
        """A new open topic titled `title` (slug made from it unless given) with the group's wordings as aliases;
        it answers once statements are added."""
        await self._refresh_review()
        created = await self._write(lambda s: review_actions.create(s, group_id, title, slug, actor=actor))
        return await self._decision(created)

    async def dismiss_group(
        self, group_id: int, *, reason: DismissReason | str, note: str | None = None, actor: str
    ) -> ReviewDecision:
        """Out of the queue with a reason (spam, off-topic, duplicate, out-of-scope); asked again, it stays out."""
        await self._write(lambda s: review_actions.dismiss(s, group_id, str(reason), note, actor=actor))
        return ReviewDecision(await self._group_detail(group_id, None, 20))

    async def reopen_group(self, group_id: int, *, actor: str) -> ReviewDecision:
        """A taught or dismissed group back in the queue (its topic is kept as what it was taught to)."""
        await self._write(lambda s: review_actions.reopen(s, group_id, actor=actor))
        return ReviewDecision(await self._group_detail(group_id, None, 20))

    async def replay_log(self, *, days: int = 30, threshold: float | None = None) -> ReplayReport:
        """Re-ask the questions logged in the last `days` days against the store as it is now (at `threshold`,
        or the store's own): what changes, and precision/recall/F1 against the moderators' decisions, then
        and now (store/replay.py)."""
        since = self._since(days)
        bar = checked_threshold(threshold) if threshold is not None else self.settings.match_threshold
        await self._refresh_review()
        await self._index.maybe_sync()
        asks = await self._read(lambda s: review_replay.logged_asks(s, since))
        answering = await self._read(review_replay.answering_topic_ids)

        def answer(text: str) -> int | None:
            for scored in self.rank(text, limit=4):
                if scored.score < bar:
                    return None
                if scored.topic_id in answering:
                    return scored.topic_id
            return None

        return replay(asks, answer, days=days, threshold=bar)

    async def review_stats(self, *, days: int = 30, guild_id: int | None = None, top: int = 5) -> ReviewStats:
        """Per day and per server: volume, answered, weak and disputed rates, feedback; and the top open groups.
        `store.stats_png(stats)` draws it."""
        window = self._window(days, guild_id)
        last_day = dt.datetime.now(dt.UTC).date()
        first_day = last_day - dt.timedelta(days=days - 1)
        await self._refresh_review()
        tally = await self._read(lambda s: review_stats.tally(s, first_day, window.guild_id))
        queue = await self.review_queue(days=days, guild_id=guild_id, limit=checked_count("top", top, MAX_LIMIT))
        return stats_of(tally, days=days, last_day=last_day, top_groups=queue.groups)

    async def purge_query_log(self, *, older_than_days: int) -> PurgeReport:
        """Delete the questions logged more than `older_than_days` days ago and the feedback on them, keeping
        their counts in the daily aggregates (the stats stay whole)."""
        days = checked_count("older_than", older_than_days, 36500)
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        threshold, band = self.settings.match_threshold, self.settings.review_weak_band
        async with self._db.transaction() as session:
            # sorted into groups first: a purged question's kind goes into the aggregates, its group keeps its decision
            await review_groups.refresh(session, threshold=threshold, band=band)
            return await review_retention.purge(session, cutoff)

    async def forget_member(self, user_id: int) -> ForgetReport:
        """Delete everything the query log holds of one Discord member: their questions, their feedback, and
        the feedback on their questions."""
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
            raise InvalidInput("user", f"user: {user_id!r} is not a Discord user id.")
        user_hash = hash_user_id(await self.user_hash_salt(), user_id)
        async with self._db.transaction() as session:
            return await review_retention.forget(session, user_hash)

    async def user_hash_salt(self) -> bytes:
        """The salt of the hashed user ids: FACTBOT_USER_HASH_SALT, else one generated for this installation
        and kept in the database (the same across restarts and processes)."""
        if self.settings.user_hash_salt is not None:
            return self.settings.user_hash_salt.get_secret_value().encode()
        if self._salt is None:
            async with self._db.transaction() as session:
                self._salt = (await installation.value(session, SALT_KEY, new_salt)).encode()
        return self._salt

    async def user_hash(self, user_id: int) -> str:
        """How the query log knows the member `user_id`."""
        return hash_user_id(await self.user_hash_salt(), user_id)

    async def _refresh_review(self) -> None:
        threshold, band = self.settings.match_threshold, self.settings.review_weak_band
        async with self._db.transaction() as session:
            await review_groups.refresh(session, threshold=threshold, band=band)

    async def _apply_retention(self) -> None:
        """FACTBOT_QUERY_LOG_RETENTION_DAYS, at most once a day per process (after the query log is written).
        A failure is logged and tried again the next day: it must not stop the log."""
        days = self.settings.query_log_retention_days
        now = time.monotonic()
        if days is None or (self._retention_ran_at is not None and now - self._retention_ran_at < 86_400):
            return
        self._retention_ran_at = now
        try:
            report = await self.purge_query_log(older_than_days=days)
        except Exception:
            _log.warning("query log retention failed; trying again tomorrow", exc_info=True)
            return
        if report.queries:
            _log.info("query log retention: %d questions older than %d days deleted", report.queries, days)

    def _since(self, days: int) -> dt.datetime:
        return dt.datetime.now(dt.UTC) - dt.timedelta(days=checked_count("days", days, MAX_DAYS))

    def _window(self, days: int, guild_id: int | None) -> review_groups.Window:
        return review_groups.Window(self._since(days), guild_id)

    async def _group_detail(self, group_id: int, guild_id: int | None, wordings: int) -> ReviewGroupDetail:
        window = review_groups.Window(None, guild_id)
        group, found, row = await self._read(lambda s: review_groups.group_detail(s, group_id, window, wordings))
        await self._index.maybe_sync()
        return ReviewGroupDetail(
            await self._with_nearest(group), found, as_utc(row.created_at), as_utc(row.updated_at), row.updated_by
        )

    async def _with_nearest(self, group: ReviewGroup) -> ReviewGroup:
        """The group with the topic nearest its most asked wording now."""
        if not group.question:
            return group
        best = self.rank(group.question, limit=1)
        views = await self._index.topic_views([best[0].topic_id]) if best else {}
        view = views.get(best[0].topic_id) if best else None
        if view is None:
            return group
        score = best[0].score
        answers = score >= self.settings.match_threshold and bool(view.statements)
        return dataclasses.replace(group, nearest=NearestTopic(view.id, view.slug, view.title, score, answers))

    async def _decision(self, taught: Taught) -> ReviewDecision:
        detail = await self._group_detail(taught.group_id, None, 20)
        try:
            answered = bool(detail.group.question) and (await self.ask(detail.group.question)).answered
        except InvalidQuestion:  # a wording longer than this store's limit
            answered = False
        return ReviewDecision(
            detail, taught.topic, taught.aliases_added, taught.aliases_kept, taught.left_out, answered
        )
