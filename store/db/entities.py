"""Speakers and outlets for the statements being imported: each read, or created, once per transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db import rows
from store.db.rows import outlet_key, speaker_key, speaker_row
from store.records import OutletRecord, SpeakerRecord, StatementRecord


class EntityCache:
    """Speakers and outlets already looked up or created in one session, by dedup key.

    A bulk import names the same few speakers and outlets thousands of times; with the cache each is read
    (or created) once per transaction instead of once per statement. Same rows, same result.
    """

    def __init__(self) -> None:
        self.speakers: dict[str, m.Speaker] = {}
        self.outlets: dict[str, m.Outlet] = {}


async def prefetch(
    session: AsyncSession, statements: Sequence[StatementRecord], cache: EntityCache, chunk: int = 500
) -> None:
    """Read every speaker and outlet that `statements` name in a few queries, and add the missing ones in
    one flush, into `cache`: the rows `speaker` and `outlet` would make one statement at a time."""
    speakers: dict[str, SpeakerRecord] = {}
    outlet_names: dict[str, str] = {}
    outlet_urls: dict[str, str] = {}  # the first URL given for each outlet fills a missing one
    for sr in statements:
        speakers.setdefault(speaker_key(sr.speaker), sr.speaker)
        if sr.outlet is not None:
            key = outlet_key(sr.outlet)
            outlet_names.setdefault(key, sr.outlet.name)
            if sr.outlet.url:
                outlet_urls.setdefault(key, sr.outlet.url)
    keys = list(speakers)
    for i in range(0, len(keys), chunk):
        query = select(m.Speaker).where(m.Speaker.key.in_(keys[i : i + chunk]))
        cache.speakers.update((row.key, row) for row in await session.scalars(query))
    keys = list(outlet_names)
    for i in range(0, len(keys), chunk):
        outlets = select(m.Outlet).where(m.Outlet.key.in_(keys[i : i + chunk]))
        cache.outlets.update((row.key, row) for row in await session.scalars(outlets))
    for key, r in speakers.items():
        if key not in cache.speakers:
            cache.speakers[key] = row = speaker_row(r)
            session.add(row)
    for key, name in outlet_names.items():
        outlet_ = cache.outlets.get(key)
        if outlet_ is None:
            cache.outlets[key] = outlet_ = m.Outlet(key=key, name=name, url=outlet_urls.get(key))
            session.add(outlet_)
        elif not outlet_.url and key in outlet_urls:
            outlet_.url = outlet_urls[key]
    await session.flush()


async def speaker(session: AsyncSession, r: SpeakerRecord, cache: EntityCache) -> m.Speaker:
    """The speaker row of `r`, created if there is none yet."""
    key = speaker_key(r)
    if key in cache.speakers:
        return cache.speakers[key]
    found = await session.scalar(select(m.Speaker).where(m.Speaker.key == key))
    if found is None:
        found = speaker_row(r)
        session.add(found)
        await session.flush()
    cache.speakers[key] = found
    return found


async def outlet(session: AsyncSession, r: OutletRecord | None, cache: EntityCache) -> m.Outlet | None:
    """The outlet row of `r`, created if there is none yet; a URL fills a missing one."""
    if r is None:
        return None
    key = outlet_key(r)
    found = cache.outlets.get(key)
    if found is None:
        found = await session.scalar(select(m.Outlet).where(m.Outlet.key == key))
    if found is None:
        found = m.Outlet(key=key, name=r.name, url=r.url)
        session.add(found)
        await session.flush()
    elif r.url and not found.url:
        found.url = r.url
    cache.outlets[key] = found
    return found


async def fill_statement(
    session: AsyncSession, row: m.Statement, r: StatementRecord, cache: EntityCache | None = None
) -> None:
    """Copy a record's content onto a statement row, with its speaker and outlet read or created."""
    cache = cache or EntityCache()
    speaker_ = await speaker(session, r.speaker, cache)
    rows.fill_statement(row, r, speaker_, await outlet(session, r.outlet, cache))
