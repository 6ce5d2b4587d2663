"""Typo correction is for words no dictionary knows: an ordinary word is never read as a store word."""

from __future__ import annotations

import pytest

from store.matching.index import IndexDoc
from store.matching.lexicon import is_ordinary
from store.matching.matcher import Matcher

DOCS = [
    IndexDoc(1, "Is a Gaza truce close?", ["is a ceasefire deal close"], ["The truce is no closer."], ["Hamas"]),
    IndexDoc(2, "Has the Cairo round made progress?", [], ["Progress is being made in Cairo"], ["Al Qahera News"]),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    m = Matcher()
    m.rebuild(DOCS)
    return m


@pytest.mark.parametrize("word", ["true", "real", "soon", "near", "fake", "news"])
def test_everyday_words_are_ordinary(word: str) -> None:
    assert is_ordinary(word)


@pytest.mark.parametrize("word", ["truse", "progres", "cario", "ceasfire", "negotiatons", "untill"])
def test_misspellings_are_not(word: str) -> None:
    assert not is_ordinary(word)


@pytest.mark.parametrize("question", ["is it true?", "is this real?", "true", "real deal"])
def test_an_ordinary_word_is_not_corrected_into_a_store_word(matcher: Matcher, question: str) -> None:
    # "true" is one edit from "truce" and "real" one from "deal": neither may be read as them
    for found in matcher.match(question):
        assert not any(term.startswith(("true→", "real→")) for term in found.terms), found


def test_a_misspelling_still_is(matcher: Matcher) -> None:
    found = matcher.match("caro progres", limit=1)
    assert found and found[0].topic_id == 2
    assert {"caro→cairo", "progres→progress"} <= set(found[0].terms)
