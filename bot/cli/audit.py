"""`factbot audit`: the trail of every change to the store (and every refused attempt), newest first."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.json_output import audit_json
from bot.cli.moderation_output import print_audit
from bot.cli.options import JsonFlag, optional_date, optional_id
from bot.cli.runtime import out, print_json, with_store
from store import AuditEntry, ClaimStore

DEFAULT_LIMIT = 50


def audit(
    topic: Annotated[
        str | None,
        typer.Option("--topic", metavar="SLUG", help="Only this topic's events and its statements' (moved ones too)."),
    ] = None,
    statement: Annotated[
        str | None, typer.Option("--statement", metavar="ID", help="Only this statement's events (merges too).")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", metavar="NAME", help="Only changes by an actor whose name contains NAME.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="Only events on or after this day (UTC).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", help="At most N events (1 to 500).", show_default=True)
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, typer.Option("--offset", metavar="N", help="Skip the N newest matching events (to page on).")
    ] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Who changed what, and when: newest first.

    Each event has the record before and after the change; refused attempts are listed too.
    """

    async def action(store: ClaimStore) -> list[AuditEntry]:
        statement_id = optional_id(statement, "--statement")
        since_day = optional_date(since, "since")
        if topic is not None:
            await store.topic_detail(topic)  # an unknown slug is an error, not an empty trail
        return await store.audit_events(
            topic=topic, statement=statement_id, actor=actor, since=since_day, limit=limit, offset=offset
        )

    events = with_store(action)
    if as_json:
        print_json(audit_json(events))
        return
    print_audit(out, events)
