"""Moderators add, edit, retire and merge topics: one audit event per change, answers and autocomplete at once."""

from __future__ import annotations

import pytest

from store.curation import StatementDraft
from store.curation_views import TopicState
from store.errors import InvalidInput, StaleEdit, TopicNotFound
from store.service import ClaimStore
from tests.support.moderation import audit_mark, events_after

RAFAH = {
    "slug": "rafah-crossing",
    "title": "Is the Rafah crossing open?",
    "aliases": ["is rafah open"],
    "tags": ["gaza", "border"],
    "state": "open",
    "version": 1,
    "retired_reason": None,
    "merged_into": None,
}


async def _rafah(store: ClaimStore) -> None:
    await store.add_topic(
        str(RAFAH["slug"]), str(RAFAH["title"]), aliases=["is rafah open"], tags=["gaza", "border"], actor="cli:alice"
    )


async def test_a_new_topic_is_audited_once_and_suggested_at_once(empty_store: ClaimStore) -> None:
    mark = await audit_mark(empty_store)
    detail = await empty_store.add_topic(
        " rafah-crossing ",
        "Is the Rafah crossing open?",
        aliases=["is rafah open", "IS RAFAH OPEN"],
        tags=["gaza", "border"],
        actor="cli:alice",
    )
    assert (detail.slug, detail.version, detail.state, detail.aliases) == (
        "rafah-crossing",
        1,
        TopicState.OPEN,
        ("is rafah open",),
    )
    assert (detail.created_by, detail.updated_by, detail.statements) == ("cli:alice", "cli:alice", ())
    [event] = await events_after(empty_store, mark)
    assert (event["actor"], event["action"], event["entity"], event["entity_key"]) == (
        "cli:alice",
        "create",
        "topic",
        "rafah-crossing",
    )
    assert (event["before"], event["after"]) == (None, RAFAH)
    assert [r.title for r in empty_store.suggest("rafah crossing")] == ["Is the Rafah crossing open?"]
    assert not (await empty_store.ask("is the rafah crossing open")).answered  # nothing to show yet

    await empty_store.add_statement(
        "rafah-crossing",
        StatementDraft("The crossing reopened this morning.", "Egyptian border official", "affirms"),
        actor="cli:alice",
    )
    answer = await empty_store.ask("is the rafah crossing open")
    assert answer.answered and answer.matches[0].topic.slug == "rafah-crossing"


async def test_an_edit_changes_what_is_given_and_records_before_and_after(demo_store: ClaimStore) -> None:
    question = "are the rafah crossing talks stalled"
    assert not (await demo_store.ask(question)).answered
    mark = await audit_mark(demo_store)
    before = await demo_store.topic_detail("cairo-talks-progress")
    edited = await demo_store.edit_topic(
        "cairo-talks-progress",
        version=1,
        title="Have the Cairo truce talks made progress?",
        add_aliases=[question],
        remove_aliases=["IS A GAZA TRUCE CLOSER"],
        tags=["gaza", "cairo"],
        actor="cli:bob",
    )
    assert (edited.version, edited.title, edited.tags, edited.updated_by) == (
        2,
        "Have the Cairo truce talks made progress?",
        ("gaza", "cairo"),
        "cli:bob",
    )
    aliases = [a for a in before.aliases if a != "is a gaza truce closer"] + [question]
    assert edited.aliases == tuple(aliases)
    [event] = await events_after(demo_store, mark)
    common = {"slug": "cairo-talks-progress", "state": "open", "retired_reason": None, "merged_into": None}
    assert event["before"] == {
        **common,
        "title": before.title,
        "aliases": list(before.aliases),
        "tags": list(before.tags),
        "version": 1,
    }
    assert event["after"] == {
        **common,
        "title": "Have the Cairo truce talks made progress?",
        "aliases": aliases,
        "tags": ["gaza", "cairo"],
        "version": 2,
    }
    assert (event["action"], event["actor"]) == ("update", "cli:bob")
    answer = await demo_store.ask(question)
    assert answer.answered and answer.matches[0].topic.title == "Have the Cairo truce talks made progress?"


