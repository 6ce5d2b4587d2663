"""Shared by the moderation tests: the audit rows a change wrote, read straight from the table, and the
demo statements by their uids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import func, select

from store.db import models as m
from store.service import ClaimStore

_TIME = TypeAdapter(dt.datetime)


async def audit_mark(store: ClaimStore) -> int:
    """The newest audit event id now: what a change writes comes after it."""
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.coalesce(func.max(m.AuditEvent.id), 0)))).scalar_one())


async def events_after(store: ClaimStore, mark: int) -> list[dict[str, Any]]:
    """The audit rows written after `mark`, oldest first, as stored."""
    async with store.engine.connect() as connection:
        query = select(m.AuditEvent).where(m.AuditEvent.id > mark).order_by(m.AuditEvent.id)
        return [dict(row) for row in (await connection.execute(query)).mappings()]


async def count(store: ClaimStore, model: type[m.Base]) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def statement_id(store: ClaimStore, uid: str) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(m.Statement.id).where(m.Statement.uid == uid))).scalar_one())


def iso(value: dt.datetime) -> str:
    """A time as the audit trail's JSON writes it."""
    return str(_TIME.dump_python(value, mode="json"))


def shown(answer_statements: Any) -> list[str]:
    """The uids an answer's topic shows, in order."""
    return [s.uid for s in answer_statements]
