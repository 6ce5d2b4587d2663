"""The moderators' review queue: what a logged question asks of them, and the groups they decide on.

A question the store left unanswered, answered only weakly (a best score within the review band above the
threshold) or answered and disputed (a member pressed "Not what I asked") is an entry of that kind. Entries
of one kind that ask the same question (store/review_grouping.py) form one group, kept with an id for good.
A moderator teaches a group to a topic (its questions become the topic's aliases), creates a topic from it,
dismisses it with a reason, or reopens it. The same question in another kind is a group of its own: a dismissed
group stays dismissed when asked again, and its question comes back only as another kind; a taught group
whose question still fails after the teaching is opened again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from store.errors import InvalidInput
from store.records import QueryOutcome


class ReviewKind(StrEnum):
    UNANSWERED = "unanswered"
    WEAK = "weak"  # answered, with a best score within the review band above the threshold
    DISPUTED = "disputed"  # answered, and a member pressed "Not what I asked"


class GroupState(StrEnum):
    OPEN = "open"
    TAUGHT = "taught"  # its questions are aliases of a topic (taught to one, or a topic created from it)
    DISMISSED = "dismissed"


class DismissReason(StrEnum):
    SPAM = "spam"
    OFF_TOPIC = "off-topic"
    DUPLICATE = "duplicate"
    OUT_OF_SCOPE = "out-of-scope"


NOT_FOR_REVIEW = "none"  # the review kind of a logged question that asks nothing of moderators


def review_kind(
    outcome: str, best_score: float | None, disputed: bool, *, threshold: float, band: float
) -> ReviewKind | None:
    """What a logged question asks of moderators: disputed before weak; a refused or failed ask, nothing."""
    if outcome == QueryOutcome.UNANSWERED:
        return ReviewKind.UNANSWERED
    if outcome != QueryOutcome.ANSWERED:
        return None
    if disputed:
        return ReviewKind.DISPUTED
    if best_score is not None and best_score < threshold + band:
        return ReviewKind.WEAK
    return None


def best_logged_score(matches: object) -> float | None:
    """The best score a query log row's `matches` holds, if any."""
    if not isinstance(matches, list):
        return None
    scores = [float(m["score"]) for m in matches if isinstance(m, dict) and isinstance(m.get("score"), int | float)]
    return max(scores) if scores else None


@dataclass(frozen=True, slots=True)
class NearestTopic:
    """The topic nearest a group's question now (the matcher's best, with no threshold)."""

    topic_id: int
    slug: str
    title: str
    score: float
    answers: bool  # at or above the threshold, with statements to show: the question is answered now

    def to_json(self) -> dict[str, Any]:
        return {"slug": self.slug, "title": self.title, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class Wording:
    """One wording of a group's question and how often it was asked so."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    """A group as the queue lists it; the figures count the asks in the listing's window (and server)."""

    id: int
    kind: ReviewKind
    state: GroupState
    count: int
    askers: int  # distinct members (a CLI question has none)
    servers: tuple[int, ...]  # Discord server ids it was asked in
    first_asked: dt.datetime | None  # None: no ask of it is kept (purged, or not from this server)
    last_asked: dt.datetime | None
    examples: tuple[str, ...]  # its most asked wordings, most asked first
    sources: tuple[str, ...] = ()  # where it was asked: slash, prefix, dm, cli...
    topic: str | None = None  # the topic it was taught to (kept when it is opened again)
    reason: DismissReason | None = None
    note: str | None = None
    nearest: NearestTopic | None = None

    @property
    def question(self) -> str:
        return self.examples[0] if self.examples else ""

    def to_json(self) -> dict[str, Any]:
        """The shape of `factbot review list --json`."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "count": self.count,
            "askers": self.askers,
            "servers": [str(s) for s in self.servers],  # snowflakes are strings in JSON, as Discord's API has them
            "first_asked": self.first_asked.isoformat() if self.first_asked else None,
            "last_asked": self.last_asked.isoformat() if self.last_asked else None,
            "examples": list(self.examples),
            "nearest": self.nearest.to_json() if self.nearest else None,
        }


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    groups: tuple[ReviewGroup, ...]
    more: int  # open groups beyond the limit

    def to_json(self) -> dict[str, Any]:
        return {"groups": [g.to_json() for g in self.groups], "more": self.more}


@dataclass(frozen=True, slots=True)
class ReviewGroupDetail:
    """One group in full: every ask still kept (or one server's), its wordings, and what was decided."""

    group: ReviewGroup
    wordings: tuple[Wording, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str | None

    def to_json(self) -> dict[str, Any]:
        g = self.group
        return {
            **g.to_json(),
            "state": g.state.value,
            "topic": g.topic,
            "reason": g.reason.value if g.reason else None,
            "note": g.note,
            "answered_now": bool(g.nearest and g.nearest.answers),
            "wordings": [{"text": w.text, "count": w.count} for w in self.wordings],
            "sources": list(g.sources),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """What a moderator's action did: the group after it, and for a teach or create what the topic took in."""

    group: ReviewGroupDetail
    topic: str | None = None
    aliases_added: tuple[str, ...] = ()
    aliases_kept: int = 0  # wordings that were aliases (or the title) of the topic already
    left_out: tuple[str, ...] = field(default=())  # wordings too long to be an alias
    answered_now: bool = False  # the group's question is answered after the change

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group.to_json(),
            "topic": self.topic,
            "aliases_added": list(self.aliases_added),
            "aliases_kept": self.aliases_kept,
            "left_out": list(self.left_out),
            "answered_now": self.answered_now,
        }


@dataclass(frozen=True, slots=True)
class PurgeReport:
    queries: int
    feedback: int
    groups: int  # open groups left with no question, removed
    days: int  # days whose figures went into the daily aggregates

    def to_json(self) -> dict[str, Any]:
        return {"queries": self.queries, "feedback": self.feedback, "groups": self.groups, "days": self.days}


@dataclass(frozen=True, slots=True)
class ForgetReport:
    queries: int
    feedback: int
    groups: int  # groups left with none of their questions, removed

    def to_json(self) -> dict[str, Any]:
        return {"queries": self.queries, "feedback": self.feedback, "groups": self.groups}


MAX_DAYS = 3650
MAX_LIMIT = 500


def checked_kinds(kind: ReviewKind | str | None) -> tuple[ReviewKind, ...]:
    """The kinds a listing shows: one, or all of them for None or "all"."""
    if kind is None or (isinstance(kind, str) and kind.strip().lower() == "all"):
        return tuple(ReviewKind)
    try:
        return (ReviewKind(kind.strip().lower() if isinstance(kind, str) else kind),)
    except ValueError:
        options = ", ".join([*(k.value for k in ReviewKind), "all"])
        raise InvalidInput("kind", f"kind: {kind!r} is not one of {options}.") from None


def checked_count(field: str, value: int, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
        raise InvalidInput(field, f"{field}: between 1 and {highest:,}, not {value!r}.")
    return value


def checked_threshold(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise InvalidInput("threshold", f"threshold: a score between 0 and 1, not {value!r}.")
    return float(value)
