"""Named things in a question: places from the gazetteer, capitalised names and acronyms, unheard words."""

from __future__ import annotations

import pytest

from store.matching.entities import names
from store.matching.gazetteer import gazetteer


def named(question: str) -> set[tuple[str, ...]]:
    return {n.words for n in names(question)}


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("Are the Istanbul truce talks making progress?", ("istanbul",)),
        ("are the baku peace talks going anywhere", ("baku",)),  # lower case, but no ordinary word
        ("is a ceasefire close in Khartoum", ("khartoum",)),
        ("what about north darfur", ("north", "darfur")),
        ("when do the London talks resume", ("london",)),
    ],
)
def test_places_come_from_the_gazetteer(question: str, place: tuple[str, ...]) -> None:
    assert any(n.words == place and n.place for n in names(question))


def test_a_town_named_like_a_word_is_a_place_only_with_its_capital() -> None:
    # Deal (Kent) and Split (Croatia) are in the gazetteer
    assert ("deal",) in gazetteer().places and ("split",) in gazetteer().places
    assert named("is a deal close, or will the talks split?") == set()
    assert ("split",) in named("will the talks move to Split?")


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What is Hezbollah's position on the truce?", ("hezbollah",)),
        ("is the Red Cross part of the hostage deal", ("red", "cross")),
        ("according to the WHO, how many have died", ("who",)),
        ("is sinwar blocking the ceasefire talks", ("sinwar",)),  # a word no dictionary knows
    ],
)
def test_people_and_organisations_by_capitals_acronyms_and_unheard_words(question: str, name: tuple[str, ...]) -> None:
    assert name in named(question)


@pytest.mark.parametrize(
    "question",
    [
        "Is there progress in the talks?",  # a sentence's first word says nothing
        "IS THERE PROGRESS IN THE TALKS",  # nor do capitals everywhere
        "Have The Talks Made Progress?",  # nor title case
        "I think the talks resume on Monday",  # "I", and the days and months
        "any progess on the extreem demands",  # typos are no names
        "they slowwalked the nominations",  # a transcript's compound is two words
    ],
)
def test_capitals_and_rare_words_that_name_nothing(question: str) -> None:
    assert named(question) == set()
