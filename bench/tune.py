"""Tune the matcher's parameters on training data: CheckThat! train splits and the demo questions' tune split.

    python -m bench.tune [--eval-dir ../shared/eval] [--split train] [--cache DIR] [--grid rerank|blend|...]
                         [--search [--abstain-weight 0.5]] [--json]

The claims are imported once through the production path (`bench/checkthat.py`), then the matcher is
rebuilt in memory from the store's index documents for each setting tried, so a grid costs seconds per
setting. Every row reports, side by side:
- MAP@5 of the ranking (no threshold) and of the answers at the threshold, on 2a and 2b;
- how many judged queries are answered at the threshold;
- balanced accuracy on the demo questions of the chosen split (in-store answered right, off-topic and
  near-miss questions unanswered) at the same threshold.
`--search` runs coordinate ascent on the text model's weights (`ScoreModel`) from the current ones, on
the candidates' signals computed once, and adds the result as a row. The threshold and weights in
`ScoreModel` / `StoreSettings` were chosen this way (README, "Matching quality"). Only train and tune data
are read unless `--split dev` is asked for, to report.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import pickle
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench import checkthat, demo_questions
from store.db import repository as repo
from store.db.testing import open_store, sqlite_settings
from store.matching.index import FieldParams, IndexDoc
from store.matching.matcher import FEATURES, Matcher, MatcherParams, ScoreModel
from store.settings import StoreSettings

THRESHOLDS = (0.30, 0.35, 0.40, 0.45, 0.50)


@dataclasses.dataclass
class Task:
    name: str
    docs: list[IndexDoc]
    claim_of_topic: dict[int, str]
    queries: list[tuple[str, str]]
    qrels: dict[str, set[str]]

    def questions(self) -> list[tuple[str, set[int]]]:
        """Each query's text with the topics that answer it."""
        topics_of: dict[str, set[int]] = {}
        for tid, claim in self.claim_of_topic.items():
            topics_of.setdefault(claim, set()).add(tid)
        return [(text, {t for c in self.qrels.get(q, ()) for t in topics_of.get(c, ())}) for q, text in self.queries]


async def load_task(name: str, folder: Path, split: str, cache: Path) -> Task:
    """The claims as index documents (imported once, then cached), with the split's queries and qrels."""
    cached = cache / f"{folder.name}.pickle"
    if cached.exists():
        docs, claim_of_topic = pickle.loads(cached.read_bytes())
    else:
        cache.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (a benchmark: nothing else runs meanwhile)
        with tempfile.TemporaryDirectory() as tmp:
            loaded = await checkthat.load_store(folder / "vclaims.jsonl", Path(tmp))
            try:
                async with loaded.store._sessions() as session:
                    docs = await repo.index_docs(session)
                    slugs = await repo.topic_slugs(session)
            finally:
                await loaded.store.close()
        claim_of_topic = {tid: loaded.collection.claim_of_slug[slug] for tid, slug in slugs.items()}
        cached.write_bytes(pickle.dumps((docs, claim_of_topic)))
    queries = checkthat.read_queries(folder / f"queries-{split}.tsv")
    qrels = checkthat.read_qrels(folder / f"qrels-{split}.tsv")
    return Task(name, docs, claim_of_topic, queries, qrels)


async def demo_docs() -> tuple[list[IndexDoc], dict[int, str]]:
    """The demo store's index documents and each topic's slug."""
    with tempfile.TemporaryDirectory() as directory:
        settings = sqlite_settings(Path(directory), match_threshold=0.0)
        async with open_store(settings) as store, store._sessions() as session:
            return await repo.index_docs(session), await repo.topic_slugs(session)


def score_task(matcher: Matcher, task: Task) -> dict[str, float]:
    ranked: dict[str, list[tuple[str, float]]] = {}
    for qid, text in task.queries:
        ranked[qid] = [(task.claim_of_topic[s.topic_id], s.score) for s in matcher.match(text, limit=10)]
    out = {"rank": checkthat.measures({q: [c for c, _ in r] for q, r in ranked.items()}, task.qrels)["map@5"]}
    for t in THRESHOLDS:
        answers = {q: [c for c, s in r if s >= t] for q, r in ranked.items()}
        out[f"map5@{t:.2f}"] = checkthat.measures(answers, task.qrels)["map@5"]
        out[f"answered@{t:.2f}"] = sum(1 for q in task.qrels if answers.get(q)) / max(len(task.qrels), 1)
    return out


def score_demo(matcher: Matcher, slug_of: dict[int, str], rows: list[dict[str, str]]) -> dict[str, float]:
    found: list[tuple[str | None, float]] = []
    for row in rows:
        top = matcher.match(row["question"], limit=1)
        found.append((slug_of[top[0].topic_id], top[0].score) if top else (None, 0.0))
    return {f"demo@{t:.2f}": demo_questions.balanced_accuracy(rows, found, t) for t in THRESHOLDS}


