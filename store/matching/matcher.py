"""From a question to scored topics: typo-tolerant term lookup, BM25F retrieval, rapidfuzz re-ranking.

Two stages: every candidate from the index is ordered by query coverage and BM25F; the leaders are then
compared with the topic's own phrasings (`Signals`: how much of the question the topic holds, how much of
its title or claim the question holds, rapidfuzz similarity, BM25F, question length) and scored by a
logistic model fitted on training data (`ScoreModel`). The score in [0, 1] estimates the chance that the
topic answers the question: a question with words the store has never seen, or that merely shares a word
or two with a topic, scores low, which is what makes an honest "nothing on that" possible. The weights
and the no-match threshold are chosen on data (see README, "Matching quality").
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from store.matching.asking import Asked, take_off_phrasing
from store.matching.chat import CHAT_FORMS
from store.matching.compounds import hyphenated
from store.matching.corpus import read_corpus
from store.matching.entities import PARTICLES, names
from store.matching.entities import load as load_names
from store.matching.index import FIELD_BIT, FIELDS, Bm25Params, Index, IndexDoc
from store.matching.lexicon import is_ordinary
from store.matching.phrasings import NO_PHRASINGS, Phrasings, phrase, phrase_all
from store.matching.places import place_words
from store.matching.speaker_questions import Phrase, read_speaker_question
from store.matching.speakers import SpeakerBook
from store.matching.synonyms import LONGEST_PHRASE, PHRASES, RELATED
from store.matching.text import STOPWORDS, is_number, stem, words
from store.matching.typos import TypoIndex

_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")  # "WHO" reads as a stopword, but may name something the store lacks


@dataclass(frozen=True, slots=True)
class Signals:
    """What re-ranking knows of one (question, topic) pair; each share in [0, 1]."""

    coverage: float  # share of the question (by idf) the topic holds
    bm25: float  # BM25F score over its upper bound for this question
    question_held: float  # share of the topic's best-held title or alias that the question holds
    claim_held: float  # the same for the topic's statements (a pasted tweet holds the claim, not the title)
    similarity: float  # rapidfuzz token-set similarity with the closest phrasing
    words: int  # content words in the question
    unknown_places: int = 0  # countries the question names that the store has never heard of
    unknown_names: int = 0  # other places, people and organisations it names that the store can't read

    @property
    def length(self) -> float:
        return min(self.words, 30) / 30

    def features(self) -> tuple[float, ...]:
        about = math.sqrt(self.coverage)
        return (
            self.coverage,
            self.bm25,
            self.question_held,
            self.claim_held,
            self.similarity,
            self.length,
            self.question_held * about,
            self.claim_held * about,
            self.coverage * self.length,
        )


FEATURES = (
    "coverage",
    "bm25",
    "question_held",
    "claim_held",
    "similarity",
    "length",
    "question_held*sqrt(coverage)",
    "claim_held*sqrt(coverage)",
    "coverage*length",
)


@dataclass(frozen=True, slots=True)
class ScoreModel:
    """From signals to a score in [0, 1] that one no-match threshold can cut.

    A question (a few content words) and a pasted text (a tweet, a sentence from a speech) need different
    evidence: a question should be mostly about the topic; a long text holds far more than one claim, so
    what counts is how much of the claim it holds. Up to `question_words` content words the score is the
    question blend; from `text_words` on it is a logistic function of `Signals.features()`; in between it
    moves linearly from one to the other. The question blend and the threshold were chosen on the demo
    questions' tune split, the logistic weights on CheckThat! 2a and 2b train, each with queries whose
    claims were taken out of the store as the no-match cases (`python bench/tune.py --search`; README,
    "Matching quality").
    """

    coverage_weight: float = 0.50
    similarity_weight: float = 0.35
    bm25_weight: float = 0.15
    question_words: int = 6
    text_words: int = 10
    weights: tuple[float, ...] = (3.5, 2.25, 2.25, 1.75, 2.75, 1.25, 0.25, 1.75, -0.25)
    bias: float = -4.25
    place_penalty: float = 0.6  # per country named that the store doesn't know (see store/places.py)
    # per other named thing the store doesn't know (store/matching/entities.py), in a question: a pasted text
    # names many things besides its claim
    name_penalty: float = 0.6

    def as_text(self, words: int) -> float:
        """How far a question of `words` content words counts as a pasted text (0: a question, 1: a text)."""
        return min(max((words - self.question_words) / (self.text_words - self.question_words), 0.0), 1.0)

    def score(self, s: Signals) -> float:
        as_text = self.as_text(s.words)
        question = self.question_score(s) if as_text < 1.0 else 0.0
        text = self.text_score(s) if as_text > 0.0 else 0.0
        score = (1.0 - as_text) * question + as_text * text
        penalty = self.place_penalty**s.unknown_places * math.pow(self.name_penalty, s.unknown_names * (1.0 - as_text))
        return min(max(score * penalty, 0.0), 1.0)

    def meaning_penalty(self, s: Signals) -> float:
        """What a question's unknown places and names take off a score by meaning (the semantic re-ranker's):
        "the Oslo truce talks" mean nearly what "the Cairo truce talks" mean, and are not them. A pasted text's
        names are left to its lexical score."""
        question = 1.0 - self.as_text(s.words)
        return math.pow(self.place_penalty, s.unknown_places * question) * math.pow(
            self.name_penalty, s.unknown_names * question
        )

    def question_score(self, s: Signals) -> float:
        # a title or alias the question holds counts only as far as the question is about the topic at all
        coverage = max(s.coverage, s.question_held * math.sqrt(s.coverage))
        return self.coverage_weight * coverage + self.similarity_weight * s.similarity + self.bm25_weight * s.bm25

    def text_score(self, s: Signals) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, s.features(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@dataclass(frozen=True, slots=True)
class MatcherParams:
    # stage 1 orders the candidates by coverage and BM25F only (cheap, from the index alone)
    coverage_weight: float = 0.55
    bm25_weight: float = 0.15
    candidates: int = 100
    rerank: int = 12
    fuzzy_min_length: int = 4
    related_confidence: float = 0.7  # a word of the same group as an unknown word (store/synonyms.py)
    # a question about what someone said has at most this many content words: a longer text is a pasted
    # post or a transcript, whose "X said" is part of what it says
    speaker_words: int = 8
    # rebuild once the average field lengths BM25F normalises by have moved this far (relatively) by edits
    length_drift: float = 0.1
    model: ScoreModel = field(default_factory=ScoreModel)
    bm25: Bm25Params = field(default_factory=Bm25Params)


@dataclass(frozen=True, slots=True)
class Scored:
    topic_id: int
    score: float
    fields: tuple[str, ...]
    terms: tuple[str, ...]
    meaning: float | None = None  # cosine with the question, when the semantic re-ranker scored it


@dataclass(frozen=True, slots=True)
class SpeakerAsked:
    """A question about what someone said, and what the store holds by them."""

    phrase: Phrase  # who, as asked, and the rest of the question
    speakers: frozenset[str]  # the store's speakers the phrase names (none: the store has no statement by them)
    topics: frozenset[int]  # the topics holding a statement by one of them


@dataclass(frozen=True, slots=True)
class Candidate:
    topic_id: int
    signals: Signals
    fields: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(slots=True)
class _QueryWord:
    word: str
    idf: float
    options: list[tuple[int, float, str]]  # (term id, confidence, the store's word it was read as)


class Matcher:
    """Holds the index and what re-ranking needs; rebuilt at start, updated in place on every change."""

    def __init__(self, params: MatcherParams | None = None) -> None:
        self.params = params or MatcherParams()
        self.index = Index(self.params.bm25)
        # per topic: what re-ranking compares a question with (store/phrasings.py)
        self._phrasings: dict[int, Phrasings] = {}
        self.titles: dict[int, str] = {}
        self._surface: dict[str, int] = {}  # folded word seen in the store -> its term id
        self._typos = TypoIndex()  # the alphabetic ones, for typo correction
        self._compounds: dict[str, tuple[str, ...]] = {}  # "singlepayer" -> ("single", "payer")
        self.speakers = SpeakerBook()  # who said what, for "what did X say" (store/matching/speakers.py)

    # -- keeping it current ---------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[IndexDoc]) -> None:
        docs = list(docs)
        load_names()  # the gazetteer and dictionaries, in the builder's thread rather than on the first question
        corpus = read_corpus(docs)  # the words are read once, for all that follows
        index = Index(self.params.bm25)
        term_of_word = index.learn_terms(corpus)
        # The postings are counted in another thread, mostly in numpy without the GIL, while the rest is
        # done here: on two cores a large build takes a few seconds less.
        with ThreadPoolExecutor(max_workers=1) as pool:
            counted = pool.submit(index.count, corpus, term_of_word)
            self.titles = {d.topic_id: d.title for d in docs}
            self._surface = {}
            self._typos = TypoIndex()
            self._learn(zip(corpus.words, term_of_word.tolist(), strict=True))
            self._phrasings = phrase_all(corpus, term_of_word, len(index.vocab))
            self._compounds = {}
            for d in docs:
                self._learn_compounds(d)
            self.speakers = SpeakerBook(docs)
            counted.result()
        self.index = index

    def upsert(self, doc: IndexDoc) -> None:
        self.index.upsert(doc)
        self.titles[doc.topic_id] = doc.title
        self._learn_words(doc)
        self._phrasings[doc.topic_id] = phrase(doc, self._surface)
        self.speakers.upsert(doc)

    def remove(self, topic_id: int) -> None:
        self.index.remove(topic_id)
        self.speakers.remove(topic_id)
        self._phrasings.pop(topic_id, None)
        self.titles.pop(topic_id, None)

    def _learn_words(self, doc: IndexDoc) -> None:
        self._learn_compounds(doc)
        ids = self.index.vocab.ids
        for _, texts in doc.field_texts():
            for text in texts:
                self._learn((w, ids[stem(w)] if w not in STOPWORDS else -1) for w in words(text))

    def _learn(self, found: Iterable[tuple[str, int]]) -> None:
        """Words with their term ids (-1: a stopword, not learnt)."""
        surface = self._surface
        for w, tid in found:
            if tid >= 0 and w not in surface:
                surface[w] = tid
                if w.isalpha():
                    self._typos.add(w)

    def _learn_compounds(self, doc: IndexDoc) -> None:
        for _, texts in doc.field_texts():
            for text in texts:
                self._compounds.update(hyphenated(text))

    @property
    def size(self) -> int:
        return self.index.size

    @property
    def stale(self) -> bool:
        """True when edits have moved the store's average field lengths far enough from those of the last
        build that a rebuild would score noticeably otherwise (a store that grew from empty, say)."""
        return self.index.length_drift() > self.params.length_drift

    # -- matching -------------------------------------------------------------------------------------
    def match(
        self, question: str, limit: int = 5, *, within: Collection[int] | None = None, speaker: Sequence[str] = ()
    ) -> list[Scored]:
        """The best topics for `question` (with `within`: among those topics only), best first. `speaker`:
        the words naming the speaker a question asks about, who the store knows by other words."""
        model = self.params.model
        found = self.candidates(question, within=within, speaker=speaker)
        out = [Scored(c.topic_id, model.score(c.signals), c.fields, c.terms) for c in found]
        out.sort(key=lambda s: -s.score)
        return out[:limit]

    def read(self, question: str) -> Asked:
        """The question as matched: its fact-check phrasing ("is it true that …") carries no topic weight."""
        return take_off_phrasing(question)

    def speaker_asked(self, question: str) -> SpeakerAsked | None:
        """Who a question asks about, when it asks what someone said ("what did Qatar say"), and the topics
        holding statements by them; None for any other question, and for a pasted text."""
        asked = self.read(question)
        if asked.claimless or sum(w not in STOPWORDS for w in words(asked.text)) > self.params.speaker_words:
            return None
        found = read_speaker_question(asked.text)
        if found is None:
            return None
        # a phrase that names someone is read whole ("United States Steel" is not Mr Steele), any other with its
        # shorter endings too ("the ceasefire deal closr egyption source")
        for who in found.phrases[:1] if found.named else found.phrases:
            match = self.speakers.find(who.words, named=found.named)
            if match.topics:
                return SpeakerAsked(who, match.speakers, match.topics)
        return SpeakerAsked(found.phrases[0], frozenset(), frozenset()) if found.named else None

    def mentioning(self, found: Sequence[str]) -> frozenset[int]:
        """The topics whose title, aliases, statements or outlets hold every one of the folded words."""
        fields = FIELD_BIT["title"] | FIELD_BIT["alias"] | FIELD_BIT["text"] | FIELD_BIT["outlet"]
        topics: set[int] | None = None
        for word in found:
            tid = self._known(word)
            held = self.index.topics_holding(tid, fields) if tid is not None else set()
            topics = held if topics is None else topics & held
            if not topics:
                return frozenset()
        return frozenset(topics or ())

    def candidates(
        self, question: str, *, within: Collection[int] | None = None, speaker: Sequence[str] = ()
    ) -> list[Candidate]:
        """The leading candidates for `question` with their re-ranking signals, not yet scored (with
        `within` and `speaker`: as `match` takes them)."""
        asked = self.read(question)
        # a question of phrasing only is read whole: the service asks which claim it means before matching,
        # and a topic may be called "False"
        text = question if asked.claimless else asked.text
        qwords = self._read_question(text)
        if not qwords:
            return []
        weights: dict[int, float] = {}
        for qw in qwords:
            for tid, confidence, _ in qw.options:
                weights[tid] = max(weights.get(tid, 0.0), qw.idf * confidence)
        only = None if within is None else self.index.slots_mask(within)
        slots, bm25 = self.index.search(weights, self.params.candidates, only=only)
        if not len(slots):
            return []
        total_idf = sum(qw.idf for qw in qwords)
        p = self.params
        # stage 1, every candidate: query coverage and BM25F, both from the index alone
        coverage = (self._covered(qwords, slots) / total_idf).tolist()
        bm25_share = [min(raw / total_idf, 1.0) for raw in bm25.tolist()]
        first = sorted(
            range(len(slots)), key=lambda i: -(p.coverage_weight * coverage[i] + p.bm25_weight * bm25_share[i])
        )
        leaders = [(int(slots[i]), coverage[i], bm25_share[i]) for i in first[: p.rerank]]
        # stage 2, the leaders: compare with the topic's own phrasings, then score with the fitted model
        query_text = " ".join(qw.word for qw in qwords)
        query_terms = {tid for qw in qwords for tid, _, _ in qw.options}
        unread = {qw.word for qw in qwords if not qw.options}
        unknown_places = sum(1 for w in unread if w in place_words())
        unknown_names = self._unknown_names(text, unread - set(speaker))  # "the Israeli PM" is Netanyahu
        topic_ids = [int(self.index.slot_topic[slot]) for slot, _, _ in leaders]
        held = self._held(topic_ids, query_terms)
        out = []
        for (slot, covered, bm25_of), topic_id, (question_held, claim_held) in zip(
            leaders, topic_ids, held, strict=True
        ):
            phrasings = self._phrasings.get(topic_id, NO_PHRASINGS)
            signals = Signals(
                coverage=covered,
                bm25=bm25_of,
                question_held=question_held,
                claim_held=claim_held,
                similarity=_best_similarity(query_text, phrasings.all),
                words=len(qwords),
                unknown_places=unknown_places,
                unknown_names=unknown_names,
            )
            fields, matched = self._explain(qwords, slot)
            out.append(Candidate(topic_id, signals, fields, matched))
        return out

    @staticmethod
    def _unknown_names(text: str, unread: set[str]) -> int:
        """Named things in the question (not countries: `unknown_places` counts those) that the store can't
        read: a word of theirs has no reading in it, or is an acronym that reads as a stopword ("WHO")."""
        if not unread and not _ACRONYM.search(text):  # every word read: no name the store lacks
            return 0
        countries = place_words()

        def unknown(word: str) -> bool:
            return (word in unread and word not in countries and word not in PARTICLES) or word in STOPWORDS

        return sum(1 for name in names(text) if any(unknown(w) for w in name.words))

    def _read_question(self, question: str) -> list[_QueryWord]:
        seen: dict[str, _QueryWord] = {}
        for w in self._expand(words(question)):
            if w in STOPWORDS or w in seen:
                continue
            tid = self._known(w)
            if tid is not None:
                seen[w] = _QueryWord(w, self.index.idf(tid), [(tid, 1.0, w)])
            else:
                options = self._typo_options(w) + self._related_options(w)
                idf = max((self.index.idf(t) for t, _, _ in options), default=self.index.max_idf())
                seen[w] = _QueryWord(w, idf, options)
        return list(seen.values())

    def _known(self, word: str) -> int | None:
        """The term id of a word the store holds."""
        tid = self.index.vocab.ids.get(stem(word))
        return tid if tid is not None and self.index.vocab.df[tid] > 0 else None

    def _rephrase(self, found: list[str]) -> list[str]:
        """Phrases of the news vocabulary ("body count") read as its words ("death toll") where the store
        doesn't hold all of the phrase's own words."""
        out: list[str] = []
        i = 0
        while i < len(found):
            for n in range(min(LONGEST_PHRASE, len(found) - i), 1, -1):
                target = PHRASES.get(tuple(found[i : i + n]))
                if target is not None and any(self._known(w) is None for w in found[i : i + n]):
                    out.extend(target)
                    i += n
                    break
            else:
                out.append(found[i])
                i += 1
        return out

    def _expand(self, found: list[str]) -> list[str]:
        """Chat shorthand, and compounds split or joined otherwise than in the store, read as the store has them;
        then the news vocabulary's phrases."""
        return self._rephrase(self._expand_words(found))

    def _expand_words(self, found: list[str]) -> list[str]:
        out: list[str] = []
        skip = False
        for i, w in enumerate(found):
            if skip:
                skip = False
                continue
            if i + 1 < len(found) and self._joins(w, found[i + 1]):
                out.append(w + found[i + 1])  # "cease fire" where the store says "ceasefire"
                skip = True
                continue
            forms = CHAT_FORMS.get(w)
            if forms is None:
                forms = self._compounds.get(w)
            out.extend(forms if forms is not None and self._known(w) is None else (w,))
        return out

    def _joins(self, first: str, second: str) -> bool:
        """Two words the store holds only as one ("cease" "fire" -> "ceasefire")."""
        if not (first.isalpha() and second.isalpha()) or first in STOPWORDS or second in STOPWORDS:
            return False
        unknown = self._known(first) is None or self._known(second) is None
        return unknown and self._known(first + second) is not None

    def _related_options(self, word: str) -> list[tuple[int, float, str]]:
        """Words of the store that an unknown word can stand for ("casualties" -> "killed")."""
        ids, df = self.index.vocab.ids, self.index.vocab.df
        found = ((ids.get(s, -1), s) for s in sorted(RELATED.get(stem(word), ())))
        return [(tid, self.params.related_confidence, s) for tid, s in found if tid >= 0 and df[tid] > 0]

    def _typo_options(self, word: str) -> list[tuple[int, float, str]]:
        """Store words within one or two edits of an unknown word (two for longer words); an ordinary English
        word is no typo, and is never read as another word ("true" is not "truce")."""
        if len(word) < self.params.fuzzy_min_length or is_number(word) or not word.isalpha() or is_ordinary(word):
            return []
        max_edits = 1 if len(word) <= 7 else 2
        options: dict[int, tuple[int, float, str]] = {}
        for candidate, edits in self._typos.near(word, max_edits, limit=3):
            tid = self._surface[candidate]
            if self.index.vocab.df[tid] <= 0:
                continue
            confidence = 0.9 if edits <= 1 else 0.75
            if tid not in options or options[tid][1] < confidence:
                options[tid] = (tid, confidence, candidate)
        return list(options.values())

    def _covered(self, qwords: Sequence[_QueryWord], slots: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
        """For each slot, the idf (times confidence) of the question words it holds, each by its first reading held."""
        covered = np.zeros(len(slots), dtype=np.float64)
        for qw in qwords:
            pending = np.ones(len(slots), dtype=bool)
            for tid, confidence, _ in qw.options:
                hit = pending & (self.index.field_masks(tid, slots) != 0)
                covered[hit] += qw.idf * confidence
                pending &= ~hit
        return covered

    def _explain(self, qwords: Sequence[_QueryWord], slot: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The fields and the question words (with what each was read as) that made `slot` match."""
        mask = 0
        matched: list[str] = []
        for qw in qwords:
            for tid, _, as_word in qw.options:
                m = self.index.field_mask(tid, slot)
                if m:
                    mask |= m
                    matched.append(qw.word if as_word == qw.word else f"{qw.word}→{as_word}")
                    break
        fields = tuple(name for i, name in enumerate(FIELDS) if mask & (1 << i))
        return fields, tuple(matched)

    def _held(self, topic_ids: Sequence[int], query_terms: set[int]) -> list[tuple[float, float]]:
        """For each topic, the share (by idf) of its best-held title or alias, and of its best-held statement,
        that the question holds; computed for all the topics' phrasings at once."""
        found = [self._phrasings.get(topic_id, NO_PHRASINGS) for topic_id in topic_ids]
        counts = [len(p.questions) + len(p.statements) for p in found]
        ends = [0, *accumulate(counts)]
        n_phrasings = ends[-1]
        shares = [0.0] * n_phrasings
        terms = np.frombuffer(b"".join(p.terms for p in found), dtype=np.int32)
        if len(terms):
            owner = np.frombuffer(b"".join(p.owner for p in found), dtype=np.uint8).astype(np.int64)
            owner += np.repeat(np.array(ends[:-1], dtype=np.int64), [len(p.owner) for p in found])
            idf = self.index.idf_table()[terms]
            asked = np.fromiter(query_terms, dtype=np.int32, count=len(query_terms))
            total = np.bincount(owner, weights=idf, minlength=n_phrasings)
            held = np.bincount(owner, weights=idf * np.isin(terms, asked), minlength=n_phrasings)
            shares = np.divide(held, total, out=np.zeros(n_phrasings), where=total > 0).tolist()
        out = []
        for p, start in zip(found, ends, strict=False):
            middle = start + len(p.questions)
            out.append(
                (max(shares[start:middle], default=0.0), max(shares[middle : middle + len(p.statements)], default=0.0))
            )
        return out


def _best_similarity(query_text: str, phrasings: Sequence[str]) -> float:
    if not phrasings:
        return 0.0
    best = process.extractOne(query_text, phrasings, scorer=fuzz.token_set_ratio, processor=None)
    return float(best[1]) / 100.0 if best else 0.0
