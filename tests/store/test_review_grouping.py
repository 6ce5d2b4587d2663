"""Near-duplicate questions are one review group; other questions stay apart (store/review_grouping.py), and the
groups the store keeps hold the questions logged as they should, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bench.grouping import MEASURES, evaluate
from bench.question_pairs import HELD_OUT_APART, HELD_OUT_SAME, TUNING_APART, TUNING_SAME
from store.review_grouping import SAME_QUESTION, GroupFinder, same_question
from store.service import ClaimStore
from tests.support.logged_questions import asked

GROUPING = MEASURES["grouping (store/review_grouping.py)"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Is there any progress in the Cairo truce talks?", "IS THERE ANY PROGRESS IN THE CAIRO TRUCE TALKS!!"),
        ("is there any progress in the cairo truce talks", "is ther any progres in the ciaro truce talks"),
        ("cairo truce talks progress", "progress cairo truce talks"),
        ("what is the death toll in gaza", "what is the latest death toll in gaza right now"),
        ("did hamas accept the ceasefire proposal", "did hamas acept the cease-fire proposal"),
        ("how many people were killed in the october 7 attack", "how many ppl were killed in the oct 7 attack"),
    ],
)
def test_the_same_question_otherwise_typed_is_one(a: str, b: str) -> None:
    assert same_question(a, b) and same_question(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("death toll in gaza", "death toll in sudan"),
        ("cairo talks progress", "cairo talks location"),
        ("who won the 2018 world cup", "who won the 2022 world cup"),
        ("did hamas accept the ceasefire proposal", "did israel accept the ceasefire proposal"),
        ("is aid getting into northern gaza", "is aid getting into southern gaza"),
        ("gaza", "gaza death toll"),  # a keyword is not the whole question
        ("what is it", "who is he"),  # nothing but stopwords: compared as typed
    ],
)
def test_another_question_stays_apart(a: str, b: str) -> None:
    assert not same_question(a, b) and not same_question(b, a)


def test_the_threshold_holds_on_the_labelled_pairs_it_was_not_chosen_on() -> None:
    tuning = evaluate(GROUPING, SAME_QUESTION, TUNING_SAME, TUNING_APART)
    held = evaluate(GROUPING, SAME_QUESTION, HELD_OUT_SAME, HELD_OUT_APART)
    assert tuning.f1 >= 0.97 and held.f1 >= 0.97
    assert held.merged == 0  # no question merged into another's group


def test_a_question_joins_the_best_group_of_those_known() -> None:
    finder = GroupFinder([(1, "death toll in gaza"), (2, "death toll in sudan"), (3, "cairo talks progress")])
    assert finder.find("what's the latest death toll in Gaza?") == 1
    assert finder.find("Death toll in Sudan!") == 2
    assert finder.find("progres of the cairo talks") == 3
    assert finder.find("cairo talks location") is None
    finder.add(4, "cairo talks location")
    assert finder.find("where are the cairo talks, location?") == 4


async def test_logged_near_duplicates_are_one_group_with_their_figures(empty_store: ClaimStore) -> None:
    await empty_store.write_query_events(
        [
            asked("Who won the 2018 World Cup?", user="a", guild=10, days_ago=3),
            asked("who won the 2018 world cup", user="b", guild=20, days_ago=2, source="prefix"),
            asked("who won the world cup in 2018", user="a", days_ago=1, source="dm"),
            asked("who won the 2018 wrold cup??", user="c", guild=10, days_ago=0.5),
            asked("who won the 2022 world cup", user="d", guild=10, days_ago=0.2),
        ]
    )
    queue = await empty_store.review_queue()
    cup, other = queue.groups
    assert (cup.count, cup.askers, cup.servers, cup.kind.value) == (4, 3, (10, 20), "unanswered")
    assert cup.sources == ("dm", "prefix", "slash")
    assert cup.first_asked is not None and cup.last_asked is not None
    assert 2.4 < (cup.last_asked - cup.first_asked).total_seconds() / 86400 < 2.6  # 3 days ago to half a day ago
    assert cup.examples[0].casefold().startswith("who won the 2018 world cup")  # the most asked wording first
    assert len(cup.examples) == 3  # the two spellings of the same wording count as one
    assert other.examples == ("who won the 2022 world cup",) and other.count == 1
