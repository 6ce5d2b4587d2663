"""Reading a store's documents once, for the index and the matcher both.

Every word is read as the id of its distinct folded form (a C-level dict lookup per word); each
distinct form is stemmed and looked up later, once. At a million statements the words are the bulk of
the work of building, so they are read a single time: the index counts them, and the matcher takes its
phrasings (title, aliases, the start of the first statements) from the same reading.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from store.matching.text import words

MAX_QUESTIONS = 24  # title and aliases a question is compared with
MAX_STATEMENTS = 8  # statements a question is compared with
STATEMENT_CHARS = 300  # characters of each of those statements


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """What the index needs of a topic: its id and the text of each field."""

    topic_id: int
    title: str
    aliases: Sequence[str] = ()
    texts: Sequence[str] = ()
    speakers: Sequence[str] = ()
    outlets: Sequence[str] = ()

    def field_texts(self) -> Iterable[tuple[str, Sequence[str]]]:
        yield "title", (self.title,)
        yield "alias", self.aliases
        yield "text", self.texts
        yield "speaker", self.speakers
        yield "outlet", self.outlets


class AutoIds(dict[str, int]):
    """Word -> id, giving a new word the next id on first lookup (in the order words are first seen)."""

    def __missing__(self, word: str) -> int:
        wid = self[word] = len(self)
        return wid


@dataclass(slots=True)
class Corpus:
    """Documents as word ids. Fields in `IndexDoc.field_texts` order; a field's texts read one after the other."""

    topic_ids: array[int] = field(default_factory=lambda: array("q"))
    tokens: array[int] = field(default_factory=lambda: array("i"))  # word ids of all documents, in order
    runs: array[int] = field(default_factory=lambda: array("q"))  # words per (document, field), document-major
    words: list[str] = field(default_factory=list)  # distinct folded words, by id
    # per document, its questions' and statements' folded forms, and each phrasing's (start, end) in
    # tokens, phrasing after phrasing
    phrasings: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    spans: array[int] = field(default_factory=lambda: array("q"))


def read_corpus(docs: Iterable[IndexDoc]) -> Corpus:
    corpus = Corpus()
    ids = AutoIds()
    tokens, runs, spans = corpus.tokens, corpus.runs, corpus.spans
    to_ids = ids.__getitem__
    for doc in docs:
        corpus.topic_ids.append(doc.topic_id)
        questions: list[str] = []
        statements: list[str] = []
        for name, texts in doc.field_texts():
            before = len(tokens)
            if name in ("speaker", "outlet"):
                # one call per field: words() reads "a\nb" as words(a) + words(b)
                tokens.extend(map(to_ids, words(texts[0] if len(texts) == 1 else "\n".join(texts))))
            else:
                keep = MAX_STATEMENTS if name == "text" else MAX_QUESTIONS - len(questions)
                for i, text in enumerate(texts):
                    found = words(text)
                    start = len(tokens)
                    tokens.extend(map(to_ids, found))
                    if i < keep:
                        if name == "text":
                            if len(text) > STATEMENT_CHARS:  # the words of its start (a word cut short too)
                                found = words(text[:STATEMENT_CHARS])
                            statements.append(" ".join(found))
                        else:
                            questions.append(" ".join(found))
                        spans.append(start)
                        spans.append(start + len(found))
            runs.append(len(tokens) - before)
        corpus.phrasings.append((tuple(questions), tuple(statements)))
    corpus.words = list(ids)
    return corpus
