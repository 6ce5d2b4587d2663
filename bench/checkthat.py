"""CLEF CheckThat! claim retrieval through the production import path and the production matcher.

    python -m bench.checkthat --vclaims FILE.jsonl --queries FILE.tsv --qrels FILE.tsv [--run RUN.tsv] [--json]

1. The claims become topic records (one topic per verified claim, the claim its one statement) and are
   imported with `ClaimStore.import_records` into a fresh temporary SQLite store, exactly as `factbot import`
   would. Two layouts are recognised from the keys of the first line:
   - tweets / Snopes (2a: vclaim_id, title, subtitle, vclaim): topic title = the fact-check's headline, the
     claim = the statement (an unattributed claim; Snopes is the outlet that carried it). The subtitle is left
     out: on train, adding it as an alias lowers MAP@5 (see README, "Matching quality").
   - debates / PolitiFact (2b: vclaim_id, speaker, vclaim, title, date): speaker = a person of that name,
     topic title = PolitiFact's headline, the claim = the statement, said_on parsed from "stated on ...".
   Any other claims file with `vclaim_id` and `vclaim` works too (title falls back to the claim).
2. Every query goes through `ClaimStore.ask` (the code path users hit). The store is opened with
   match_threshold 0 so that the full top 10 is known for every query; the system's real answer at threshold
   t is then exactly the prefix of that list scoring >= t (ask filters a score-sorted list), so the
   measures are computed at the configured threshold (default: StoreSettings().match_threshold) with an
   unanswered query scoring 0, and the same single pass gives the sweep of MAP@5 over thresholds.
3. The run file (--run) holds the ranking *without* the threshold: every query is present with its top 10
   candidates, also when the system abstains (the abstention is a product decision, the run file a ranking).
   Scoring the run file with the official scorer therefore reproduces the `ranking` figures of the JSON,
   and the headline figures are those of the answers as given (abstentions = 0).

Measures (the lab's definitions): AP@k = sum over relevant claims at rank r <= k of precision@r, divided by
R(q), the number of relevant claims of the query; MAP@k is its mean over the queries of the qrels; MRR is the
mean reciprocal rank of the first relevant claim in the top 10 (0 if none). Latency is the wall time of one
`ask` (matcher + loading the answer from SQLite) and, separately, of the matcher alone (with --semantic: the
matcher and the re-ranker, `ClaimStore.rank`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import math
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.errors import InvalidQuestion
from store.records import OutletRecord, SpeakerKind, SpeakerRecord, StatementKind, StatementRecord, TopicRecord
from store.service import ClaimStore
from store.settings import StoreSettings

KS = (1, 3, 5, 10)
RUN_DEPTH = 10
SWEEP = tuple(round(0.05 * i, 2) for i in range(0, 19))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_STATED_ON = re.compile(r"stated on ([A-Z][a-z]+ \d{1,2}, \d{4})")


# -- reading the files ------------------------------------------------------------------------------------


def read_vclaims(path: str | Path) -> list[dict[str, Any]]:
    claims = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                claims.append(json.loads(line))
    return claims


def read_queries(path: str | Path) -> list[tuple[str, str]]:
    """Each query once, in file order: the 2b files repeat some lines (140 lines, 119 queries in dev), and a
    repeated query would be asked, timed and written to the run file twice; its first text is kept."""
    csv.field_size_limit(sys.maxsize)
    found: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) >= 2:
                found.setdefault(row[0], row[1])
    return list(found.items())


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


# -- claims -> topic records --------------------------------------------------------------------------


def _clean(text: object, limit: int) -> str:
    """Control characters out, whitespace collapsed, cut to the record's field limit."""
    value = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    return value[:limit].rstrip()


def slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")
    return slug[:280].rstrip("-") or "claim"


def _said_on(date: str) -> dt.date | None:
    found = _STATED_ON.search(date or "")
    if not found:
        return None
    try:
        return dt.datetime.strptime(found.group(1), "%B %d, %Y").date()
    except ValueError:
        return None


