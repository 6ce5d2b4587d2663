"""Every topic's phrasing vectors as the rows of one matrix: a question is compared with all of them at once.

Exact search (one matrix-vector product, then `argpartition`) is a few milliseconds at tens of thousands
of rows, so there is no approximate index to build or keep in step. A topic's rows are contiguous; an
edit appends the new rows and blanks the old ones; when the matrix is full, blank rows are dropped and
it is given room for as many rows again as it holds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]


class VectorTable:
    def __init__(self) -> None:
        self._vectors: F32 = np.zeros((0, 0), dtype=np.float32)  # capacity x dim; rows past `_used` are free
        self._owner = np.zeros(0, dtype=np.int64)  # topic id of each row, -1: blank
        self._used = 0
        self._rows: dict[int, tuple[int, int]] = {}  # topic id -> its rows [start, stop)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, topic_id: int) -> bool:
        return topic_id in self._rows

    def get(self, topic_id: int) -> F32:
        start, stop = self._rows.get(topic_id, (0, 0))
        return self._vectors[start:stop]

    def set(self, topic_id: int, vectors: F32) -> None:
        self.remove(topic_id)
        n, dim = vectors.shape
        if not n:
            return
        if self._used + n > len(self._vectors):
            self._grow(n, dim)
        self._vectors[self._used : self._used + n] = vectors
        self._owner[self._used : self._used + n] = topic_id
        self._rows[topic_id] = (self._used, self._used + n)
        self._used += n

    def remove(self, topic_id: int) -> None:
        start, stop = self._rows.pop(topic_id, (0, 0))
        self._vectors[start:stop] = 0.0  # a blank row scores 0 and belongs to no topic
        self._owner[start:stop] = -1

    def _grow(self, n: int, dim: int) -> None:
        """Room for `n` more rows: blank rows dropped, then the capacity doubled if still needed."""
        live = self._owner[: self._used] >= 0
        kept, owner = self._vectors[: self._used][live], self._owner[: self._used][live]
        capacity = max(2 * (len(kept) + n), 1024)
        self._vectors = np.zeros((capacity, dim), dtype=np.float32)
        self._owner = np.full(capacity, -1, dtype=np.int64)
        if len(kept):
            self._vectors[: len(kept)], self._owner[: len(kept)] = kept, owner
        self._used = len(kept)
        if len(owner):
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            stops = np.r_[starts[1:], len(owner)]
            self._rows = {int(owner[a]): (int(a), int(b)) for a, b in zip(starts, stops, strict=True)}

    # -- searching ---------------------------------------------------------------------------------------
    def similarities(self, query: F32) -> F32:
        """The cosine of the (unit-length) query with every row."""
        if not self._used:
            return np.zeros(0, dtype=np.float32)
        return self._vectors[: self._used] @ query

    def best(self, similarities: F32, limit: int) -> list[tuple[int, float]]:
        """The `limit` topics with the highest similarity of any of their rows, best first."""
        if limit <= 0 or not len(similarities):
            return []
        take = 4 * limit  # rows: a topic has a few, so `limit` topics are usually among them
        while True:
            take = min(take, len(similarities))
            rows = np.argpartition(-similarities, take - 1)[:take] if take < len(similarities) else np.arange(take)
            rows = rows[np.argsort(-similarities[rows], kind="stable")]
            out: dict[int, float] = {}
            for row in rows.tolist():
                topic = int(self._owner[row])
                if topic >= 0 and topic not in out:
                    out[topic] = float(similarities[row])
            if len(out) >= limit or take == len(similarities):
                return list(out.items())[:limit]
            take *= 4

    def topic_similarity(self, similarities: F32, topic_id: int) -> float:
        """The similarity of a topic's closest row (0 for a topic without rows)."""
        start, stop = self._rows.get(topic_id, (0, 0))
        return float(similarities[start:stop].max()) if stop > start else 0.0
