"""Moderators' reads and changes of speakers and outlets: other names, roles, and merging two into one.

A speaker, to a moderator, is everyone stored under one name (the rows differ by kind, descriptor or
affiliation); its profile holds the aliases matched in questions and its role. Each change writes its audit
event in the caller's transaction and returns the topics whose answers (or index) it touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.curation import KEEP, Keep, checked_actor, checked_aliases, optional_text, required_text
from store.curation_views import OutletDetail, SpeakerDetail
from store.db import models as m
from store.db.audit import audit
from store.db.curation_rows import Written, stale
from store.db.engine import dialect_insert
from store.errors import InvalidInput, OutletNotFound, SpeakerNotFound
from store.matching.text import fold
from store.records import SpeakerKind
from store.views import Speaker

# -- speakers ------------------------------------------------------------------------------------------


async def speaker_rows(session: AsyncSession, name: str) -> list[m.Speaker]:
    """Every speaker row stored under `name` (case and accents aside)."""
    key = fold(name.strip())
    if not key:
        return []
    query = select(m.Speaker).where(m.Speaker.key.startswith(key + "|", autoescape=True)).order_by(m.Speaker.id)
    return [s for s in await session.scalars(query) if fold(s.name) == key]


async def _profile(session: AsyncSession, name: str) -> m.SpeakerProfile | None:
    query = select(m.SpeakerProfile).where(m.SpeakerProfile.name_key == fold(name))
    return await session.scalar(query.execution_options(populate_existing=True))


async def _profile_with_alias(session: AsyncSession, alias: str) -> m.SpeakerProfile | None:
    key = fold(alias.strip())
    for profile in await session.scalars(select(m.SpeakerProfile)):
        if any(fold(a) == key for a in profile.aliases or ()):
            return profile
    return None


async def _resolved_rows(session: AsyncSession, name: str, *, by_alias: bool = True) -> list[m.Speaker]:
    found = await speaker_rows(session, name)
    if not found and by_alias and (profile := await _profile_with_alias(session, name)) is not None:
        found = await speaker_rows(session, profile.name)
    if not found:
        raise SpeakerNotFound(f"There is no speaker {name.strip()!r}.")
    return found


async def _statements_of(session: AsyncSession, column: Any, ids: Sequence[int]) -> list[tuple[str, str]]:
    """(uid, topic slug) of the statements whose `column` is one of `ids`."""
    query = (
        select(m.Statement.uid, m.Topic.slug)
        .join(m.Topic, m.Topic.id == m.Statement.topic_id)
        .where(column.in_(ids))
        .order_by(m.Statement.id)
    )
    return list((await session.execute(query)).all())


async def _topic_ids(session: AsyncSession, column: Any, ids: Sequence[int]) -> tuple[int, ...]:
    found = await session.scalars(select(m.Statement.topic_id).where(column.in_(ids)).distinct())
    return tuple(sorted(found))


async def _speaker_detail(session: AsyncSession, found: list[m.Speaker]) -> SpeakerDetail:
    profile = await _profile(session, found[0].name)
    statements = await _statements_of(session, m.Statement.speaker_id, [s.id for s in found])
    counted = select(m.Statement.speaker_id, func.count()).where(m.Statement.speaker_id.in_([s.id for s in found]))
    counts = dict((await session.execute(counted.group_by(m.Statement.speaker_id))).all())
    by_use = sorted(found, key=lambda s: (-counts.get(s.id, 0), s.id))
    return SpeakerDetail(
        name=profile.name if profile is not None else found[0].name,
        aliases=tuple(profile.aliases or ()) if profile is not None else (),
        role=profile.role if profile is not None else None,
        kinds=tuple(dict.fromkeys(SpeakerKind(s.kind) for s in found)),
        descriptors=tuple(dict.fromkeys(s.descriptor for s in found if s.descriptor)),
        statements=len(statements),
        topics=tuple(sorted({slug for _, slug in statements})),
        version=profile.version if profile is not None else 1,
        records=tuple(Speaker(s.name, SpeakerKind(s.kind), s.descriptor, s.affiliation) for s in by_use),
    )


def _speaker_state(detail: SpeakerDetail) -> dict[str, Any]:
    return {
        "name": detail.name,
        "aliases": list(detail.aliases),
        "role": detail.role,
        "version": detail.version,
        "topics": list(detail.topics),  # re-indexed elsewhere: the aliases are matched with their statements
    }


async def speaker_detail(session: AsyncSession, name: str) -> SpeakerDetail:
    """The speaker stored under `name`, or whose alias it is."""
    return await _speaker_detail(session, await _resolved_rows(session, name))


async def _locked_profile(session: AsyncSession, name: str) -> m.SpeakerProfile:
    """The profile of `name`, made if there is none (a speaker without one is at version 1), and locked."""
    key = fold(name)
    now = m.utcnow()
    insert = dialect_insert(session, m.SpeakerProfile).values(
        name_key=key, name=name, aliases=[], role=None, version=1, updated_by=None, updated_at=now
    )
    await session.execute(insert.on_conflict_do_nothing(index_elements=["name_key"]))
    await session.execute(
        update(m.SpeakerProfile)
        .where(m.SpeakerProfile.name_key == key)
        .values(version=m.SpeakerProfile.version)
        .execution_options(synchronize_session=False)
    )
    profile = await _profile(session, name)
    assert profile is not None  # made or found just above
    return profile


async def edit_speaker(
    session: AsyncSession,
    name: str,
    *,
    add_aliases: Sequence[str],
    remove_aliases: Sequence[str],
    role: str | Keep | None,
    version: int | None,
    actor: str,
) -> Written[SpeakerDetail]:
    actor = checked_actor(actor)
    adding, removing = checked_aliases("aliases", add_aliases), checked_aliases("remove_aliases", remove_aliases)
    new_role = role if isinstance(role, Keep) else optional_text("role", role)
    found = await _resolved_rows(session, name)
    profile = await _locked_profile(session, found[0].name)
    before = await _speaker_detail(session, found)
    if version is not None and version != profile.version:
        raise stale(f"Speaker {profile.name!r}", version, profile.version, profile.updated_by, profile.updated_at)
    aliases = {fold(a): a for a in profile.aliases or ()}
    for alias in removing:
        if aliases.pop(fold(alias), None) is None:
            raise InvalidInput("remove_aliases", f"remove_aliases: {alias!r} is not an alias of {profile.name!r}.")
    for alias in adding:
        await _refuse_alias(session, alias, profile)
        aliases.setdefault(fold(alias), alias)
    profile.aliases = list(aliases.values())
    if new_role is not KEEP:
        profile.role = new_role if isinstance(new_role, str) else None
    if (list(before.aliases), before.role) == (profile.aliases, profile.role):
        return Written(before, ())
    profile.version += 1
    profile.updated_by, profile.updated_at = actor, m.utcnow()
    await session.flush()
    after = await _speaker_detail(session, found)
    audit(
        session,
        actor=actor,
        action="update",
        entity="speaker",
        key=profile.name,
        before=_speaker_state(before),
        after=_speaker_state(after),
    )
    return Written(after, await _topic_ids(session, m.Statement.speaker_id, [s.id for s in found]))


async def _refuse_alias(session: AsyncSession, alias: str, profile: m.SpeakerProfile) -> None:
    """An alias names one speaker, and never another speaker's own name (merge those instead)."""
    if fold(alias) == profile.name_key:
        raise InvalidInput("aliases", f"aliases: {alias!r} is the speaker's own name.")
    if await speaker_rows(session, alias):
        raise InvalidInput(
            "aliases", f"aliases: {alias!r} is the name of another speaker; merge the two instead (speaker merge)."
        )
    other = await _profile_with_alias(session, alias)
    if other is not None and other.id != profile.id:
        raise InvalidInput("aliases", f"aliases: {alias!r} is already an alias of {other.name!r}.")


