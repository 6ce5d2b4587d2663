"""`factbot review`: the moderators' queue of logged questions (list, show, teach, create, dismiss, reopen), the
replay of the log, its stats, and deleting from it (purge, forget); `factbot unanswered` is the short form of
`factbot review list --kind unanswered`.

Failures are one line on stderr and a non-zero exit; purge and forget ask first on a terminal and need --yes
anywhere else. Actions are recorded as `cli:NAME` (FACTBOT_ACTOR, or the OS user).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.cli.actor import cli_actor
from bot.cli.review_output import (
    legacy_unanswered_json,
    plural,
    print_decision,
    print_group,
    print_queue,
    print_replay,
    print_stats,
)
from bot.cli.runtime import fail, out, print_json, settings, with_store
from store import ClaimStore, FactbotError, ReviewDecision, stats_png

T = TypeVar("T")

review_app = typer.Typer(
    help="The moderators' review queue: questions left unanswered, weak answers and disputed answers, grouped.",
    no_args_is_help=True,
)

# The store names the field at fault; the terminal names what was typed.
_OPTION_OF_FIELD = {
    "group": "GROUP",
    "topic": "TOPIC_SLUG",
    "title": "--title",
    "slug": "--slug",
    "reason": "--reason",
    "note": "--note",
    "kind": "--kind",
    "days": "--days",
    "limit": "--limit",
    "threshold": "--threshold",
    "older_than": "--older-than",
    "user": "--user",
    "actor": "FACTBOT_ACTOR",
}

Json = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Days = Annotated[int, typer.Option("--days", min=1, max=3650, help="Look back this many days.")]
Group = Annotated[str, typer.Argument(help="The group's id, as `factbot review list` shows it (12 or #12).")]
Yes = Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation (needed when not on a terminal).")]


@review_app.command("list")
def list_(
    kind: Annotated[
        str,
        typer.Option("--kind", help='unanswered, weak (answered, but barely), disputed ("Not what I asked") or all.'),
    ] = "all",
    days: Days = 30,
    server: Annotated[
        int | None, typer.Option("--server", help="Only the asks of this Discord server (its id).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="At most this many groups.")] = 20,
    as_json: Json = False,
) -> None:
    """List the open groups of the queue, most asked first, each with the topic nearest it now."""
    queue = _with_store(lambda store: store.review_queue(kind=kind, days=days, guild_id=server, limit=limit))
    if as_json:
        print_json(queue.to_json())
    else:
        print_queue(out, queue, days=days, kind=kind.strip().lower())


@review_app.command("show")
def show(group: Group, as_json: Json = False) -> None:
    """Show one group (open, taught or dismissed): every wording, who asked it where and when, what was decided."""
    group_id = _group_id(group)
    detail = _with_store(lambda store: store.review_group(group_id))
    if as_json:
        print_json(detail.to_json())
    else:
        print_group(out, detail)


@review_app.command("teach")
def teach(
    group: Group, topic_slug: Annotated[str, typer.Argument(help="The topic that answers the group's question.")]
) -> None:
    """Make the group's questions aliases of TOPIC_SLUG, so that they (and close variants) are answered by it."""
    group_id = _group_id(group)
    actor = cli_actor()
    _decided("teach", lambda store: store.teach_group(group_id, topic_slug, actor=actor))


@review_app.command("create")
def create(
    group: Group,
    title: Annotated[
        str, typer.Option("--title", help="The new topic's question, e.g. 'Is the Rafah crossing open?'.")
    ],
    slug: Annotated[str | None, typer.Option("--slug", help="Its slug; made from the title when left out.")] = None,
) -> None:
    """Create a topic from the group, its questions as aliases; it answers once it has statements."""
    group_id = _group_id(group)
    actor = cli_actor()
    _decided("create", lambda store: store.create_topic_from_group(group_id, title=title, slug=slug, actor=actor))


@review_app.command("dismiss")
def dismiss(
    group: Group,
    reason: Annotated[str, typer.Option("--reason", help="spam, off-topic, duplicate or out-of-scope.")],
    note: Annotated[str | None, typer.Option("--note", help="A note for the other moderators.")] = None,
) -> None:
    """Take the group out of the queue, with a reason; new asks of it stay out (unless asked as another kind)."""
    group_id = _group_id(group)
    actor = cli_actor()
    _decided("dismiss", lambda store: store.dismiss_group(group_id, reason=reason, note=note, actor=actor))


@review_app.command("reopen")
def reopen(group: Group) -> None:
    """Put a taught or dismissed group back in the queue."""
    group_id = _group_id(group)
    actor = cli_actor()
    _decided("reopen", lambda store: store.reopen_group(group_id, actor=actor))


