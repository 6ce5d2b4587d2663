"""An in-memory BM25F inverted index over topics, compact enough for millions of statements.

Each topic is one document with five fields (title, aliases, statement texts, speakers, outlets). The
bulk of the index is a frozen segment of numpy arrays in CSR form: for every term, the sorted slots of the
documents holding it, a precomputed BM25F impact per posting, and a bitmask of the fields it occurs in.
Changes go to a small mutable delta segment and old versions are tombstoned, so a statement edit shows
up at once without a rebuild; when the delta grows past a fraction of the frozen segment, both are merged.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from store.matching.corpus import AutoIds, Corpus
from store.matching.corpus import IndexDoc as IndexDoc  # where the rest of the code imports it from
from store.matching.text import term as term_of_word
from store.matching.text import terms

FIELDS = ("title", "alias", "text", "speaker", "outlet")
FIELD_BIT = {name: 1 << i for i, name in enumerate(FIELDS)}

I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]
U8 = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class FieldParams:
    weight: float
    b: float


@dataclass(frozen=True, slots=True)
class Bm25Params:
    k1: float = 1.2
    fields: dict[str, FieldParams] = field(
        default_factory=lambda: {
            "title": FieldParams(3.0, 0.3),
            "alias": FieldParams(2.0, 0.3),
            "text": FieldParams(1.0, 0.75),
            "speaker": FieldParams(1.0, 0.3),
            "outlet": FieldParams(0.5, 0.0),
        }
    )


class Vocabulary:
    """Term <-> id, with document frequencies kept up to date across segments."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.df = array("i")

    def id_for(self, term: str) -> int:
        tid = self.ids.get(term)
        if tid is None:
            tid = self.ids[term] = len(self.df)
            self.df.append(0)
        return tid

    def __len__(self) -> int:
        return len(self.df)


def _analyse(doc: IndexDoc) -> dict[str, list[int]]:
    """Term frequencies per field (as a list indexed like FIELDS) for one document, plus field lengths."""
    counts: dict[str, list[int]] = {}
    lengths = [0] * len(FIELDS)
    for fi, (_, texts) in enumerate(doc.field_texts()):
        for text in texts:
            for term in terms(text):
                row = counts.get(term)
                if row is None:
                    row = counts[term] = [0] * len(FIELDS)
                row[fi] += 1
                lengths[fi] += 1
    counts["\0len"] = lengths
    return counts


_CHUNK = 4_000_000  # word occurrences counted at once by the bulk build (bounds its peak memory)


