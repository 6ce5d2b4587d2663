"""Imports land whole or not at all, exports round-trip losslessly, and changes reach the matcher at once."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.db import models as m
from store.db.rows import audit_json
from store.db.testing import open_store, temporary_postgres_database
from store.errors import ImportRejected
from store.ingest import parse_lines, read_records
from store.records import TopicRecord
from store.service import ClaimStore
from store.settings import StoreSettings
from store.views import FeedbackEntry, QueryLogEntry


async def _export(store: ClaimStore) -> list[dict[str, object]]:
    return [r.dump() async for r in store.export_records()]


async def _record(store: ClaimStore, slug: str) -> TopicRecord:
    return next(iter([r async for r in store.export_records() if r.slug == slug]))


async def _count(store: ClaimStore, model: type[m.Base]) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


def _topic(slug: str, title: str, text: str, **statement: object) -> TopicRecord:
    return TopicRecord.model_validate(
        {
            "slug": slug,
            "title": title,
            "statements": [{"uid": f"{slug}-1", "text": text, "speaker": {"name": "Someone"}, **statement}],
        }
    )


async def test_export_import_round_trip_is_lossless(demo_store: ClaimStore, store_settings: StoreSettings) -> None:
    retracted = _topic(
        "retracted-example",
        "Was the bridge closed?",
        "The bridge was closed",
        status="retracted",
        retraction_reason="misquoted",
    )
    await demo_store.import_records([retracted], actor="mod:1")
    exported = await _export(demo_store)
    assert len(exported) == 9 and {"retracted-example", "cairo-talks-progress"} <= {e["slug"] for e in exported}

    async with contextlib.AsyncExitStack() as stack:
        if store_settings.resolved_url.startswith("postgresql"):
            url = await stack.enter_async_context(temporary_postgres_database())
        else:
            url = store_settings.resolved_url + "_copy"
        copy = await stack.enter_async_context(open_store(StoreSettings(database_url=url), demo=False))
        await copy.import_records([TopicRecord.model_validate(e) for e in exported], actor="restore")
        assert await _export(copy) == exported


async def test_bad_import_writes_nothing(demo_store: ClaimStore) -> None:
    before = await _export(demo_store)
    good = _topic("new-topic", "Is the border open?", "The border is open")
    statement = {"uid": "cairo-002", "text": "stolen uid", "speaker": {"name": "X"}}
    clash = TopicRecord.model_validate({"slug": "another-topic", "title": "t", "statements": [statement]})
    with pytest.raises(ImportRejected, match="cairo-002"):
        await demo_store.import_records([good, clash], actor="cli")
    assert await _export(demo_store) == before  # the good first record was rolled back too
    assert not (await demo_store.ask("is the border open")).answered


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"slug": "a", "title": "t"}\n\xff\xfe broken\n', "line 2: not valid UTF-8"),
        (b'{"slug": "a", "title": "t"}\n{not json\n', "line 2: not valid JSON"),
        (b'{"slug": "Bad Slug", "title": "t"}\n', "line 1: slug"),
        (b'{"slug": "a", "title": "t\\u0007"}\n', "control characters"),
        (b'{"slug": "a", "title": "t"}\n{"slug": "a", "title": "u"}\n', "already appears on line 1"),
        (
            b'{"slug": "a", "title": "t", "statements": [{"text": "x", "speaker": {"name": "y"}, '
            b'"status": "retracted"}]}\n',
            "retraction_reason",
        ),
    ],
)
def test_import_file_problems_name_the_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match=message):
        read_records(path)


async def test_an_edit_reaches_the_matcher_without_a_restart(demo_store: ClaimStore) -> None:
    assert not (await demo_store.ask("are the Rafah crossing talks stalled")).answered
    progress = await demo_store.topic_by_slug("cairo-talks-progress")
    record = await _record(demo_store, progress.slug)
    edited = TopicRecord.model_validate(
        {**record.dump(), "aliases": [*record.aliases, "are the Rafah crossing talks stalled"]}
    )
    await demo_store.import_records([edited], actor="mod:2")
    answer = await demo_store.ask("are the Rafah crossing talks stalled")
    assert answer.answered and answer.matches[0].topic.slug == "cairo-talks-progress"


async def test_a_retracted_statement_stops_being_shown(demo_store: ClaimStore) -> None:
    record = await _record(demo_store, "gaza-death-toll")
    statement = record.statements[0]
    retracted = {**statement.model_dump(), "status": "retracted", "retraction_reason": "figure superseded"}
    await demo_store.import_records(
        [TopicRecord.model_validate({**record.dump(), "statements": [retracted]})], actor="mod:3"
    )
    answer = await demo_store.ask("how many people have been killed in gaza")
    assert all(m.topic.slug != "gaza-death-toll" for m in answer.matches)  # nothing left to show
    assert await _count(demo_store, m.AuditEvent) > 0
    exported = await _record(demo_store, "gaza-death-toll")
    assert exported.statements[0].version == 2 and exported.statements[0].retraction_reason == "figure superseded"


async def test_another_process_changes_are_picked_up(demo_store: ClaimStore, store_settings: StoreSettings) -> None:
    async with open_store(store_settings, demo=False) as other:
        await other.import_records(
            [_topic("harbour-strike", "Is the harbour on strike?", "Dockers walked out")], actor="mod:4"
        )
    demo_store.sync_interval_s = 0.0
    answer = await demo_store.ask("harbour strike dockers")
    assert answer.answered and answer.matches[0].topic.slug == "harbour-strike"


async def test_query_log_writes_are_idempotent(demo_store: ClaimStore) -> None:
    answer = await demo_store.ask("Is there any progress in the Cairo truce talks?")
    entry = QueryLogEntry.from_answer(answer, source="cli", guild_id=1, channel_id=2, user_hash="h")
    first_click = FeedbackEntry(entry.uid, helpful=True, user_hash="u1")
    await demo_store.write_query_events([entry, first_click])
    await demo_store.write_query_events([entry, first_click])  # a retried batch
    assert await _count(demo_store, m.QueryLog) == 1
    assert await _count(demo_store, m.QueryFeedback) == 1
    # the same user changes their mind (twice in one batch), another user votes: one row each, latest wins
    await demo_store.write_query_events(
        [
            FeedbackEntry(entry.uid, helpful=False, user_hash="u1"),
            FeedbackEntry(entry.uid, helpful=True, user_hash="u2"),
            FeedbackEntry(entry.uid, helpful=True, user_hash="u1"),
            FeedbackEntry(entry.uid, helpful=False, user_hash="u1"),
        ]
    )
    async with demo_store.engine.connect() as connection:
        votes = dict((await connection.execute(select(m.QueryFeedback.user_hash, m.QueryFeedback.helpful))).all())
    assert votes == {"u1": False, "u2": True}
    async with demo_store.engine.connect() as connection:
        row = (await connection.execute(select(m.QueryLog))).mappings().one()
    assert row["outcome"] == "answered" and row["matches"][0]["topic_id"] == answer.matches[0].topic.id


async def test_guild_settings_change_only_what_is_given(empty_store: ClaimStore) -> None:
    assert (await empty_store.guild_settings(7)).prefix is None
    await empty_store.update_guild_settings(7, actor="mod", prefix="?", answer_channel_ids=[3, 1, 3])
    updated = await empty_store.update_guild_settings(7, actor="mod", ephemeral=True)
    assert (updated.prefix, updated.answer_channel_ids, updated.ephemeral) == ("?", (1, 3), True)
    assert await _count(empty_store, m.AuditEvent) == 2


def test_parse_lines_skips_blank_lines() -> None:
    line = json.dumps({"slug": "a", "title": "Is it?"})
    assert [r.slug for r in parse_lines(["", line, "  "])] == ["a"]


async def test_a_mixed_import_audits_every_record_in_order(demo_store: ClaimStore) -> None:
    # New topics take the bulk path and known ones the per-record path; the trail must not tell them apart.
    progress = await _record(demo_store, "cairo-talks-progress")
    known = TopicRecord.model_validate({**progress.dump(), "aliases": [*progress.aliases, "any news from cairo"]})
    first = _topic("port-closure", "Is the port closed?", "The port is closed", stance="affirms")
    last = _topic("fuel-prices", "Did fuel prices rise?", "Fuel went up", outlet={"name": "Reuters"})
    await demo_store.import_records([first, known, last], actor="mod:5")

    async with demo_store.engine.connect() as connection:
        query = select(m.AuditEvent).where(m.AuditEvent.actor == "mod:5").order_by(m.AuditEvent.id)
        events = (await connection.execute(query)).mappings().all()
    assert [(e["action"], e["entity"], e["entity_key"]) for e in events] == [
        ("create", "statement", "port-closure-1"),
        ("create", "topic", "port-closure"),
        ("update", "topic", "cairo-talks-progress"),
        ("create", "statement", "fuel-prices-1"),
        ("create", "topic", "fuel-prices"),
    ]
    exported = {
        r.slug: r for r in [await _record(demo_store, "port-closure"), await _record(demo_store, "fuel-prices")]
    }
    for event in events:
        if event["entity"] == "statement":
            slug = event["after"]["topic"]
            assert event["after"] == {**audit_json(exported[slug].statements[0]), "topic": slug}
        elif event["action"] == "create":
            after = exported[event["entity_key"]].model_dump(mode="json", by_alias=True, exclude={"statements"})
            assert event["after"] == after
    answer = await demo_store.ask("did fuel prices rise")
    assert answer.answered and answer.matches[0].topic.slug == "fuel-prices"
    assert answer.matches[0].topic.statements[0].outlet == "Reuters"


async def test_a_store_grown_topic_by_topic_scores_as_a_rebuilt_one(
    empty_store: ClaimStore, demo_store: ClaimStore
) -> None:
    for record in [r async for r in demo_store.export_records()]:
        await empty_store.import_records([record], actor="mod:5")  # as moderators add them, one at a time
    questions = ["is there any progress in the cairo truce talks", "how many people were killed in gaza", "eid"]
    grown = {q: [(s.topic_id, s.score) for s in empty_store.rank(q, limit=3)] for q in questions}
    await empty_store.reindex()
    for q in questions:
        rebuilt = [(s.topic_id, s.score) for s in empty_store.rank(q, limit=3)]
        assert [t for t, _ in grown[q]] == [t for t, _ in rebuilt], q
        assert max(abs(a - b) for (_, a), (_, b) in zip(grown[q], rebuilt, strict=True)) < 0.02, (q, grown[q], rebuilt)
