"""Reading the audit trail back, newest first, and recording refused attempts in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.curation_views import AuditEntry
from store.db import models as m
from store.db.rows import as_utc
from store.errors import InvalidInput, StatementNotFound

_E = m.AuditEvent
MAX_LIMIT = 500


async def audit_events(
    session: AsyncSession,
    *,
    topic: str | None,
    statement: int | None,
    actor: str | None,
    since: dt.date | dt.datetime | None,
    limit: int,
    offset: int = 0,
) -> list[AuditEntry]:
    """Events matching every filter given, newest first. `topic` is a slug: the topic's own events and those of
    its statements (also moved in or out); `statement` an id: its events and the merges that moved it;
    `actor` any part of the actor (`alice` finds `cli:alice`). `offset` skips that many of the newest (paging)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"limit: between 1 and {MAX_LIMIT}, not {limit}.")
    if offset < 0:
        raise InvalidInput("offset", f"offset: 0 or more, not {offset}.")
    query = select(_E).order_by(_E.id.desc()).limit(limit).offset(offset)
    if topic is not None:
        query = query.where(_about_topic(topic.strip()))
    if statement is not None:
        uid = await session.scalar(select(m.Statement.uid).where(m.Statement.id == statement))
        if uid is None:
            raise StatementNotFound(f"There is no statement #{statement}.")
        query = query.where(_about_statement(uid))
    if actor is not None and actor.strip():
        query = query.where(_E.actor.icontains(actor.strip(), autoescape=True))
    if since is not None:
        start = since if isinstance(since, dt.datetime) else dt.datetime.combine(since, dt.time(), dt.UTC)
        query = query.where(_E.at >= start)
    return [_entry(e) for e in await session.scalars(query)]


def _about_topic(slug: str) -> ColumnElement[bool]:
    quoted = f'"{slug}"'
    return or_(
        (_E.entity == "topic") & (_E.entity_key == slug),
        _E.after["topic"].as_string() == slug,
        _E.before["topic"].as_string() == slug,
        (_E.entity == "topic") & (_E.after["merged_into"].as_string() == slug),
        # speakers' and outlets' merges list the topics of the statements they moved
        _E.entity.in_(("speaker", "outlet")) & cast(_E.after, String).contains(quoted, autoescape=True),
    )


def _about_statement(uid: str) -> ColumnElement[bool]:
    quoted = f'"{uid}"'
    return or_(
        (_E.entity == "statement") & (_E.entity_key == uid),
        # merges of topics, speakers and outlets name the statements they moved; a removal the ones it took
        _E.entity.in_(("topic", "speaker", "outlet"))
        & or_(
            cast(_E.after, String).contains(quoted, autoescape=True),
            cast(_E.before, String).contains(quoted, autoescape=True),
        ),
    )


def _entry(e: m.AuditEvent) -> AuditEntry:
    return AuditEntry(e.id, as_utc(e.at), e.actor, e.entity, e.entity_key, e.action, e.before, e.after)


def record_refusal(session: AsyncSession, *, actor: str, action: str, entity: str, key: str, reason: str) -> None:
    """A change someone was refused (no rights): audited like a change, with nothing before or after changed.
    Cut to the columns' widths rather than refused: this record must not fail."""
    after: dict[str, Any] = {"attempted": action[:300], "reason": reason[:1000]}
    session.add(
        m.AuditEvent(
            actor=actor[:300] or "unknown",
            action="refused",
            entity=entity[:40] or "store",
            entity_key=key[:300],
            before=None,
            after=after,
        )
    )
