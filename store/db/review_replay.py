"""Reading what a replay needs: the questions logged in a window with how they were answered and what the
moderators decided about their groups, and which topics can answer now."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.records import QueryOutcome, Status, TopicStatus
from store.replay import LoggedAsk
from store.review_queue import GroupState

_Q = m.QueryLog
_G = m.ReviewGroup


async def logged_asks(session: AsyncSession, since: dt.datetime) -> list[LoggedAsk]:
    """Every question the store was asked since `since` (refused and failed asks aside), oldest first."""
    query = (
        select(_Q.text, _Q.outcome, _Q.matches, _G.state, _G.topic_slug)
        .outerjoin(_G, _G.id == _Q.review_group_id)
        .where(_Q.created_at >= since, _Q.outcome.in_([QueryOutcome.ANSWERED.value, QueryOutcome.UNANSWERED.value]))
        .order_by(_Q.created_at, _Q.id)
    )
    found = (await session.execute(query)).all()
    slugs = {r.topic_slug for r in found if r.state == GroupState.TAUGHT.value and r.topic_slug}
    by_slug = await _resolved_slugs(session, slugs)
    logged_ids = {_first_topic(r.matches) for r in found if r.outcome == QueryOutcome.ANSWERED.value}
    resolved = await _resolved_ids(session, {i for i in logged_ids if i is not None})
    asks = []
    for r in found:
        logged = _first_topic(r.matches) if r.outcome == QueryOutcome.ANSWERED.value else None
        expected = by_slug.get(r.topic_slug) if r.state == GroupState.TAUGHT.value and r.topic_slug else None
        asks.append(
            LoggedAsk(
                text=r.text,
                answered_with=resolved.get(logged, logged) if logged is not None else None,
                expected=expected,
                negative=r.state == GroupState.DISMISSED.value,
            )
        )
    return asks


async def answering_topic_ids(session: AsyncSession) -> set[int]:
    """Open topics with a published statement: those an answer can show."""
    query = (
        select(m.Statement.topic_id)
        .join(m.Topic, m.Topic.id == m.Statement.topic_id)
        .where(m.Statement.status == Status.PUBLISHED.value, m.Topic.status == TopicStatus.OPEN.value)
        .distinct()
    )
    return set(await session.scalars(query))


def _first_topic(matches: object) -> int | None:
    if isinstance(matches, list) and matches and isinstance(matches[0], dict):
        topic_id = matches[0].get("topic_id")
        return topic_id if isinstance(topic_id, int) else None
    return None


async def _resolved_slugs(session: AsyncSession, slugs: set[str]) -> dict[str, int]:
    """The topic each slug names now (a merged topic's slug names the topic it went into)."""
    if not slugs:
        return {}
    query = select(m.Topic.slug, func.coalesce(m.Topic.merged_into_id, m.Topic.id)).where(m.Topic.slug.in_(slugs))
    return {slug: int(topic_id) for slug, topic_id in await session.execute(query)}


async def _resolved_ids(session: AsyncSession, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = select(m.Topic.id, func.coalesce(m.Topic.merged_into_id, m.Topic.id)).where(m.Topic.id.in_(ids))
    return {int(a): int(b) for a, b in await session.execute(query)}
