"""A moderated store exports and imports again without losing what moderators did, and imports bump versions."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from store.curation import FigureDraft, StatementDraft
from store.db.testing import open_store, temporary_postgres_database
from store.errors import ImportRejected, StaleEdit
from store.records import TopicRecord
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.support.moderation import statement_id


async def _export(store: ClaimStore) -> list[dict[str, object]]:
    return [r.dump() async for r in store.export_records()]


async def _record(store: ClaimStore, slug: str) -> TopicRecord:
    [record] = [r async for r in store.export_records() if r.slug == slug]
    return record


@contextlib.asynccontextmanager
async def _empty_copy(settings: StoreSettings) -> AsyncIterator[ClaimStore]:
    async with contextlib.AsyncExitStack() as stack:
        if settings.resolved_url.startswith("postgresql"):
            url = await stack.enter_async_context(temporary_postgres_database())
        else:
            url = settings.resolved_url + "_copy"
        yield await stack.enter_async_context(open_store(StoreSettings(database_url=url), demo=False))


async def _moderate(store: ClaimStore) -> int:
    """A superseding statement, a retraction, a retired topic, a merged topic, a speaker's aliases and role."""
    older = await statement_id(store, "cairo-017")
    newer = await store.add_statement(
        "gaza-death-toll",
        StatementDraft(
            "At least 34,097 people have been killed in Gaza.",
            "Gaza Health Ministry",
            "context",
            speaker_kind="organisation",
            role="the health authority in Gaza",
            said_on=dt.date(2024, 4, 20),
            figures=[FigureDraft(34097, "people", "killed in Gaza", dt.date(2024, 4, 20))],
            supersedes=older,
        ),
        actor="cli:alice",
    )
    await store.retract_statement(await statement_id(store, "cairo-002"), reason="misquoted", actor="cli:alice")
    await store.retire_topic("cairo-talks-next-steps", reason="out of date", actor="cli:bob")
    await store.merge_topics("october-7-attack", "gaza-death-toll", actor="cli:bob")
    await store.edit_speaker("Benjamin Netanyahu", add_aliases=["Bibi"], role="Prime Minister of Israel", actor="c:a")
    return newer.id


async def test_a_moderated_store_round_trips_losslessly(demo_store: ClaimStore, store_settings: StoreSettings) -> None:
    newer = await _moderate(demo_store)
    exported = await _export(demo_store)
    by_slug = {e["slug"]: e for e in exported}
    assert by_slug["october-7-attack"]["merged_into"] == "gaza-death-toll"
    assert by_slug["cairo-talks-next-steps"]["retired_reason"] == "out of date"
    statements = [s for e in exported for s in e["statements"]]  # type: ignore[attr-defined]
    superseding = next(s for s in statements if s.get("supersedes"))
    assert (superseding["supersedes"], superseding["speaker_role"]) == ("cairo-017", "the health authority in Gaza")
    netanyahu = next(s["speaker"] for s in statements if s["speaker"]["name"] == "Benjamin Netanyahu")
    assert (netanyahu["aliases"], netanyahu["role"]) == (["Bibi"], "Prime Minister of Israel")

    async with _empty_copy(store_settings) as copy:
        await copy.import_records([TopicRecord.model_validate(e) for e in exported], actor="restore")
        assert await _export(copy) == exported
        assert (await copy.topic_detail("october-7-attack")).slug == "gaza-death-toll"  # the merged slug resolves
        toll = (await copy.ask("how many people have been killed in gaza")).matches[0].topic
        copied = await statement_id(copy, superseding["uid"])
        assert [s.id for s in toll.statements][:1] == [copied] and toll.statements[0].previous
        assert (await copy.speaker_detail("bibi")).role == "Prime Minister of Israel"
        assert (await copy.statement_detail(copied)).version == (await demo_store.statement_detail(newer)).version


async def test_an_older_file_still_imports_and_keeps_what_moderation_added(demo_store: ClaimStore) -> None:
    await _moderate(demo_store)
    before = await _export(demo_store)
    old_format = []
    for e in before:
        topic = {k: v for k, v in e.items() if k not in {"retired_reason", "merged_into", "version", "updated_by"}}
        topic["statements"] = [
            {
                **{k: v for k, v in s.items() if k not in {"supersedes", "speaker_role"}},
                "speaker": {k: v for k, v in s["speaker"].items() if k not in {"aliases", "role"}},
            }
            for s in e["statements"]  # type: ignore[attr-defined]
        ]
        old_format.append(TopicRecord.model_validate(topic))
    await demo_store.import_records(old_format, actor="cli:old")
    assert await _export(demo_store) == before


async def test_an_import_naming_an_unknown_merge_target_writes_nothing(empty_store: ClaimStore) -> None:
    record = TopicRecord.model_validate({"slug": "a", "title": "t", "status": "archived", "merged_into": "nowhere"})
    with pytest.raises(ImportRejected, match="'nowhere'"):
        await empty_store.import_records([record], actor="cli")
    assert await _export(empty_store) == []


def test_supersedes_must_name_a_statement_of_the_same_topic() -> None:
    with pytest.raises(ValueError, match="supersedes"):
        TopicRecord.model_validate(
            {
                "slug": "a",
                "title": "t",
                "statements": [{"uid": "x", "text": "x", "speaker": {"name": "y"}, "supersedes": "z"}],
            }
        )


async def test_an_import_that_changes_a_topic_bumps_its_version(demo_store: ClaimStore) -> None:
    seen = await demo_store.topic_detail("cairo-talks-progress")
    record = await _record(demo_store, "cairo-talks-progress")
    await demo_store.import_records([record.model_copy(update={"tags": ["renamed"]})], actor="cli:importer")
    changed = await demo_store.topic_detail("cairo-talks-progress")
    assert (changed.version, changed.tags, changed.updated_by) == (seen.version + 1, ("renamed",), "cli:importer")
    with pytest.raises(StaleEdit, match="cli:importer"):
        await demo_store.edit_topic("cairo-talks-progress", version=seen.version, title="Stale", actor="cli:bob")
    assert (await demo_store.topic_detail("cairo-talks-progress")).title == seen.title
    again = await _record(demo_store, "cairo-talks-progress")
    await demo_store.import_records([again], actor="cli:importer")  # unchanged: no new version
    assert (await demo_store.topic_detail("cairo-talks-progress")).version == changed.version
