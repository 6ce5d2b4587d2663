"""The review commands' terminal output: the queue, one group, a decision, the replay and the stats (Rich, with
everything a member typed printed as plain text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store import (
    QueryCounts,
    ReplayAgreement,
    ReplayChange,
    ReplayReport,
    ReviewDecision,
    ReviewGroup,
    ReviewGroupDetail,
    ReviewQueue,
    ReviewStats,
)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def when(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "no ask kept"


def percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def print_queue(console: Console, queue: ReviewQueue, *, days: int, kind: str) -> None:
    if not queue.groups:
        what = "groups" if kind == "all" else f"{kind} groups"
        console.print(f"No open {what} in the last {days} days.")
        return
    for group in queue.groups:
        console.print(group_lines(group))
    asks = sum(g.count for g in queue.groups)
    summary = f"\n{plural(len(queue.groups), 'group')} ({plural(asks, 'ask')})"
    if queue.more:
        summary += f", and {queue.more:,} more past --limit"
    console.print(summary + ". Decide with `factbot review teach|create|dismiss GROUP ...`.")


def group_lines(group: ReviewGroup) -> Text:
    """Two or three lines: id, kind and demand; the question as most asked (and its next wording); the nearest topic."""
    line = Text(f"#{group.id:<5}", style="bold")
    line.append(f"{group.kind.value:<11}")
    details = [plural(group.count, "ask")]
    if group.askers:
        details.append(plural(group.askers, "member"))
    if group.servers:
        details.append(plural(len(group.servers), "server"))
    details.append(f"last {when(group.last_asked)}")
    line.append(" · ".join(details), style="dim")
    line.append("\n       ")
    line.append(f"“{group.question}”")
    if len(group.examples) > 1:
        line.append(" also asked as " + ", ".join(f"“{e}”" for e in group.examples[1:]), style="dim")
    if group.nearest is not None:
        n = group.nearest
        now = "answered now by" if n.answers else "nearest topic"
        line.append(f"\n       {now}: {n.title} ({n.slug}, {n.score:.2f})", style="dim")
    return line


def print_group(console: Console, detail: ReviewGroupDetail) -> None:
    g = detail.group
    console.print(Text(f"Review group #{g.id}: {g.kind.value}, {g.state.value}", style="bold"))
    if g.topic:
        console.print(f"  taught to: {g.topic}")
    if g.reason:
        console.print(Text(f"  dismissed: {g.reason.value}" + (f" ({g.note})" if g.note else "")))
    console.print(
        f"  {plural(g.count, 'ask')}"
        + (f" by {plural(g.askers, 'member')}" if g.askers else "")
        + (f" in {plural(len(g.servers), 'server')} ({', '.join(map(str, g.servers))})" if g.servers else "")
        + (f" via {', '.join(g.sources)}" if g.sources else "")
    )
    console.print(f"  first asked {when(g.first_asked)}, last {when(g.last_asked)}")
    if g.nearest:
        now = "answered now by" if g.nearest.answers else "nearest topic"
        console.print(Text(f"  {now}: {g.nearest.title} ({g.nearest.slug}, {g.nearest.score:.2f})"))
    console.print(
        f"  last changed {when(detail.updated_at)}" + (f" by {detail.updated_by}" if detail.updated_by else "")
    )
    if detail.wordings:
        console.print("  wordings, most asked first:")
        for w in detail.wordings:
            console.print(Text(f"  {w.count:>5}x ") + Text(w.text))


def print_decision(console: Console, action: str, decision: ReviewDecision) -> None:
    g = decision.group.group
    if action in ("teach", "create"):
        verb = f"Taught group #{g.id} to" if action == "teach" else f"Created topic from group #{g.id}:"
        added = len(decision.aliases_added)
        line = (
            f"{verb} {decision.topic!r}: {plural(added, 'wording')} added as {'an alias' if added == 1 else 'aliases'}"
        )
        if decision.aliases_kept:
            line += f" ({decision.aliases_kept:,} already there)"
        if decision.left_out:
            line += f"; {plural(len(decision.left_out), 'wording')} left out (too long, or past the most asked)"
        console.print(line + ".")
        if decision.answered_now:
            console.print("Its question is answered now.")
        else:
            console.print(
                "Its question is not answered yet: the topic needs published statements "
                "(or the question still scores under the threshold)."
            )
        return
    if action == "dismiss":
        reason = g.reason.value if g.reason else "?"
        console.print(f"Dismissed group #{g.id} ({reason}): new asks of it stay out of the queue.")
        return
    console.print(f"Reopened group #{g.id}: it is back in the queue.")


def print_replay(console: Console, report: ReplayReport) -> None:
    console.print(
        f"Replayed {plural(report.asks, 'ask')} ({plural(report.questions, 'distinct question')}) of the last "
        f"{report.days} days on the store as it is now, at threshold {report.threshold:.2f}."
    )
    console.print(f"  answered when asked: {report.answered_before:,}; answered now: {report.answered_after:,}")
    for label, change in (
        ("unanswered -> answered", report.to_answered),
        ("answered -> unanswered", report.to_unanswered),
        ("another top topic", report.other_topic),
    ):
        console.print(change_line(label, change))
    if not report.positives + report.negatives:
        console.print("No group of these questions is taught or dismissed yet: nothing to measure against.")
        return
    console.print(
        f"Against the moderators' decisions ({plural(report.positives, 'ask')} of taught groups, "
        f"{plural(report.negatives, 'ask')} of dismissed ones):"
    )
    table = Table(box=None, padding=(0, 2), show_edge=False)
    for heading in ("", "precision", "recall", "F1", "right", "wrong", "missed"):
        table.add_column(heading, justify="left" if not heading else "right")
    for label, agreement in (("when asked", report.before), ("now", report.after)):
        table.add_row(label, *agreement_cells(agreement))
    console.print(table)


def change_line(label: str, change: ReplayChange) -> Text:
    line = Text(f"  {label}: {plural(change.count, 'ask')}")
    if change.examples:
        line.append(", e.g. ")
        line.append(", ".join(f"“{e}”" for e in change.examples[:3]))
    return line


def agreement_cells(a: ReplayAgreement) -> list[str]:
    rates = [a.precision, a.recall, a.f1]
    return [*("-" if r is None else f"{r:.2f}" for r in rates), f"{a.right:,}", f"{a.wrong:,}", f"{a.missed:,}"]


def print_stats(console: Console, stats: ReviewStats) -> None:
    t = stats.total
    console.print(
        f"The last {stats.days} days ({stats.first_day} to {stats.last_day}): {plural(t.asked, 'question')} logged, "
        f"answered {percent(t.answered_rate)}; of the answers, weak {percent(t.weak_rate)}, disputed "
        f"{percent(t.disputed_rate)}; " + feedback_words(t)
    )
    console.print("\nPer day:")
    console.print(counts_table([(d.day.isoformat(), d.counts) for d in stats.per_day if d.counts.asked]))
    console.print("\nPer server:")
    console.print(counts_table([(str(s.guild_id) if s.guild_id else "CLI / DM", s.counts) for s in stats.per_server]))
    if stats.top_groups:
        console.print("\nTop open groups:")
        for group in stats.top_groups:
            console.print(group_lines(group))


def feedback_words(c: QueryCounts) -> str:
    presses = c.helpful + c.not_helpful
    if not presses:
        return "no feedback."
    return f"feedback: {plural(presses, 'press', 'presses')}, {percent(c.helpful_ratio)} “this answered it”."


def counts_table(rows: Sequence[tuple[str, QueryCounts]]) -> Table | str:
    if not rows:
        return "  (nothing logged)"
    table = Table(box=None, padding=(0, 2), show_edge=False)
    for heading in ("", "asked", "answered", "weak", "disputed", "helpful"):
        table.add_column(heading, justify="left" if not heading else "right")
    for label, c in rows:
        table.add_row(
            label,
            f"{c.asked:,}",
            percent(c.answered_rate),
            percent(c.weak_rate),
            percent(c.disputed_rate),
            percent(c.helpful_ratio),
        )
    return table


def legacy_unanswered_json(queue: ReviewQueue, days: int) -> dict[str, Any]:
    """`factbot unanswered --json`, in the shape it had before the review queue (with each group's id)."""
    return {
        "days": days,
        "questions": [
            {
                "id": g.id,
                "text": g.question,
                "asked": g.count,
                "askers": g.askers,
                "first_asked": g.first_asked.isoformat() if g.first_asked else None,
                "last_asked": g.last_asked.isoformat() if g.last_asked else None,
                "sources": list(g.sources),
                "nearest": (
                    {"topic_id": g.nearest.topic_id, "title": g.nearest.title, "score": round(g.nearest.score, 4)}
                    if g.nearest
                    else None
                ),
                "answered_now": bool(g.nearest and g.nearest.answers),
            }
            for g in queue.groups
        ],
    }
