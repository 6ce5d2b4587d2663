"""The audit trail: written with every change or not at all, read back newest first, refusals included."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.curation import StatementChanges, StatementDraft
from store.db import models as m
from store.errors import InvalidInput, StatementNotFound
from store.records import Status
from store.service import ClaimStore
from tests.support.moderation import audit_mark, count, events_after, statement_id

PROGRESS = "is there any progress in the cairo truce talks"


async def _refuse(store: ClaimStore, table: str, when: str = "") -> None:
    """A trigger that makes the database refuse writes to `table`: a real failure inside the transaction."""
    async with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            condition = f"WHEN {when}" if when else ""
            await connection.execute(
                text(
                    f"CREATE TRIGGER refuse_{table} BEFORE UPDATE ON {table} {condition} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
                )
                if table == "statements"
                else text(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse_by_test() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql"
                )
            )
            event = "UPDATE" if table == "statements" else "INSERT"
            condition = f"WHEN ({when})" if when else ""
            await connection.execute(
                text(
                    f"CREATE TRIGGER refuse_{table} BEFORE {event} ON {table} FOR EACH ROW {condition} "
                    "EXECUTE FUNCTION refuse_by_test()"
                )
            )


async def _allow(store: ClaimStore, table: str) -> None:
    async with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            await connection.execute(text(f"DROP TRIGGER refuse_{table}"))
        else:
            await connection.execute(text(f"DROP TRIGGER refuse_{table} ON {table}"))
            await connection.execute(text("DROP FUNCTION refuse_by_test()"))


@pytest.fixture
async def moderated(demo_store: ClaimStore) -> AsyncIterator[ClaimStore]:
    """The demo with a few moderators' changes on it."""
    target = await statement_id(demo_store, "cairo-005")
    await demo_store.retract_statement(target, reason="misquoted", actor="cli:alice")
    await demo_store.restore_statement(target, actor="discord:42 (Bob)")
    await demo_store.edit_topic("gaza-death-toll", add_aliases=["gaza death toll"], actor="cli:alice")
    await demo_store.add_statement(
        "cairo-talks-progress", StatementDraft("No deal yet.", "Qatari mediator", "disputes"), actor="discord:42 (Bob)"
    )
    yield demo_store


async def test_when_the_audit_event_fails_the_change_is_not_written(demo_store: ClaimStore) -> None:
    target = await statement_id(demo_store, "cairo-005")
    mark = await audit_mark(demo_store)
    await _refuse(demo_store, "audit_events")
    try:
        with pytest.raises(DBAPIError, match="refused by test"):
            await demo_store.retract_statement(target, reason="misquoted", actor="cli:alice")
        with pytest.raises(DBAPIError, match="refused by test"):
            await demo_store.merge_topics("october-7-attack", "gaza-death-toll", actor="cli:alice")
        with pytest.raises(DBAPIError, match="refused by test"):
            await demo_store.add_topic("rafah-crossing", "Is Rafah open?", actor="cli:alice")
    finally:
        await _allow(demo_store, "audit_events")
    assert await events_after(demo_store, mark) == []
    kept = await demo_store.statement_detail(target)
    assert (kept.status, kept.version) == (Status.PUBLISHED, 1)
    assert (await demo_store.topic_detail("october-7-attack")).slug == "october-7-attack"
    assert "rafah-crossing" not in [t.slug for t in await demo_store.list_topics(include_retired=True)]
    shown = (await demo_store.ask(PROGRESS)).matches[0].topic.statements
    assert "cairo-005" in [s.uid for s in shown]


async def test_when_the_change_fails_no_audit_event_is_written(demo_store: ClaimStore) -> None:
    target = await statement_id(demo_store, "cairo-005")
    mark = await audit_mark(demo_store)
    await _refuse(demo_store, "statements", when="NEW.status = 'retracted'")
    try:
        with pytest.raises(DBAPIError, match="refused by test"):
            await demo_store.retract_statement(target, reason="misquoted", actor="cli:alice")
        edited = await demo_store.edit_statement(target, version=1, changes=StatementChanges(cue="said"), actor="cli:a")
    finally:
        await _allow(demo_store, "statements")
    assert edited.version == 2
    [event] = await events_after(demo_store, mark)  # the edit's: the refused retraction left none
    assert event["action"] == "update"


