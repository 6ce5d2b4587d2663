"""The review queue's groups in the database: logged questions sorted into them, and their figures read back.

Every logged question is looked at once (`refresh`, before each listing): it gets its review kind, or "none",
and joins the group of that kind that asks the same question, or starts one. A verdict that changes later (a
member presses "Not what I asked" on an answer, or takes it back) sends its question round again. Refreshes
take a lock, so two listings at once can't start the same group twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, distinct, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import models as m
from store.db.audit import audit
from store.db.engine import dialect_insert
from store.db.rows import as_utc
from store.errors import ReviewGroupNotFound
from store.records import AuditAction, AuditEntity, QueryOutcome
from store.review_grouping import GroupFinder, question_key
from store.review_queue import (
    NOT_FOR_REVIEW,
    DismissReason,
    GroupState,
    ReviewGroup,
    ReviewKind,
    Wording,
    best_logged_score,
    review_kind,
)

SYSTEM_ACTOR = "factbot"  # who reopens a taught group whose question is asked again and still fails
REFRESH_LOCK = "review_refresh"
CHUNK = 1000
_PROVISIONAL = 1 << 62
EXAMPLES = 3
_Q = m.QueryLog
_G = m.ReviewGroup
# a group's figures over the asks counted: how many, by how many members, first and last
_FIGURES = (func.count(_Q.id), func.count(distinct(_Q.user_hash)), func.min(_Q.created_at), func.max(_Q.created_at))


# -- sorting questions into groups ---------------------------------------------------------------------


async def refresh(session: AsyncSession, *, threshold: float, band: float) -> int:
    """Give every logged question not looked at yet its kind and group; returns how many were looked at."""
    await _lock(session)
    await _send_changed_verdicts_round(session)
    groups = list(await session.scalars(select(_G).order_by(_G.id)))
    finders = {kind: GroupFinder((g.id, g.key) for g in groups if g.kind == kind) for kind in ReviewKind}
    by_id = {g.id: g for g in groups}
    provisional_ids = itertools.count(_PROVISIONAL)  # never reused within a refresh, though chunks pass
    seen = 0
    while True:
        rows = (
            await session.execute(
                select(_Q.id, _Q.uid, _Q.text, _Q.outcome, _Q.matches, _Q.created_at)
                .where(_Q.review_kind.is_(None))
                .order_by(_Q.id)
                .limit(CHUNK)
            )
        ).all()
        if not rows:
            return seen
        seen += len(rows)
        disputed = await _disputed_uids(session, [r.uid for r in rows])
        # new groups take provisional ids, after every real one, until one flush gives them theirs
        new: dict[int, m.ReviewGroup] = {}
        placed: list[tuple[int, str, int | None]] = []
        for row in rows:
            kind = review_kind(
                row.outcome, best_logged_score(row.matches), row.uid in disputed, threshold=threshold, band=band
            )
            if kind is None:
                placed.append((row.id, NOT_FOR_REVIEW, None))
                continue
            group_id = finders[kind].find(row.text)
            if group_id is None:
                group_id = next(provisional_ids)
                new[group_id] = _new_group(kind, row.text)
                finders[kind].add(group_id, new[group_id].key)
            elif group_id in by_id:
                _reopen_if_still_failing(session, by_id[group_id], as_utc(row.created_at))
            placed.append((row.id, kind.value, group_id))
        session.add_all(new.values())
        await session.flush()
        for provisional, group in new.items():
            by_id[group.id] = group
            for finder in finders.values():
                finder.rename(provisional, group.id)
        assigned = [
            {"id": row_id, "review_kind": kind_value, "review_group_id": new[g].id if g in new else g}
            for row_id, kind_value, g in placed
        ]
        await session.execute(update(_Q), assigned)  # one UPDATE by primary key, executed for every row


async def _lock(session: AsyncSession) -> None:
    """Serialise refreshes: a no-op write of one row (PostgreSQL's row lock, SQLite's write transaction)."""
    await session.execute(
        dialect_insert(session, m.Installation)
        .values(key=REFRESH_LOCK, value="")
        .on_conflict_do_nothing(index_elements=["key"])
    )
    await session.execute(
        update(m.Installation).where(m.Installation.key == REFRESH_LOCK).values(value=m.Installation.value)
    )


def _negative_verdicts() -> ColumnElement[bool]:
    negative = select(m.QueryFeedback.query_uid).where(m.QueryFeedback.helpful.is_(False))
    return _Q.uid.in_(negative)


async def _send_changed_verdicts_round(session: AsyncSession) -> None:
    """Answers disputed since they were looked at, and disputes taken back, are looked at again."""
    again = {"review_kind": None, "review_group_id": None}
    await session.execute(
        update(_Q)
        .where(
            _Q.outcome == QueryOutcome.ANSWERED.value,
            _Q.review_kind.in_([NOT_FOR_REVIEW, ReviewKind.WEAK.value]),
            _negative_verdicts(),
        )
        .values(**again)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(_Q)
        .where(_Q.review_kind == ReviewKind.DISPUTED.value, ~_negative_verdicts())
        .values(**again)
        .execution_options(synchronize_session=False)
    )


async def _disputed_uids(session: AsyncSession, uids: Sequence[str]) -> set[str]:
    query = (
        select(m.QueryFeedback.query_uid)
        .where(m.QueryFeedback.query_uid.in_(uids), m.QueryFeedback.helpful.is_(False))
        .distinct()
    )
    return set(await session.scalars(query))


def _new_group(kind: ReviewKind, text: str) -> m.ReviewGroup:
    now = m.utcnow()
    return m.ReviewGroup(
        kind=kind.value, key=question_key(text), state=GroupState.OPEN.value, created_at=now, updated_at=now
    )


def _reopen_if_still_failing(session: AsyncSession, group: m.ReviewGroup, asked_at: dt.datetime) -> None:
    """A taught group asked again since, and still failing, is open again (a dismissed one stays dismissed)."""
    decided = as_utc(group.decided_at) if group.decided_at else None
    if group.state != GroupState.TAUGHT.value or decided is None or asked_at <= decided:
        return
    before = group_state(group)
    group.state = GroupState.OPEN.value
    group.updated_at = m.utcnow()
    group.updated_by = SYSTEM_ACTOR
    after = {**group_state(group), "why": "asked again since it was taught, and still not well answered"}
    audit(
        session,
        actor=SYSTEM_ACTOR,
        action=AuditAction.REOPEN,
        entity=AuditEntity.REVIEW_GROUP,
        key=str(group.id),
        before=before,
        after=after,
    )


def group_state(group: m.ReviewGroup) -> dict[str, object]:
    """A group as its audit events record it (its questions are not repeated in the trail)."""
    return {
        "kind": group.kind,
        "state": group.state,
        "topic": group.topic_slug,
        "reason": group.dismiss_reason,
        "note": group.dismiss_note,
    }


# -- reading groups back -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """Which asks a listing counts: since when, and from which Discord server (None: all)."""

    since: dt.datetime | None = None
    guild_id: int | None = None

    def where(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.since is not None:
            found.append(_Q.created_at >= self.since)
        if self.guild_id is not None:
            found.append(_Q.guild_id == self.guild_id)
        return found


async def open_groups(
    session: AsyncSession, kinds: Collection[ReviewKind], window: Window, limit: int, exclude: Collection[int] = ()
) -> tuple[list[ReviewGroup], int]:
    """The open groups of `kinds` asked in the window, by demand (asks, then askers), newest first on a tie;
    and how many more there are past `limit`."""
    query = (
        select(_G.id, *_FIGURES)
        .join(_Q, _Q.review_group_id == _G.id)
        .where(_G.state == GroupState.OPEN.value, _G.kind.in_([k.value for k in kinds]), *window.where())
        .group_by(_G.id)
    )
    if exclude:
        query = query.where(_G.id.not_in(list(exclude)))
    figures = list((await session.execute(query)).all())
    figures.sort(key=lambda r: (-r[1], -r[2], -as_utc(r[4]).timestamp(), r[0]))
    chosen = figures[:limit]
    groups = await _described(session, [r[0] for r in chosen], window, EXAMPLES)
    listed = [
        _with_figures(groups[group_id][0], count, askers, first, last)
        for group_id, count, askers, first, last in chosen
    ]
    return listed, max(0, len(figures) - limit)


async def group_detail(
    session: AsyncSession, group_id: int, window: Window, wordings: int
) -> tuple[ReviewGroup, tuple[Wording, ...], m.ReviewGroup]:
    """One group of any state, its figures over the asks kept in the window, its most asked wordings, and its row.
    With a server in the window, a group never asked there is not found (a server sees its own questions)."""
    group = await session.get(_G, group_id, populate_existing=True)
    if group is None:
        raise ReviewGroupNotFound(f"There is no review group #{group_id}.")
    count, askers, first, last = (
        await session.execute(
            select(
                func.count(_Q.id), func.count(distinct(_Q.user_hash)), func.min(_Q.created_at), func.max(_Q.created_at)
            ).where(_Q.review_group_id == group_id, *window.where())
        )
    ).one()
    if window.guild_id is not None and not count:
        raise ReviewGroupNotFound(f"There is no review group #{group_id} asked on this server.")
    described = await _described(session, [group_id], window, wordings)
    view, all_wordings = described.get(group_id, (_bare(group), ()))
    return _with_figures(view, count, askers, first, last), all_wordings, group


async def group_wordings(session: AsyncSession, group_id: int) -> list[Wording]:
    """Every wording of a group's questions kept, most asked first."""
    return (await _wordings(session, [group_id], Window())).get(group_id, [])


