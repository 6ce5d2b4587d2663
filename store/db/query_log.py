"""Writing the query log: each question asked and what came of it, and users' verdicts on the answers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.engine import dialect_insert
from store.records import ReviewState
from store.views import FeedbackEntry, QueryLogEntry


async def write_query_events(session: AsyncSession, events: Sequence[QueryLogEntry | FeedbackEntry]) -> None:
    logs = [
        {
            "uid": e.uid,
            "source": str(e.source),  # a member's str() is its value
            "guild_id": e.guild_id,
            "channel_id": e.channel_id,
            "user_hash": e.user_hash,
            "text": e.text,
            "matches": e.matches,
            "outcome": str(e.outcome),
            "latency_ms": e.latency_ms,
            "created_at": e.created_at,
            "review_state": ReviewState.NEW.value,
        }
        for e in events
        if isinstance(e, QueryLogEntry)
    ]
    # a user's later verdict on the same answer replaces the earlier one (also within one batch)
    latest = {(e.query_uid, e.user_hash): e for e in events if isinstance(e, FeedbackEntry)}
    feedback = [
        {"query_uid": e.query_uid, "helpful": e.helpful, "user_hash": e.user_hash, "created_at": e.created_at}
        for e in latest.values()
    ]
    if logs:
        # a batch retried after an ambiguous failure must not fail on rows that did land
        insert_logs = dialect_insert(session, m.QueryLog).values(logs)
        await session.execute(insert_logs.on_conflict_do_nothing(index_elements=["uid"]))
    if feedback:
        insert_ = dialect_insert(session, m.QueryFeedback).values(feedback)
        verdict = {"helpful": insert_.excluded.helpful, "created_at": insert_.excluded.created_at}
        await session.execute(insert_.on_conflict_do_update(index_elements=["query_uid", "user_hash"], set_=verdict))
