"""The replay of the query log: what the store now (or another threshold) would answer, and precision, recall
and F1 against the moderators' decisions, on a log whose right answers are known."""

from __future__ import annotations

import pytest

from store.errors import InvalidInput
from store.replay import LoggedAsk, replay
from store.service import ClaimStore
from tests.support.logged_questions import asked, topic_id, verdict

MOD = "cli:mod"
TEAM = "is the israeli team going to cairo"
PROGRESS = "Is there any progress in the Cairo truce talks?"


def test_a_wrong_topic_counts_against_precision_and_recall() -> None:
    asks = [
        LoggedAsk("a", answered_with=None, expected=1),  # missed then, right now
        LoggedAsk("a", answered_with=None, expected=1),
        LoggedAsk("b", answered_with=2, expected=3),  # wrong then, missed now
        LoggedAsk("c", answered_with=5, negative=True),  # wrong then, rightly unanswered now
        LoggedAsk("d", answered_with=7),  # not labelled: another topic now
    ]
    now = {"a": 1, "b": None, "c": None, "d": 8}
    report = replay(asks, now.__getitem__, days=30, threshold=0.5)
    assert (report.asks, report.questions, report.positives, report.negatives) == (5, 4, 3, 1)
    assert (report.answered_before, report.answered_after) == (3, 3)
    assert (report.to_answered.count, report.to_answered.examples) == (2, ("a",))
    assert (report.to_unanswered.count, report.to_unanswered.examples) == (2, ("b", "c"))
    assert (report.other_topic.count, report.other_topic.examples) == (1, ("d",))
    before, after = report.before, report.after
    assert (before.right, before.wrong, before.missed) == (0, 2, 3)
    assert (before.precision, before.recall, before.f1) == (0.0, 0.0, 0.0)
    assert (after.right, after.wrong, after.missed) == (2, 0, 1)
    assert after.precision == 1.0 and after.recall == pytest.approx(2 / 3) and after.f1 == pytest.approx(0.8)


async def test_replay_shows_what_the_moderators_taught(demo_store: ClaimStore) -> None:
    progress = await topic_id(demo_store, "cairo-talks-progress")
    death_toll = await topic_id(demo_store, "gaza-death-toll")
    pope = asked("what does the pope think", outcome="answered", topic=progress, score=0.6, user="p")
    await demo_store.write_query_events(
        [
            *(asked(TEAM, user=f"t{n}") for n in range(4)),
            asked("Is the Israeli team goin to Cairo?", user="t9"),
            *(asked("banana bread recipe", user=f"b{n}") for n in range(3)),
            pope,
            *(asked(PROGRESS, outcome="answered", topic=progress, score=0.98) for _ in range(3)),
            asked(PROGRESS, outcome="answered", topic=death_toll, score=0.7),  # answered otherwise when asked
        ]
    )
    await demo_store.write_query_events([verdict(pope, False, "member-x")])
    groups = {g.question: g.id for g in (await demo_store.review_queue()).groups}
    await demo_store.teach_group(groups[TEAM], "cairo-talks-next-steps", actor=MOD)
    await demo_store.dismiss_group(groups["banana bread recipe"], reason="off-topic", actor=MOD)
    await demo_store.dismiss_group(groups["what does the pope think"], reason="out-of-scope", actor=MOD)

    report = await demo_store.replay_log(days=7)
    assert (report.asks, report.questions, report.positives, report.negatives) == (13, 5, 5, 4)
    assert (report.answered_before, report.answered_after) == (5, 9)
    assert report.to_answered.count == 5 and report.to_answered.examples[0] == TEAM
    assert report.to_unanswered.count == 1 and report.to_unanswered.examples == ("what does the pope think",)
    assert report.other_topic.count == 1 and report.other_topic.examples == (PROGRESS,)
    assert (report.before.right, report.before.wrong, report.before.missed) == (0, 1, 5)
    assert (report.after.right, report.after.wrong, report.after.missed) == (5, 0, 0)
    assert (report.after.precision, report.after.recall, report.after.f1) == (1.0, 1.0, 1.0)
    assert report.to_json()["after"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "right": 5,
        "wrong": 0,
        "missed": 0,
    }

    strict = await demo_store.replay_log(days=7, threshold=0.99)
    assert strict.threshold == 0.99 and strict.answered_after == 0
    assert strict.to_unanswered.count == 5  # the progress question and the pope's: nothing passes 0.99
    assert (strict.after.right, strict.after.missed, strict.after.precision, strict.after.f1) == (0, 5, None, None)
    with pytest.raises(InvalidInput, match="threshold: a score between 0 and 1"):
        await demo_store.replay_log(threshold=1.5)
