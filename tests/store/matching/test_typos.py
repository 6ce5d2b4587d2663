"""The bigram-filtered typo search gives exactly what comparing with every word gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from store.matching.typos import TypoIndex

# a small alphabet makes near words, repeated bigrams and ties common
WORD = st.text(alphabet="abcdeé", min_size=1, max_size=12)


def scan(vocabulary: list[str], word: str, max_edits: int, limit: int) -> list[tuple[str, int]]:
    """Every word of a fitting length, shortest first, then in the order added: what the index replaces."""
    unique = list(dict.fromkeys(vocabulary))
    choices = sorted((w for w in unique if abs(len(w) - len(word)) <= max_edits), key=len)
    found = process.extract(word, choices, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=limit)
    return [(w, int(d)) for w, d, _ in found]


@settings(max_examples=400, deadline=None)
@given(st.lists(WORD, max_size=60), WORD, st.integers(0, 3), st.integers(1, 5))
def test_near_words_are_exactly_those_a_full_scan_finds(
    vocabulary: list[str], word: str, edits: int, limit: int
) -> None:
    index = TypoIndex()
    for w in vocabulary:
        index.add(w)
    assert index.near(word, edits, limit) == scan(vocabulary, word, edits, limit)


def test_a_misspelt_word_finds_the_words_it_is_closest_to() -> None:
    index = TypoIndex()
    for w in ("negotiations", "negotiators", "ceasefire", "progress", "process", "regress"):
        index.add(w)
    assert index.near("negotiatons", 2, 3) == [("negotiators", 1), ("negotiations", 1)]  # shorter first
    assert index.near("progres", 1, 3) == [("progress", 1)]
    assert index.near("zzzz", 1, 3) == []
    assert TypoIndex().near("progress", 2, 3) == []
