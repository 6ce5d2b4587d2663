"""/factcheck: the answer members see, grouped by stance and attributed, and the query log row behind it."""

from __future__ import annotations

from bot.bot import FactBot
from store.service import ClaimStore
from tests.bot.conftest import logged
from tests.bot.fake_discord import FakeDiscord, Posted

HEADLINE = "Is there any progress in the Cairo truce talks?"


def fields_of(posted: Posted, heading: str) -> list[dict[str, str]]:
    for embed in posted.embeds:
        if embed.get("title") == heading:
            return list(embed.get("fields") or [])
    raise AssertionError(f"no {heading!r} group in {[e.get('title') for e in posted.embeds]}")


async def test_headline_question_shows_both_sides_attributed(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    interaction = await fake.slash("factcheck", {"question": HEADLINE})
    answer = await interaction.reply()

    header = answer.embeds[0]
    assert header["title"] == "Has the Cairo round of Gaza truce talks made progress?"
    assert f"You asked: {HEADLINE}" in header["description"]
    yes = fields_of(answer, "Says yes / affirms")
    no = fields_of(answer, "Says no / disputes")
    egyptian = next(f for f in yes if f["name"].startswith("An Egyptian source close to Egypt's intelligence"))
    assert "via **Al Qahera News**" in egyptian["value"]
    assert "“In the Cairo round of negotiations, significant progress" in egyptian["value"]  # a quote: marks
    hamas = next(f for f in no if f["value"].startswith("“there is still no progress”"))
    assert hamas["name"] == "An official source from the organization (Hamas)"
    assert "via **Reuters**" in hamas["value"] and "date not given" in hamas["value"]
    al_qahera = next(f for f in yes if f["name"] == "Al Qahera News")
    assert al_qahera["value"].startswith("Negotiations to reach a truce")  # a paraphrase: no quote marks
    note = header["footer"]["text"]
    assert note.startswith("Match score 0.") and "progress" in note

    labels = [b["label"] for b in answer.buttons]
    assert {"This answered it", "Not what I asked"} <= set(labels)
    assert answer.pings_nobody
    assert not answer.ephemeral

    callback = fake.requests.matching(lambda r: r.path.startswith(f"/interactions/{interaction.id}/"))
    assert [r.json["type"] for r in callback] == [5]  # deferred ("thinking…"), then the followup fills it
    assert callback[0].query == {"with_response": "1"}

    [row] = await logged(bot, store)
    assert (row.source, row.outcome, row.text) == ("slash", "answered", HEADLINE)
    assert (row.guild_id, row.channel_id) == (fake.guild.id, fake.guild.channels[0].id)
    assert row.user_hash and str(fake.member.id) not in row.user_hash
    assert row.matches[0]["topic_id"] and 0 < row.matches[0]["score"] <= 1
    assert row.latency_ms >= 0


async def test_autocomplete_suggests_topic_titles(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    choices = await (await fake.autocomplete("factcheck", "question", "cairo truce tal")).choices()
    names = [c["name"] for c in choices]
    assert "Has the Cairo round of Gaza truce talks made progress?" in names
    assert all(c["name"] == c["value"] and len(c["name"]) <= 100 for c in choices)
    assert len(choices) <= 25
    assert await (await fake.autocomplete("factcheck", "question", "")).choices() == []
    assert await logged(bot, store) == []  # typing is not asking


async def test_unanswered_slash_question(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await (await fake.slash("factcheck", {"question": "who won the champions league final"})).reply()
    assert "I don't have attributed statements on “who won the champions league final”" in answer.content
    assert "logged your question for the moderators" in answer.content
    [row] = await logged(bot, store)
    assert (row.outcome, row.source, row.matches) == ("unanswered", "slash", [])


async def test_a_refused_question_gets_the_reason(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await (await fake.slash("factcheck", {"question": "is there progress\x00 in cairo"})).reply()
    assert "control characters" in answer.content
    [row] = await logged(bot, store)
    assert row.outcome == "rejected" and "\x00" not in row.text


async def test_private_answers_when_the_server_wants_them(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    await store.update_guild_settings(fake.guild.id, actor="test", ephemeral=True)
    interaction = await fake.slash("factcheck", {"question": HEADLINE})
    answer = await interaction.reply()
    assert answer.ephemeral
    [defer] = fake.requests.matching(lambda r: r.path.startswith(f"/interactions/{interaction.id}/"))
    assert defer.json == {"type": 5, "data": {"flags": 64}}
