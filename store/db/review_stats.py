"""Reading the query log's figures: the raw rows of a window and the daily aggregates of those deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.rows import as_utc
from store.stats import COUNTS, QueryCounts, Tally


async def tally(session: AsyncSession, first_day: dt.date, guild_id: int | None) -> Tally:
    """QueryCounts per day and server from `first_day` on, raw rows and aggregates together."""
    since = dt.datetime.combine(first_day, dt.time(), dt.UTC)
    found = Tally()
    votes = await verdicts(session, since=since, guild_id=guild_id)
    query = select(
        m.QueryLog.uid, m.QueryLog.created_at, m.QueryLog.guild_id, m.QueryLog.outcome, m.QueryLog.review_kind
    )
    query = query.where(m.QueryLog.created_at >= since)
    if guild_id is not None:
        query = query.where(m.QueryLog.guild_id == guild_id)
    for uid, created_at, guild, outcome, kind in await session.execute(query):
        helpful, not_helpful = votes.get(uid, (0, 0))
        found.add_question(as_utc(created_at).date(), guild, outcome, kind, helpful, not_helpful)
    aggregates = select(m.DailyStats).where(m.DailyStats.day >= first_day)
    if guild_id is not None:
        aggregates = aggregates.where(m.DailyStats.guild_id == guild_id)
    for row in await session.scalars(aggregates):
        found.add(row.day, row.guild_id, QueryCounts(*(getattr(row, n) for n in COUNTS)))
    return found


async def verdicts(
    session: AsyncSession,
    *,
    since: dt.datetime | None = None,
    guild_id: int | None = None,
    uids: list[str] | None = None,
) -> dict[str, tuple[int, int]]:
    """(helpful, not helpful) presses per logged question's uid, for the questions chosen."""
    query = (
        select(
            m.QueryFeedback.query_uid,
            func.sum(case((m.QueryFeedback.helpful.is_(True), 1), else_=0)),
            func.count(m.QueryFeedback.id),
        )
        .join(m.QueryLog, m.QueryLog.uid == m.QueryFeedback.query_uid)
        .group_by(m.QueryFeedback.query_uid)
    )
    if since is not None:
        query = query.where(m.QueryLog.created_at >= since)
    if guild_id is not None:
        query = query.where(m.QueryLog.guild_id == guild_id)
    if uids is not None:
        query = query.where(m.QueryFeedback.query_uid.in_(uids))
    return {
        uid: (int(helpful or 0), int(count) - int(helpful or 0)) for uid, helpful, count in await session.execute(query)
    }