async def test_an_edit_of_an_old_version_names_who_changed_it_and_when(demo_store: ClaimStore) -> None:
    first = await demo_store.edit_topic(
        "gaza-death-toll", version=1, title="How many have died in Gaza?", actor="cli:alice"
    )
    mark = await audit_mark(demo_store)
    with pytest.raises(StaleEdit) as refused:
        await demo_store.edit_topic("gaza-death-toll", version=1, add_aliases=["gaza deaths"], actor="cli:bob")
    when = first.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert str(refused.value).startswith(
        f"Topic 'gaza-death-toll' was changed by cli:alice at {when}: review and retry"
    )
    assert (refused.value.changed_by, refused.value.version) == ("cli:alice", 2)
    assert await events_after(demo_store, mark) == []
    assert (await demo_store.topic_detail("gaza-death-toll")).aliases == first.aliases


async def test_an_edit_that_changes_nothing_writes_nothing(demo_store: ClaimStore) -> None:
    mark = await audit_mark(demo_store)
    detail = await demo_store.topic_detail("gaza-death-toll")
    same = await demo_store.edit_topic(
        "gaza-death-toll", title=detail.title, add_aliases=[detail.aliases[0]], actor="cli:bob"
    )
    assert same.version == 1 and await events_after(demo_store, mark) == []


async def test_a_retired_topic_leaves_answers_and_autocomplete_but_not_history(demo_store: ClaimStore) -> None:
    question = "how many people have been killed in gaza"
    assert (await demo_store.ask(question)).matches[0].topic.slug == "gaza-death-toll"
    mark = await audit_mark(demo_store)
    retired = await demo_store.retire_topic("gaza-death-toll", reason="figures out of date", actor="cli:alice")
    assert (retired.state, retired.retired_reason, retired.version) == (TopicState.RETIRED, "figures out of date", 2)
    assert all(m.topic.slug != "gaza-death-toll" for m in (await demo_store.ask(question)).matches)
    assert "How many people have been killed in the Gaza war?" not in [
        r.title for r in demo_store.suggest("gaza killed")
    ]
    detail = await demo_store.topic_detail("gaza-death-toll")
    assert detail.state is TopicState.RETIRED and [s.uid for s in detail.statements] == ["cairo-017"]
    assert "gaza-death-toll" not in [t.slug for t in await demo_store.list_topics()]
    assert "gaza-death-toll" in [t.slug for t in await demo_store.list_topics(include_retired=True)]
    [event] = await events_after(demo_store, mark)
    assert event["action"] == "retire" and event["after"] == {
        **event["before"],
        "state": "retired",
        "retired_reason": "figures out of date",
        "version": 2,
    }
    with pytest.raises(InvalidInput, match="already retired") as again:
        await demo_store.retire_topic("gaza-death-toll", reason="again", actor="cli:alice")
    assert again.value.field == "slug"
    with pytest.raises(InvalidInput, match="is retired"):
        await demo_store.add_statement("gaza-death-toll", StatementDraft("x", "y", "context"), actor="cli:alice")


