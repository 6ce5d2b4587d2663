"""Near-duplicate questions for the review queue: the same question in other case and punctuation, with typos,
in another word order or with a few extra words is one group; a question that puts another word in the place
of one ("death toll in Gaza" / "in Sudan", "talks progress" / "talks location") is another.

Both questions are read as the matcher reads them (folded, chat shorthand expanded, stopwords out), and their
content words are paired up: the same stem, a typo (rapidfuzz ratio), an abbreviation ("oct", "october"), a
word of the same synonym group ("died", "killed") or a compound written apart ("cease fire"). Two questions
are one when neither keeps a word the other lacks in its place, and the words they share outweigh the extra
words of the longer one. The threshold was chosen on labelled pairs (README, "Grouping").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from store.matching.chat import CHAT_FORMS
from store.matching.synonyms import RELATED
from store.matching.text import STOPWORDS, is_number, stem, words

SAME_QUESTION = 60.0  # a pair scoring at least this is one group
EXTRA_WORD_WEIGHT = 0.5  # what an extra word of the longer question weighs against one shared word
_TYPO = 80.0  # rapidfuzz ratio at which two words of 4 letters or more are one word mistyped
_CANDIDATES = 10  # groups scored in full per question, found first by a cheap rapidfuzz pass
_PREFILTER = 40.0
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_LONG_STOPWORDS = tuple(sorted(w for w in STOPWORDS if len(w) >= 5 and w.isalpha()))


def question_key(text: str) -> str:
    """What makes two questions the same wording: case, spacing and surrounding punctuation aside."""
    return _EDGES.sub("", " ".join(text.casefold().split()))


@dataclass(frozen=True, slots=True)
class QuestionForm:
    """A question as grouping compares it: its content words, folded, and their stems."""

    key: str
    words: tuple[str, ...]
    stems: tuple[str, ...]

    @property
    def joined(self) -> str:
        return " ".join(self.stems)


@lru_cache(maxsize=50_000)
def question_form(text: str) -> QuestionForm:
    content = [w for word in words(text) for w in CHAT_FORMS.get(word, (word,)) if w not in STOPWORDS]
    return QuestionForm(question_key(text), tuple(content), tuple(stem(w) for w in content))


def similarity(a: QuestionForm, b: QuestionForm) -> float:
    """0-100: 0 when one question has a word in the place of another's; else how much the shared words
    outweigh the extra ones."""
    if not a.words or not b.words:  # nothing but stopwords ("what is it?"): compare the wordings
        score = fuzz.ratio(a.key, b.key) if a.words == b.words else 0.0
        return score if score >= 90 else 0.0
    left, right = _joined_compounds(a.words, b.words), _joined_compounds(b.words, a.words)
    shared, extra_left, extra_right = _pair_up(left, right)
    if extra_left and extra_right:
        return 0.0
    return 100.0 * shared / (shared + EXTRA_WORD_WEIGHT * (extra_left + extra_right))


def same_question(a: str, b: str) -> bool:
    return similarity(question_form(a), question_form(b)) >= SAME_QUESTION


class GroupFinder:
    """The group a question belongs to among known groups (of one kind), each known by its key question."""

    def __init__(self, groups: Iterable[tuple[int, str]] = ()) -> None:
        self._forms: dict[int, QuestionForm] = {}
        self._joined: dict[int, str] = {}
        self._exact: dict[str, int] = {}  # a question's content words as found before: its group
        self._renamed: dict[int, int] = {}
        for group_id, key in groups:
            self.add(group_id, key)

    def rename(self, old: int, new: int) -> None:
        """A group known by a provisional id has its own now (ids keep their order: a tie goes to the oldest)."""
        self._renamed[old] = new

    def add(self, group_id: int, key: str) -> None:
        form = question_form(key)
        self._forms[group_id] = form
        self._joined[group_id] = form.joined
        self._exact.setdefault(form.joined, group_id)

    def find(self, text: str) -> int | None:
        """The best-scoring group at or above SAME_QUESTION (the oldest on a tie), or None."""
        form = question_form(text)
        if form.words and form.joined in self._exact:
            known = self._exact[form.joined]
            return self._renamed.get(known, known)
        if not form.words:
            candidates = list(self._forms)
        else:
            found = process.extract(
                form.joined, self._joined, scorer=fuzz.token_set_ratio, score_cutoff=_PREFILTER, limit=_CANDIDATES
            )
            candidates = [group_id for _, _, group_id in found]
        best: tuple[float, int] | None = None
        for group_id in candidates:
            score = similarity(form, self._forms[group_id])
            if score >= SAME_QUESTION and (best is None or (score, -group_id) > (best[0], -best[1])):
                best = (score, group_id)
        if best is None:
            return None
        if form.words:
            self._exact[form.joined] = best[1]  # the same words again: the same group, without scoring
        return self._renamed.get(best[1], best[1])


def _pair_up(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[float, int, int]:
    """Shared weight, and the words of each side left unpaired (a mistyped stopword is no word of its own)."""
    pairs = sorted(
        ((_word_similarity(x, y), i, j) for i, x in enumerate(left) for j, y in enumerate(right)), reverse=True
    )
    free_left, free_right, shared = set(range(len(left))), set(range(len(right))), 0.0
    for weight, i, j in pairs:
        if weight <= 0:
            break
        if i in free_left and j in free_right:
            free_left.discard(i)
            free_right.discard(j)
            shared += weight
    extra_left = sum(1 for i in free_left if not _mistyped_stopword(left[i]))
    extra_right = sum(1 for j in free_right if not _mistyped_stopword(right[j]))
    return shared, extra_left, extra_right


@lru_cache(maxsize=200_000)
def _word_similarity(x: str, y: str) -> float:
    """1 for the same stem, 0.9 for a typo, an abbreviation or a synonym, else 0 (numbers must be equal)."""
    sx, sy = stem(x), stem(y)
    if sx == sy:
        return 1.0
    if is_number(x) or is_number(y):
        return 0.0
    if sy in RELATED.get(sx, ()):
        return 0.9
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return 0.9
    if len(short) >= 4 and fuzz.ratio(x, y) >= _TYPO:
        return 0.9
    return 0.0


def _joined_compounds(own: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """`own` with two neighbours joined where the other question writes them as one word ("cease fire")."""
    known = set(other)
    out: list[str] = []
    i = 0
    while i < len(own):
        if i + 1 < len(own) and own[i] + own[i + 1] in known:
            out.append(own[i] + own[i + 1])
            i += 2
        else:
            out.append(own[i])
            i += 1
    return tuple(out)


@lru_cache(maxsize=10_000)
def _mistyped_stopword(word: str) -> bool:
    """ "ther" for "there": a word of 4 letters or more one edit from a long stopword."""
    return len(word) >= 4 and any(OSA.distance(word, s, score_cutoff=1) <= 1 for s in _LONG_STOPWORDS)