@review_app.command("replay")
def replay(
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Replay at this threshold instead of FACTBOT_MATCH_THRESHOLD.")
    ] = None,
    days: Days = 30,
    as_json: Json = False,
) -> None:
    """Re-ask the logged questions against the store as it is now: what would change, and precision, recall and
    F1 against the moderators' decisions, when asked and now."""
    report = _with_store(lambda store: store.replay_log(days=days, threshold=threshold))
    if as_json:
        print_json(report.to_json())
    else:
        print_replay(out, report)


@review_app.command("stats")
def stats(
    days: Days = 30,
    as_json: Json = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write a chart of daily volume and answered rate (PNG).")
    ] = None,
) -> None:
    """Answered rate per day, weak and disputed rates, feedback, the top groups, volume per day and per server."""
    figures = _with_store(lambda store: store.review_stats(days=days))
    if plot is not None:
        try:
            png = stats_png(figures)
        except FactbotError as exc:  # the [plot] extra is not installed
            raise fail(str(exc)) from None
        try:
            plot.write_bytes(png)
        except OSError as exc:
            raise fail(f"--plot: can't write {plot}: {exc.strerror or exc}") from None
    if as_json:
        print_json(figures.to_json() | ({"plot": str(plot)} if plot else {}))
        return
    print_stats(out, figures)
    if plot is not None:
        out.print(f"\nChart written to {plot}.")


@review_app.command("purge")
def purge(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than", min=1, help="Delete what was logged more than DAYS days ago (default: the retention)."
        ),
    ] = None,
    yes: Yes = False,
) -> None:
    """Delete old questions and feedback from the query log, keeping their daily counts for the stats."""
    s = settings()
    days = older_than or s.query_log_retention_days
    if days is None:
        raise fail("--older-than: give the age in days (or set FACTBOT_QUERY_LOG_RETENTION_DAYS).")
    _confirm(f"Delete every question logged more than {days} days ago, and the feedback on them?", yes)
    report = _with_store(lambda store: store.purge_query_log(older_than_days=days))
    out.print(
        f"Deleted {plural(report.queries, 'logged question')} and "
        f"{plural(report.feedback, 'feedback press', 'feedback presses')} older than {plural(days, 'day')} "
        f"(their counts kept in the stats of {plural(report.days, 'day')})."
    )


@review_app.command("forget")
def forget(
    user: Annotated[int, typer.Option("--user", min=1, help="The member's Discord user id.")],
    yes: Yes = False,
) -> None:
    """Delete everything the query log holds of one member: their questions and feedback, and feedback on them."""
    _confirm(f"Delete every question and feedback press of member {user} from the query log?", yes)
    report = _with_store(lambda store: store.forget_member(user))
    out.print(
        f"Forgot member {user}: {plural(report.queries, 'question')} and "
        f"{plural(report.feedback, 'feedback press', 'feedback presses')} deleted"
        + (f", {plural(report.groups, 'review group')} with nothing left removed." if report.groups else ".")
    )


def unanswered(
    days: Days = 30,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="At most this many groups.")] = 20,
    as_json: Json = False,
) -> None:
    """List the questions left unanswered, grouped, most asked first (`factbot review list --kind unanswered`)."""
    queue = _with_store(lambda store: store.review_queue(kind="unanswered", days=days, limit=limit))
    if as_json:
        print_json(legacy_unanswered_json(queue, days))
    else:
        print_queue(out, queue, days=days, kind="unanswered")


def register(app: typer.Typer) -> None:
    """Add `factbot review ...` and `factbot unanswered` to the `factbot` command."""
    app.add_typer(review_app, name="review")
    app.command("unanswered")(unanswered)


# -- what the commands share ----------------------------------------------------------------------------


def _decided(action: str, change: Callable[[ClaimStore], Awaitable[ReviewDecision]]) -> None:
    print_decision(out, action, _with_store(change))


def _with_store(work: Callable[[ClaimStore], Awaitable[T]]) -> T:
    """Open the store, do `work`, close it; any failure is one line naming what was typed."""
    return with_store(work, options=_OPTION_OF_FIELD)


def _group_id(text: str) -> int:
    digits = text.strip().removeprefix("#")
    if not digits.isdigit() or int(digits) < 1:
        raise fail(f"GROUP: {text!r} is not a group id (the number `factbot review list` shows, e.g. 12).")
    return int(digits)


def _confirm(question: str, yes: bool) -> None:
    """Go on with --yes, or when the person at the terminal says so; refuse anywhere else."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise fail("not on a terminal: add --yes to confirm the deletion.")
    if not typer.confirm(question, default=False):
        out.print("Nothing deleted.")
        raise typer.Exit(1)
