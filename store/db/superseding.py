"""Which statements an answer shows, in what order: a statement that supersedes an older one (a new death
toll) comes first and carries the older figures; the older one is not shown on its own. Both stay stored."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from store.db import models as m
from store.records import Status
from store.views import PreviousFigure, StatementView

_PUBLISHED = Status.PUBLISHED.value


def answer_statements(
    statements: Sequence[m.Statement], view: Callable[[m.Statement], StatementView]
) -> tuple[StatementView, ...]:
    """The published statements of one topic as an answer shows them (`view` maps a row to its view)."""
    by_id = {s.id: s for s in statements}
    published = [s for s in statements if s.status == _PUBLISHED]
    replaced = {s.supersedes_id for s in published if s.supersedes_id in by_id}
    shown = [s for s in published if s.id not in replaced]
    newer = [s for s in shown if s.supersedes_id in by_id]
    others = [s for s in shown if s.supersedes_id not in by_id]
    return tuple(
        [_with_previous(view(s), by_id[s.supersedes_id], view) for s in newer if s.supersedes_id is not None]
        + [view(s) for s in others]
    )


def _with_previous(
    newer: StatementView, older: m.Statement, view: Callable[[m.Statement], StatementView]
) -> StatementView:
    if older.status == Status.RETRACTED.value:  # a withdrawn figure is not "previously" anything
        return newer
    old = view(older)
    previous = tuple(
        PreviousFigure(f.value, f.unit, f.counted, f.as_of, f.approximate, old.speaker.attribution, old.id)
        for f in old.figures
    )
    return dataclasses.replace(newer, previous=previous)
