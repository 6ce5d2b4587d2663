"""The audit trail: every write leaves an event (who, what, before and after), and the index follows them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.records import AuditAction, AuditEntity


def audit(
    session: AsyncSession,
    *,
    actor: str,
    action: AuditAction | str,
    entity: AuditEntity | str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an event to the session (written with the change it records)."""
    session.add(m.AuditEvent(**event_row(actor, action, entity, key, before, after)))


def event_row(
    actor: str,
    action: AuditAction | str,
    entity: AuditEntity | str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    """An event as a plain row, for a bulk INSERT."""
    return {
        "at": m.utcnow(),
        "actor": actor,
        "action": AuditAction(action).value,
        "entity": AuditEntity(entity).value,
        "entity_key": key,
        "before": before,
        "after": after,
    }


async def last_event_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(m.AuditEvent.id), 0))) or 0)


async def topics_changed_since(session: AsyncSession, event_id: int) -> tuple[int, set[str]]:
    """Slugs of topics touched by audit events after `event_id`, and the newest event id."""
    rows = await session.execute(
        select(m.AuditEvent.id, m.AuditEvent.entity, m.AuditEvent.entity_key, m.AuditEvent.before, m.AuditEvent.after)
        .where(m.AuditEvent.id > event_id, m.AuditEvent.action != AuditAction.REFUSED)
        .order_by(m.AuditEvent.id)
    )
    newest, slugs = event_id, set()
    for event_id_, entity, key, before, after in rows:
        newest = event_id_
        if entity == AuditEntity.TOPIC:
            slugs.add(key)
            if after and isinstance(after.get("merged_into"), str):  # a merge changes the topic it went into
                slugs.add(after["merged_into"])
        for state in (before, after):  # a statement names its topic (a move both); a speaker's change, all
            if state:
                if isinstance(state.get("topic"), str):
                    slugs.add(state["topic"])
                slugs.update(s for s in state.get("topics") or () if isinstance(s, str))
    return newest, slugs
