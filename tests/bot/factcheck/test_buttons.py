"""The buttons under an answer: feedback, "did you mean", paging through a long topic, and "more"."""

from __future__ import annotations

from pathlib import Path

from bot.bot import FactBot
from store.db.testing import sqlite_settings
from store.records import FigureRecord, OutletRecord, SpeakerRecord, Stance, StatementKind, StatementRecord, TopicRecord
from store.service import ClaimStore
from tests.bot.conftest import StartBot, feedback_rows, logged
from tests.bot.fake_discord import FakeDiscord, Posted

HEADLINE = "Is there any progress in the Cairo truce talks?"
LONG_QUESTION = "Is the harbour bridge project over budget?"


def button(posted: Posted, label_start: str) -> str:
    for b in posted.buttons:
        if b.get("label", "").startswith(label_start):
            return str(b["custom_id"])
    raise AssertionError(f"no button starting {label_start!r}: {[b.get('label') for b in posted.buttons]}")


def footer(posted: Posted) -> str:
    """The page footer, under the last statements."""
    return str(posted.embeds[-1]["footer"]["text"])


def note(posted: Posted) -> str:
    """How the topic matched: the header's footer."""
    return str(posted.embeds[0]["footer"]["text"])


async def long_topic(store: ClaimStore) -> TopicRecord:
    """Fourteen long statements on both sides: far more than one message can hold."""
    stances = [Stance.AFFIRMS, Stance.DISPUTES, Stance.CONTEXT]
    record = TopicRecord(
        slug="harbour-bridge-budget",
        title="Is the harbour bridge project over budget?",
        aliases=["harbour bridge cost overrun"],
        statements=[
            StatementRecord(
                uid=f"bridge-{n}",
                text=f"Statement {n}: " + "the costs of the harbour bridge keep moving, " * 40,
                kind=StatementKind.QUOTE if n % 2 else StatementKind.PARAPHRASE,
                speaker=SpeakerRecord(name=f"Engineer {n}", descriptor=None),
                outlet=OutletRecord(name="Harbour Gazette"),
                stance=stances[n % 3],
                url=f"https://example.org/bridge/{n}",
                figures=[FigureRecord(value=1_000_000 * n, unit="EUR", counted="overrun so far")],
            )
            for n in range(14)
        ],
    )
    await store.import_records([record], actor="test")
    return record