@dataclass
class Collection:
    records: list[TopicRecord]
    claim_of_slug: dict[str, str]  # topic slug -> vclaim_id
    layout: str


def claims_to_records(claims: Iterable[Mapping[str, Any]], *, subtitle_alias: bool = False) -> Collection:
    records: list[TopicRecord] = []
    claim_of_slug: dict[str, str] = {}
    layout = ""
    for claim in claims:
        vclaim_id = str(claim["vclaim_id"])
        text = _clean(claim.get("vclaim"), 4000) or _clean(claim.get("title"), 4000)
        if not text:
            continue
        if not layout:
            layout = "debates" if "speaker" in claim else "tweets"
        slug = base = slugify(vclaim_id)
        n = 1
        while slug in claim_of_slug:
            n += 1
            slug = f"{base}-{n}"
        claim_of_slug[slug] = vclaim_id
        title = _clean(claim.get("title"), 300) or _clean(text, 300)
        speaker_name = _clean(claim.get("speaker"), 300)
        if speaker_name:
            speaker = SpeakerRecord(name=speaker_name, kind=SpeakerKind.PERSON)
            outlet = None
            url = claim.get("url")
            url = f"https://www.politifact.com{url}" if isinstance(url, str) and url.startswith("/") else None
        else:
            speaker = SpeakerRecord(name="unattributed claim", kind=SpeakerKind.ANONYMOUS)
            outlet = OutletRecord(name="Snopes") if layout == "tweets" else None
            url = None
        aliases = []
        subtitle = _clean(claim.get("subtitle"), 300)
        if subtitle_alias and subtitle:
            aliases.append(subtitle)
        statement = StatementRecord(
            uid=slug,
            text=text,
            kind=StatementKind.PARAPHRASE,
            speaker=speaker,
            outlet=outlet,
            said_on=_said_on(str(claim.get("date") or "")),
            url=url if url and len(url) <= 300 and " " not in url else None,
        )
        records.append(TopicRecord(slug=slug, title=title, aliases=aliases, statements=[statement]))
    return Collection(records, claim_of_slug, layout or "tweets")


# -- measures -----------------------------------------------------------------------------------------


def average_precision(ranking: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, claim in enumerate(ranking[:k], start=1):
        if claim in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def reciprocal_rank(ranking: Sequence[str], relevant: set[str], depth: int = RUN_DEPTH) -> float:
    for rank, claim in enumerate(ranking[:depth], start=1):
        if claim in relevant:
            return 1.0 / rank
    return 0.0


def measures(rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]]) -> dict[str, float]:
    """MAP@k and MRR over the queries of the qrels; a query without a ranking scores 0."""
    n = max(len(qrels), 1)
    out = {}
    for k in KS:
        out[f"map@{k}"] = sum(average_precision(rankings.get(q, ()), rel, k) for q, rel in qrels.items()) / n
    out["mrr"] = sum(reciprocal_rank(rankings.get(q, ()), rel) for q, rel in qrels.items()) / n
    return out


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


# -- running ------------------------------------------------------------------------------------------


@dataclass
class SystemRun:
    """One pass of every query through `ask`: the ranked claims with scores, and timings."""

    ranked: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    ask_ms: list[float] = field(default_factory=list)
    match_ms: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def answers(self, threshold: float) -> dict[str, list[str]]:
        """What the system answers at `threshold`: the prefix of each ranking scoring at least that."""
        return {q: [c for c, s in ranked if s >= threshold] for q, ranked in self.ranked.items()}

    def report(self, qrels: Mapping[str, set[str]], threshold: float) -> dict[str, Any]:
        answered = self.answers(threshold)
        out: dict[str, Any] = {k: round(v, 4) for k, v in measures(answered, qrels).items()}
        out["answered"] = sum(1 for q in qrels if answered.get(q))
        out["p50_ms"] = round(percentile(self.ask_ms, 50), 2)
        out["p99_ms"] = round(percentile(self.ask_ms, 99), 2)
        out["matcher_p50_ms"] = round(percentile(self.match_ms, 50), 2)
        out["matcher_p99_ms"] = round(percentile(self.match_ms, 99), 2)
        ranking = measures({q: [c for c, _ in r] for q, r in self.ranked.items()}, qrels)
        out["ranking"] = {k: round(v, 4) for k, v in ranking.items()}
        out["map@5_by_threshold"] = {f"{t:.2f}": round(measures(self.answers(t), qrels)["map@5"], 4) for t in SWEEP}
        if self.refused:
            out["refused"] = len(self.refused)
        return out


