"""Query log rows as a test writes them: questions asked some time ago, by someone, somewhere, with an outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.service import ClaimStore
from store.views import FeedbackEntry, QueryLogEntry


def asked(
    text: str,
    *,
    outcome: str = "unanswered",
    user: str | None = None,
    guild: int | None = None,
    days_ago: float = 0.0,
    topic: int | None = None,
    score: float | None = None,
    source: str = "slash",
    uid: str | None = None,
) -> QueryLogEntry:
    """One logged question; an answered one names the topic it was answered with and its score."""
    matches: list[dict[str, Any]] = []
    if outcome == "answered":
        matches = [{"topic_id": topic if topic is not None else 1, "score": score if score is not None else 0.9}]
    extra: dict[str, Any] = {"uid": uid} if uid else {}
    return QueryLogEntry(
        text=text,
        source=source,
        outcome=outcome,
        latency_ms=2.0,
        matches=matches,
        guild_id=guild,
        user_hash=user,
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago),
        **extra,
    )


def verdict(entry: QueryLogEntry, helpful: bool, user: str) -> FeedbackEntry:
    return FeedbackEntry(query_uid=entry.uid, helpful=helpful, user_hash=user)


async def topic_id(store: ClaimStore, slug: str) -> int:
    return (await store.topic_by_slug(slug)).id


async def row_count(store: ClaimStore, model: type[m.Base]) -> int:
    async with AsyncSession(store.engine) as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)