async def test_a_merged_slug_keeps_resolving_to_where_it_went(demo_store: ClaimStore) -> None:
    source = await demo_store.topic_detail("october-7-attack")
    target = await demo_store.topic_detail("gaza-death-toll")
    mark = await audit_mark(demo_store)
    merged = await demo_store.merge_topics("october-7-attack", "gaza-death-toll", actor="cli:alice")
    assert merged.slug == "gaza-death-toll" and merged.merged_from == ("october-7-attack",)
    assert [s.uid for s in merged.statements] == ["cairo-017", "cairo-018"]
    assert all(s.version == 2 and s.updated_by == "cli:alice" for s in merged.statements if s.uid == "cairo-018")
    carried = [source.title, *source.aliases]
    assert merged.aliases == (*target.aliases, *carried)
    assert merged.version == 2

    assert (await demo_store.topic_by_slug("october-7-attack")).slug == "gaza-death-toll"
    assert (await demo_store.topic_detail("october-7-attack")).slug == "gaza-death-toll"
    added = await demo_store.add_statement(
        "october-7-attack",
        StatementDraft("About 1,200 people were killed.", "Israeli officials", "context"),
        actor="cli:alice",
    )
    assert added.topic == "gaza-death-toll"
    answer = await demo_store.ask("how many people were killed in the october 7 attack")
    assert answer.matches[0].topic.slug == "gaza-death-toll"
    assert "cairo-018" in [s.uid for s in answer.matches[0].topic.statements]
    assert all(r.title != source.title for r in demo_store.suggest("october 7 attack"))

    event = (await events_after(demo_store, mark))[0]
    assert (event["action"], event["entity"], event["entity_key"]) == ("merge", "topic", "october-7-attack")
    assert event["before"] == {
        "slug": "october-7-attack",
        "title": source.title,
        "aliases": list(source.aliases),
        "tags": list(source.tags),
        "state": "open",
        "version": 1,
        "retired_reason": None,
        "merged_into": None,
    }
    assert event["after"] == {
        **event["before"],
        "aliases": [],
        "state": "merged",
        "version": 2,
        "merged_into": "gaza-death-toll",
        "moved_statements": ["cairo-018"],
        "moved_aliases": carried,
    }
    summary = {t.slug: t for t in await demo_store.list_topics(include_retired=True)}["october-7-attack"]
    assert (summary.state, summary.merged_into, summary.published) == (TopicState.MERGED, "gaza-death-toll", 0)


async def test_merges_that_make_no_sense_are_refused(demo_store: ClaimStore) -> None:
    with pytest.raises(InvalidInput, match="itself") as itself:
        await demo_store.merge_topics("gaza-death-toll", "gaza-death-toll", actor="cli:a")
    assert itself.value.field == "into"
    await demo_store.merge_topics("october-7-attack", "gaza-death-toll", actor="cli:a")
    with pytest.raises(InvalidInput, match="itself"):
        await demo_store.merge_topics("gaza-death-toll", "october-7-attack", actor="cli:a")  # resolves to itself
    with pytest.raises(InvalidInput, match="already merged into 'gaza-death-toll'"):
        await demo_store.merge_topics("october-7-attack", "cairo-talks-progress", actor="cli:a")
    with pytest.raises(TopicNotFound, match="'no-such-topic'"):
        await demo_store.merge_topics("no-such-topic", "gaza-death-toll", actor="cli:a")


async def test_a_merge_into_a_topic_merged_elsewhere_later_still_resolves(demo_store: ClaimStore) -> None:
    await demo_store.merge_topics("october-7-attack", "gaza-death-toll", actor="cli:a")
    await demo_store.merge_topics("gaza-death-toll", "gaza-truce-earlier-attempts", actor="cli:a")
    assert (await demo_store.topic_detail("october-7-attack")).slug == "gaza-truce-earlier-attempts"
    detail = await demo_store.topic_detail("gaza-truce-earlier-attempts")
    assert detail.merged_from == ("gaza-death-toll", "october-7-attack")
    assert {"cairo-016", "cairo-017", "cairo-018"} == {s.uid for s in detail.statements}


async def test_topics_are_listed_by_slug_with_what_they_show(demo_store: ClaimStore) -> None:
    await _rafah(demo_store)
    listed = await demo_store.list_topics()
    assert [t.slug for t in listed] == sorted(t.slug for t in listed) and len(listed) == 9
    rafah = next(t for t in listed if t.slug == "rafah-crossing")
    assert (rafah.published, rafah.version, rafah.to_json()["state"]) == (0, 1, "open")
    progress = next(t for t in listed if t.slug == "cairo-talks-progress")
    assert progress.published == 6
