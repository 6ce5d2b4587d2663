"""Deleting raw query log entries: old ones (retention, `review purge`) and every one of a member (`forget`).

A purge first adds the rows' counts to the daily aggregates, then deletes the rows and the feedback on them, so
a day's figures stay whole. Forgetting a member deletes their questions, their feedback, and the feedback
others gave on their questions, counts and all; a group left with none of its questions goes, and one whose
key question was theirs takes the oldest remaining question as its key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Delete, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.engine import dialect_insert
from store.db.review_stats import verdicts
from store.db.rows import as_utc
from store.review_grouping import question_key
from store.review_queue import ForgetReport, GroupState, PurgeReport
from store.stats import COUNTS, Tally

CHUNK = 1000
_Q = m.QueryLog
_F = m.QueryFeedback


async def purge(session: AsyncSession, cutoff: dt.datetime) -> PurgeReport:
    """Delete the rows asked before `cutoff` and the feedback on them, their counts kept per day."""
    queries = feedback = 0
    days: set[dt.date] = set()
    touched: set[int] = set()
    while True:
        rows = (
            await session.execute(
                select(_Q.id, _Q.uid, _Q.created_at, _Q.guild_id, _Q.outcome, _Q.review_kind, _Q.review_group_id)
                .where(_Q.created_at < cutoff)
                .order_by(_Q.id)
                .limit(CHUNK)
            )
        ).all()
        if not rows:
            break
        uids = [r.uid for r in rows]
        votes = await verdicts(session, uids=uids)
        tally = Tally()
        for r in rows:
            helpful, not_helpful = votes.get(r.uid, (0, 0))
            tally.add_question(as_utc(r.created_at).date(), r.guild_id, r.outcome, r.review_kind, helpful, not_helpful)
        await _add_to_daily(session, tally)
        days.update(day for day, _ in tally.counts)
        touched.update(r.review_group_id for r in rows if r.review_group_id is not None)
        feedback += await _deleted(session, delete(_F).where(_F.query_uid.in_(uids)))
        queries += await _deleted(session, delete(_Q).where(_Q.id.in_([r.id for r in rows])))
    # feedback whose question never landed in the log: nothing to count it with
    orphans = delete(_F).where(_F.created_at < cutoff, ~exists().where(_Q.uid == _F.query_uid))
    feedback += await _deleted(session, orphans)
    empty = await _empty_groups(session, touched)
    groups = await _deleted(
        session, delete(m.ReviewGroup).where(m.ReviewGroup.id.in_(empty), m.ReviewGroup.state == GroupState.OPEN.value)
    )
    return PurgeReport(queries, feedback, groups, len(days))


async def forget(session: AsyncSession, user_hash: str) -> ForgetReport:
    """Delete every question the member asked, their feedback and the feedback on their questions."""
    rows = (await session.execute(select(_Q.uid, _Q.review_group_id).where(_Q.user_hash == user_hash))).all()
    uids = [r.uid for r in rows]
    touched = {r.review_group_id for r in rows if r.review_group_id is not None}
    feedback = await _deleted(session, delete(_F).where(_F.user_hash == user_hash))
    for start in range(0, len(uids), CHUNK):
        feedback += await _deleted(session, delete(_F).where(_F.query_uid.in_(uids[start : start + CHUNK])))
    queries = await _deleted(session, delete(_Q).where(_Q.user_hash == user_hash))
    empty = await _empty_groups(session, touched)
    groups = await _deleted(session, delete(m.ReviewGroup).where(m.ReviewGroup.id.in_(empty)))
    await _rekey(session, touched - set(empty))
    return ForgetReport(queries, feedback, groups)


async def _add_to_daily(session: AsyncSession, tally: Tally) -> None:
    if not tally.counts:
        return
    values = [
        {"day": day, "guild_id": guild_id, **{n: getattr(c, n) for n in COUNTS}}
        for (day, guild_id), c in tally.counts.items()
    ]
    insert_ = dialect_insert(session, m.DailyStats).values(values)
    table = m.DailyStats.__table__.c
    added = {n: table[n] + getattr(insert_.excluded, n) for n in COUNTS}
    await session.execute(insert_.on_conflict_do_update(index_elements=["day", "guild_id"], set_=added))


async def _empty_groups(session: AsyncSession, group_ids: Iterable[int]) -> list[int]:
    ids = list(group_ids)
    if not ids:
        return []
    still = set(await session.scalars(select(_Q.review_group_id).where(_Q.review_group_id.in_(ids)).distinct()))
    return [i for i in ids if i not in still]


async def _rekey(session: AsyncSession, group_ids: Iterable[int]) -> None:
    """Each group's key becomes its oldest question kept (the forgotten member's wording may have been it)."""
    for group_id in group_ids:
        oldest = await session.scalar(
            select(_Q.text).where(_Q.review_group_id == group_id).order_by(_Q.created_at, _Q.id).limit(1)
        )
        group = await session.get(m.ReviewGroup, group_id)
        if oldest is not None and group is not None:
            group.key = question_key(oldest)
    await session.flush()


async def _deleted(session: AsyncSession, statement: Delete) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
