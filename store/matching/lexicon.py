"""Which words are ordinary English words, from the word frequencies the wordfreq package ships.

A question word the store doesn't hold is either a typo of a store word ("progres", "cario") or a word the
store merely lacks ("true", "real", "soon"); only a typo should be corrected, or "is it true?" is read as
"is it truce?". wordfreq's English frequencies (Wikipedia, subtitles, news, books, web and social text)
tell the two apart: an ordinary word is said several times in a million words, a misspelling seldom more
than a few times in a hundred million. The data is inside the package: nothing is fetched at run time.
"""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz.distance import OSA
from wordfreq import iter_wordlist, zipf_frequency

from store.matching.typos import TypoIndex

# Zipf frequency (log10 of uses per billion words) from which a word is ordinary. Common misspellings
# ("untill", "ther") stay under it; the everyday words a question is made of ("true", "near") are far above.
ORDINARY_ZIPF = 3.5


@lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    """How common a folded word is in English, as wordfreq's Zipf frequency (0 for a word it has never seen)."""
    return float(zipf_frequency(word, "en", wordlist="small"))


def is_ordinary(word: str) -> bool:
    """A folded word common enough in English that it is no typo."""
    return zipf(word) >= ORDINARY_ZIPF


@cache
def ordinary_words() -> TypoIndex:
    """Every ordinary English word (some fifteen thousand), for finding those a few edits from a word."""
    index = TypoIndex()
    for word in iter_wordlist("en", wordlist="small"):  # most common first
        if zipf(word) < ORDINARY_ZIPF:
            break
        if word.isalpha():
            index.add(word)
    return index


@lru_cache(maxsize=50_000)
def near_ordinary(word: str) -> bool:
    """A folded word one edit (two, from eight letters) from an ordinary English word, a swap of two letters
    counting as one: likely a typo of it ("extreem")."""
    most = 1 if len(word) <= 7 else 2
    return any(OSA.distance(word, near) <= most for near, _ in ordinary_words().near(word, 2, limit=10))