async def run_queries(
    store: ClaimStore, queries: Sequence[tuple[str, str]], claim_of_slug: Mapping[str, str], *, timing: bool = True
) -> SystemRun:
    """Every query through `ask` (threshold 0: the full top 10), then, if `timing`, through the matcher alone
    for its own latency."""
    run = SystemRun()
    for qid, text in queries:
        started = time.perf_counter()
        try:
            answer = await store.ask(text, limit=RUN_DEPTH)
        except InvalidQuestion:
            run.refused.append(qid)
            run.ranked[qid] = []
            continue
        run.ask_ms.append((time.perf_counter() - started) * 1000)
        run.ranked[qid] = [(claim_of_slug[m.topic.slug], m.score) for m in answer.matches]
    for _, text in queries if timing else ():
        started = time.perf_counter()
        store.rank(text, limit=RUN_DEPTH + 3)
        run.match_ms.append((time.perf_counter() - started) * 1000)
    return run


def write_run(path: str | Path, queries: Sequence[tuple[str, str]], run: SystemRun, tag: str) -> None:
    """TREC run: `query_id Q0 vclaim_id rank score tag`, top 10, every query present.

    A query with no candidate at all (no known word in it) gets no ranking to write; it is listed with a
    placeholder line of score 0 so that the file still names it.
    """
    with open(path, "w", encoding="utf-8") as out:
        for qid, _ in queries:
            ranked = run.ranked.get(qid) or []
            if not ranked:
                out.write(f"{qid}\tQ0\t-\t1\t0.0\t{tag}\n")
            for rank, (claim, score) in enumerate(ranked[:RUN_DEPTH], start=1):
                out.write(f"{qid}\tQ0\t{claim}\t{rank}\t{score:.6f}\t{tag}\n")


@dataclass
class Loaded:
    store: ClaimStore
    collection: Collection
    import_s: float
    records_s: float


async def load_store(vclaims: str | Path, directory: Path, *, semantic_model: str | None = None) -> Loaded:
    """A fresh SQLite store in `directory` holding the claims, imported through `import_records`."""
    started = time.perf_counter()
    collection = claims_to_records(read_vclaims(vclaims))
    records_s = time.perf_counter() - started
    settings = StoreSettings(
        database_url=f"sqlite+aiosqlite:///{directory / 'checkthat.sqlite3'}",
        data_dir=directory,
        match_threshold=0.0,
        semantic_model=semantic_model,
    )
    store = await ClaimStore.open(settings, migrate_schema=True)
    started = time.perf_counter()
    await store.import_records(collection.records, actor="checkthat")
    import_s = time.perf_counter() - started
    return Loaded(store, collection, import_s, records_s)


async def open_again(loaded: Loaded, **overrides: Any) -> ClaimStore:
    """A second store over the same database (e.g. with the semantic re-ranker on)."""
    settings = loaded.store.settings.model_copy(update=overrides)
    return await ClaimStore.open(settings)


