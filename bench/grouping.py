"""How well the review queue's grouping tells the same question otherwise typed from another question.

On the labelled pairs of bench/question_pairs.py, the grouping's own measure (store/review_grouping.py, at its
threshold) against rapidfuzz's token_set_ratio and WRatio, on folded text and on the matcher's stems, each at
the threshold that does best on the tuning pairs; then all of them, unchanged, on the held-out pairs.

    python -m bench.grouping            # Markdown table
    python -m bench.grouping --misses   # and the pairs each measure gets wrong
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bench.question_pairs import HELD_OUT_APART, HELD_OUT_SAME, TUNING_APART, TUNING_SAME
from store.matching.text import STOPWORDS, fold, stem, words
from store.review_grouping import SAME_QUESTION, question_form, similarity

Pairs = Sequence[tuple[str, str]]
Measure = Callable[[str, str], float]


def _stems(text: str) -> str:
    return " ".join(stem(w) for w in words(text) if w not in STOPWORDS)


MEASURES: dict[str, Measure] = {
    "grouping (store/review_grouping.py)": lambda a, b: similarity(question_form(a), question_form(b)),
    "token_set_ratio, folded": lambda a, b: fuzz.token_set_ratio(fold(a), fold(b)),
    "WRatio, folded": lambda a, b: fuzz.WRatio(fold(a), fold(b)),
    "token_set_ratio, stems": lambda a, b: fuzz.token_set_ratio(_stems(a), _stems(b)),
    "WRatio, stems": lambda a, b: fuzz.WRatio(_stems(a), _stems(b)),
}


@dataclass(frozen=True, slots=True)
class Result:
    grouped: int  # same-question pairs put in one group
    same: int
    merged: int  # pairs that must stay apart, put in one group
    apart: int

    @property
    def f1(self) -> float:
        precision = self.grouped / (self.grouped + self.merged) if self.grouped + self.merged else 1.0
        recall = self.grouped / self.same
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(measure: Measure, threshold: float, same: Pairs, apart: Pairs) -> Result:
    return Result(
        sum(measure(a, b) >= threshold for a, b in same),
        len(same),
        sum(measure(a, b) >= threshold for a, b in apart),
        len(apart),
    )


def best_threshold(measure: Measure) -> float:
    return max(range(30, 101), key=lambda t: (evaluate(measure, t, TUNING_SAME, TUNING_APART).f1, -t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the pairs each measure gets wrong")
    args = parser.parse_args()
    print("| measure | threshold | tuning F1 | grouped | merged | held-out F1 | grouped | merged |")
    print("|---|---|---|---|---|---|---|---|")
    misses: list[str] = []
    for name, measure in MEASURES.items():
        threshold = SAME_QUESTION if name.startswith("grouping") else best_threshold(measure)
        tuning = evaluate(measure, threshold, TUNING_SAME, TUNING_APART)
        held = evaluate(measure, threshold, HELD_OUT_SAME, HELD_OUT_APART)
        cells = [f"{r.f1:.3f} | {r.grouped}/{r.same} | {r.merged}/{r.apart}" for r in (tuning, held)]
        print(f"| {name} | {threshold:g} | {cells[0]} | {cells[1]} |")
        for a, b in (*TUNING_SAME, *HELD_OUT_SAME):
            if measure(a, b) < threshold:
                misses.append(f"{name}: apart, should be one: {a!r} / {b!r} ({measure(a, b):.0f})")
        for a, b in (*TUNING_APART, *HELD_OUT_APART):
            if measure(a, b) >= threshold:
                misses.append(f"{name}: one, should be apart: {a!r} / {b!r} ({measure(a, b):.0f})")
    if args.misses:
        print("\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
