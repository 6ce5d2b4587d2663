"""How the demo store answers the hand-written questions in bench/data/demo-questions.tsv.

For each question: in-store questions must come back answered with the expected topic first (`a|b`: either);
the trap kinds (expected `-`: off-topic, near-miss, bare fact-check phrasing, another place, an unknown
name, a speaker the store holds nothing by) must come back unanswered. Reports per kind and split, the
holdout per kind as the README's table gives it, and sweeps the no-match threshold (choose it on the `tune`
split, read the result on `holdout`). With FACTBOT_SEMANTIC_MODEL set, the semantic re-ranker is on.

    python -m bench.demo_questions [--threshold 0.5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import tempfile
from collections import defaultdict
from pathlib import Path

from store.db.testing import open_store, sqlite_settings
from store.settings import StoreSettings

QUESTIONS = Path(__file__).parent / "data" / "demo-questions.tsv"


def load() -> list[dict[str, str]]:
    with QUESTIONS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


async def best_matches(rows: list[dict[str, str]]) -> list[tuple[str | None, float]]:
    """Best topic and its score for each question, with no threshold applied."""
    with tempfile.TemporaryDirectory() as directory:
        settings: StoreSettings = sqlite_settings(Path(directory), match_threshold=0.0)
        async with open_store(settings) as store:
            out = []
            for row in rows:
                answer = await store.ask(row["question"], limit=1)
                top = answer.matches[0] if answer.matches else None
                out.append((top.topic.slug if top else None, top.score if top else 0.0))
            return out


def correct(row: dict[str, str], slug: str | None, score: float, threshold: float) -> bool:
    answered = slug is not None and score >= threshold
    if row["expected_slug"] == "-":
        return not answered
    return answered and slug in row["expected_slug"].split("|")  # "a|b": either topic answers it


def trap_kinds(rows: list[dict[str, str]]) -> set[str]:
    """The kinds whose questions should all be left unanswered."""
    kinds = {r["kind"] for r in rows}
    return {k for k in kinds if all(r["expected_slug"] == "-" for r in rows if r["kind"] == k)}


def balanced_accuracy(rows: list[dict[str, str]], found: list[tuple[str | None, float]], threshold: float) -> float:
    inside = [correct(r, *f, threshold) for r, f in zip(rows, found, strict=True) if r["expected_slug"] != "-"]
    outside = [correct(r, *f, threshold) for r, f in zip(rows, found, strict=True) if r["expected_slug"] == "-"]
    return (sum(inside) / len(inside) + sum(outside) / len(outside)) / 2


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.demo_questions", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threshold", type=float, default=StoreSettings().match_threshold)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = load()
    found = asyncio.run(best_matches(rows))
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for row, (slug, score) in zip(rows, found, strict=True):
        by_kind[f"{row['split']}/{row['kind']}"].append(correct(row, slug, score, args.threshold))
    sweep = {}
    for split in ("tune", "holdout"):
        idx = [i for i, r in enumerate(rows) if r["split"] == split]
        sweep[split] = {
            f"{t / 100:.2f}": round(balanced_accuracy([rows[i] for i in idx], [found[i] for i in idx], t / 100), 3)
            for t in range(20, 81, 5)
        }
    traps = trap_kinds(rows)
    holdout = [(r, f) for r, f in zip(rows, found, strict=True) if r["split"] == "holdout"]
    report = {
        "threshold": args.threshold,
        "semantic_model": StoreSettings().semantic_model,
        "accuracy_by_split_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
        "counts": {k: len(v) for k, v in sorted(by_kind.items())},
        "trap_kinds": sorted(traps),
        # the trap questions of the holdout that were answered, which none should be
        "holdout_traps_answered": sum(
            1 for r, f in holdout if r["kind"] in traps and not correct(r, *f, args.threshold)
        ),
        "balanced_accuracy_by_threshold": sweep,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"threshold {args.threshold}, semantic model: {report['semantic_model'] or 'none (lexical)'}")
    for key, value in report["accuracy_by_split_kind"].items():
        print(f"  {key:24} {value:.3f}  (n={report['counts'][key]})")
    print("holdout, per kind (trap kinds: left unanswered is right):")
    for kind in sorted({r["kind"] for r in rows}):
        key = f"holdout/{kind}"
        trap = " (trap)" if kind in traps else ""
        print(f"  | {kind}{trap} | {report['accuracy_by_split_kind'][key]:.2f} | {report['counts'][key]} |")
    print(f"holdout trap questions answered: {report['holdout_traps_answered']}")
    for split, values in sweep.items():
        print(f"balanced accuracy, {split}: " + " ".join(f"{t}:{v:.3f}" for t, v in values.items()))
    misses = [(r, f) for r, f in zip(rows, found, strict=True) if not correct(r, *f, args.threshold)]
    print(f"{len(misses)} wrong:")
    for row, (slug, score) in misses:
        where = f"{row['split']}/{row['kind']}"
        print(f"  [{where}] {row['question']!r}: expected {row['expected_slug']}, got {slug} {score:.2f}")


if __name__ == "__main__":
    main()