async def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels)
    threshold = StoreSettings().match_threshold if args.threshold is None else args.threshold
    with tempfile.TemporaryDirectory(prefix="checkthat-") as tmp:
        loaded = await load_store(args.vclaims, Path(tmp))
        try:
            run = await run_queries(loaded.store, queries, loaded.collection.claim_of_slug)
            result: dict[str, Any] = {
                "vclaims": str(args.vclaims),
                "queries": len(queries),
                "judged": len(qrels),
                "claims": len(loaded.collection.records),
                "layout": loaded.collection.layout,
                "threshold": threshold,
                "records_s": round(loaded.records_s, 2),
                "import_s": round(loaded.import_s, 2),
                **run.report(qrels, threshold),
            }
            if args.run:
                write_run(args.run, queries, run, "factbot")
            if args.semantic:
                started = time.perf_counter()
                await loaded.store.reindex()
                result["reindex_s"] = round(time.perf_counter() - started, 2)
                started = time.perf_counter()
                semantic_store = await open_again(
                    loaded, semantic_model=args.semantic, embedding_cache_dir=args.embedding_cache
                )
                open_s = time.perf_counter() - started  # loading the model, the index and every embedding
                assert semantic_store.semantic is not None
                embedded, from_cache = semantic_store.semantic.encoded, semantic_store.semantic.from_cache
                try:
                    semantic_run = await run_queries(semantic_store, queries, loaded.collection.claim_of_slug)
                finally:
                    await semantic_store.close()
                result["semantic"] = {
                    "model": args.semantic,
                    "open_s": round(open_s, 2),
                    "embedded": embedded,  # phrasings the model embedded at open
                    "from_cache": from_cache,  # and those read from the embedding cache
                    **semantic_run.report(qrels, threshold),
                }
                if args.run:
                    write_run(Path(str(args.run) + ".semantic"), queries, semantic_run, "factbot-semantic")
        finally:
            await loaded.store.close()
    return result


def _print_table(result: dict[str, Any]) -> None:
    cols = [f"map@{k}" for k in KS] + ["mrr", "answered", "p50_ms", "p99_ms", "matcher_p50_ms"]
    rows = [("lexical", result)]
    if "semantic" in result:
        rows.append(("semantic", result["semantic"]))
    print(
        f"{result['vclaims']}: {result['claims']} claims ({result['layout']}) imported in {result['import_s']} s; "
        f"{result['judged']} judged queries; threshold {result['threshold']}"
    )
    if "semantic" in result:
        print(
            f"semantic re-ranker {result['semantic']['model']}: store opened in {result['semantic']['open_s']} s "
            f"(model, index and embeddings; the lexical index alone: {result['reindex_s']} s); "
            f"{result['semantic']['embedded']} phrasings embedded, {result['semantic']['from_cache']} from the cache"
        )
    print(f"{'':10}" + "".join(f"{c:>15}" for c in cols))
    for name, r in rows:
        print(f"{name:10}" + "".join(f"{r[c]:>15}" for c in cols))
        rk = r["ranking"]
        print(f"{'  ranking':10}" + "".join(f"{rk.get(c, ''):>15}" for c in cols))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkthat",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument("--vclaims", required=True, help="claims, JSON lines (vclaim_id, vclaim, title, ...)")
    parser.add_argument("--queries", required=True, help="queries, TSV: query_id <TAB> text")
    parser.add_argument("--qrels", required=True, help="TREC qrels: query_id 0 vclaim_id 1")
    parser.add_argument("--run", help="write the ranking here in TREC run format (top 10, every query)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the measures")
    parser.add_argument("--threshold", type=float, help="no-match threshold (default: the store's setting)")
    parser.add_argument(
        "--semantic",
        metavar="MODEL",
        help="also run with the semantic re-ranker (model directory or package), side by side",
    )
    parser.add_argument(
        "--embedding-cache",
        metavar="DIR",
        type=Path,
        help="--semantic: keep the embeddings in DIR between runs (default: the run's temporary directory, "
        "so every run embeds everything); it holds one claim set's phrasings at a time",
    )
    args = parser.parse_args(argv)
    result = asyncio.run(evaluate(args))
    if args.json:
        print(json.dumps(result))
    else:
        _print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