async def _described(
    session: AsyncSession, group_ids: Sequence[int], window: Window, examples: int
) -> dict[int, tuple[ReviewGroup, tuple[Wording, ...]]]:
    if not group_ids:
        return {}
    rows = {g.id: g for g in await session.scalars(select(_G).where(_G.id.in_(group_ids)))}
    servers: dict[int, set[int]] = {}
    sources: dict[int, set[str]] = {}
    places = select(_Q.review_group_id, _Q.guild_id, _Q.source).distinct()
    for group_id, guild_id, source in await session.execute(
        places.where(_Q.review_group_id.in_(group_ids), *window.where())
    ):
        if group_id is None:
            continue
        if guild_id is not None:
            servers.setdefault(group_id, set()).add(int(guild_id))
        sources.setdefault(group_id, set()).add(source)
    wordings = await _wordings(session, group_ids, window)
    out = {}
    for group_id, row in rows.items():
        found = wordings.get(group_id, [])
        view = dataclasses.replace(
            _bare(row),
            servers=tuple(sorted(servers.get(group_id, ()))),
            sources=tuple(sorted(sources.get(group_id, ()))),
            examples=tuple(w.text for w in found[:EXAMPLES]),
        )
        out[group_id] = (view, tuple(found[:examples]))
    return out


