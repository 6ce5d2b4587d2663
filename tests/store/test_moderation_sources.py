"""Speakers have other names, matched in questions and shown nowhere else; speakers and outlets merge."""

from __future__ import annotations

import json

import pytest

from bot.cli.json_output import answer_json
from store.curation import StatementDraft
from store.db.testing import open_store
from store.errors import InvalidInput, OutletNotFound, SpeakerNotFound
from store.records import SpeakerKind
from store.service import ClaimStore
from store.settings import StoreSettings
from tests.support.moderation import audit_mark, events_after

# "Bibi" itself is in the news vocabulary (store/matching/synonyms.py); this nickname is only an alias
BIBI = "what did hakosem say about the truce"


async def test_a_speakers_alias_is_matched_in_questions_and_shown_nowhere(
    demo_store: ClaimStore, store_settings: StoreSettings
) -> None:
    before = await demo_store.ask(BIBI)
    assert not before.matches or before.matches[0].topic.slug != "netanyahu-truce-position"
    async with open_store(store_settings, demo=False) as other:
        other.sync_interval_s = 0.0
        await other.ask(BIBI)
        mark = await audit_mark(demo_store)
        detail = await demo_store.edit_speaker(
            "benjamin netanyahu", add_aliases=["HaKosem"], role="Prime Minister of Israel", actor="cli:alice"
        )
        assert (detail.name, detail.aliases, detail.role, detail.version, detail.statements) == (
            "Benjamin Netanyahu",
            ("HaKosem",),
            "Prime Minister of Israel",
            2,
            2,
        )
        for store in (demo_store, other):  # here at once, there within its sync
            answer = await store.ask(BIBI)
            assert answer.answered and answer.matches[0].topic.slug == "netanyahu-truce-position"
            assert {s.speaker.name for s in answer.matches[0].topic.statements} == {"Benjamin Netanyahu"}
            assert "HaKosem" not in json.dumps(answer_json(answer))
    [event] = await events_after(demo_store, mark)
    assert (event["actor"], event["action"], event["entity"], event["entity_key"]) == (
        "cli:alice",
        "update",
        "speaker",
        "Benjamin Netanyahu",
    )
    state = {"name": "Benjamin Netanyahu", "topics": ["netanyahu-truce-position"]}
    assert event["before"] == {**state, "aliases": [], "role": None, "version": 1}
    assert event["after"] == {**state, "aliases": ["HaKosem"], "role": "Prime Minister of Israel", "version": 2}
    assert (await demo_store.speaker_detail("HAKOSEM")).name == "Benjamin Netanyahu"  # an alias finds the speaker

    removed = await demo_store.edit_speaker(
        "Benjamin Netanyahu", remove_aliases=["hakosem"], version=2, actor="cli:bob"
    )
    assert removed.aliases == () and removed.version == 3
    answer = await demo_store.ask(BIBI)
    assert not answer.matches or answer.matches[0].topic.slug != "netanyahu-truce-position"


async def test_a_speakers_details_cover_every_kind_stored_under_the_name(demo_store: ClaimStore) -> None:
    detail = await demo_store.speaker_detail("hamas official source")
    assert (detail.name, detail.kinds, detail.statements) == ("Hamas official source", (SpeakerKind.ANONYMOUS,), 3)
    assert detail.descriptors == ("an official source from the organization",)
    assert detail.topics == ("cairo-talks-meeting", "cairo-talks-progress")
    with pytest.raises(SpeakerNotFound, match="'Nobody Known'"):
        await demo_store.speaker_detail("Nobody Known")


async def test_a_speakers_details_say_how_they_are_attributed_most_often(demo_store: ClaimStore) -> None:
    draft = StatementDraft(
        "No date has been set.",
        "Hamas official source",
        "context",
        speaker_kind="anonymous",
        descriptor="a source in the political bureau",
        affiliation="Hamas political bureau",
    )
    await demo_store.add_statement("cairo-talks-progress", draft, actor="cli:alice")
    detail = await demo_store.speaker_detail("hamas official source")
    assert [(r.kind, r.descriptor, r.affiliation) for r in detail.records] == [
        (SpeakerKind.ANONYMOUS, "an official source from the organization", "Hamas"),  # 3 statements
        (SpeakerKind.ANONYMOUS, "a source in the political bureau", "Hamas political bureau"),  # 1
    ]
    payload = detail.to_json()
    assert payload["affiliation"] == "Hamas" == detail.affiliation
    assert payload["records"][1] == {
        "name": "Hamas official source",
        "kind": "anonymous",
        "descriptor": "a source in the political bureau",
        "affiliation": "Hamas political bureau",
    }


async def test_aliases_that_belong_to_someone_else_are_refused(demo_store: ClaimStore) -> None:
    await demo_store.edit_speaker("Hamas", add_aliases=["the movement"], actor="cli:a")
    mark = await audit_mark(demo_store)
    cases = [
        ("Hamas", "the speaker's own name"),
        ("Al Qahera News", "the name of another speaker"),
        ("The Movement", "already an alias of 'Hamas'"),
    ]
    for alias, message in cases:
        with pytest.raises(InvalidInput, match=message) as refused:
            await demo_store.edit_speaker(
                "Hamas" if alias == "Hamas" else "Benjamin Netanyahu", add_aliases=[alias], actor="cli:a"
            )
        assert refused.value.field == "aliases"
    with pytest.raises(InvalidInput, match="is not an alias") as missing:
        await demo_store.edit_speaker("Hamas", remove_aliases=["hamas movement"], actor="cli:a")
    assert missing.value.field == "remove_aliases"
    assert await events_after(demo_store, mark) == []


