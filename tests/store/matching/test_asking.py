"""Fact-check phrasing is about the asking: it is taken off a question before its topic is read."""

from __future__ import annotations

import pytest

from store.matching.asking import take_off_phrasing


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        ("Is it true that the Cairo talks made progress?", "the Cairo talks made progress"),
        ("fact check: hamas says there is no progress", "hamas says there is no progress"),
        ("fake news? netanyahu says no truce", "netanyahu says no truce"),
        ("can you verify that the meeting took place", "the meeting took place"),
        ("Netanyahu says there will be no truce. Is that so?", "Netanyahu says there will be no truce"),
        ("the talks progressed, true?", "the talks progressed"),
        ("true or false: 1,200 people were killed", "1,200 people were killed"),
    ],
)
def test_phrasing_is_taken_off_and_the_claim_kept(question: str, rest: str) -> None:
    asked = take_off_phrasing(question)
    assert asked.text == rest and asked.phrased and not asked.claimless


@pytest.mark.parametrize(
    "question", ["Is it true?", "is this real?", "fake news?", "IS THIS TRUE???", "debunk this pls", "true or false?"]
)
def test_a_question_of_phrasing_only_names_no_claim(question: str) -> None:
    assert take_off_phrasing(question).claimless


@pytest.mark.parametrize(
    "question",
    ["is climate change real", "is the moon landing fake", "did hamas confirm the cairo meeting", "the real deal"],
)
def test_words_inside_a_question_are_left_alone(question: str) -> None:
    # "real" or "fake" inside a question is what it asks about, not how it asks
    asked = take_off_phrasing(question)
    assert asked.text == question and not asked.phrased
