"""bench/checkthat.py's reading of the files, its measures and its run file, on small hand-made inputs.

The README's CheckThat! figures are only as good as these: the measures must be the lab's (AP@k divided by
the number of relevant claims, an unanswered query scoring 0), and the run file must hold each query once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import checkthat


def test_a_query_repeated_in_the_file_is_read_once(tmp_path: Path) -> None:
    path = tmp_path / "queries.tsv"
    path.write_text(
        'q1\tWages "will go up", he said\nq2\tArizona premiums rose 116 percent\nq1\tWages "will go up", he said\n',
        encoding="utf-8",
    )
    assert checkthat.read_queries(path) == [
        ("q1", 'Wages "will go up", he said'),
        ("q2", "Arizona premiums rose 116 percent"),
    ]


def test_average_precision_divides_by_every_relevant_claim() -> None:
    ranking = ["x", "a", "y", "b"]
    assert checkthat.average_precision(ranking, {"a", "b"}, 5) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert checkthat.average_precision(ranking, {"a", "b"}, 2) == pytest.approx((1 / 2) / 2)  # not min(R, k)
    assert checkthat.average_precision(ranking, {"z"}, 5) == 0.0


def test_an_unanswered_query_counts_as_zero() -> None:
    qrels = {"q1": {"a"}, "q2": {"b"}}
    found = checkthat.measures({"q1": ["a"]}, qrels)
    assert found["map@5"] == pytest.approx(0.5)
    assert found["mrr"] == pytest.approx(0.5)


def test_the_run_file_names_every_query_once_with_at_most_ten_claims(tmp_path: Path) -> None:
    run = checkthat.SystemRun(ranked={"q1": [(f"c{i}", 1.0 - i / 100) for i in range(12)], "q2": []})
    path = tmp_path / "run.tsv"
    checkthat.write_run(path, [("q1", "text"), ("q2", "zzz")], run, "factbot")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r[0] for r in rows] == ["q1"] * 10 + ["q2"]
    assert [r[3] for r in rows[:10]] == [str(i) for i in range(1, 11)]
    assert rows[0] == ["q1", "Q0", "c0", "1", "1.000000", "factbot"]
    assert rows[10][2] == "-" and rows[10][4] == "0.0"
