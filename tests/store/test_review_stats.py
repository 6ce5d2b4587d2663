"""The query log's stats, and retention: purging keeps each day's figures whole; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.testing import open_store
from store.errors import InvalidInput
from store.service import ClaimStore
from store.settings import StoreSettings
from store.stats import ReviewStats
from store.views import FeedbackEntry, QueryLogEntry
from tests.support.logged_questions import asked, row_count, verdict

TODAY = dt.datetime.now(dt.UTC).date()


def day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


def log(progress: int) -> tuple[list[QueryLogEntry], list[FeedbackEntry]]:
    """Ten days ago, 3 questions on server 1 (2 answered, one of them weakly); today, 5 on server 2 and the CLI (one
    refused, one answered and disputed)."""
    old_answer = asked("cairo talks progress", outcome="answered", topic=progress, score=0.9, guild=1, days_ago=10)
    weak = asked("cairo talks", outcome="answered", topic=progress, score=0.55, guild=1, days_ago=10)
    today_answer = asked("cairo truce talks progress", outcome="answered", topic=progress, score=0.95, guild=2)
    disputed = asked("is the cairo deal done", outcome="answered", topic=progress, score=0.9, guild=2)
    rows = [
        old_answer,
        weak,
        asked("banana bread recipe", guild=1, days_ago=10),
        today_answer,
        disputed,
        asked("banana bread recipe", guild=2),
        asked("is the rafah crossing open", source="cli"),
        asked("x" * 20, outcome="rejected", guild=2),
    ]
    votes = [
        verdict(old_answer, True, "u1"),
        verdict(old_answer, True, "u2"),
        verdict(today_answer, True, "u1"),
        verdict(disputed, False, "u3"),
    ]
    return rows, votes


async def logged(store: ClaimStore) -> None:
    progress = (await store.topic_by_slug("cairo-talks-progress")).id
    rows, votes = log(progress)
    await store.write_query_events(rows)
    await store.write_query_events(votes)


def figures(stats: ReviewStats) -> dict[str, object]:
    """What purging must leave as it was: every day's and every server's counts."""
    return {
        "days": {d.day: d.counts for d in stats.per_day if d.counts.asked},
        "servers": {s.guild_id: s.counts for s in stats.per_server},
        "total": stats.total,
    }


async def test_the_stats_of_a_window(demo_store: ClaimStore) -> None:
    await logged(demo_store)
    stats = await demo_store.review_stats(days=14)
    assert (stats.first_day, stats.last_day, len(stats.per_day)) == (day(13), TODAY, 14)
    by_day = {d.day: d.counts for d in stats.per_day}
    old, now = by_day[day(10)], by_day[TODAY]
    assert (old.asked, old.answered, old.unanswered, old.weak, old.disputed, old.helpful) == (3, 2, 1, 1, 0, 2)
    assert (now.asked, now.answered, now.unanswered, now.disputed, now.helpful, now.not_helpful) == (5, 2, 2, 1, 1, 1)
    assert now.answered_rate == 0.5 and now.disputed_rate == 0.5 and now.helpful_ratio == 0.5
    assert by_day[day(3)].asked == 0 and by_day[day(3)].answered_rate is None
    t = stats.total
    assert (t.asked, t.answered, t.unanswered, t.weak, t.disputed) == (8, 4, 3, 1, 1)
    assert t.answered_rate == pytest.approx(4 / 7) and t.weak_rate == 0.25 and t.helpful_ratio == 0.75
    assert [(s.guild_id, s.counts.asked) for s in stats.per_server] == [(2, 4), (1, 3), (None, 1)]
    assert stats.top_groups[0].question == "banana bread recipe" and stats.top_groups[0].count == 2
    payload = stats.to_json()
    assert payload["per_server"][0]["server"] == "2" and payload["total"]["answered_rate"] == round(4 / 7, 4)
    week = await demo_store.review_stats(days=7)
    assert week.total.asked == 5 and week.first_day == day(6)


async def test_purging_keeps_every_days_figures(demo_store: ClaimStore) -> None:
    await logged(demo_store)
    before = figures(await demo_store.review_stats(days=30))
    report = await demo_store.purge_query_log(older_than_days=5)
    assert (report.queries, report.feedback, report.days) == (3, 2, 1)
    assert await row_count(demo_store, m.QueryLog) == 5 and await row_count(demo_store, m.QueryFeedback) == 2
    assert figures(await demo_store.review_stats(days=30)) == before
    again = await demo_store.purge_query_log(older_than_days=5)
    assert (again.queries, again.feedback) == (0, 0)
    assert figures(await demo_store.review_stats(days=30)) == before  # counted once
    async with AsyncSession(demo_store.engine) as session:
        [aggregate] = (await session.scalars(select(m.DailyStats))).all()
    assert (aggregate.day, aggregate.guild_id, aggregate.asked, aggregate.helpful) == (day(10), 1, 3, 2)
    with pytest.raises(InvalidInput, match="older_than: between 1 and"):
        await demo_store.purge_query_log(older_than_days=0)


async def test_a_purge_removes_open_groups_left_empty_and_keeps_decided_ones(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events(
        [asked("banana bread recipe", days_ago=40), asked("who won the 2018 world cup", days_ago=40)]
    )
    groups = {g.question: g.id for g in (await demo_store.review_queue(days=60)).groups}
    await demo_store.dismiss_group(groups["banana bread recipe"], reason="spam", actor="cli:mod")
    assert (await demo_store.purge_query_log(older_than_days=30)).groups == 1
    kept = await demo_store.review_group(groups["banana bread recipe"])
    assert (kept.group.state.value, kept.group.count, kept.group.first_asked) == ("dismissed", 0, None)
    await demo_store.write_query_events([asked("Banana bread recipe!")])
    assert (await demo_store.review_queue()).groups == ()  # the decision outlived the purged asks


async def test_the_retention_setting_purges_as_the_log_is_written(store_settings: StoreSettings) -> None:
    settings = store_settings.model_copy(update={"query_log_retention_days": 30})
    async with open_store(settings) as store:
        await store.write_query_events([asked("banana bread recipe", days_ago=45), asked("fresh question")])
        assert await row_count(store, m.QueryLog) == 1
        assert (await store.review_stats(days=60)).total.asked == 2  # the purged day is still counted