@dataclasses.dataclass
class Source:
    """One source's queries as feature matrices of their candidates: a model is then scored with numpy alone."""

    name: str
    features: list[np.ndarray]  # per query: candidates x FEATURES
    relevant: list[np.ndarray]  # per query: which candidates answer it
    needed: list[int]  # per query: how many relevant items exist (0: the question is off-topic)


def source(name: str, matcher: Matcher, questions: Sequence[tuple[str, set[int]]]) -> Source:
    out = Source(name, [], [], [])
    for text, relevant in questions:
        candidates = matcher.candidates(text)
        out.features.append(
            np.array([c.signals.features() for c in candidates], dtype=float).reshape(-1, len(FEATURES))
        )
        out.relevant.append(np.array([c.topic_id in relevant for c in candidates], dtype=bool))
        out.needed.append(len(relevant))
    return out


def scores(model: ScoreModel, x: np.ndarray) -> np.ndarray:
    """`ScoreModel.score` of each feature row, with numpy."""
    if not len(x):
        return np.zeros(0)
    words = np.rint(x[:, FEATURES.index("length")] * 30)
    as_text = np.clip((words - model.question_words) / (model.text_words - model.question_words), 0.0, 1.0)
    coverage = np.maximum(x[:, FEATURES.index("coverage")], x[:, FEATURES.index("question_held*sqrt(coverage)")])
    question = (
        model.coverage_weight * coverage
        + model.similarity_weight * x[:, FEATURES.index("similarity")]
        + model.bm25_weight * x[:, FEATURES.index("bm25")]
    )
    text = 1 / (1 + np.exp(-np.clip(x @ np.array(model.weights) + model.bias, -40, 40)))
    return np.clip((1 - as_text) * question + as_text * text, 0.0, 1.0)


def objective(model: ScoreModel, sources: Sequence[Source], threshold: float) -> dict[str, float]:
    """Per claim source: MAP@5 of the answers at `threshold`, and how often a query whose claims were taken
    out of the store is left unanswered (its relevant candidates dropped). For the demo questions: balanced
    accuracy of the top answer (in-store questions answered right, off-topic ones unanswered)."""
    out: dict[str, float] = {}
    for src in sources:
        if src.name == "demo":
            inside, outside = [], []
            for x, rel, needed in zip(src.features, src.relevant, src.needed, strict=True):
                found = scores(model, x)
                top = int(np.argmax(found)) if len(found) else -1
                answered = top >= 0 and found[top] >= threshold
                if needed:
                    inside.append(answered and bool(rel[top]))
                else:
                    outside.append(not answered)
            out["demo"] = float(np.mean(inside) + np.mean(outside)) / 2
            continue
        total = abstained = 0.0
        for x, rel, needed in zip(src.features, src.relevant, src.needed, strict=True):
            found = scores(model, x)
            others = found[~rel]
            abstained += not (len(others) and others.max() >= threshold)
            hits, ap = 0, 0.0
            for rank, i in enumerate(np.argsort(-found, kind="stable")[:5], start=1):
                if found[i] < threshold:
                    break
                if rel[i]:
                    hits += 1
                    ap += hits / rank
            total += ap / max(needed, 1)
        out[src.name] = total / len(src.features)
        out[src.name + " abstains"] = abstained / len(src.features)
    return out


def search(
    sources: Sequence[Source], start: ScoreModel, threshold: float, abstain_weight: float, rounds: int = 6
) -> ScoreModel:
    """Coordinate ascent on the text model's weights at the fixed threshold: MAP@5 plus `abstain_weight` times
    the abstention rate on queries whose claims are not in store; the demo questions guard the rest."""

    def value(model: ScoreModel) -> float:
        found = objective(model, sources, threshold)
        claims = [v * (abstain_weight if k.endswith("abstains") else 1.0) for k, v in found.items() if k != "demo"]
        return float(np.mean(claims)) + found.get("demo", 0.0)

    best, best_value = start, value(start)
    params = [*start.weights, start.bias]
    for _ in range(rounds):
        improved = False
        for i in range(len(params)):
            for delta in (-2.0, -1.0, -0.5, -0.25, 0.25, 0.5, 1.0, 2.0):
                trial = params.copy()
                trial[i] += delta
                model = dataclasses.replace(start, weights=tuple(trial[:-1]), bias=trial[-1])
                v = value(model)
                if v > best_value + 1e-6:
                    best, best_value, params, improved = model, v, trial, True
        print(f"  search: {best_value:.4f} {best!r}", file=sys.stderr)
        if not improved:
            break
    return best