async def merge_speakers(session: AsyncSession, name: str, into: str, *, actor: str) -> Written[SpeakerDetail]:
    """NAME's statements move to INTO (to the row INTO is stored under most often); NAME becomes INTO's alias."""
    actor = checked_actor(actor)
    source = await _resolved_rows(session, required_text("name", name), by_alias=False)
    target = await _resolved_rows(session, required_text("into", into), by_alias=False)
    if fold(source[0].name) == fold(target[0].name):
        raise InvalidInput("into", f"into: a speaker can't be merged into itself ({name.strip()!r}).")
    first, second = sorted([source[0].name, target[0].name], key=fold)  # lock in one order
    profiles = {fold(n): await _locked_profile(session, n) for n in (first, second)}
    source_profile, target_profile = profiles[fold(source[0].name)], profiles[fold(target[0].name)]
    before = await _speaker_detail(session, source)
    counted = select(m.Statement.speaker_id, func.count()).where(m.Statement.speaker_id.in_([s.id for s in target]))
    counts = dict((await session.execute(counted.group_by(m.Statement.speaker_id))).all())
    main = max(target, key=lambda s: (counts.get(s.id, 0), -s.id))
    moved = await _statements_of(session, m.Statement.speaker_id, [s.id for s in source])
    touched = await _topic_ids(session, m.Statement.speaker_id, [s.id for s in source])
    await _repoint(session, m.Statement.speaker_id, [s.id for s in source], {"speaker_id": main.id}, actor)
    aliases = {fold(a): a for a in target_profile.aliases or ()}
    for alias in [source_profile.name, *(source_profile.aliases or ())]:
        if fold(alias) != target_profile.name_key:
            aliases.setdefault(fold(alias), alias)
    target_profile.aliases = list(aliases.values())
    target_profile.role = target_profile.role or source_profile.role
    target_profile.version += 1
    target_profile.updated_by, target_profile.updated_at = actor, m.utcnow()
    await session.delete(source_profile)
    await session.execute(delete(m.Speaker).where(m.Speaker.id.in_([s.id for s in source])))
    await session.flush()
    after = {
        "merged_into": target_profile.name,
        "moved_statements": [uid for uid, _ in moved],
        "topics": sorted({slug for _, slug in moved}),
        "aliases": list(target_profile.aliases),
    }
    audit(
        session,
        actor=actor,
        action="merge",
        entity="speaker",
        key=before.name,
        before=_speaker_state(before),
        after=after,
    )
    return Written(await _speaker_detail(session, await speaker_rows(session, target_profile.name)), touched)


