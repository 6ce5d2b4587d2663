"""Moderators change statements from Discord: the form, retract and restore, move, a newer figure, two
moderators at once, bad input. Every change shows in the next /factcheck at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.bot import FactBot
from store.db.testing import sqlite_settings
from store.service import ClaimStore
from tests.bot.conftest import StartBot
from tests.bot.fake_discord import FakeDiscord, Option, Posted
from tests.bot.moderation.conftest import World, button_id
from tests.support.discord_markup import plain, problems
from tests.support.moderation import audit_mark, events_after, statement_id

HEADLINE = "Is there any progress in the Cairo truce talks?"
TOLL = "How many people have been killed in Gaza?"


def statement_fields(answer: Posted) -> list[dict[str, str]]:
    return [f for e in answer.embeds[1:] for f in e.get("fields", [])]


def field_with(answer: Posted, words: str) -> dict[str, str] | None:
    return next((f for f in statement_fields(answer) if words in f["value"]), None)


async def ask(fake: FakeDiscord, question: str) -> Posted:
    """The answer to `question`, every page of it in one (the next pages' statements added to the first's)."""
    answer = await (await fake.slash("factcheck", {"question": question})).reply()
    page = answer
    while nexts := [b["custom_id"] for b in page.buttons if str(b.get("label", "")).startswith("Next")]:
        page = await (await fake.click(page, nexts[0])).reply()
        answer.message["embeds"] += page.embeds[1:]
    return answer


async def test_a_moderator_adds_a_statement_through_the_form_and_the_next_answer_shows_it(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    topics = await (await fake.autocomplete("statement add", "topic", "cairo progress", user=world.moderator)).choices()
    picked = next(c for c in topics if c["name"] == "Has the Cairo round of Gaza truce talks made progress?")
    assert picked["value"].startswith("#")  # the topic's id, from the store's in-memory suggestions
    speakers = await (
        await fake.autocomplete("statement add", "speaker", "benj", user=world.moderator, others={"topic": "x"})
    ).choices()
    assert {"name": "Benjamin Netanyahu", "value": "Benjamin Netanyahu"} in speakers

    options = {
        "topic": picked["value"],
        "stance": "disputes",
        "speaker": "Khalil al-Hayya",
        "affiliation": "Hamas",
        "cue": "told",
    }
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    assert form.modal["title"] == "New statement: Has the Cairo round of Gaza tr"  # cut to Discord's 45
    assert set(form.fields) == {"text", "descriptor", "outlet", "when", "figures"}
    mark = await audit_mark(store)
    typed = {
        "text": "The talks are going nowhere.",
        "outlet": "Al Jazeera",
        "when": "2024-04-08 https://example.org/hayya",
        "figures": "3 days of talks so far",
    }
    saved = await (await fake.submit(form, typed)).reply()
    assert saved.ephemeral and saved.content.startswith("Added statement #")
    assert "answers show it now" in saved.content

    [event] = await events_after(store, mark)
    assert (event["actor"], event["action"], event["entity"]) == (
        f"discord:{world.moderator.id} (mod-ana)",
        "create",
        "statement",
    )
    assert event["after"]["topic"] == "cairo-talks-progress" and event["after"]["url"] == "https://example.org/hayya"

    answer = await ask(fake, HEADLINE)
    field = field_with(answer, "The talks are going nowhere.")
    assert field is not None, answer.text()
    assert field["name"] == "Khalil al-Hayya (Hamas)"
    assert "“The talks are going nowhere.”" in field["value"]  # a quote
    assert "_told_ · via **Al Jazeera** · 8 April 2024 · [source](https://example.org/hayya)" in field["value"]
    assert "▸ 3 days: of talks so far (as of: not given; given by Khalil al-Hayya (Hamas))" in field["value"]
    assert any(field in e["fields"] for e in answer.embeds if e.get("title") == "Says no / disputes")


async def test_a_known_speaker_is_attributed_as_stored(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    """An anonymous source already stored: its kind, descriptor and affiliation are taken from the store."""
    options = {"topic": "cairo-talks-progress", "stance": "disputes", "speaker": "Hamas official source"}
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    assert form.fields["descriptor"]["value"] == "an official source from the organization"
    await (await fake.submit(form, {"text": "Nothing has moved.", "outlet": "Reuters"})).reply()
    field = field_with(await ask(fake, HEADLINE), "Nothing has moved.")
    assert field is not None and field["name"] == "An official source from the organization (Hamas)"


async def test_retract_hides_a_statement_and_restore_brings_it_back(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    words = "there is still no progress"
    sid = await statement_id(store, "cairo-005")
    assert field_with(await ask(fake, HEADLINE), words) is not None

    options: dict[str, Option] = {"statement": sid, "reason": "misattributed: it was said of the Doha round"}
    retracted = await (await fake.slash("statement retract", options, user=world.moderator)).reply()
    assert retracted.ephemeral and f"Retracted statement #{sid}" in retracted.content
    assert field_with(await ask(fake, HEADLINE), words) is None
    detail = await store.statement_detail(sid)
    assert (detail.status.value, detail.retraction_reason) == ("retracted", options["reason"])

    restored = await (await fake.slash("statement restore", {"statement": sid}, user=world.admin)).reply()
    assert f"Restored statement #{sid}" in restored.content
    assert field_with(await ask(fake, HEADLINE), words) is not None
    actors = [e.actor for e in await store.audit_events(statement=sid, limit=2)]
    assert actors == [f"discord:{world.admin.id} (admin-cy)", f"discord:{world.moderator.id} (mod-ana)"]


async def test_the_edit_form_is_filled_from_the_store_and_saves_a_new_version(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    sid = await statement_id(store, "cairo-017")  # Gaza Health Ministry, with two figures
    options: dict[str, Option] = {"statement": sid, "cue": "-", "stance": "affirms"}
    form = await (await fake.slash("statement edit", options, user=world.moderator)).modal()
    assert form.modal["custom_id"].startswith(f"fb:se:{sid}:1:")  # the version it was filled from, and a token
    assert form.fields["text"]["value"].startswith("33,175 people have been killed")
    assert form.fields["outlet"]["value"] == "the article (demo source)"
    assert form.fields["figures"]["value"].splitlines() == [
        "33,175 people killed in the war in Gaza (latest Gaza Health Ministry figures)",
        "6 months time since the war began",
    ]
    saved = await (await fake.submit(form, {"when": "2024-04-07"})).reply()
    assert f"Saved statement #{sid} (now version 2)" in saved.content
    after = await store.statement_detail(sid)
    assert (after.version, after.cue, after.stance.value, after.said_on.isoformat() if after.said_on else None) == (
        2,
        None,
        "affirms",
        "2024-04-07",
    )
    assert [f.value for f in after.figures] == [33175, 6]  # the figures read back as they were

    same = await (await fake.slash("statement edit", {"statement": sid}, user=world.moderator)).modal()
    unchanged = await (await fake.submit(same)).reply()
    assert unchanged.content == f"Nothing changed: statement #{sid} is still at version 2."


async def test_two_moderators_edit_at_once_one_wins_the_other_is_told(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    sid = await statement_id(store, "cairo-004")
    ana = await (await fake.slash("statement edit", {"statement": sid}, user=world.moderator)).modal()
    ben = await (await fake.slash("statement edit", {"statement": sid}, user=world.second_moderator)).modal()
    assert ana.modal["custom_id"] == ben.modal["custom_id"] == f"fb:se:{sid}:1"

    submits = await asyncio.gather(
        fake.submit(ana, {"text": "The truce is still no closer."}),
        fake.submit(ben, {"text": "No truce is in sight."}),
    )
    replies = [await s.reply() for s in submits]
    saved = [i for i, r in enumerate(replies) if r.content.startswith(f"Saved statement #{sid}")]
    stale = [i for i, r in enumerate(replies) if "review and retry" in r.content]
    assert len(saved) == 1 and len(stale) == 1
    winner = (world.moderator, world.second_moderator)[saved[0]]
    told = replies[stale[0]].content
    assert f"was changed by discord:{winner.id} ({winner.username}) at 20" in told and " UTC: review and retry" in told
    assert "Nothing of yours was saved." in told and replies[stale[0]].ephemeral
    after = await store.statement_detail(sid)
    assert after.version == 2 and after.text == ("The truce is still no closer.", "No truce is in sight.")[saved[0]]


async def test_bad_input_in_the_form_is_named_and_nothing_is_written(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    sid = await statement_id(store, "cairo-004")
    mark = await audit_mark(store)
    cases = {
        "when": ("yesterday", "date: 'yesterday' is not a date (YYYY-MM-DD)."),
        "figures": ("lots of people", "figures: 'lots of people' should read 'VALUE UNIT WHAT IS COUNTED"),
    }
    for key, (value, message) in cases.items():
        form = await (await fake.slash("statement edit", {"statement": sid}, user=world.moderator)).modal()
        refused = await (await fake.submit(form, {key: value})).reply()
        assert refused.ephemeral and message in plain(refused.content)

    form = await (await fake.slash("statement edit", {"statement": sid}, user=world.moderator)).modal()
    hostile = "ftp://evil.example/@everyone"
    refused = await (await fake.submit(form, {"when": f"2024-04-08 {hostile}"})).reply()
    shown = plain(refused.content)  # as Discord renders it
    assert shown.startswith("url: 'ftp[:]//evil[.]example/@\u200beveryone' is not a web address")
    echo = refused.content.splitlines()[0]
    assert not problems(echo)  # shown as typed, but no link, mention or markup acts from it
    future = await (await fake.slash("statement edit", {"statement": sid}, user=world.moderator)).modal()
    refused = await (await fake.submit(future, {"when": "2999-01-01"})).reply()
    assert "2999-01-01 is in the future" in refused.content

    assert await events_after(store, mark) == []
    assert (await store.statement_detail(sid)).version == 1


async def test_a_refused_form_opens_again_with_what_was_typed(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    options = {"topic": "cairo-talks-progress", "stance": "disputes", "speaker": "Khalil al-Hayya"}
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    typed = {"text": "A long statement, typed with care.", "outlet": "Al Jazeera", "when": "8 April"}
    refused = await (await fake.submit(form, typed)).reply()
    assert "date: '8' is not a date" in plain(refused.content) and "Nothing was saved." in refused.content

    again = await (await fake.click(refused, button_id(refused, "Fix and resubmit"), user=world.moderator)).modal()
    assert again.modal["custom_id"] == form.modal["custom_id"]  # the same form: its options still apply
    assert {k: again.fields[k].get("value") for k in typed} == typed
    saved = await (await fake.submit(again, {"when": "2024-04-08"})).reply()
    assert saved.content.startswith("Added statement #")
    detail = (await store.audit_events(actor=str(world.moderator.id), limit=1))[0]
    assert detail.after is not None and detail.after["text"] == typed["text"]
    assert detail.after["said_on"] == "2024-04-08" and detail.after["speaker"]["name"] == "Khalil al-Hayya"

    used = await (await fake.click(refused, button_id(refused, "Fix and resubmit"), user=world.moderator)).reply()
    assert used.content.startswith("This form has expired")  # one retry per refusal


async def test_what_a_moderator_typed_is_echoed_inert(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    options = {"topic": "cairo-talks-progress", "stance": "context", "speaker": "@everyone <@&1> **loud**"}
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    saved = await (await fake.submit(form, {"text": "See [this](https://evil.example) # now"})).reply()
    words = next(line for line in saved.content.splitlines() if line.startswith("**Words:** "))
    speaker = next(line for line in saved.content.splitlines() if line.startswith("**Speaker:** "))
    assert not problems(words.removeprefix("**Words:** ")) and "evil[.]example" in plain(words)
    assert not problems(speaker.removeprefix("**Speaker:** "))
    assert saved.pings_nobody


async def test_a_newer_figure_is_shown_first_with_the_older_one_as_previously(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    older = await statement_id(store, "cairo-017")
    options: dict[str, Option] = {
        "topic": "gaza-death-toll",
        "stance": "context",
        "speaker": "Gaza Health Ministry",
        "supersedes": older,
    }
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    typed = {
        "text": "34,097 people have been killed in Gaza since the war began.",
        "when": "2024-04-15",
        "figures": "34,097 people killed in the war in Gaza as of 2024-04-15",
    }
    await (await fake.submit(form, typed)).reply()

    answer = await ask(fake, TOLL)
    [first, *rest] = statement_fields(answer)
    assert first["value"].startswith("“34,097 people have been killed")
    assert (
        "▸ 34,097 people: killed in the war in Gaza (as of 15 April 2024; given by Gaza Health Ministry)"
        in (first["value"])
    )
    assert (
        "▹ previously 33,175 people: killed in the war in Gaza (latest Gaza Health Ministry figures) "
        "(date not given, Gaza Health Ministry)" in first["value"]
    )
    assert not [f for f in rest if f["value"].startswith("“33,175")]  # the older one is not shown on its own
    assert (await store.statement_detail(older)).status.value == "published"  # both stay in history


async def test_a_statement_moves_to_another_topic(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    sid = await statement_id(store, "cairo-008")  # "The meeting in Cairo took place."
    options: dict[str, Option] = {"statement": sid, "topic": "cairo-talks-progress"}
    moved = await (await fake.slash("statement move", options, user=world.moderator)).reply()
    assert f"Moved statement #{sid} to cairo-talks-progress." in moved.content
    assert field_with(await ask(fake, HEADLINE), "The meeting in Cairo took place.") is not None


async def test_a_speakers_other_name_files_the_statement_under_the_stored_one(
    fake: FakeDiscord, world: World, bot: FactBot, store: ClaimStore
) -> None:
    await store.edit_speaker("Benjamin Netanyahu", add_aliases=["Bibi"], actor="test")
    options = {"topic": "netanyahu-truce-position", "stance": "context", "speaker": "Bibi"}
    form = await (await fake.slash("statement add", options, user=world.moderator)).modal()
    saved = await (await fake.submit(form, {"text": "We will not stop before victory."})).reply()
    assert "**Speaker:** Benjamin Netanyahu (person, Israeli Prime Minister)" in saved.content


async def test_after_a_restart_an_edit_form_still_saves_and_an_add_form_asks_again(
    fake: FakeDiscord, world: World, start_bot: StartBot, store: ClaimStore, tmp_path: Path
) -> None:
    sid = await statement_id(store, "cairo-004")
    old = await start_bot()
    edit = await (await fake.slash("statement edit", {"statement": sid}, user=world.admin)).modal()
    options = {"topic": "cairo-talks-progress", "stance": "context", "speaker": "Al Qahera News"}
    add = await (await fake.slash("statement add", options, user=world.admin)).modal()
    await old.close()

    settings = sqlite_settings(tmp_path, data_dir=tmp_path, curation_guilds=(fake.guild.id,))
    reopened = await ClaimStore.open(settings)
    try:
        await start_bot(store_=reopened)
        saved = await (await fake.submit(edit, {"text": "The truce is no closer, Hamas says."})).reply()
        assert saved.content.startswith(f"Saved statement #{sid} (now version 2)")  # all it needs is its custom_id
        expired = await (await fake.submit(add, {"text": "Talks resume tomorrow."})).reply()
        assert expired.content.startswith("This form has expired") and "Nothing was changed" in expired.content
    finally:
        await reopened.close()