async def _wordings(session: AsyncSession, group_ids: Sequence[int], window: Window) -> dict[int, list[Wording]]:
    """Each group's wordings, one per question_key (its most asked spelling), most asked first, then the first
    asked: a group's name changes only when another wording overtakes it."""
    query = (
        select(_Q.review_group_id, _Q.text, func.count(_Q.id), func.min(_Q.created_at))
        .where(_Q.review_group_id.in_(group_ids), *window.where())
        .group_by(_Q.review_group_id, _Q.text)
    )
    spellings: dict[int, dict[str, list[tuple[int, dt.datetime, str]]]] = {}
    for group_id, text, count, first in await session.execute(query):
        if group_id is None:
            continue
        spellings.setdefault(group_id, {}).setdefault(question_key(text), []).append((int(count), as_utc(first), text))
    out: dict[int, list[Wording]] = {}
    for group_id, keys in spellings.items():
        ranked = []
        for variants in keys.values():
            best = min(variants, key=lambda v: (-v[0], v[1], v[2]))
            ranked.append((sum(v[0] for v in variants), min(v[1] for v in variants), best[2]))
        ranked.sort(key=lambda w: (-w[0], w[1], w[2]))
        out[group_id] = [Wording(text, count) for count, _, text in ranked]
    return out


def _bare(row: m.ReviewGroup) -> ReviewGroup:
    return ReviewGroup(
        id=row.id,
        kind=ReviewKind(row.kind),
        state=GroupState(row.state),
        count=0,
        askers=0,
        servers=(),
        first_asked=None,
        last_asked=None,
        examples=(),
        topic=row.topic_slug,
        reason=DismissReason(row.dismiss_reason) if row.dismiss_reason else None,
        note=row.dismiss_note,
    )


def _with_figures(
    view: ReviewGroup, count: int, askers: int, first: dt.datetime | None, last: dt.datetime | None
) -> ReviewGroup:
    return dataclasses.replace(
        view,
        count=int(count),
        askers=int(askers),
        first_asked=as_utc(first) if first else None,
        last_asked=as_utc(last) if last else None,
    )