async def suggest_speakers(session: AsyncSession, partial: str, limit: int) -> list[str]:
    """Speaker names for autocomplete: those starting with `partial` (case and accents aside), then those with a
    word starting so ("netan"), then those with an alias starting so ("bibi")."""
    key = fold(partial.strip())
    query = select(m.Speaker.name).distinct()
    if key:  # the folded key holds the folded name: a cheap first cut
        query = query.where(m.Speaker.key.contains(key, autoescape=True))
    ranked: dict[str, int] = {}
    for name in await session.scalars(query):
        rank = _match_rank(fold(name), key)
        if rank is not None:
            ranked[name] = min(rank, ranked.get(name, rank))
    if key:
        for name, aliases in await session.execute(select(m.SpeakerProfile.name, m.SpeakerProfile.aliases)):
            if name not in ranked and any(_match_rank(fold(a), key) is not None for a in aliases or ()):
                ranked[name] = 2
    return sorted(ranked, key=lambda name: (ranked[name], fold(name)))[:limit]


_WORD_START = re.compile(r"\b\w")


def _match_rank(folded: str, key: str) -> int | None:
    """0 when `folded` starts with `key`, 1 when one of its words does (the rest following), else None."""
    if folded.startswith(key):
        return 0
    if any(folded.startswith(key, w.start()) for w in _WORD_START.finditer(folded)):
        return 1
    return None


# -- outlets -------------------------------------------------------------------------------------------


async def _outlet(session: AsyncSession, name: str, field: str = "name") -> m.Outlet:
    text = required_text(field, name)
    found = await session.scalar(select(m.Outlet).where(m.Outlet.key == fold(text)))
    if found is None:
        raise OutletNotFound(f"There is no outlet {text!r}.")
    return found


async def _outlet_detail(session: AsyncSession, outlet: m.Outlet) -> OutletDetail:
    statements = await _statements_of(session, m.Statement.outlet_id, [outlet.id])
    return OutletDetail(outlet.name, outlet.url, len(statements), tuple(sorted({slug for _, slug in statements})))


async def outlet_detail(session: AsyncSession, name: str) -> OutletDetail:
    return await _outlet_detail(session, await _outlet(session, name))


async def merge_outlets(session: AsyncSession, name: str, into: str, *, actor: str) -> Written[OutletDetail]:
    """NAME's statements move to INTO, which keeps its URL (or takes NAME's); NAME is gone."""
    actor = checked_actor(actor)
    source, target = await _outlet(session, name), await _outlet(session, into, "into")
    if source.id == target.id:
        raise InvalidInput("into", f"into: an outlet can't be merged into itself ({source.name!r}).")
    before = await _outlet_detail(session, source)
    moved = await _statements_of(session, m.Statement.outlet_id, [source.id])
    touched = await _topic_ids(session, m.Statement.outlet_id, [source.id])
    await _repoint(session, m.Statement.outlet_id, [source.id], {"outlet_id": target.id}, actor)
    target.url = target.url or source.url
    await session.delete(source)
    await session.flush()
    after = {
        "merged_into": target.name,
        "moved_statements": [uid for uid, _ in moved],
        "topics": sorted({slug for _, slug in moved}),
    }
    audit(
        session, actor=actor, action="merge", entity="outlet", key=source.name, before=before.to_json(), after=after
    )
    return Written(await _outlet_detail(session, target), touched)


async def _repoint(session: AsyncSession, column: Any, ids: Sequence[int], values: dict[str, int], actor: str) -> None:
    """Point statements elsewhere; each is a new version, so an edit begun before the merge is told."""
    await session.execute(
        update(m.Statement)
        .where(column.in_(ids))
        .values(**values, version=m.Statement.version + 1, updated_by=actor, updated_at=m.utcnow())
        .execution_options(synchronize_session=False)
    )
