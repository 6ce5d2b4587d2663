"""Replaying the query log: what the store and matcher as they are now (or at another threshold) would answer
to the questions logged, what that changes, and how it agrees with the moderators' decisions.

Every logged ask counts (a question asked ten times weighs ten). A question of a taught group is a positive for
the group's topic; one of a dismissed group is a negative, to be left unanswered. Over those labelled asks:
precision is the share of the answers given that are right, recall the share of the positives answered with
their topic, and F1 their harmonic mean; a wrong topic counts against both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class LoggedAsk:
    text: str
    answered_with: int | None  # the topic it was answered with when asked (merges followed), or None
    expected: int | None = None  # the topic a moderator taught its group to
    negative: bool = False  # its group was dismissed: it should stay unanswered


@dataclass(frozen=True, slots=True)
class ReplayAgreement:
    """How answers agree with the moderators' decisions."""

    right: int  # positives answered with their topic
    wrong: int  # answers that are not the topic expected (a negative answered, or another topic)
    missed: int  # positives not answered with their topic

    @property
    def precision(self) -> float | None:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else None

    @property
    def recall(self) -> float | None:
        return self.right / (self.right + self.missed) if self.right + self.missed else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": _rounded(self.precision),
            "recall": _rounded(self.recall),
            "f1": _rounded(self.f1),
            "right": self.right,
            "wrong": self.wrong,
            "missed": self.missed,
        }


@dataclass(frozen=True, slots=True)
class ReplayChange:
    count: int  # asks
    examples: tuple[str, ...]  # their most asked questions

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "examples": list(self.examples)}


@dataclass(frozen=True, slots=True)
class ReplayReport:
    days: int
    threshold: float
    asks: int
    questions: int  # distinct questions replayed
    answered_before: int
    answered_after: int
    to_answered: ReplayChange  # unanswered when asked, answered now
    to_unanswered: ReplayChange
    other_topic: ReplayChange  # answered both times, with another topic now
    positives: int
    negatives: int
    before: ReplayAgreement  # the answers as logged
    after: ReplayAgreement  # the answers now

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "threshold": self.threshold,
            "asks": self.asks,
            "questions": self.questions,
            "answered_before": self.answered_before,
            "answered_after": self.answered_after,
            "unanswered_to_answered": self.to_answered.to_json(),
            "answered_to_unanswered": self.to_unanswered.to_json(),
            "other_topic": self.other_topic.to_json(),
            "labelled": {"positives": self.positives, "negatives": self.negatives},
            "before": self.before.to_json(),
            "after": self.after.to_json(),
        }


def replay(
    asks: Sequence[LoggedAsk], answer: Callable[[str], int | None], *, days: int, threshold: float
) -> ReplayReport:
    """Re-ask each distinct question once with `answer` (the topic it is answered with now, or None)."""
    now: dict[str, int | None] = {}
    for ask in asks:
        if ask.text not in now:
            now[ask.text] = answer(ask.text)
    changes: dict[str, Counter[str]] = {"to_answered": Counter(), "to_unanswered": Counter(), "other": Counter()}
    for ask in asks:
        before, after = ask.answered_with, now[ask.text]
        if before is None and after is not None:
            changes["to_answered"][ask.text] += 1
        elif before is not None and after is None:
            changes["to_unanswered"][ask.text] += 1
        elif before is not None and after is not None and before != after:
            changes["other"][ask.text] += 1
    labelled = [a for a in asks if a.expected is not None or a.negative]
    return ReplayReport(
        days=days,
        threshold=threshold,
        asks=len(asks),
        questions=len(now),
        answered_before=sum(a.answered_with is not None for a in asks),
        answered_after=sum(now[a.text] is not None for a in asks),
        to_answered=_change(changes["to_answered"]),
        to_unanswered=_change(changes["to_unanswered"]),
        other_topic=_change(changes["other"]),
        positives=sum(a.expected is not None for a in labelled),
        negatives=sum(a.negative for a in labelled),
        before=_agreement((a, a.answered_with) for a in labelled),
        after=_agreement((a, now[a.text]) for a in labelled),
    )


def _agreement(answers: Iterable[tuple[LoggedAsk, int | None]]) -> ReplayAgreement:
    right = wrong = missed = 0
    for ask, given in answers:
        if ask.expected is not None:
            if given == ask.expected:
                right += 1
                continue
            missed += 1
        if given is not None:
            wrong += 1
    return ReplayAgreement(right, wrong, missed)


def _change(counted: Counter[str]) -> ReplayChange:
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    return ReplayChange(sum(counted.values()), tuple(text for text, _ in ranked[:EXAMPLES]))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