def grid(name: str) -> Iterator[tuple[str, MatcherParams]]:
    base = MatcherParams()
    yield "current", base
    if name == "mix":
        for start, end in [(6, 12), (6, 10), (8, 12), (4, 10), (8, 16)]:
            model = dataclasses.replace(base.model, question_words=start, text_words=end)
            yield f"text from {start} to {end} words", dataclasses.replace(base, model=model)
    if name == "stage1":
        for cw, bw in [(0.3, 0.3), (0.15, 0.55), (0.0, 1.0), (0.55, 0.3)]:
            yield f"stage 1 {cw}/{bw}", dataclasses.replace(base, coverage_weight=cw, bm25_weight=bw)
    if name == "fields":
        fields = base.bm25.fields
        for label, changes in [
            ("title 2.0", {"title": FieldParams(2.0, 0.3)}),
            ("title 1.5", {"title": FieldParams(1.5, 0.3)}),
            ("text 1.5", {"text": FieldParams(1.5, 0.75)}),
            ("text 2.0", {"text": FieldParams(2.0, 0.75)}),
            ("text b 0.5", {"text": FieldParams(1.0, 0.5)}),
            ("text b 0.9", {"text": FieldParams(1.0, 0.9)}),
            ("speaker 2.0", {"speaker": FieldParams(2.0, 0.3)}),
            ("speaker 0.5", {"speaker": FieldParams(0.5, 0.3)}),
        ]:
            bm25 = dataclasses.replace(base.bm25, fields={**fields, **changes})
            yield label, dataclasses.replace(base, bm25=bm25)
        for k1 in (0.9, 1.5, 2.0):
            yield f"k1 {k1}", dataclasses.replace(base, bm25=dataclasses.replace(base.bm25, k1=k1))
    if name == "blend":
        # the question blend (coverage, similarity, BM25F): the weights before 2026-12-03, and those tied
        # with the chosen ones on the demo tune split in a 5x5x5 grid around them
        for cw, sw, bw in [(0.55, 0.30, 0.15), (0.50, 0.40, 0.05), (0.45, 0.40, 0.10), (0.45, 0.35, 0.20)]:
            model = dataclasses.replace(base.model, coverage_weight=cw, similarity_weight=sw, bm25_weight=bw)
            yield f"blend {cw}/{sw}/{bw}", dataclasses.replace(base, model=model)
    if name == "rerank":
        for n in (8, 20, 30):
            yield f"rerank {n}", dataclasses.replace(base, rerank=n)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tune", description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", default=str(Path(__file__).parents[2] / "shared" / "eval"))
    parser.add_argument("--split", default="train", choices=["train", "dev"])
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "factbot-tune"))
    parser.add_argument("--grid", default="none")
    parser.add_argument("--search", action="store_true", help="coordinate ascent on the score model's weights")
    parser.add_argument("--abstain-weight", type=float, default=0.5, help="--search: worth of an abstention")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    eval_dir, cache = Path(args.eval_dir), Path(args.cache)
    tasks = [asyncio.run(load_task(name, eval_dir / f"checkthat-{name}", args.split, cache)) for name in ("2a", "2b")]
    docs, demo_slugs = asyncio.run(demo_docs())
    rows = [r for r in demo_questions.load() if r["split"] == ("tune" if args.split == "train" else "holdout")]
    print(f"default threshold {StoreSettings().match_threshold}", file=sys.stderr)
    settings = list(grid(args.grid))
    if args.search:
        sources = []
        for task in tasks:
            matcher = Matcher()
            matcher.rebuild(task.docs)
            sources.append(source(task.name, matcher, task.questions()))
        demo = Matcher()
        demo.rebuild(docs)
        topic_of_slug = {slug: tid for tid, slug in demo_slugs.items()}
        questions = [
            (r["question"], {topic_of_slug[r["expected_slug"]]} if r["expected_slug"] != "-" else set()) for r in rows
        ]
        sources.append(source("demo", demo, questions))
        start = MatcherParams().model
        print(f"start: {objective(start, sources, StoreSettings().match_threshold)}", file=sys.stderr)
        model = search(sources, start, StoreSettings().match_threshold, args.abstain_weight)
        print(f"found: {model!r} {objective(model, sources, StoreSettings().match_threshold)}", file=sys.stderr)
        settings.append(("searched", MatcherParams(model=model)))
    for label, params in settings:
        result: dict[str, Any] = {"setting": label}
        for task in tasks:
            matcher = Matcher(params)
            matcher.rebuild(task.docs)
            result.update({f"{task.name} {k}": round(v, 4) for k, v in score_task(matcher, task).items()})
        demo = Matcher(params)
        demo.rebuild(docs)
        result.update({k: round(v, 3) for k, v in score_demo(demo, demo_slugs, rows).items()})
        print(json.dumps(result) if args.json else _line(result), flush=True)
    return 0


def _line(result: dict[str, Any]) -> str:
    parts = [f"{result['setting']:24} ranking 2a {result['2a rank']:.3f} 2b {result['2b rank']:.3f} |"]
    for t in THRESHOLDS:
        answered = f"{result[f'2a answered@{t:.2f}']:.2f}/{result[f'2b answered@{t:.2f}']:.2f}"
        maps = f"{result[f'2a map5@{t:.2f}']:.3f}/{result[f'2b map5@{t:.2f}']:.3f}"
        parts.append(f"t{t:.2f}: map@5 {maps} answered {answered} demo {result[f'demo@{t:.2f}']:.3f} |")
    return " ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
