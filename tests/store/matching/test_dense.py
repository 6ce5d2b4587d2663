"""The matrix of phrasing vectors behind dense retrieval: after any sequence of edits it finds exactly what
comparing the question with every topic's current vectors one by one finds."""

from __future__ import annotations

import numpy as np

from store.matching.dense import VectorTable


def _unit(rng: np.random.Generator, n: int, dim: int = 16) -> np.ndarray:
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_matches_a_scan_of_every_topic_through_edits_and_compaction() -> None:
    rng = np.random.default_rng(7)
    table = VectorTable()
    current: dict[int, np.ndarray] = {}
    for step in range(3000):  # enough edits to fill and compact the matrix several times
        topic = int(rng.integers(0, 300))
        if rng.random() < 0.2:
            table.remove(topic)
            current.pop(topic, None)
        else:
            current[topic] = _unit(rng, int(rng.integers(0, 6)))
            table.set(topic, current[topic])
            if not len(current[topic]):
                del current[topic]
        if step % 500 == 499:
            query = _unit(rng, 1)[0]
            found = table.similarities(query)
            scan = sorted(((float(np.max(v @ query)), t) for t, v in current.items()), reverse=True)
            assert [t for t, _ in table.best(found, 10)] == [t for _, t in scan[:10]]
            assert all(abs(table.topic_similarity(found, t) - s) < 1e-6 for s, t in scan)
            assert len(table) == len(current)
    for topic, vectors in current.items():
        assert np.array_equal(table.get(topic), vectors)


def test_a_removed_topic_is_never_found() -> None:
    rng = np.random.default_rng(1)
    table = VectorTable()
    table.set(1, _unit(rng, 2))
    table.set(2, _unit(rng, 2))
    table.remove(1)
    query = table.get(2)[0]
    assert table.best(table.similarities(query), 5) == [(2, table.topic_similarity(table.similarities(query), 2))]
    assert table.topic_similarity(table.similarities(query), 1) == 0.0
