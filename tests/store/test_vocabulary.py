"""The store's words for outcomes, sources, review states and audit events are the values the database holds."""

from __future__ import annotations

from sqlalchemy import select

from store import AuditAction, AuditEntity, ClaimStore, QueryLogEntry, QueryOutcome, QuerySource, ReviewState
from store.db import models as m


async def test_what_is_written_is_spelled_as_the_enums_say(demo_store: ClaimStore) -> None:
    answered = await demo_store.ask("Is there any progress in the Cairo truce talks?")
    unanswered = await demo_store.ask("who won the champions league final")
    entries = [QueryLogEntry.from_answer(a, source=QuerySource.CLI) for a in (answered, unanswered)]
    assert [e.outcome for e in entries] == [QueryOutcome.ANSWERED, QueryOutcome.UNANSWERED]
    plain = QueryLogEntry(text="!", source="prefix", outcome="rejected", latency_ms=0.0)  # as the bot passes them
    await demo_store.write_query_events([*entries, plain])
    await demo_store.update_guild_settings(7, actor="mod", ephemeral=True)
    await demo_store.mark_reviewed([1])

    async with demo_store.engine.connect() as connection:
        query = select(m.QueryLog.source, m.QueryLog.outcome, m.QueryLog.review_state)
        logged = (await connection.execute(query)).all()
        events = set((await connection.execute(select(m.AuditEvent.entity, m.AuditEvent.action))).all())
    assert sorted(tuple(row) for row in logged) == [
        ("cli", "answered", "reviewed"),
        ("cli", "unanswered", "new"),
        ("prefix", "rejected", "new"),
    ]
    assert events == {
        (AuditEntity.TOPIC, AuditAction.CREATE),
        (AuditEntity.STATEMENT, AuditAction.CREATE),
        (AuditEntity.GUILD_SETTINGS, AuditAction.UPDATE),
    }
    assert {row.review_state for row in logged} == set(ReviewState)
