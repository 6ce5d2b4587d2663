"""Moderators add, edit, retract, restore and move statements: versioned, audited, answered at once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from store.curation import FigureDraft, StatementChanges, StatementDraft
from store.db.testing import open_store
from store.errors import InvalidInput, StaleEdit, StatementNotFound
from store.records import Status
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.support.moderation import audit_mark, events_after, iso, statement_id

TOLL = "how many people have been killed in gaza"
PROGRESS = "is there any progress in the cairo truce talks"

DRAFT = StatementDraft(
    text="The talks are going nowhere.",
    speaker="Khalil al-Hayya",
    stance="disputes",
    speaker_kind="person",
    affiliation="Hamas",
    role="deputy head of Hamas in Gaza",
    outlet="Al Jazeera",
    cue="told",
    said_on=dt.date(2024, 4, 8),
    url="https://example.org/hayya",
)


async def _topic_statements(store: ClaimStore, question: str, slug: str) -> list[str]:
    answer = await store.ask(question, limit=5)
    return next(([s.text for s in m.topic.statements] for m in answer.matches if m.topic.slug == slug), [])


async def test_a_new_statement_is_answered_at_once_and_audited_whole(demo_store: ClaimStore) -> None:
    mark = await audit_mark(demo_store)
    added = await demo_store.add_statement("cairo-talks-progress", DRAFT, actor="cli:alice")
    assert (added.version, added.topic, added.status) == (1, "cairo-talks-progress", Status.PUBLISHED)
    payload = added.to_json()
    assert {k: payload[k] for k in ("id", "version", "topic", "status")} == {
        "id": added.id,
        "version": 1,
        "topic": "cairo-talks-progress",
        "status": "published",
    }
    assert "The talks are going nowhere." in await _topic_statements(demo_store, PROGRESS, "cairo-talks-progress")
    [event] = await events_after(demo_store, mark)
    assert (event["actor"], event["action"], event["entity"], event["entity_key"], event["before"]) == (
        "cli:alice",
        "create",
        "statement",
        added.uid,
        None,
    )
    assert event["after"] == {
        "uid": added.uid,
        "text": "The talks are going nowhere.",
        "kind": "quote",
        "speaker": {"name": "Khalil al-Hayya", "kind": "person", "descriptor": None, "affiliation": "Hamas"},
        "outlet": {"name": "Al Jazeera", "url": None},
        "cue": "told",
        "said_on": "2024-04-08",
        "published_on": None,
        "url": "https://example.org/hayya",
        "stance": "disputes",
        "figures": [],
        "status": "published",
        "retraction_reason": None,
        "note": None,
        "version": 1,
        "created_by": "cli:alice",
        "created_at": iso(added.created_at),
        "updated_by": "cli:alice",
        "updated_at": iso(added.updated_at),
        "topic": "cairo-talks-progress",
        "id": added.id,
        "supersedes": None,
        "speaker_role": "deputy head of Hamas in Gaza",
    }
    assert (await demo_store.statement_detail(added.id)) == added


async def test_an_edit_changes_only_what_is_given(demo_store: ClaimStore) -> None:
    added = await demo_store.add_statement("cairo-talks-progress", DRAFT, actor="cli:alice")
    mark = await audit_mark(demo_store)
    edited = await demo_store.edit_statement(
        added.id,
        version=1,
        changes=StatementChanges(text="The talks are stalled.", url=None, paraphrase=True),
        actor="cli:bob",
    )
    assert (edited.version, edited.text, edited.url, edited.kind.value, edited.outlet) == (
        2,
        "The talks are stalled.",
        None,
        "paraphrase",
        "Al Jazeera",
    )
    [event] = await events_after(demo_store, mark)
    assert event["action"] == "update"
    assert event["after"] == {
        **event["before"],
        "text": "The talks are stalled.",
        "url": None,
        "kind": "paraphrase",
        "version": 2,
        "updated_by": "cli:bob",
        "updated_at": iso(edited.updated_at),
    }
    shown = await _topic_statements(demo_store, PROGRESS, "cairo-talks-progress")
    assert "The talks are stalled." in shown and "The talks are going nowhere." not in shown

    mark = await audit_mark(demo_store)
    same = await demo_store.edit_statement(added.id, version=2, changes=StatementChanges(cue="told"), actor="cli:bob")
    assert same.version == 2 and await events_after(demo_store, mark) == []


async def test_two_moderators_edit_the_same_version_at_once_one_is_told(demo_store: ClaimStore) -> None:
    target = await statement_id(demo_store, "cairo-005")
    results = await asyncio.gather(
        demo_store.edit_statement(target, version=1, changes=StatementChanges(cue="said"), actor="discord:1 (Ana)"),
        demo_store.edit_statement(target, version=1, changes=StatementChanges(cue="wrote"), actor="discord:2 (Ben)"),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], StaleEdit), results
    winner = won[0]
    assert winner.version == 2
    when = winner.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert f"was changed by {winner.updated_by} at {when}: review and retry" in str(lost[0])
    stored = await demo_store.statement_detail(target)
    assert (stored.version, stored.cue, stored.updated_by) == (2, winner.cue, winner.updated_by)


async def test_an_edit_from_another_process_is_not_overwritten(
    demo_store: ClaimStore, store_settings: StoreSettings
) -> None:
    target = await statement_id(demo_store, "cairo-005")
    async with open_store(store_settings, demo=False) as other:
        await other.edit_statement(target, version=1, changes=StatementChanges(cue="said"), actor="cli:other")
    with pytest.raises(StaleEdit, match="changed by cli:other at"):
        await demo_store.edit_statement(target, version=1, changes=StatementChanges(cue="wrote"), actor="cli:me")
    assert (await demo_store.statement_detail(target)).cue == "said"


async def test_retracted_statements_vanish_from_answers_and_come_back_on_restore(demo_store: ClaimStore) -> None:
    target = await statement_id(demo_store, "cairo-005")
    text = "there is still no progress"
    assert text in await _topic_statements(demo_store, PROGRESS, "cairo-talks-progress")
    mark = await audit_mark(demo_store)
    retracted = await demo_store.retract_statement(target, reason="misquoted", actor="cli:alice")
    assert (retracted.status, retracted.retraction_reason, retracted.version) == (Status.RETRACTED, "misquoted", 2)
    assert text not in await _topic_statements(demo_store, PROGRESS, "cairo-talks-progress")
    restored = await demo_store.restore_statement(target, actor="cli:bob")
    assert (restored.status, restored.retraction_reason, restored.version) == (Status.PUBLISHED, None, 3)
    assert text in await _topic_statements(demo_store, PROGRESS, "cairo-talks-progress")
    retract, restore = await events_after(demo_store, mark)
    assert retract["action"] == "retract" and retract["after"] == {
        **retract["before"],
        "status": "retracted",
        "retraction_reason": "misquoted",
        "version": 2,
        "updated_by": "cli:alice",
        "updated_at": iso(retracted.updated_at),
    }
    assert restore["action"] == "restore" and restore["before"] == retract["after"]
    assert restore["after"] == {
        **retract["before"],
        "version": 3,
        "updated_by": "cli:bob",
        "updated_at": iso(restored.updated_at),
    }
    with pytest.raises(InvalidInput, match="is not retracted"):
        await demo_store.restore_statement(target, actor="cli:bob")
    await demo_store.retract_statement(target, reason="misquoted", actor="cli:alice")
    with pytest.raises(InvalidInput, match="already retracted"):
        await demo_store.retract_statement(target, reason="again", actor="cli:alice")
    with pytest.raises(StaleEdit):
        await demo_store.restore_statement(target, version=3, actor="cli:bob")


async def test_a_retraction_reaches_another_process_within_its_sync(
    demo_store: ClaimStore, store_settings: StoreSettings
) -> None:
    target = await statement_id(demo_store, "cairo-005")
    async with open_store(store_settings, demo=False) as other:
        other.sync_interval_s = 0.0
        assert "there is still no progress" in await _topic_statements(other, PROGRESS, "cairo-talks-progress")
        await demo_store.retract_statement(target, reason="misquoted", actor="cli:alice")
        assert "there is still no progress" not in await _topic_statements(other, PROGRESS, "cairo-talks-progress")


async def test_a_moved_statement_answers_for_its_new_topic(
    demo_store: ClaimStore, store_settings: StoreSettings
) -> None:
    target = await statement_id(demo_store, "cairo-014")  # Netanyahu: no truce until the hostages return
    hostages = "what did netanyahu say about the hostages"
    async with open_store(store_settings, demo=False) as other:
        other.sync_interval_s = 0.0
        await other.ask(hostages)
        mark = await audit_mark(demo_store)
        moved = await demo_store.move_statement(target, "gaza-truce-proposal-terms", actor="cli:alice")
        assert (moved.topic, moved.version) == ("gaza-truce-proposal-terms", 2)
        for store in (demo_store, other):
            await store.ask(hostages)  # the other process syncs before it answers
            terms = await store.topic_by_slug("gaza-truce-proposal-terms")
            assert "cairo-014" in [s.uid for s in terms.statements]
            netanyahu = await store.topic_by_slug("netanyahu-truce-position")
            assert [s.uid for s in netanyahu.statements] == ["cairo-015"]
    [event] = await events_after(demo_store, mark)
    assert (event["action"], event["before"]["topic"], event["after"]["topic"]) == (
        "move",
        "netanyahu-truce-position",
        "gaza-truce-proposal-terms",
    )
    assert event["after"] == {
        **event["before"],
        "topic": "gaza-truce-proposal-terms",
        "version": 2,
        "updated_by": "cli:alice",
        "updated_at": iso(moved.updated_at),
    }
    with pytest.raises(InvalidInput, match="already in") as again:
        await demo_store.move_statement(target, "gaza-truce-proposal-terms", actor="cli:alice")
    assert again.value.field == "topic"


async def test_a_newer_figure_is_shown_first_with_the_older_one_as_previous(demo_store: ClaimStore) -> None:
    older = await statement_id(demo_store, "cairo-017")  # 33,175 killed, Gaza Health Ministry
    newer = await demo_store.add_statement(
        "gaza-death-toll",
        StatementDraft(
            "At least 34,097 people have been killed in Gaza.",
            "Gaza Health Ministry",
            "context",
            speaker_kind="organisation",
            said_on=dt.date(2024, 4, 20),
            figures=[FigureDraft(34097, "people", "killed in Gaza", dt.date(2024, 4, 20))],
            supersedes=older,
        ),
        actor="cli:alice",
    )
    assert newer.supersedes == older
    topic = (await demo_store.ask(TOLL)).matches[0].topic
    assert [s.id for s in topic.statements] == [newer.id]  # the older one is not shown on its own
    shown = topic.statements[0]
    assert shown.supersedes == older
    assert [(p.display_value, p.unit, p.as_of, p.given_by, p.statement_id) for p in shown.previous] == [
        ("33,175", "people", None, "Gaza Health Ministry", older),
        ("6", "months", None, "Gaza Health Ministry", older),
    ]
    detail = await demo_store.topic_detail("gaza-death-toll")
    assert [s.id for s in detail.statements] == [older, newer.id]  # both stay in history
    assert (await demo_store.statement_detail(older)).superseded_by == (newer.id,)

    await demo_store.add_statement(
        "gaza-death-toll", StatementDraft("Unrelated context.", "UN", "context"), actor="cli:a"
    )
    topic = (await demo_store.ask(TOLL)).matches[0].topic
    assert topic.statements[0].id == newer.id  # first, though added before the next one

    await demo_store.retract_statement(newer.id, reason="wrong figure", actor="cli:alice")
    topic = (await demo_store.ask(TOLL)).matches[0].topic
    assert older in [s.id for s in topic.statements] and newer.id not in [s.id for s in topic.statements]


async def test_what_a_statement_supersedes_is_checked(demo_store: ClaimStore) -> None:
    older = await statement_id(demo_store, "cairo-017")
    elsewhere = await statement_id(demo_store, "cairo-001")
    newer = await demo_store.add_statement(
        "gaza-death-toll",
        StatementDraft("34,097 killed", "Gaza Health Ministry", "context", supersedes=older),
        actor="c:a",
    )
    cases = [
        (StatementChanges(supersedes=newer.id), "can't supersede itself"),
        (StatementChanges(supersedes=elsewhere), "is in topic 'cairo-talks-progress', not 'gaza-death-toll'"),
        (StatementChanges(supersedes=999_999), "there is no statement #999999"),
    ]
    for changes, message in cases:
        with pytest.raises(InvalidInput, match=message) as refused:
            await demo_store.edit_statement(newer.id, version=1, changes=changes, actor="c:a")
        assert refused.value.field == "supersedes"
    with pytest.raises(InvalidInput, match=f"already supersedes #{older}"):
        await demo_store.edit_statement(older, version=1, changes=StatementChanges(supersedes=newer.id), actor="c:a")
    with pytest.raises(InvalidInput, match="supersede one another"):
        await demo_store.move_statement(older, "october-7-attack", actor="c:a")
    cleared = await demo_store.edit_statement(
        newer.id, version=1, changes=StatementChanges(supersedes=None), actor="c:a"
    )
    assert cleared.supersedes is None
    assert (await demo_store.move_statement(older, "october-7-attack", actor="c:a")).topic == "october-7-attack"


async def test_unknown_statements_are_named(demo_store: ClaimStore) -> None:
    with pytest.raises(StatementNotFound, match="#424242"):
        await demo_store.statement_detail(424242)
    with pytest.raises(StatementNotFound, match="#424242"):
        await demo_store.retract_statement(424242, reason="x", actor="cli:a")
    with pytest.raises(StatementNotFound, match="#424242"):
        await demo_store.move_statement(424242, "gaza-death-toll", actor="cli:a")


async def test_a_detail_is_a_draft_to_edit_from(demo_store: ClaimStore) -> None:
    added = await demo_store.add_statement("cairo-talks-progress", DRAFT, actor="cli:alice")
    again = await demo_store.add_statement("cairo-talks-progress", added.as_draft(), actor="cli:alice")
    assert (again.text, again.speaker, again.outlet, again.speaker_role, again.said_on, again.url) == (
        added.text,
        added.speaker,
        added.outlet,
        added.speaker_role,
        added.said_on,
        added.url,
    )