async def test_merging_speakers_moves_their_statements_and_keeps_the_name_as_an_alias(demo_store: ClaimStore) -> None:
    added = await demo_store.add_statement(
        "netanyahu-truce-position",
        StatementDraft("We will not give in.", "B. Netanyahu", "context", cue="said"),
        actor="cli:alice",
    )
    mark = await audit_mark(demo_store)
    merged = await demo_store.merge_speakers("B. Netanyahu", "Benjamin Netanyahu", actor="cli:alice")
    assert (merged.name, merged.aliases, merged.statements) == ("Benjamin Netanyahu", ("B. Netanyahu",), 3)
    moved = await demo_store.statement_detail(added.id)
    assert (moved.speaker.name, moved.speaker.affiliation, moved.version) == (
        "Benjamin Netanyahu",
        "Israeli Prime Minister",
        2,
    )
    topic = await demo_store.topic_by_slug("netanyahu-truce-position")
    assert {s.speaker.name for s in topic.statements} == {"Benjamin Netanyahu"}
    [event] = await events_after(demo_store, mark)
    assert (event["action"], event["entity"], event["entity_key"]) == ("merge", "speaker", "B. Netanyahu")
    assert event["before"] == {
        "name": "B. Netanyahu",
        "aliases": [],
        "role": None,
        "version": 1,
        "topics": ["netanyahu-truce-position"],
    }
    assert event["after"] == {
        "merged_into": "Benjamin Netanyahu",
        "moved_statements": [added.uid],
        "topics": ["netanyahu-truce-position"],
        "aliases": ["B. Netanyahu"],
    }
    assert (await demo_store.speaker_detail("b. netanyahu")).name == "Benjamin Netanyahu"
    with pytest.raises(InvalidInput, match="itself"):
        await demo_store.merge_speakers("Hamas", "hamas", actor="cli:alice")


async def test_merging_outlets_moves_their_statements(demo_store: ClaimStore) -> None:
    added = await demo_store.add_statement(
        "cairo-talks-progress",
        StatementDraft("Talks resume in two days.", "Egyptian official", "context", outlet="AlQahera News TV"),
        actor="cli:alice",
    )
    assert (await demo_store.outlet_detail("alqahera news tv")).statements == 1
    mark = await audit_mark(demo_store)
    merged = await demo_store.merge_outlets("AlQahera News TV", "Al Qahera News", actor="cli:alice")
    assert (merged.name, merged.statements) == ("Al Qahera News", 5)
    assert (await demo_store.statement_detail(added.id)).outlet == "Al Qahera News"
    shown = (await demo_store.ask("is there any progress in the cairo truce talks")).matches[0].topic.statements
    assert {s.outlet for s in shown if s.uid == added.uid} == {"Al Qahera News"}
    [event] = await events_after(demo_store, mark)
    assert (event["action"], event["entity"], event["entity_key"]) == ("merge", "outlet", "AlQahera News TV")
    assert event["before"] == {
        "name": "AlQahera News TV",
        "url": None,
        "statements": 1,
        "topics": ["cairo-talks-progress"],
    }
    assert event["after"] == {
        "merged_into": "Al Qahera News",
        "moved_statements": [added.uid],
        "topics": ["cairo-talks-progress"],
    }
    with pytest.raises(OutletNotFound, match="'AlQahera News TV'"):
        await demo_store.outlet_detail("AlQahera News TV")
    with pytest.raises(InvalidInput, match="itself"):
        await demo_store.merge_outlets("Reuters", "reuters", actor="cli:alice")


async def test_speaker_names_are_suggested_as_typed(demo_store: ClaimStore) -> None:
    assert await demo_store.suggest_speakers("benj") == ["Benjamin Netanyahu"]
    assert "Hamas" in await demo_store.suggest_speakers("HAM")
    assert await demo_store.suggest_speakers("100%_") == []


async def test_speakers_are_suggested_by_any_word_and_by_alias(demo_store: ClaimStore) -> None:
    await demo_store.edit_speaker("Benjamin Netanyahu", add_aliases=["Bibi"], actor="cli:alice")
    assert await demo_store.suggest_speakers("netan") == ["Benjamin Netanyahu"]
    assert await demo_store.suggest_speakers("BIBI") == ["Benjamin Netanyahu"]
    assert await demo_store.suggest_speakers("benjamin net") == ["Benjamin Netanyahu"]
    assert "Hamas official source" in await demo_store.suggest_speakers("official")
    assert await demo_store.suggest_speakers("anyahu") == []  # inside a word is not a word start
    hamas = await demo_store.suggest_speakers("hamas")
    assert hamas[0] == "Hamas" and "Hamas official source" in hamas  # the name itself first
