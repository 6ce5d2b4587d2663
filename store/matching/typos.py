"""Words of the store within a few edits of a word it doesn't hold, without comparing with every word.

A bigram index over the store's words: a word within k edits of the query shares at least
len(query) + 1 - 2k of the query's bigrams (padded with ^ and $, repeats counted; an edit breaks at most
two bigrams), so only the words that pass that count are compared with rapidfuzz. The filter never drops
a word within k edits, and the survivors are compared in the order a scan of all words by length would
take them, so the result is exactly what that scan gives (tests/store/test_typos.py checks it).
"""

from __future__ import annotations

from array import array

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


def _bigrams(word: str) -> list[str]:
    """The padded bigrams of `word`, a repeated one numbered by its occurrence ("ab", "ab\x01")."""
    padded = f"^{word}$"
    seen: dict[str, int] = {}
    out = []
    for i in range(len(padded) - 1):
        gram = padded[i : i + 2]
        n = seen.get(gram, 0)
        seen[gram] = n + 1
        out.append(gram if n == 0 else gram + chr(n))
    return out


class TypoIndex:
    """Store words by bigram; words are only ever added (a word removed from the store is harmless here)."""

    def __init__(self) -> None:
        self._words: list[str] = []
        self._ids: dict[str, int] = {}
        self._lengths = array("H")
        self._grams: dict[str, array[int]] = {}

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._ids

    def add(self, word: str) -> None:
        if word in self._ids:
            return
        wid = self._ids[word] = len(self._words)
        self._words.append(word)
        self._lengths.append(min(len(word), 65535))
        grams = self._grams
        for gram in _bigrams(word):
            postings = grams.get(gram)
            if postings is None:
                postings = grams[gram] = array("i")
            postings.append(wid)

    def near(self, word: str, max_edits: int, limit: int) -> list[tuple[str, int]]:
        """Up to `limit` (word, edits) within `max_edits` of `word`, fewest edits first.

        Ties are broken as a scan over the words ordered by length, then by when they were added, breaks them.
        """
        if not self._words:
            return []
        lengths = np.frombuffer(self._lengths, dtype=np.uint16)
        need = len(word) + 1 - 2 * max_edits
        if need <= 0:  # too short for the filter to say anything: every word of a fitting length
            ids = np.flatnonzero(np.abs(lengths.astype(np.int64) - len(word)) <= max_edits)
        else:
            parts = [np.frombuffer(self._grams[g], dtype=np.int32) for g in _bigrams(word) if g in self._grams]
            if not parts:
                return []
            shared = np.bincount(np.concatenate(parts))
            ids = np.flatnonzero(shared >= need)
            ids = ids[np.abs(lengths[ids].astype(np.int64) - len(word)) <= max_edits]
        if not len(ids):
            return []
        ids = ids[np.lexsort((ids, lengths[ids]))]
        choices = [self._words[i] for i in ids.tolist()]
        found = process.extract(word, choices, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=limit)
        return [(choice, int(edits)) for choice, edits, _ in found]
