"""Per-server settings: read with defaults for a server never configured, changed with an audit event."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.audit import audit
from store.records import AuditAction, AuditEntity
from store.views import GuildSettings


async def guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings:
    return _view(await session.get(m.GuildSettings, guild_id), guild_id)


async def update_guild_settings(
    session: AsyncSession, guild_id: int, changes: Mapping[str, object], *, actor: str
) -> GuildSettings:
    """Set the given columns (prefix, answer_channel_ids, ephemeral, moderator_role_id) and audit the change;
    returns the result."""
    row = await session.get(m.GuildSettings, guild_id)
    before = _view(row, guild_id)
    if row is None:
        row = m.GuildSettings(guild_id=guild_id, answer_channel_ids=[], ephemeral=False)
        session.add(row)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_by = actor
    row.updated_at = m.utcnow()
    after = _view(row, guild_id)
    audit(
        session,
        actor=actor,
        action=AuditAction.UPDATE,
        entity=AuditEntity.GUILD_SETTINGS,
        key=str(guild_id),
        before=_json(before),
        after=_json(after),
    )
    return after


def _view(row: m.GuildSettings | None, guild_id: int) -> GuildSettings:
    if row is None:
        return GuildSettings(guild_id=guild_id)
    return GuildSettings(
        guild_id=guild_id,
        prefix=row.prefix,
        answer_channel_ids=tuple(int(c) for c in row.answer_channel_ids or ()),
        ephemeral=row.ephemeral,
        moderator_role_id=row.moderator_role_id,
    )


def _json(s: GuildSettings) -> dict[str, object]:
    return {
        "prefix": s.prefix,
        "answer_channel_ids": list(s.answer_channel_ids),
        "ephemeral": s.ephemeral,
        "moderator_role_id": s.moderator_role_id,
    }
