"""Members in the query log: one salt per installation, and "forget" leaves nothing of a member; on SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.testing import open_store, sqlite_settings
from store.errors import InvalidInput
from store.privacy import hash_user_id
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.support.logged_questions import asked, verdict

MEMBER, OTHER = 111_222_333_444, 555_666_777_888


async def test_one_salt_per_installation_kept_across_restarts(store_settings: StoreSettings, tmp_path: Path) -> None:
    async with open_store(store_settings, demo=False) as store:
        salt = await store.user_hash_salt()
        assert len(salt) == 64 and await store.user_hash(MEMBER) == hash_user_id(salt, MEMBER)
    async with open_store(store_settings, demo=False) as reopened:
        assert await reopened.user_hash_salt() == salt
    elsewhere = tmp_path / "another"
    elsewhere.mkdir()
    async with open_store(sqlite_settings(elsewhere, data_dir=elsewhere), demo=False) as other:
        assert await other.user_hash_salt() != salt
    chosen = store_settings.model_copy(update={"user_hash_salt": SecretStr("operator's own")})
    async with open_store(chosen, demo=False) as overridden:
        assert await overridden.user_hash_salt() == b"operator's own"


async def holding(store: ClaimStore, needle: str) -> list[str]:
    """Every row of every table that holds `needle` in any column, as 'table: row'."""
    found = []
    async with AsyncSession(store.engine) as session:
        for table in m.Base.metadata.sorted_tables:
            columns = [cast(c, String).contains(needle) for c in table.columns]
            for row in await session.execute(select(table).where(or_(*columns))):
                found.append(f"{table.name}: {tuple(row)}")
    return found


async def test_forgetting_a_member_leaves_nothing_of_theirs(demo_store: ClaimStore) -> None:
    mine, theirs = await demo_store.user_hash(MEMBER), await demo_store.user_hash(OTHER)
    progress = (await demo_store.topic_by_slug("cairo-talks-progress")).id
    my_answer = asked("cairo talks progress zzmine", outcome="answered", topic=progress, score=0.9, user=mine)
    their_answer = asked("cairo truce talks progress", outcome="answered", topic=progress, score=0.9, user=theirs)
    await demo_store.write_query_events(
        [
            asked("banana bread recipe zzmine", user=mine, guild=5),  # a group only they asked
            asked("is the rafah crossing open zzmine", user=mine, days_ago=1),  # their wording is the group's key
            asked("is the rafah crossing open", user=theirs),
            my_answer,
            their_answer,
        ]
    )
    await demo_store.write_query_events(
        [verdict(my_answer, False, theirs), verdict(their_answer, False, mine), verdict(my_answer, True, mine)]
    )
    queue = {g.question: g for g in (await demo_store.review_queue()).groups}
    rafah = queue["is the rafah crossing open zzmine"]
    assert rafah.count == 2 and await holding(demo_store, mine) and await holding(demo_store, "zzmine")

    report = await demo_store.forget_member(MEMBER)
    assert (report.queries, report.feedback, report.groups) == (3, 3, 2)
    assert await holding(demo_store, mine) == []
    assert await holding(demo_store, "zzmine") == []
    left = {g.question: g for g in (await demo_store.review_queue()).groups}
    assert left["is the rafah crossing open"].id == rafah.id  # the group lives on with the other member's ask
    assert left["is the rafah crossing open"].count == 1
    assert await holding(demo_store, theirs)  # the other member's question is kept
    again = await demo_store.forget_member(MEMBER)
    assert (again.queries, again.feedback, again.groups) == (0, 0, 0)
    with pytest.raises(InvalidInput, match="user: -4 is not a Discord user id"):
        await demo_store.forget_member(-4)