async def test_events_are_read_back_newest_first_and_filtered(moderated: ClaimStore) -> None:
    everything = await moderated.audit_events(limit=500)
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert len(everything) == await count(moderated, m.AuditEvent)
    latest = everything[0]
    assert latest.to_json().keys() == {"id", "at", "actor", "entity", "entity_id", "action", "before", "after"}
    assert (latest.actor, latest.entity, latest.action) == ("discord:42 (Bob)", "statement", "create")

    target = await statement_id(moderated, "cairo-005")
    on_statement = await moderated.audit_events(statement=target)
    assert [(e.action, e.entity_id) for e in on_statement] == [
        ("restore", "cairo-005"),
        ("retract", "cairo-005"),
        ("create", "cairo-005"),  # by the demo loader
    ]
    on_topic = await moderated.audit_events(topic="cairo-talks-progress")
    assert [e.action for e in on_topic][:3] == ["create", "restore", "retract"]
    assert {e.entity for e in on_topic} == {"topic", "statement"}
    assert all(
        e.entity_id == "cairo-talks-progress" or (e.after or {}).get("topic") == "cairo-talks-progress"
        for e in on_topic
    )
    by_bob = await moderated.audit_events(actor="bob")
    assert [e.action for e in by_bob] == ["create", "restore"]
    assert await moderated.audit_events(actor="BOB", topic="gaza-death-toll") == []
    assert len(await moderated.audit_events(limit=2)) == 2
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    assert await moderated.audit_events(since=tomorrow) == []
    assert len(await moderated.audit_events(since=dt.date(2020, 1, 1), limit=500)) == len(everything)
    pages = [await moderated.audit_events(limit=3, offset=start) for start in range(0, len(everything), 3)]
    assert [e.id for page in pages for e in page] == [e.id for e in everything]  # pages meet, none twice
    assert await moderated.audit_events(offset=len(everything)) == []
    assert [e.action for e in await moderated.audit_events(actor="bob", offset=1)] == ["restore"]


async def test_a_statement_moved_by_a_merge_shows_the_merge_in_its_history(demo_store: ClaimStore) -> None:
    target = await statement_id(demo_store, "cairo-018")
    await demo_store.merge_topics("october-7-attack", "gaza-death-toll", actor="cli:alice")
    history = await demo_store.audit_events(statement=target)
    assert [(e.entity, e.action) for e in history] == [("topic", "merge"), ("statement", "create")]
    assert (await demo_store.audit_events(topic="gaza-death-toll"))[0].action == "merge"


async def test_bad_filters_are_named(demo_store: ClaimStore) -> None:
    with pytest.raises(InvalidInput, match="limit") as bad:
        await demo_store.audit_events(limit=0)
    assert bad.value.field == "limit"
    with pytest.raises(InvalidInput, match="offset") as bad:
        await demo_store.audit_events(offset=-1)
    assert bad.value.field == "offset"
    with pytest.raises(StatementNotFound, match="#999999"):
        await demo_store.audit_events(statement=999_999)


async def test_a_refused_attempt_is_audited_and_changes_nothing(demo_store: ClaimStore) -> None:
    before = [r.dump() async for r in demo_store.export_records()]
    mark = await audit_mark(demo_store)
    await demo_store.record_refusal(
        actor="discord:7 (Eve)",
        action="retract",
        entity="statement",
        key="cairo-005",
        reason="not a curation server",
    )
    [event] = await events_after(demo_store, mark)
    assert (event["actor"], event["action"], event["entity"], event["entity_key"], event["before"]) == (
        "discord:7 (Eve)",
        "refused",
        "statement",
        "cairo-005",
        None,
    )
    assert event["after"] == {"attempted": "retract", "reason": "not a curation server"}
    assert [r.dump() async for r in demo_store.export_records()] == before
    [entry] = await demo_store.audit_events(actor="eve")
    assert entry.action == "refused" and entry.entity_id == "cairo-005"
