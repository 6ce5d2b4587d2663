"""Matching quality on the CheckThat! dev sets must not fall below what the README reports.

The claims go through the production import into a real SQLite store and every dev query through
`ClaimStore.ask` at the configured threshold, exactly as `bench/checkthat.py` measures it. The data lives
outside the repository (../shared/eval, or FACTBOT_EVAL_DIR); without it the test is skipped with the
reason, unless FACTBOT_REQUIRE_EVAL=1 (set by CI) makes that a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import checkthat
from store.settings import StoreSettings
from tests.support.requirements import unavailable

EVAL_DIR = Path(os.environ.get("FACTBOT_EVAL_DIR", Path(__file__).parents[3] / "shared" / "eval"))
MARGIN = 0.01
# dev MAP@5 of the answers at the default threshold (README, "Matching quality"), and of the ranking alone
REACHED = {"2a": {"map@5": 0.8610, "ranking": 0.8963}, "2b": {"map@5": 0.3212, "ranking": 0.3748}}


def _eval_files(name: str) -> Path:
    folder = EVAL_DIR / f"checkthat-{name}"
    if not (folder / "vclaims.jsonl").exists():
        unavailable(f"CheckThat! data not found in {folder} (set FACTBOT_EVAL_DIR)", "FACTBOT_REQUIRE_EVAL")
    return folder


@pytest.mark.parametrize("name", ["2a", "2b"])
async def test_dev_map_at_5_holds(name: str, tmp_path: Path) -> None:
    folder = _eval_files(name)
    loaded = await checkthat.load_store(folder / "vclaims.jsonl", tmp_path)
    try:
        queries = checkthat.read_queries(folder / "queries-dev.tsv")
        run = await checkthat.run_queries(loaded.store, queries, loaded.collection.claim_of_slug, timing=False)
    finally:
        await loaded.store.close()
    report = run.report(checkthat.read_qrels(folder / "qrels-dev.tsv"), StoreSettings().match_threshold)
    reached = REACHED[name]
    assert report["map@5"] >= reached["map@5"] - MARGIN, report
    assert report["ranking"]["map@5"] >= reached["ranking"] - MARGIN, report
