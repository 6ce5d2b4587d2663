"""A phishing question, asked through the real discord.py client: every reply that repeats it links nowhere.

Checked on what the fake Discord stored from the bot's requests: the answer ("You asked:"), its next page, the
unanswered reply and the moderators' list of unanswered questions. Only the statements' own source links, curated
store data, stay live.
"""

from __future__ import annotations

import re

from bot.bot import FactBot
from store.records import OutletRecord, SpeakerRecord, Stance, StatementKind, StatementRecord, TopicRecord
from store.service import ClaimStore
from tests.bot.conftest import logged
from tests.bot.fake_discord import FakeDiscord, Posted
from tests.support.discord_markup import BIDI, plain, problems

HOSTILE = "[a](b) [free nitro](http://evil.example/phish) discord.gg/abc @everyone \u202e"
# as Discord shows it: the link defanged, the mention broken, the override dropped (the space before it stays)
SHOWN = "[a](b) [free nitro](hxxp[:]//evil[.]example/phish) discord[.]gg/abc @\u200beveryone "
HEADLINE = "Is there any progress in the Cairo truce talks?"
LIVE_LINK = re.compile(r"(?<!\\)\[([^\]\n]*)\]\(([^)\s]*)\)")


def assert_inert(posted: Posted, sources: set[str]) -> None:
    """Nothing in the reply pings, links or flips direction, but the statements' own "[source](url)" links."""
    assert posted.pings_nobody
    text = posted.text()
    assert not [ch for ch in text if ch in BIDI]
    assert "@everyone" not in text and "evil.example" not in text and "discord.gg/" not in text
    assert all(label == "source" and url in sources for label, url in LIVE_LINK.findall(text))


def echoed(content: str) -> str:
    """The question as a sentence quotes it, between “ and ”."""
    return content.split("“", 1)[1].split("”", 1)[0]


def asked_of(posted: Posted) -> str:
    return str(posted.embeds[0]["description"]).split("\n", 1)[0]


async def test_a_slash_answer_repeats_the_question_inert(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    answer = await (await fake.slash("factcheck", {"question": f"{HEADLINE} {HOSTILE}"})).reply()
    assert answer.embeds[0]["title"] == "Has the Cairo round of Gaza truce talks made progress?"
    asked = asked_of(answer)
    assert problems(asked) == [] and plain(asked) == f"You asked: {HEADLINE} {SHOWN}"
    assert_inert(answer, set())  # the demo statements carry no source links
    [row] = await logged(bot, store)
    assert row.text == f"{HEADLINE} {HOSTILE}".strip()  # the log keeps what was typed


async def test_a_prefix_answer_repeats_the_question_inert(fake: FakeDiscord, bot: FactBot, store: ClaimStore) -> None:
    question = await fake.send_message(f"!factcheck {HEADLINE} {HOSTILE}")
    answer = await fake.posts.wait_for(lambda p: p.reply_to == question["id"])
    asked = asked_of(answer)
    assert problems(asked) == [] and plain(asked) == f"You asked: {HEADLINE} {SHOWN}"
    assert_inert(answer, set())


async def test_the_unanswered_reply_repeats_the_question_inert(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    by_slash = await (await fake.slash("factcheck", {"question": HOSTILE})).reply()
    question = await fake.send_message(f"!factcheck {HOSTILE}")
    by_prefix = await fake.posts.wait_for(lambda p: p.reply_to == question["id"])
    for reply in (by_slash, by_prefix):
        assert "logged your question for the moderators" in reply.content and reply.embeds == []
        assert problems(reply.content) == [] and plain(echoed(reply.content)) == SHOWN
        assert_inert(reply, set())
    assert [r.outcome for r in await logged(bot, store)] == ["unanswered", "unanswered"]


async def test_the_moderators_list_repeats_the_question_inert(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    await (await fake.slash("factcheck", {"question": HOSTILE})).reply()
    await logged(bot, store)  # written
    listed = await (await fake.slash("factbot-settings unanswered", {}, user=fake.owner)).reply()
    [line] = [line for line in listed.content.splitlines() if line.startswith("1. ")]
    assert problems(echoed(line)) == [] and plain(echoed(line)) == SHOWN
    assert_inert(listed, set())


async def test_paging_keeps_the_echo_and_the_store_text_inert(
    fake: FakeDiscord, bot: FactBot, store: ClaimStore
) -> None:
    await store.import_records([hostile_topic()], actor="test")
    question = f"Is the harbour bridge project over budget? {HOSTILE}"
    answer = await (await fake.slash("factcheck", {"question": question})).reply()
    turn = next(b["custom_id"] for b in answer.buttons if b.get("label", "").startswith("Next"))
    second = await (await fake.click(answer, turn)).reply()
    sources = {f"https://example.org/bridge/{n}" for n in range(14)}
    for page in (answer, second):
        assert asked_of(page) == asked_of(answer)  # read back from the message: neither escaped again nor undone
        assert problems(asked_of(page)) == []
        assert_inert(page, sources)
        fields = [f for embed in page.embeds[1:] for f in embed["fields"]]
        assert len(LIVE_LINK.findall(page.text())) == len(fields)  # each statement's source link still works
        for statement in (f["value"].split("\n", 1)[0] for f in fields):
            assert "free nitro" in plain(statement) and problems(statement) == []


def hostile_topic() -> TopicRecord:
    """Statements that quote a phishing link themselves, enough of them to fill more than one page."""
    stances = [Stance.AFFIRMS, Stance.DISPUTES, Stance.CONTEXT]
    return TopicRecord(
        slug="harbour-bridge-budget",
        title="Is the harbour bridge project over budget?",
        statements=[
            StatementRecord(
                uid=f"bridge-{n}",
                text=f"{HOSTILE} the costs of the harbour bridge keep moving, " * 20,
                kind=StatementKind.PARAPHRASE,
                speaker=SpeakerRecord(name=f"Engineer {n}", descriptor=None),
                outlet=OutletRecord(name="Harbour Gazette"),
                stance=stances[n % 3],
                url=f"https://example.org/bridge/{n}",
            )
            for n in range(14)
        ],
    )