async def test_feedback_is_stored_with_the_query(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await (await fake.slash("factcheck", {"question": HEADLINE})).reply()
    thanks = await (await fake.click(answer, button(answer, "This answered it"))).reply()
    assert thanks.ephemeral and "feedback was recorded" in thanks.content
    unhappy = await (await fake.click(answer, button(answer, "Not what I asked"), user=fake.owner)).reply()
    assert unhappy.ephemeral

    [query] = await logged(bot, store)
    first, second = await feedback_rows(bot, store)
    assert (first.query_uid, first.helpful, first.user_hash) == (query.uid, True, query.user_hash)
    assert (second.query_uid, second.helpful) == (query.uid, False)
    assert second.user_hash != query.user_hash  # another member


async def test_did_you_mean_opens_the_runner_up(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await (await fake.slash("factcheck", {"question": "gaza death toll"})).reply()
    assert answer.embeds[0]["title"] == "How many people have been killed in the Gaza war?"
    custom_id = button(answer, "Did you mean: ")
    opened = await (await fake.click(answer, custom_id)).reply()
    assert opened.kind == "callback" and not opened.ephemeral
    assert opened.embeds[0]["title"] == "How many people were killed in Hamas's October 7 attack on Israel?"
    assert note(opened).startswith("Opened from “did you mean” · Match score")
    assert {"This answered it", "Not what I asked"} <= {b["label"] for b in opened.buttons}

    first, second = await logged(bot, store)
    assert (first.source, first.text) == ("slash", "gaza death toll")
    assert (second.source, second.outcome) == ("button", "answered")
    assert second.text == "How many people were killed in Hamas's October 7 attack on Israel?"
    assert second.matches[0]["topic_id"] == first.matches[1]["topic_id"]


async def test_a_long_topic_pages_within_discord_limits(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    record = await long_topic(store)
    answer = await (await fake.slash("factcheck", {"question": LONG_QUESTION})).reply()
    pages = int(footer(answer).rsplit(" of ", 1)[1])
    assert pages > 2 and footer(answer).endswith(f"Page 1 of {pages}")
    shown = {f["name"] for e in answer.embeds for f in e.get("fields", [])}
    assert {"Says yes / affirms", "Says no / disputes", "Context"} <= {e["title"] for e in answer.embeds}
    assert "…" in answer.text()  # statements cut to fit a field

    second = await (await fake.click(answer, button(answer, "Next"))).reply()
    assert second.kind == "edit" and footer(second).endswith(f"Page 2 of {pages}")
    assert second.message["id"] == answer.message["id"]  # the same message, turned to the next page
    assert f"You asked: {LONG_QUESTION}" in second.embeds[0]["description"]  # kept from page 1
    assert note(second).startswith("Match score")
    assert button(second, "This answered it") == button(answer, "This answered it")
    shown |= {f["name"] for e in second.embeds for f in e.get("fields", [])}

    back = await (await fake.click(second, button(second, "◀ Previous"))).reply()
    assert footer(back).endswith(f"Page 1 of {pages}")

    page = back
    for _ in range(pages - 1):
        page = await (await fake.click(page, button(page, "Next"))).reply()
        shown |= {f["name"] for e in page.embeds for f in e.get("fields", [])}
    assert footer(page).endswith(f"Page {pages} of {pages}")
    assert not [b for b in page.buttons if b["label"].startswith("Next")]
    assert shown == {f"Engineer {n}" for n in range(len(record.statements))}  # every statement, once paged
    assert len(await logged(bot, store)) == 1  # paging is not a new question


async def test_more_shows_a_cut_statement_in_full(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    record = await long_topic(store)
    answer = await (await fake.slash("factcheck", {"question": LONG_QUESTION})).reply()
    more = button(answer, "More: Engineer 0")
    full = await (await fake.click(answer, more)).reply()
    assert full.ephemeral
    assert full.embeds[0]["title"] == "Engineer 0"
    text = record.statements[0].text
    assert full.embeds[0]["description"] == text  # a paraphrase: no quote marks, nothing cut
    assert len(text) > 1024


async def test_buttons_work_on_a_prefix_answer_too(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    await long_topic(store)
    question = await fake.send_message(f"!factcheck {LONG_QUESTION}")
    answer = await fake.posts.wait_for(lambda p: p.reply_to == question["id"])
    second = await (await fake.click(answer, button(answer, "Next"))).reply()
    assert "Page 2 of" in footer(second)


async def tunnel_topic(store: ClaimStore) -> None:
    """A short topic near the long one, so the long answer offers it as "did you mean"."""
    record = TopicRecord(
        slug="harbour-tunnel-budget",
        title="Is the harbour tunnel project over budget?",
        statements=[
            StatementRecord(
                uid="tunnel-1",
                text="The harbour tunnel is on budget so far.",
                kind=StatementKind.PARAPHRASE,
                speaker=SpeakerRecord(name="Tunnel office", descriptor=None),
                stance=Stance.DISPUTES,
            )
        ],
    )
    await store.import_records([record], actor="test")


def kept_buttons(posted: Posted) -> list[tuple[str, str]]:
    """The buttons a page turn keeps (feedback, "did you mean"), as (custom_id, label)."""
    return [(b["custom_id"], b["label"]) for b in posted.buttons if b["custom_id"].startswith(("fb:f:", "fb:d:"))]


async def test_paging_keeps_the_header_and_the_buttons(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    await long_topic(store)
    await tunnel_topic(store)
    answer = await (await fake.slash("factcheck", {"question": LONG_QUESTION})).reply()
    header = answer.embeds[0]
    assert f"You asked: {LONG_QUESTION}" in header["description"] and note(answer).startswith("Match score")
    assert "matched" in note(answer)  # the matched terms: nothing a custom_id could carry
    kept = kept_buttons(answer)
    assert {label for _, label in kept} == {
        "This answered it",
        "Not what I asked",
        "Did you mean: Is the harbour tunnel project over budget?",
    }

    second = await (await fake.click(answer, button(answer, "Next"))).reply()
    assert second.embeds[0] == header  # the echo and the match note, exactly as they were
    assert kept_buttons(second) == kept
    assert second.embeds[1:] != answer.embeds[1:]

    back = await (await fake.click(second, button(second, "◀ Previous"))).reply()
    assert back.embeds == answer.embeds and back.components == answer.components  # page 1 as first sent

    opened = await (await fake.click(second, button(second, "Did you mean: "))).reply()
    assert opened.embeds[0]["title"] == "Is the harbour tunnel project over budget?"
    [asked, tunnel] = await logged(bot, store)
    assert (asked.source, tunnel.source, tunnel.outcome) == ("slash", "button", "answered")


async def test_paging_works_after_a_restart(
    fake: FakeDiscord, start_bot: StartBot, store: ClaimStore, tmp_path: Path
) -> None:
    """A new bot, on a store opened afresh on the same database, turns a page of a message the old one sent."""
    await long_topic(store)
    await tunnel_topic(store)
    old = await start_bot()
    answer = await (await fake.slash("factcheck", {"question": LONG_QUESTION})).reply()
    await old.close()

    reopened = await ClaimStore.open(sqlite_settings(tmp_path, data_dir=tmp_path))
    try:
        new = await start_bot(store_=reopened)
        second = await (await fake.click(answer, button(answer, "Next"))).reply()
        assert second.kind == "edit" and second.message["id"] == answer.message["id"]
        assert "Page 2 of" in footer(second)
        assert second.embeds[0] == answer.embeds[0]
        assert kept_buttons(second) == kept_buttons(answer)
        thanks = await (await fake.click(second, button(second, "This answered it"))).reply()
        assert "feedback was recorded" in thanks.content
        [feedback] = await feedback_rows(new, reopened)
        [query] = await logged(new, reopened)
        assert feedback.query_uid == query.uid  # the uid the old bot logged, carried by the button
        await new.close()
    finally:
        await reopened.close()


async def test_a_private_answer_pages_and_opens_privately(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    await long_topic(store)
    await tunnel_topic(store)
    await store.update_guild_settings(fake.guild.id, actor="test", ephemeral=True)
    answer = await (await fake.slash("factcheck", {"question": LONG_QUESTION})).reply()
    assert answer.ephemeral
    second = await (await fake.click(answer, button(answer, "Next"))).reply()
    assert second.kind == "edit" and second.ephemeral and second.embeds[0] == answer.embeds[0]
    opened = await (await fake.click(second, button(second, "Did you mean: "))).reply()
    assert opened.ephemeral and opened.embeds[0]["title"] == "Is the harbour tunnel project over budget?"