def _count_occurrences(
    term_ids: I32, slot_field: npt.NDArray[np.int64], n_slots: int
) -> tuple[I32, I32, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(slot, term id, field, count) of every distinct occurrence, sorted by term, slot, field.

    `slot_field` is slot * len(FIELDS) + field of each occurrence; every slot is below `n_slots`. Sorted
    by term first, the chunks' results are runs that the index's final sort by term only has to merge.
    """
    nf = len(FIELDS)
    keys, counts = np.unique(
        (term_ids.astype(np.int64) * n_slots + slot_field // nf) * nf + slot_field % nf, return_counts=True
    )
    fields = keys % nf
    pair = keys // nf
    slots = (pair % max(n_slots, 1)).astype(np.int32)
    return slots, (pair // max(n_slots, 1)).astype(np.int32), fields, counts.astype(np.int64)


class Index:
    def __init__(self, params: Bm25Params | None = None) -> None:
        self.params = params or Bm25Params()
        self.vocab = Vocabulary()
        # frozen segment (CSR by term id)
        self._offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._slots: I32 = np.zeros(0, dtype=np.int32)
        self._impacts: F32 = np.zeros(0, dtype=np.float32)
        self._masks: U8 = np.zeros(0, dtype=np.uint8)
        # memoryviews of offsets, slots and masks: single postings read as plain ints, without numpy calls
        self._views = (self._offsets.data, self._slots.data, self._masks.data)
        self._frozen_slots = 0
        # delta segment: term id -> {slot: (impact, mask)}
        self._delta: dict[int, dict[int, tuple[float, int]]] = {}
        self._delta_terms_of: dict[int, list[int]] = {}
        # slot -> topic id; a topic's current slot; tombstones
        self.slot_topic = array("q")
        self.alive = np.zeros(0, dtype=bool)
        self.slot_of: dict[int, int] = {}
        self._avglen = [1.0] * len(FIELDS)  # as of the last build: every impact was computed with it
        self._field_lengths = array("i")  # of every slot, len(FIELDS) per slot
        self._acc = np.zeros(0, dtype=np.float32)
        self._idf: npt.NDArray[np.float64] | None = None  # idf of every term id, until a df changes

    # -- building -------------------------------------------------------------------------------------
    def learn_terms(self, corpus: Corpus) -> I32:
        """The vocabulary of an empty index from the corpus, and the term id of each of its words (-1: a
        stopword). Then `count` builds the postings; the two are apart so that other work on the term ids
        can run while `count`, mostly numpy, runs in another thread."""
        # Each distinct word is stemmed once. Term ids come out in the order terms are first seen, as
        # one-by-one analysis gives them, because word ids are in first-seen order too.
        ids = AutoIds(self.vocab.ids)
        term_of_surface = np.fromiter(
            (-1 if t is None else ids[t] for t in map(term_of_word, corpus.words)),
            dtype=np.int32,
            count=len(corpus.words),
        )
        self.vocab.ids = dict(ids)
        self.vocab.df = array("i", bytes(4 * len(ids)))  # counted by _recount_df below
        return term_of_surface

    def count(self, corpus: Corpus, term_of_surface: I32) -> None:
        """Bulk build: only reading the words is per word in Python; counting and BM25F impacts are numpy.

        Gives exactly what `_analyse`, `_norms` and `_impact` give document by document (the same term
        ids, postings and float32 impacts), several times faster.
        """
        nf = len(FIELDS)
        topic_ids, tokens, runs = corpus.topic_ids, corpus.tokens, corpus.runs
        n = len(topic_ids)

        # surface ids -> term ids, stopwords dropped, field lengths counted in terms
        slot_field_of_run = np.repeat(np.arange(n * nf, dtype=np.int64), np.frombuffer(runs, dtype=np.int64))
        term_tokens = term_of_surface[np.frombuffer(tokens, dtype=np.int32)]
        kept = term_tokens >= 0
        term_tokens, slot_field_of_run = term_tokens[kept], slot_field_of_run[kept]
        del kept
        lengths = np.bincount(slot_field_of_run, minlength=n * nf).reshape(n, nf)
        # counted a chunk of whole documents at a time, so that no posting spans two chunks
        cuts = np.searchsorted(slot_field_of_run, slot_field_of_run[_CHUNK::_CHUNK] // nf * nf).tolist()
        bounds = [0, *sorted(set(cuts) - {0}), len(term_tokens)]
        chunks = [_count_occurrences(term_tokens[a:b], slot_field_of_run[a:b], n) for a, b in pairwise(bounds)]
        del term_tokens, slot_field_of_run

        totals = lengths.sum(axis=0).tolist()
        self._avglen = [max(t / n, 1.0) if n else 1.0 for t in totals]
        norms = np.empty((n, nf), dtype=np.float64)  # as _norms computes them, slot by slot
        for fi, name in enumerate(FIELDS):
            p = self.params.fields[name]
            norms[:, fi] = p.weight / (1.0 - p.b + p.b * lengths[:, fi] / self._avglen[fi])

        # occurrences, each chunk's sorted by (term, slot, field); each run of one (term, slot) is one posting
        slot_col = np.concatenate([c[0] for c in chunks])
        term_col = np.concatenate([c[1] for c in chunks])
        fields = np.concatenate([c[2] for c in chunks])
        counts = np.concatenate([c[3] for c in chunks])
        del chunks
        new = np.ones(len(slot_col), dtype=bool)
        new[1:] = (slot_col[1:] != slot_col[:-1]) | (term_col[1:] != term_col[:-1])
        starts = np.flatnonzero(new)
        if len(starts):
            # field by field, in field order, as _impact adds them up
            tf = np.add.reduceat(counts * norms[slot_col, fields], starts)
            masks = np.bitwise_or.reduceat(np.left_shift(1, fields), starts).astype(np.uint8)
        else:
            tf, masks = np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.uint8)
        impacts = (tf / (self.params.k1 + tf)).astype(np.float32)

        self.slot_topic = topic_ids
        self.slot_of = {tid: slot for slot, tid in enumerate(self.slot_topic)}
        self._freeze(term_col[starts], slot_col[starts], impacts, masks, n)
        self.alive = np.ones(n, dtype=bool)
        # a topic listed twice keeps its last version
        if len(self.slot_of) != n:
            self.alive[:] = False
            self.alive[list(self.slot_of.values())] = True
        self._field_lengths = array("i", lengths.astype(np.int32).tobytes())
        self._recount_df()

    def _freeze(self, term_col: I32, slot_col: I32, impacts: F32, masks: U8, n_slots: int) -> None:
        # stable keeps slots ascending within a term; on runs already sorted by term it is a quick merge
        order = np.argsort(term_col, kind="stable")
        counts = np.bincount(term_col, minlength=len(self.vocab)) if len(term_col) else np.zeros(0, np.int64)
        self._offsets = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._offsets[1:])
        self._slots = np.ascontiguousarray(slot_col[order])
        self._impacts = np.ascontiguousarray(impacts[order])
        self._masks = np.ascontiguousarray(masks[order])
        # memoryviews of offsets, slots and masks: single postings read as plain ints, without numpy calls
        self._views = (self._offsets.data, self._slots.data, self._masks.data)
        self._frozen_slots = n_slots
        self._acc = np.zeros(n_slots, dtype=np.float32)
        self._delta.clear()
        self._delta_terms_of.clear()

    def _norms(self, lengths: list[int]) -> list[float]:
        out = []
        for name, length, avg in zip(FIELDS, lengths, self._avglen, strict=True):
            p = self.params.fields[name]
            out.append(p.weight / (1.0 - p.b + p.b * length / avg))
        return out

    def _impact(self, row: list[int], norms: list[float]) -> tuple[float, int]:
        tf = 0.0
        mask = 0
        for fi, count in enumerate(row):
            if count:
                tf += count * norms[fi]
                mask |= 1 << fi
        return tf / (self.params.k1 + tf), mask

    def _recount_df(self) -> None:
        alive_postings = self.alive[self._slots] if len(self._slots) else np.zeros(0, dtype=bool)
        term_of_posting = np.repeat(np.arange(len(self._offsets) - 1, dtype=np.int32), np.diff(self._offsets))
        df = np.bincount(term_of_posting[alive_postings], minlength=len(self.vocab))
        self.vocab.df = array("i", df.astype(np.int32).tobytes())
        self._idf = None
        for tid, postings in self._delta.items():
            self.vocab.df[tid] += sum(1 for slot in postings if self.alive[slot])

    # -- changes in place -----------------------------------------------------------------------------
    def upsert(self, doc: IndexDoc) -> None:
        """Index a new or changed topic; its previous version stops matching at once."""
        self.remove(doc.topic_id)
        counts = _analyse(doc)
        lengths = counts.pop("\0len")
        norms = self._norms(lengths)
        self._field_lengths.extend(lengths)
        slot = len(self.slot_topic)
        self._idf = None
        self.slot_topic.append(doc.topic_id)
        self.slot_of[doc.topic_id] = slot
        self.alive = np.append(self.alive, True)
        tids = []
        for term, row in counts.items():
            tid = self.vocab.id_for(term)
            self._delta.setdefault(tid, {})[slot] = self._impact(row, norms)
            self.vocab.df[tid] += 1
            tids.append(tid)
        self._delta_terms_of[slot] = tids
        if len(self._delta_terms_of) > max(2000, self._frozen_slots // 20):
            self.compact()

    def remove(self, topic_id: int) -> None:
        slot = self.slot_of.pop(topic_id, None)
        if slot is None:
            return
        self.alive[slot] = False
        self._idf = None
        for tid in self._terms_of_slot(slot):
            self.vocab.df[tid] -= 1

    def _terms_of_slot(self, slot: int) -> list[int]:
        if slot >= self._frozen_slots:
            return self._delta_terms_of.get(slot, [])
        hits = np.flatnonzero(self._slots == slot)  # rare (an edit): a scan is fine here
        term_ids: list[int] = (np.searchsorted(self._offsets, hits, side="right") - 1).tolist()
        return term_ids

    def compact(self) -> None:
        """Merge the delta into the frozen segment and drop tombstones; slots are renumbered."""
        live_slots = np.flatnonzero(self.alive)
        renumber = np.full(len(self.alive), -1, dtype=np.int32)
        renumber[live_slots] = np.arange(len(live_slots), dtype=np.int32)
        term_of_posting = np.repeat(np.arange(len(self._offsets) - 1, dtype=np.int32), np.diff(self._offsets))
        keep = self.alive[self._slots]
        terms_parts, slots_parts = [term_of_posting[keep]], [renumber[self._slots[keep]]]
        impact_parts, mask_parts = [self._impacts[keep]], [self._masks[keep]]
        for tid, postings in self._delta.items():
            for slot, (impact, mask) in postings.items():
                if self.alive[slot]:
                    terms_parts.append(np.array([tid], dtype=np.int32))
                    slots_parts.append(np.array([renumber[slot]], dtype=np.int32))
                    impact_parts.append(np.array([impact], dtype=np.float32))
                    mask_parts.append(np.array([mask], dtype=np.uint8))
        lengths = np.frombuffer(self._field_lengths, dtype=np.int32).reshape(-1, len(FIELDS))[live_slots]
        self._field_lengths = array("i", lengths.tobytes())
        topics = np.frombuffer(self.slot_topic, dtype=np.int64)[live_slots]
        self.slot_topic = array("q", topics.tobytes())
        self.slot_of = {int(t): i for i, t in enumerate(topics)}
        # order postings by (term, slot) so each term's slots stay sorted
        terms_all = np.concatenate(terms_parts)
        slots_all = np.concatenate(slots_parts)
        order = np.lexsort((slots_all, terms_all))
        self._freeze(
            terms_all[order],
            slots_all[order],
            np.concatenate(impact_parts)[order],
            np.concatenate(mask_parts)[order],
            len(live_slots),
        )
        self.alive = np.ones(len(live_slots), dtype=bool)
        self._recount_df()

    # -- reading --------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Number of live topics."""
        return len(self.slot_of)

    def length_drift(self) -> float:
        """How far the live topics' average field lengths have moved from those every impact was computed
        with, relatively (0: not at all). Edits score with the lengths of the last build; a store that grew
        from empty, or changed much, scores as a rebuilt one would only after a rebuild."""
        n = self.size
        if not n:
            return 0.0
        lengths = np.frombuffer(self._field_lengths, dtype=np.int32).reshape(-1, len(FIELDS))
        totals: list[int] = lengths[self.alive].sum(axis=0, dtype=np.int64).tolist()
        return max(
            abs(max(total / n, 1.0) - avg) / avg
            for name, total, avg in zip(FIELDS, totals, self._avglen, strict=True)
            if self.params.fields[name].b > 0
        )

    def idf(self, tid: int) -> float:
        n = max(self.size, 1)
        df = self.vocab.df[tid] if 0 <= tid < len(self.vocab) else 0
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf_table(self) -> npt.NDArray[np.float64]:
        """idf of every term id as `idf` gives it, plus one more entry, so that index -1 (a word the store
        doesn't hold) reads as `max_idf`."""
        if self._idf is None:
            n = max(self.size, 1)
            df = np.frombuffer(self.vocab.df, dtype=np.int32).astype(np.float64)
            self._idf = np.append(np.log(1.0 + (n - df + 0.5) / (df + 0.5)), self.max_idf())
        return self._idf

    def max_idf(self) -> float:
        n = max(self.size, 1)
        return math.log(1.0 + (n + 0.5) / 0.5)

    def postings(self, tid: int) -> tuple[I32, F32]:
        start, end = self._offsets[tid], self._offsets[tid + 1]
        return self._slots[start:end], self._impacts[start:end]

    def search(
        self, weights: dict[int, float], k: int, budget: int = 300_000, only: npt.NDArray[np.bool_] | None = None
    ) -> tuple[I32, F32]:
        """Top-k live slots by sum of weight * impact over the query's term ids (with `only`, a mask over
        the slots: among those it holds).

        Rare terms are scored first; once `budget` postings have been read, the remaining (common) terms
        only add to documents already found instead of bringing in new ones (the MaxScore idea).
        """
        if not weights:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        acc = self._acc
        frozen_terms = sorted(
            (t for t in weights if t < len(self._offsets) - 1),
            key=lambda t: self._offsets[t + 1] - self._offsets[t],
        )
        touched: list[I32] = []
        read = 0
        for tid in frozen_terms:
            slots, impacts = self.postings(tid)
            if not len(slots):
                continue
            w = float(weights[tid])
            if read and read + len(slots) > budget:
                cands = np.concatenate(touched)
                pos = np.searchsorted(slots, cands)
                pos[pos >= len(slots)] = 0
                hit = slots[pos] == cands
                acc[cands[hit]] += w * impacts[pos[hit]]  # repeated slots get the same value once
                continue
            acc[slots] += w * impacts
            touched.append(slots)
            read += len(slots)
        if touched:
            hits = np.concatenate(touched)
            if only is not None:
                hits = hits[only[hits]]
            scores = acc[hits]
            if len(hits) > k * len(touched):
                # a slot appears once per term list it is in, so k * lists picks k distinct slots
                top = np.argpartition(-scores, k * len(touched))[: k * len(touched)]
                hits, scores = hits[top], scores[top]
            if read > len(acc) // 8:
                acc.fill(0.0)
            else:
                for part in touched:
                    acc[part] = 0.0
            hits, first = np.unique(hits, return_index=True)
            scores = scores[first]
        else:
            hits, scores = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        delta_scores: dict[int, float] = {}
        for tid, w in weights.items():
            for slot, (impact, _) in self._delta.get(tid, {}).items():
                delta_scores[slot] = delta_scores.get(slot, 0.0) + w * impact
        if only is not None:
            delta_scores = {slot: score for slot, score in delta_scores.items() if only[slot]}
        if delta_scores:
            hits = np.concatenate([hits, np.fromiter(delta_scores, dtype=np.int32)])
            scores = np.concatenate([scores, np.fromiter(delta_scores.values(), dtype=np.float32)])
        keep = self.alive[hits]
        hits, scores = hits[keep], scores[keep]
        if len(scores) > k:
            top = np.argpartition(-scores, k)[:k]
            hits, scores = hits[top], scores[top]
        order = np.argsort(-scores, kind="stable")
        return hits[order], scores[order]

    def slots_mask(self, topic_ids: Iterable[int]) -> npt.NDArray[np.bool_]:
        """A mask over the slots holding the live versions of `topic_ids` (for `search`'s `only`)."""
        mask = np.zeros(len(self.slot_topic), dtype=bool)
        slots = [self.slot_of[t] for t in topic_ids if t in self.slot_of]
        mask[slots] = True
        return mask

    def topics_holding(self, tid: int, fields: int) -> set[int]:
        """The live topics holding term `tid` in one of the `fields` (a mask of FIELD_BIT values)."""
        found: set[int] = set()
        if tid < len(self._offsets) - 1:
            start, end = int(self._offsets[tid]), int(self._offsets[tid + 1])
            slots = self._slots[start:end]
            slots = slots[((self._masks[start:end] & fields) != 0) & self.alive[slots]]
            found.update(np.frombuffer(self.slot_topic, dtype=np.int64)[slots].tolist())
        for slot, (_, mask) in self._delta.get(tid, {}).items():
            if mask & fields and self.alive[slot]:
                found.add(self.slot_topic[slot])
        return found

    def field_mask(self, tid: int, slot: int) -> int:
        """Fields of `slot` holding term `tid` (0 when it doesn't)."""
        if slot >= self._frozen_slots:
            return self._delta.get(tid, {}).get(slot, (0.0, 0))[1]
        offsets, slots, masks = self._views
        if tid >= len(offsets) - 1:
            return 0
        start, end = offsets[tid], offsets[tid + 1]
        pos = bisect_left(slots, slot, start, end) if start < end else start
        return masks[pos] if pos < end and slots[pos] == slot else 0

    def field_masks(self, tid: int, slots: I32) -> U8:
        """`field_mask` of term `tid` for each of `slots` at once."""
        out = np.zeros(len(slots), dtype=np.uint8)
        if tid < len(self._offsets) - 1:
            start, end = int(self._offsets[tid]), int(self._offsets[tid + 1])
            if end > start:
                postings = self._slots[start:end]
                pos = np.minimum(np.searchsorted(postings, slots), end - start - 1)
                hit = postings[pos] == slots
                out[hit] = self._masks[start:end][pos[hit]]
        delta = self._delta.get(tid)
        if delta:
            for i, slot in enumerate(slots.tolist()):
                if slot >= self._frozen_slots:
                    out[i] = delta.get(slot, (0.0, 0))[1]
        return out

    def nbytes(self) -> int:
        arrays = (self._offsets, self._slots, self._impacts, self._masks, self.alive, self._acc)
        lists = (self.slot_topic, self._field_lengths)
        return sum(a.nbytes for a in arrays) + sum(a.itemsize * len(a) for a in lists)
