"""The query log's figures: per day and per server, how much was asked and how well it was answered.

A day's figures are the counts of its raw rows still kept plus the daily aggregates of those retention (or
a purge) deleted, so they stay whole as raw rows go. Rates are None where there is nothing to divide by.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from store.records import QueryOutcome
from store.review_queue import ReviewGroup, ReviewKind

COUNTS = ("asked", "answered", "unanswered", "weak", "disputed", "helpful", "not_helpful")


@dataclass(frozen=True, slots=True)
class QueryCounts:
    asked: int = 0  # every logged question, refused and failed ones too
    answered: int = 0
    unanswered: int = 0
    weak: int = 0  # answered within the review band above the threshold (and not disputed)
    disputed: int = 0  # answered, and a member pressed "Not what I asked"
    helpful: int = 0  # "This answered it" presses
    not_helpful: int = 0

    def __add__(self, other: QueryCounts) -> QueryCounts:
        return QueryCounts(*(getattr(self, n) + getattr(other, n) for n in COUNTS))

    @property
    def answered_rate(self) -> float | None:
        """Answered among the questions the store was asked (refused and failed ones aside)."""
        return _ratio(self.answered, self.answered + self.unanswered)

    @property
    def weak_rate(self) -> float | None:
        return _ratio(self.weak, self.answered)

    @property
    def disputed_rate(self) -> float | None:
        return _ratio(self.disputed, self.answered)

    @property
    def helpful_ratio(self) -> float | None:
        """ "This answered it" among all the presses of either button."""
        return _ratio(self.helpful, self.helpful + self.not_helpful)

    def to_json(self) -> dict[str, Any]:
        rates = {
            "answered_rate": self.answered_rate,
            "weak_rate": self.weak_rate,
            "disputed_rate": self.disputed_rate,
            "helpful_ratio": self.helpful_ratio,
        }
        return {**dataclasses.asdict(self), **{k: _rounded(v) for k, v in rates.items()}}


@dataclass(frozen=True, slots=True)
class DayStats:
    day: dt.date
    counts: QueryCounts


@dataclass(frozen=True, slots=True)
class ServerStats:
    guild_id: int | None  # None: the CLI and direct messages
    counts: QueryCounts


@dataclass(frozen=True, slots=True)
class ReviewStats:
    days: int
    first_day: dt.date
    last_day: dt.date
    total: QueryCounts
    per_day: tuple[DayStats, ...]  # every day of the window, oldest first, empty ones too
    per_server: tuple[ServerStats, ...]  # most asked first
    top_groups: tuple[ReviewGroup, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "total": self.total.to_json(),
            "per_day": [{"day": d.day.isoformat(), **d.counts.to_json()} for d in self.per_day],
            "per_server": [
                {"server": str(s.guild_id) if s.guild_id is not None else None, **s.counts.to_json()}
                for s in self.per_server
            ],
            "top_groups": [g.to_json() for g in self.top_groups],
        }


class Tally:
    """QueryCounts per (day, server) built up one logged question at a time; server 0 is none."""

    def __init__(self) -> None:
        self.counts: dict[tuple[dt.date, int], QueryCounts] = {}

    def add_question(
        self, day: dt.date, guild_id: int | None, outcome: str, kind: str | None, helpful: int, not_helpful: int
    ) -> None:
        found = QueryCounts(
            asked=1,
            answered=int(outcome == QueryOutcome.ANSWERED),
            unanswered=int(outcome == QueryOutcome.UNANSWERED),
            weak=int(kind == ReviewKind.WEAK),
            disputed=int(kind == ReviewKind.DISPUTED),
            helpful=helpful,
            not_helpful=not_helpful,
        )
        self.add(day, guild_id, found)

    def add(self, day: dt.date, guild_id: int | None, counts: QueryCounts) -> None:
        key = (day, guild_id or 0)
        self.counts[key] = self.counts.get(key, QueryCounts()) + counts


def review_stats(tally: Tally, *, days: int, last_day: dt.date, top_groups: Iterable[ReviewGroup] = ()) -> ReviewStats:
    """The window's figures from a tally of its raw rows and aggregates."""
    first_day = last_day - dt.timedelta(days=days - 1)
    per_day = {first_day + dt.timedelta(days=i): QueryCounts() for i in range(days)}
    per_server: dict[int, QueryCounts] = {}
    for (day, guild_id), counts in tally.counts.items():
        if day in per_day:
            per_day[day] += counts
            per_server[guild_id] = per_server.get(guild_id, QueryCounts()) + counts
    total = sum(per_day.values(), QueryCounts())
    servers = sorted(per_server.items(), key=lambda s: (-s[1].asked, s[0]))
    return ReviewStats(
        days=days,
        first_day=first_day,
        last_day=last_day,
        total=total,
        per_day=tuple(DayStats(day, counts) for day, counts in per_day.items()),
        per_server=tuple(ServerStats(guild_id or None, counts) for guild_id, counts in servers),
        top_groups=tuple(top_groups),
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
