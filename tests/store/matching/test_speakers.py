"""Questions about what someone said: who they ask about, and which of the store's speakers that is."""

from __future__ import annotations

import pytest

from store.matching.index import IndexDoc
from store.matching.speaker_questions import read_speaker_question
from store.matching.speakers import NAME_SEPARATOR, SpeakerBook


@pytest.mark.parametrize(
    ("question", "who", "rest"),
    [
        ("What did Qatar say?", "Qatar", "?"),
        ("did the Hamas official tell Reuters about the meeting", "the Hamas official", "Reuters about the meeting"),
        ("according to the WHO, how many have died", "the WHO", ", how many have died"),
        ("How many were killed according to the Health Ministry?", "the Health Ministry", "How many were killed ?"),
        ("Netanyahu says there will be no truce", "Netanyahu", "there will be no truce"),
        ("the truce is no closer, Hamas says", "Hamas", "the truce is no closer,"),
        ("does netanyahu claim the demands are extreme", "netanyahu", "the demands are extreme"),
        ("What is Hezbollah's position on the truce?", "Hezbollah", "What is on the truce?"),
        ("wat did bibi say abt the truce", "bibi", "abt the truce"),  # chat shorthand
    ],
)
def test_the_speaker_and_the_rest_of_the_question(question: str, who: str, rest: str) -> None:
    found = read_speaker_question(question)
    assert found is not None
    assert (found.phrases[0].text, found.phrases[0].rest) == (who, rest)


@pytest.mark.parametrize(
    "question",
    [
        "Is there progress in the Cairo talks?",  # no verb of saying
        "I do not say that",  # "not" is nobody
        "what did he say",  # a pronoun names no one the store could hold
        "But the United States was paying for most of it",  # "States" is no verb here
        "the crowds were so big that the people said it was special",  # "X said" inside a clause
    ],
)
def test_questions_that_ask_no_one(question: str) -> None:
    assert read_speaker_question(question) is None


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What did Qatar say?", True),  # a country
        ("what did the UN say", True),  # an acronym
        ("what did sinwar say", True),  # a word no dictionary knows
        ("what does the proposal say about the hostages", False),  # a thing, not a speaker
    ],
)
def test_whether_the_phrase_names_someone(question: str, named: bool) -> None:
    found = read_speaker_question(question)
    assert found is not None and found.named is named


def speaker(*names: str) -> str:
    return NAME_SEPARATOR.join(names)


NETANYAHU = speaker("Benjamin Netanyahu", "Israeli Prime Minister")
HAMAS_SOURCE = speaker("Hamas official source", "an official source from the organization", "Hamas")
EGYPTIAN = speaker("Egyptian source", "an Egyptian source close to Egypt's intelligence services")
BOOK = SpeakerBook(
    [
        IndexDoc(1, "Is a truce close?", texts=["no", "yes"], speakers=[HAMAS_SOURCE, EGYPTIAN]),
        IndexDoc(2, "What did Netanyahu say?", texts=["no truce"], speakers=[NETANYAHU]),
        IndexDoc(3, "Who mediates?", texts=["Egypt"], speakers=["AFSCME People"]),
    ]
)


@pytest.mark.parametrize(
    ("phrase", "topics"),
    [
        (("hamas",), {1}),  # by the affiliation
        (("hamas", "officials"), {1}),  # stemmed
        (("israeli", "prime", "minister"), {2}),
        (("israeli", "pm"), {2}),  # a title's short form
        (("prime", "minister", "netanyahu"), {2}),  # a title before the name
        (("netanyahoo",), {2}),  # misspelt
        (("bibi",), {2}),  # the news vocabulary's other name for him
        (("egypt",), {1}),  # a country for its adjective
        (("qatar",), set()),
        (("egyptian", "president"), set()),  # every word must be in one of the names
    ],
)
def test_a_phrase_names_the_speakers_holding_all_its_words(phrase: tuple[str, ...], topics: set[int]) -> None:
    assert BOOK.find(phrase, named=True).topics == topics


def test_ordinary_words_must_hold_most_of_a_name() -> None:
    # "people" is half of "AFSCME People": in a large store some name always holds an ordinary word
    assert BOOK.find(("people",), named=False).topics == set()
    assert BOOK.find(("hamas", "official"), named=False).topics == {1}


def test_the_book_follows_edits() -> None:
    book = SpeakerBook([IndexDoc(1, "t", texts=["x"], speakers=[NETANYAHU])])
    book.upsert(IndexDoc(1, "t", texts=["x"], speakers=[HAMAS_SOURCE]))
    assert book.find(("netanyahu",), named=True).topics == set()
    assert book.find(("hamas",), named=True).topics == {1}
    book.remove(1)
    assert book.find(("hamas",), named=True).topics == set()
