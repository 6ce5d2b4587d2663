"""The named things a question holds: places, and the names of people and organisations.

"Is Hezbollah part of the ceasefire talks?" is about Hezbollah; if the store has never heard of it, a
confident answer about the ceasefire talks would be someone else's story. Three signals name a thing:
a place from the gazetteer (store/matching/gazetteer.py); a word written with a capital where that tells
something (not a sentence's first word, in a question not written all in capitals or title case), an
acronym too ("WHO", "UN"); and, in lower case, a word that no dictionary knows in any of the languages
questions come in (wordfreq's English, Spanish, French, German, Italian, Portuguese) — "hezbollah",
"sinwar". A word of the last kind that is really a typo has a reading in the store, and the matcher only
counts the names the store can't read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from store.matching.gazetteer import gazetteer
from store.matching.lexicon import is_ordinary, near_ordinary, ordinary_words
from store.matching.text import STOPWORDS, fold, strip_noise

_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?:;\u2026\"\u201c\u201d]\s*$")
# capitalised by convention, not because they name someone
_CALENDAR = frozenset(fold(n) for n in (*calendar.day_name, *calendar.month_name) if n)
LANGUAGES = ("en", "es", "fr", "de", "it", "pt")
# articles and particles in names, which the store may not hold on their own: "El Cairo" is Cairo
PARTICLES = frozenset("el la le les los las al de del della di da du des der die das van von bin ibn".split())
FIRST_WORD_ZIPF = 4.0  # a capitalised first word under this frequency in every one of LANGUAGES is a name
# a lower-case word under this frequency in every one of LANGUAGES is no word of theirs: rarer than the
# ordinary words of the lexicon, so that a rare word ("nearer", "armistice") is not taken for a name
UNHEARD_ZIPF = 3.0


def load() -> None:
    """Load the gazetteer and the dictionaries now (a second or so) rather than on the first question."""
    gazetteer()
    ordinary_words()
    for language in LANGUAGES:
        zipf_frequency("factbot", language, wordlist="small")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    folded: str
    start: int  # character offsets in the question
    end: int
    capital: bool  # written with a capital (or in capitals) where that says it is a name


@dataclass(frozen=True, slots=True)
class Name:
    words: tuple[str, ...]  # folded
    place: bool  # found in the gazetteer


def tokens(question: str) -> list[Token]:
    """The question's words with where they are and whether their capital tells anything."""
    question = strip_noise(question)  # as words() reads it (offsets below are into this text)
    found = [(m, fold(m.group(0))) for m in _TOKEN.finditer(question)]
    letters = [(m, f) for m, f in found if m.group(0)[0].isalpha()]
    capitals = [m.group(0)[0].isupper() for m, _ in letters[1:]]
    # all in capitals, or most words capitalised (title case): capitals say nothing there
    telling = bool(capitals) and sum(capitals) <= len(capitals) / 2 and not question.isupper()
    out = []
    for n, (m, folded) in enumerate(found):
        word = m.group(0)
        first = n == 0 or bool(_SENTENCE_END.search(question, 0, m.start()))  # "¿Hay …": first all the same
        acronym = len(word) >= 2 and word.isupper() and word.isalpha() and not question.isupper()
        # a sentence's first word has its capital anyway: there it names someone only if it is no common
        # word ("Biden says …", not "Experts say …")
        capital = word[0].isupper() and (acronym or (telling and (not first or _uncommon(folded))))
        out.append(Token(word, folded, m.start(), m.end(), capital and folded not in _CALENDAR))
    return out


@lru_cache(maxsize=50_000)
def _uncommon(word: str) -> bool:
    """Rarer than FIRST_WORD_ZIPF in every language questions come in ("Biden", not "Experts" or "Hay")."""
    return all(zipf_frequency(word, language, wordlist="small") < FIRST_WORD_ZIPF for language in LANGUAGES)


@lru_cache(maxsize=50_000)
def is_unheard(word: str) -> bool:
    """A folded word that no dictionary of the languages questions come in knows: a name, or noise."""
    if not word.isalpha() or len(word) < 4:
        return False
    if any(zipf_frequency(word, language, wordlist="small") >= UNHEARD_ZIPF for language in LANGUAGES):
        return False
    # "extreem" is a typo, and a transcript's "slowwalked" two words: neither is a name
    return not near_ordinary(word) and not _two_words(word)


def _two_words(word: str) -> bool:
    return any(is_ordinary(word[:i]) and is_ordinary(word[i:]) for i in range(4, len(word) - 3))


@lru_cache(maxsize=4096)
def names(question: str) -> tuple[Name, ...]:
    """The named things in `question`, in order, each once."""
    found = tokens(question)
    folded = [t.folded for t in found]
    taken = [False] * len(found)
    out: list[Name] = []
    for start, end in gazetteer().find(folded, [t.capital for t in found]):
        out.append(Name(tuple(folded[start:end]), place=True))
        taken[start:end] = [True] * (end - start)
    i = 0
    while i < len(found):
        t = found[i]
        if taken[i] or not _names_something(t):
            i += 1
            continue
        end = i + 1
        while end < len(found) and not taken[end] and found[end].capital and _names_something(found[end]):
            end += 1
        out.append(Name(tuple(folded[i:end]), place=False))
        i = end
    return tuple({n.words: n for n in out}.values())


def _names_something(t: Token) -> bool:
    if t.capital:
        return t.folded not in STOPWORDS or (len(t.text) >= 2 and t.text.isupper())  # "WHO", not "The" or "I"
    return t.folded not in STOPWORDS and is_unheard(t.folded)
