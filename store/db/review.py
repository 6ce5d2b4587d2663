"""The moderators' review of the query log: questions left unanswered, grouped, most asked first.

Every question is logged (store/querylog.py) with `review_state` "new". A moderator lists the
unanswered ones, decides what the store should learn (a topic, an alias, a statement), and marks them
reviewed so the next listing shows only what came since. The same question asked by many people, in
other capitals or with other punctuation, is one line with its count.

This is the first, per-question review (`/factbot-settings unanswered`); the review queue of groups with
moderators' decisions on them is store/db/review_groups.py and review_actions.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.rows import as_utc
from store.records import QueryOutcome, ReviewState
from store.review_grouping import question_key
from store.views import UnansweredQuestion

MAX_ROWS = 50_000  # the newest unanswered questions read per listing; a month of a busy server fits
LogRow = Row[int, str, str | None, str, dt.datetime]  # id, text, user_hash, source, created_at
__all__ = ["mark_reviewed", "question_key", "unanswered"]


async def unanswered(
    session: AsyncSession, since: dt.datetime, limit: int, guild_id: int | None = None
) -> list[UnansweredQuestion]:
    """Questions left unanswered since `since` and not yet reviewed, most asked first, then most recent;
    with `guild_id`, only those asked on that Discord server."""
    query = select(m.QueryLog.id, m.QueryLog.text, m.QueryLog.user_hash, m.QueryLog.source, m.QueryLog.created_at)
    if guild_id is not None:
        query = query.where(m.QueryLog.guild_id == guild_id)
    rows = (
        await session.execute(
            query.where(
                m.QueryLog.outcome == QueryOutcome.UNANSWERED.value,
                m.QueryLog.review_state == ReviewState.NEW.value,
                m.QueryLog.created_at >= since,
            )
            .order_by(m.QueryLog.created_at.desc(), m.QueryLog.id.desc())
            .limit(MAX_ROWS)
        )
    ).all()
    groups: dict[str, list[LogRow]] = {}
    for row in rows:
        groups.setdefault(question_key(row.text), []).append(row)
    found = [_group(members) for members in groups.values()]
    found.sort(key=lambda q: (-q.asked, -q.last_asked.timestamp(), q.text))
    return found[:limit]


def _group(members: Sequence[LogRow]) -> UnansweredQuestion:
    """One question's rows, newest first."""
    return UnansweredQuestion(
        text=members[-1].text,  # the first wording
        asked=len(members),
        askers=len({r.user_hash for r in members if r.user_hash}),
        first_asked=as_utc(members[-1].created_at),
        last_asked=as_utc(members[0].created_at),
        sources=tuple(sorted({r.source for r in members})),
        log_ids=tuple(sorted(r.id for r in members)),
    )


async def mark_reviewed(session: AsyncSession, log_ids: Sequence[int], chunk: int = 500) -> int:
    """Set the given log rows to reviewed; returns how many were still new."""
    changed = 0
    for start in range(0, len(log_ids), chunk):
        result = await session.execute(
            update(m.QueryLog)
            .where(m.QueryLog.id.in_(log_ids[start : start + chunk]), m.QueryLog.review_state == ReviewState.NEW.value)
            .values(review_state=ReviewState.REVIEWED.value)
        )
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed
