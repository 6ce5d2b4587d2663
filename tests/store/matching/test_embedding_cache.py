"""The semantic re-ranker's embeddings kept on disk: a reopened store embeds only what it has never seen.

The first tests hold the cache file itself to its promises (real SQLite files, no model needed); the rest
open real stores with the real model (skipped without the [semantic] extra, see the `semantic_model`
fixture) and count what the model embedded (`SemanticReranker.encoded`).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from store.db.testing import open_store, sqlite_settings
from store.matching.embedding_cache import EmbeddingCache, model_identity
from store.matching.semantic import model_directory
from store.records import SpeakerKind, SpeakerRecord, StatementKind, StatementRecord, TopicRecord
from store.service import ClaimStore
from store.settings import StoreSettings

QUESTION = "are the egypt-hosted negotiations going anywhere"


def _unit(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    found = [r for r in caplog.records if r.name == "store.matching.embedding_cache" and r.levelno >= logging.WARNING]
    assert all(r.exc_info is None for r in found)  # a warning, never a traceback
    return [r.getMessage() for r in found]


def test_vectors_come_back_as_they_were_stored(tmp_path: Path) -> None:
    vectors = _unit(3)
    cache = EmbeddingCache(tmp_path / "e.sqlite3", 8)
    cache.put(["a", "b", "c"], vectors)
    cache.close()
    found = EmbeddingCache(tmp_path / "e.sqlite3", 8).get(["c", "a", "never stored"])
    assert set(found) == {"a", "c"}
    assert np.array_equal(found["c"], vectors[2])


def test_entries_no_longer_used_are_dropped(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite3", 8)
    cache.put([str(i) for i in range(10)], _unit(10))
    assert cache.retain(["1", "2"]) == 8
    assert set(cache.get([str(i) for i in range(10)])) == {"1", "2"}


@pytest.mark.parametrize(
    "damage",
    ["truncated", "not sqlite", "another sqlite database", "another vector size"],
)
def test_a_bad_file_is_replaced_with_one_warning(tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "e.sqlite3"
    cache = EmbeddingCache(path, 8)
    cache.put([str(i) for i in range(2000)], _unit(2000))
    cache.close()
    if damage == "truncated":  # as a write cut short would leave it
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "not sqlite":
        path.write_bytes(b"\x00garbage" * 1000)
    elif damage == "another sqlite database":
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE notes (text)")
    cache = EmbeddingCache(path, 16 if damage == "another vector size" else 8)
    assert len(_warnings(caplog)) == 1, caplog.text
    assert cache.enabled and cache.get(["1"]) == {}
    cache.put(["1"], _unit(1, cache.dim))
    assert set(cache.get(["1"])) == {"1"}


def test_a_damaged_vector_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite3"
    cache = EmbeddingCache(path, 8)
    cache.put(["a", "b"], _unit(2))
    cache._db.execute("UPDATE embeddings SET vector = ? WHERE rowid = 1", (np.full(8, np.nan, np.float32).tobytes(),))  # type: ignore[union-attr]
    assert set(cache.get(["a", "b"])) == {"b"}


def test_where_nothing_can_be_written_there_is_no_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "a-file").write_text("")
    cache = EmbeddingCache(tmp_path / "a-file" / "e.sqlite3", 8)  # no directory can be made under a file
    assert not cache.enabled
    assert len(_warnings(caplog)) == 1
    cache.put(["a"], _unit(1))
    assert cache.get(["a"]) == {}


# -- with the real model, through the store ------------------------------------------------------------


def _settings(directory: Path, model: str) -> StoreSettings:
    return sqlite_settings(directory, semantic_model=model)


def _topic(statement: str) -> TopicRecord:
    speaker = SpeakerRecord(name="City council", kind=SpeakerKind.ORGANISATION)
    return TopicRecord(
        slug="city-cycle-lanes",
        title="Did the city council approve the new cycle lanes?",
        statements=[StatementRecord(uid="cycle-1", text=statement, kind=StatementKind.PARAPHRASE, speaker=speaker)],
    )


async def test_a_reopened_store_embeds_nothing(tmp_path: Path, semantic_model: str) -> None:
    async with open_store(_settings(tmp_path, semantic_model)) as store:
        assert store.semantic is not None
        embedded = store.semantic.encoded
        topics = sorted(store.matcher.titles)
        first = store.semantic.similarities(QUESTION, topics)
    assert embedded > 0
    async with open_store(_settings(tmp_path, semantic_model), demo=False) as store:
        assert store.semantic is not None
        assert (store.semantic.encoded, store.semantic.from_cache) == (0, embedded)
        assert store.semantic.similarities(QUESTION, topics) == first  # the very same vectors
        assert (await store.ask(QUESTION)).matches[0].topic.slug == "cairo-talks-progress"


async def test_only_a_changed_text_is_embedded_again(tmp_path: Path, semantic_model: str) -> None:
    async with open_store(_settings(tmp_path, semantic_model)) as store:
        await store.import_records([_topic("The council voted to build bike paths downtown.")], actor="test")
    async with open_store(_settings(tmp_path, semantic_model), demo=False) as store:
        assert store.semantic is not None
        await store.import_records([_topic("Parking fees in the old town go up in March.")], actor="test")
        assert store.semantic.encoded == 1  # the new statement; the title was known
        answer = await store.ask("will parking cost more in the old town")
        assert answer.matches[0].topic.slug == "city-cycle-lanes"
    async with open_store(_settings(tmp_path, semantic_model), demo=False) as store:
        assert store.semantic is not None and store.semantic.encoded == 0
        # the rebuild at open dropped the statement's old wording from the file
        assert store.semantic.cache.get(["The council voted to build bike paths downtown."]) == {}


async def test_a_corrupt_cache_is_rebuilt(
    tmp_path: Path, semantic_model: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with open_store(_settings(tmp_path, semantic_model)) as store:
        assert store.semantic is not None
        embedded, path = store.semantic.encoded, store.semantic.cache.path
    assert path is not None and path.parent == tmp_path
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    async with open_store(_settings(tmp_path, semantic_model), demo=False) as store:
        assert store.semantic is not None and store.semantic.encoded == embedded
        assert (await store.ask(QUESTION)).answered
    assert len(_warnings(caplog)) == 1
    async with open_store(_settings(tmp_path, semantic_model), demo=False) as store:
        assert store.semantic is not None and store.semantic.encoded == 0


async def test_a_store_works_where_no_cache_can_be_written(
    tmp_path: Path, semantic_model: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a-file").write_text("")
    settings = _settings(tmp_path, semantic_model).model_copy(update={"embedding_cache_dir": tmp_path / "a-file"})
    async with open_store(settings) as store:
        assert store.semantic is not None and not store.semantic.cache.enabled
        assert (await store.ask(QUESTION)).answered
    assert len(_warnings(caplog)) == 1


async def test_another_model_has_its_own_file(tmp_path: Path, semantic_model: str) -> None:
    """A model is known by its files: the same files are the same model, one file changed is another."""
    original = model_directory(semantic_model)
    copy = tmp_path / "model"
    for path in original.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(original)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(original)).symlink_to(path)
    assert model_identity(copy, 128) == model_identity(original, 128)
    (copy / "README.md").unlink()
    (copy / "README.md").write_text("fine-tuned on our own claims")
    assert model_identity(copy, 128) != model_identity(original, 128)
    (tmp_path / "data").mkdir()
    async with open_store(_settings(tmp_path / "data", semantic_model), demo=False) as store:
        assert store.semantic is not None
        ours = store.semantic.cache.path
    store = await ClaimStore.open(_settings(tmp_path / "data", str(copy)), migrate_schema=True)
    try:
        assert store.semantic is not None
        assert store.semantic.cache.path is not None and store.semantic.cache.path != ours
    finally:
        await store.close()
