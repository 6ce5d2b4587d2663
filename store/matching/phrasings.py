"""A topic's phrasings: what re-ranking compares a question with, and the terms it weighs them by.

The title and aliases (questions) and the start of the first statements, as folded words for rapidfuzz,
and the distinct terms of each, so that how much of a phrasing a question holds is a few numpy sums at
query time. Built for every topic at once from the words the index was built from, or for one topic as it
changes.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from store.matching.corpus import MAX_QUESTIONS, MAX_STATEMENTS, STATEMENT_CHARS, Corpus, IndexDoc
from store.matching.text import STOPWORDS, words


@dataclass(frozen=True, slots=True)
class Phrasings:
    questions: tuple[str, ...]  # title and aliases, folded words joined by spaces
    statements: tuple[str, ...]  # the start of the first statements, likewise
    terms: bytes  # int32 term ids: the distinct terms of each phrasing in ascending order, phrasing after phrasing
    owner: bytes  # the number of the phrasing each term is of, one byte each

    @property
    def all(self) -> tuple[str, ...]:
        return self.questions + self.statements


NO_PHRASINGS = Phrasings((), (), b"", b"")


def phrase(doc: IndexDoc, term_of: Mapping[str, int]) -> Phrasings:
    """One topic's phrasings; `term_of` maps each content word of the topic to its term id.

    As `phrase_all` reads them: a statement's start is compared as cut, but weighed by the whole words.
    """
    questions = [words(t) for t in [doc.title, *doc.aliases][:MAX_QUESTIONS]]
    statements = []
    weighed = list(questions)
    for text in doc.texts[:MAX_STATEMENTS]:
        whole = words(text)
        cut = words(text[:STATEMENT_CHARS]) if len(text) > STATEMENT_CHARS else whole
        statements.append(cut)
        weighed.append(whole[: len(cut)])
    terms = array("i")
    owner = bytearray()
    for n, found in enumerate(weighed):
        distinct = sorted({term_of[w] for w in found if w not in STOPWORDS})
        terms.extend(distinct)
        owner.extend(bytes([n]) * len(distinct))
    return Phrasings(
        tuple(" ".join(q) for q in questions), tuple(" ".join(s) for s in statements), terms.tobytes(), bytes(owner)
    )


def phrase_all(corpus: Corpus, term_of_word: npt.NDArray[np.int32], n_terms: int) -> dict[int, Phrasings]:
    """Every topic's phrasings from the corpus the index was built from (read with phrasings)."""
    spans = np.frombuffer(corpus.spans, dtype=np.int64).reshape(-1, 2)
    lengths = spans[:, 1] - spans[:, 0]
    # every word of every phrasing, as its term, with the number of its phrasing
    phrasing_of = np.repeat(np.arange(len(spans), dtype=np.int64), lengths)
    starts = np.repeat(spans[:, 0] - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    terms = term_of_word[np.frombuffer(corpus.tokens, dtype=np.int32)[np.arange(len(phrasing_of)) + starts]]
    content = terms >= 0
    # distinct terms of each phrasing, ascending
    keys = np.sort(phrasing_of[content] * max(n_terms, 1) + terms[content])
    first = np.ones(len(keys), dtype=bool)  # (np.unique hashes, which is many times slower here)
    first[1:] = keys[1:] != keys[:-1]
    keys = keys[first]
    phrasing_of, terms = keys // max(n_terms, 1), (keys % max(n_terms, 1)).astype(np.int32)
    # phrasings of each topic: its questions, then its statements
    counts = [len(q) + len(s) for q, s in corpus.phrasings]
    first_phrasing = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
    bounds = np.searchsorted(phrasing_of, first_phrasing).tolist()
    local = (phrasing_of - np.repeat(first_phrasing[:-1], np.diff(bounds))).astype(np.uint8)
    out: dict[int, Phrasings] = {}
    for i, (topic_id, (questions, statements)) in enumerate(zip(corpus.topic_ids, corpus.phrasings, strict=True)):
        a, b = bounds[i], bounds[i + 1]
        out[topic_id] = Phrasings(questions, statements, terms[a:b].tobytes(), local[a:b].tobytes())
    return out
