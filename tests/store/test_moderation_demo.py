"""The demo stays a demo: reloading never overwrites a moderator's change, removing keeps what they changed."""

from __future__ import annotations

from sqlalchemy import select

from store.curation import StatementChanges, StatementDraft
from store.db import models as m
from store.db.testing import open_store
from store.records import SpeakerKind, Status
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.support.moderation import audit_mark, events_after, statement_id

PROGRESS = "is there any progress in the cairo truce talks"
TOLL = "how many people have been killed in gaza"
ARTICLE = "the article (demo source)"


async def _shown(store: ClaimStore, question: str) -> list[str]:
    answer = await store.ask(question)
    return [s.uid for s in answer.matches[0].topic.statements] if answer.matches else []


async def test_reloading_the_demo_keeps_a_moderators_changes(demo_store: ClaimStore) -> None:
    retracted = await statement_id(demo_store, "cairo-005")
    edited = await statement_id(demo_store, "cairo-002")
    await demo_store.retract_statement(retracted, reason="misquoted", actor="cli:alice")
    await demo_store.edit_statement(edited, version=1, changes=StatementChanges(cue="said"), actor="cli:alice")
    await demo_store.edit_topic("gaza-death-toll", title="How many have died in Gaza?", actor="cli:bob")

    report = await demo_store.load_demo()
    assert set(report.kept) == {
        f"statement #{retracted} (cairo-005)",
        f"statement #{edited} (cairo-002)",
        "topic gaza-death-toll",
    }
    assert report.statements_written == 0
    assert (await demo_store.statement_detail(retracted)).status is Status.RETRACTED
    assert "cairo-005" not in await _shown(demo_store, PROGRESS)
    assert (await demo_store.statement_detail(edited)).cue == "said"
    assert (await demo_store.topic_detail("gaza-death-toll")).title == "How many have died in Gaza?"


async def test_reloading_an_untouched_demo_keeps_nothing_and_writes_nothing(demo_store: ClaimStore) -> None:
    report = await demo_store.load_demo()
    assert (report.kept, report.statements_written, report.topics_created) == ((), 0, 0)


async def test_a_statement_moved_out_of_a_demo_topic_is_left_where_it_is(demo_store: ClaimStore) -> None:
    moved = await statement_id(demo_store, "cairo-014")
    await demo_store.move_statement(moved, "gaza-truce-proposal-terms", actor="cli:alice")
    report = await demo_store.load_demo()  # the import would otherwise refuse: the uid is in another topic
    assert report.kept == (f"statement #{moved} (cairo-014)",)
    assert (await demo_store.statement_detail(moved)).topic == "gaza-truce-proposal-terms"


async def test_removing_the_demo_keeps_and_names_what_a_moderator_changed(
    demo_store: ClaimStore, store_settings: StoreSettings
) -> None:
    await demo_store.retract_statement(await statement_id(demo_store, "cairo-005"), reason="misquoted", actor="cli:a")
    await demo_store.add_statement(
        "cairo-talks-meeting", StatementDraft("They met at night.", "Qatari mediator", "context"), actor="cli:a"
    )
    async with open_store(store_settings, demo=False) as other:
        other.sync_interval_s = 0.0
        assert await _shown(other, TOLL) == ["cairo-017"]
        mark = await audit_mark(demo_store)
        report = await demo_store.remove_demo(actor="cli:alice")
        assert report.kept == ("cairo-talks-progress", "cairo-talks-meeting")
        assert len(report.removed) == 6 and "gaza-death-toll" in report.removed
        for store in (demo_store, other):  # here at once, there within its sync
            assert await _shown(store, TOLL) == []
            assert all("Gaza war" not in r.title for r in store.suggest("gaza killed"))
            assert "cairo-001" in await _shown(store, PROGRESS)
    events = await events_after(demo_store, mark)
    assert [(e["entity_key"], e["action"], e["actor"]) for e in events] == [
        (slug, "remove_demo", "cli:alice") for slug in report.removed
    ]
    toll = next(e for e in events if e["entity_key"] == "gaza-death-toll")
    assert [s["uid"] for s in toll["before"]["statements"]] == ["cairo-017"]
    assert toll["after"]["state"] == "retired" and toll["after"]["aliases"] == []

    again = await demo_store.remove_demo(actor="cli:alice")
    assert (again.removed, again.kept) == ((), ("cairo-talks-progress", "cairo-talks-meeting"))
    reloaded = await demo_store.load_demo()
    assert reloaded.statements_written == 10  # the removed topics' statements, back
    assert await _shown(demo_store, TOLL) == ["cairo-017"]
    assert (await demo_store.topic_detail("gaza-death-toll")).retired_reason is None


async def test_the_demo_loads_itself_only_into_a_fresh_sqlite_store(store_settings: StoreSettings) -> None:
    sqlite = store_settings.is_sqlite
    async with open_store(store_settings.model_copy(update={"demo": "off"}), demo=False) as off:
        assert await off.ensure_demo() is None and not (await off.ask(TOLL)).answered
    async with open_store(store_settings, demo=False) as auto:
        loaded = await auto.ensure_demo()
        if not sqlite:  # never a PostgreSQL store
            assert loaded is None and not (await auto.ask(TOLL)).answered
            return
        assert loaded is not None and loaded.statements_written == 18
        assert await _shown(auto, TOLL) == ["cairo-017"]
        assert await auto.ensure_demo() is None  # loaded once
        await auto.remove_demo(actor="cli:alice")
        assert await auto.ensure_demo() is None  # a store someone emptied is not fresh


async def test_the_articles_own_voice_is_attributed_to_the_article(demo_store: ClaimStore) -> None:
    async with demo_store.engine.connect() as connection:
        speakers = set((await connection.execute(select(m.Speaker.name))).scalars())
        outlets = set((await connection.execute(select(m.Outlet.name))).scalars())
    assert not any("report" in name.lower() for name in speakers | outlets)
    article = await demo_store.speaker_detail(ARTICLE)
    assert article.kinds == (SpeakerKind.PUBLICATION,)
    assert article.descriptors and "publisher is not known" in article.descriptors[0]
    toll = (await demo_store.ask(TOLL)).matches[0].topic.statements[0]
    assert (toll.speaker.name, toll.outlet) == ("Gaza Health Ministry", ARTICLE)  # the Ministry, through the article
