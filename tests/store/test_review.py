"""Moderators' review of unanswered questions, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from store.db.review import question_key
from store.records import SpeakerKind, SpeakerRecord, StatementRecord, TopicRecord
from store.service import ClaimStore
from store.views import QueryLogEntry

NOW = dt.datetime.now(dt.UTC)


def _asked(
    text: str, *, outcome: str = "unanswered", user: str | None = None, days_ago: float = 0.0, source: str = "slash"
) -> QueryLogEntry:
    return QueryLogEntry(
        text=text,
        source=source,
        outcome=outcome,
        latency_ms=3.0,
        user_hash=user,
        created_at=NOW - dt.timedelta(days=days_ago),
    )


def test_the_same_question_otherwise_typed_is_one_question() -> None:
    assert question_key("  Who won the 2018 World Cup?? ") == question_key("who won the 2018  world cup")
    assert question_key("is gaza's crossing open") != question_key("is gaza crossing open")


async def test_unanswered_questions_are_grouped_most_asked_first(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events(
        [
            _asked("Who won the 2018 World Cup?", user="a", days_ago=2),
            _asked("who won the 2018 world cup", user="b", days_ago=1, source="prefix"),
            _asked("WHO WON THE 2018 WORLD CUP!", user="a", days_ago=0.5),
            _asked("what did the pope say about the truce", user="c", days_ago=0.2),
            _asked("banana bread recipe", days_ago=45),  # outside the window
            _asked("is there any progress in the cairo truce talks", outcome="answered", user="d"),
            _asked("any news", outcome="rejected", user="e"),
        ]
    )
    items = await demo_store.unanswered(days=30)
    assert [(i.question.text, i.question.asked, i.question.askers) for i in items] == [
        ("Who won the 2018 World Cup?", 3, 2),  # as first worded
        ("what did the pope say about the truce", 1, 1),
    ]
    cup, pope = items
    assert cup.question.sources == ("prefix", "slash")
    assert cup.question.last_asked - cup.question.first_asked > dt.timedelta(days=1)
    assert cup.nearest_topic_id is None and not cup.answered_now  # no word of it in the store
    assert pope.nearest_title is not None and "truce" in pope.nearest_title.lower()
    assert 0 < pope.nearest_score < demo_store.settings.match_threshold and not pope.answered_now
    assert [i.question.text for i in await demo_store.unanswered(days=60, limit=3)][-1] == "banana bread recipe"
    assert len(await demo_store.unanswered(days=30, limit=1)) == 1


async def test_reviewed_questions_leave_the_list_and_new_asks_bring_them_back(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events(
        [_asked("who won the 2018 world cup", user="a"), _asked("banana bread", user="b")]
    )
    first = await demo_store.unanswered()
    cup = next(i for i in first if i.question.text.startswith("who won"))
    assert await demo_store.mark_reviewed(cup.question.log_ids) == 1
    assert await demo_store.mark_reviewed(cup.question.log_ids) == 0  # already reviewed: nothing changes
    assert [i.question.text for i in await demo_store.unanswered()] == ["banana bread"]
    await demo_store.write_query_events([_asked("Who won the 2018 World Cup?", user="c")])
    again = {i.question.text: i.question.asked for i in await demo_store.unanswered()}
    assert again == {"Who won the 2018 World Cup?": 1, "banana bread": 1}  # only the ask since the review


async def test_a_question_the_store_was_taught_since_shows_as_answered_now(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([_asked("is the rafah border crossing open again", user="a")])
    assert not (await demo_store.unanswered())[0].answered_now
    speaker = SpeakerRecord(name="Egyptian foreign ministry", kind=SpeakerKind.ORGANISATION)
    topic = TopicRecord(
        slug="rafah-crossing",
        title="Is the Rafah border crossing open?",
        statements=[StatementRecord(text="The Rafah crossing reopened for aid trucks on Monday.", speaker=speaker)],
    )
    await demo_store.import_records([topic], actor="moderator")
    item = (await demo_store.unanswered())[0]
    assert item.answered_now and item.nearest_title == "Is the Rafah border crossing open?"
