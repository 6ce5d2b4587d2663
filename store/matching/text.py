"""Text normalisation and tokenising shared by the index, the matcher and input validation.

One function turns any text into the terms the index knows: accents folded, case folded, punctuation
dropped, thousands separators removed from numbers ("33,175" -> "33175"), tweet noise (URLs, @handles,
pic.twitter.com links) dropped, hashtags split ("#AustralianFires" -> "australian", "fires"), and
every word stemmed so that "negotiations" and "negotiating" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_URL = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S+|\b\S+\.(?:com|org|net|ly|co)/\S*", re.I)
_HANDLE = re.compile(r"@(?<!\w@)\w+")  # "@" first, so that the regex engine can skip to it
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
# (the separator comes first so that the regex engine can skip to it; the look-behind then checks the digit)
_NUMBER_GROUPS = re.compile(r"[,\u202f\u00a0'](?<=\d[,\u202f\u00a0'])(?=\d{3}\b)")
_DECIMAL = re.compile(r"\.(?<=\d\.)(?=\d)")
_WORD = re.compile(r"[^\W]+")
_DIGIT = re.compile(r"\d")
# for ASCII text \w is [0-9A-Za-z_]: everything else becomes a space, and str.split finds the same words
_ASCII_WORDS_ONLY = bytes(c if c < 128 and (chr(c).isalnum() or c == 95) else 32 for c in range(256))
_ASCII_DIGITS = b"0123456789"

_STEMMER = Stemmer.Stemmer("english")  # PyStemmer: the Snowball English (Porter2) stemmer, in C

# Function words that never make a match on their own. Kept short on purpose: "no", "not" and
# numbers carry meaning in claims and stay searchable.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves s t ll re ve d m isn wasn weren hasn
    haven hadn doesn don didn won wouldn shan shouldn mustn can't cannot let lets also yet still
    ever anything something thing things much many get got tell told say says said know think really
    please anyone someone hey hi hello thanks
    """.split()
)


def has_control_characters(text: str) -> bool:
    """True for C0/C1 control characters other than tab, newline and carriage return."""
    return bool(_CONTROL.search(text))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`, keeping letters of every script."""
    if text.isascii():  # NFKD leaves ASCII as it is, no ASCII character is combining, casefold == lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _has_digit(text: str) -> bool:
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_DIGITS)) != len(text)
    return _DIGIT.search(text) is not None


def strip_noise(text: str) -> str:
    """`text` without URLs and @handles, hashtags split, numbers freed of their thousands separators."""
    # each pattern runs only when the character it needs is there (the common, clean text skips most)
    if "/" in text or "www." in text.lower():
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if "#" in text:
        text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    if _has_digit(text):
        text = _NUMBER_GROUPS.sub("", text)
        if "." in text:
            text = _DECIMAL.sub("_", text)  # "2.5" stays one token, see words()
    return text


def words(text: str) -> list[str]:
    """Folded surface words of `text`, before stopwords and stemming."""
    cleaned = fold(strip_noise(text))
    if cleaned.isascii():
        found = cleaned.encode("ascii").translate(_ASCII_WORDS_ONLY).decode("ascii").split()
    else:
        found = _WORD.findall(cleaned)
    if "_" not in cleaned:
        return found
    return [w.replace("_", ".") for w in found if w.strip("_")]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of a folded word; numbers and non-Latin words are kept as they are."""
    if not word.isascii() or not word.isalpha():
        return word
    return str(_STEMMER.stemWord(word))


def is_number(word: str) -> bool:
    return word.replace(".", "", 1).isdigit()


def term(word: str) -> str | None:
    """The index term of one folded word from words(): its stem, or None for a stopword."""
    return None if word in STOPWORDS else stem(word)


def terms(text: str) -> list[str]:
    """Index terms of `text`, in order, repeats kept: stemmed content words and numbers.

    Always `term(w)` of each of `words(text)` that has one: the index's bulk build relies on it.
    """
    return [t for t in map(term, words(text)) if t is not None]
