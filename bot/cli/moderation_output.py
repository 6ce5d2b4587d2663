"""Rendering what moderators read back for a terminal with Rich: details, what a change changed, the audit trail.

Everything a moderator typed is put in `Text` objects, never in markup, so it prints as written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store import (
    Attribution,
    AuditEntry,
    DemoReport,
    Figure,
    OutletDetail,
    SpeakerDetail,
    StatementDetail,
    StatementView,
    TopicDetail,
    TopicSummary,
)

NONE = "—"
SHOWN_CHARS = 80  # a value in a change summary; the detail commands show everything
# Bookkeeping every change moves on: said once ("version 3"), not listed as a change.
BOOKKEEPING = frozenset({"version", "updated_by", "updated_at", "created_by", "created_at"})


def statement_view(d: StatementDetail) -> StatementView:
    """A stored statement as answers show it, so that it is attributed by the same rule."""
    return StatementView(
        id=d.id,
        uid=d.uid,
        text=d.text,
        kind=d.kind,
        speaker=d.speaker,
        outlet=d.outlet,
        outlet_url=d.outlet_url,
        cue=d.cue,
        date=d.said_on,
        url=d.url,
        stance=d.stance,
        figures=d.figures,
        status=d.status,
        supersedes=d.supersedes,
        speaker_role=d.speaker_role,
        version=d.version,
    )


def figure_text(f: Figure) -> str:
    as_of = f" as of {f.as_of.isoformat()}" if f.as_of else ""
    return f"{f.display_value} {f.unit} — {f.counted}{as_of}"


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    return grid


def _row(grid: Table, label: str, value: object) -> None:
    grid.add_row(label, Text(NONE if value is None or value == "" else str(value)))


# -- statements ----------------------------------------------------------------------------------------


def print_statement(console: Console, d: StatementDetail) -> None:
    """Every field of a statement, its attribution as answers give it, and how to see its history."""
    heading = Text(f"Statement #{d.id}", style="bold")
    heading.append(f" (version {d.version}, {d.status.value}) in topic ")
    heading.append(d.topic, style="bold")
    console.print(heading)
    console.print(attributed(d))
    grid = _grid()
    _row(grid, "uid", d.uid)
    _row(grid, "stance", d.stance.value)
    _row(grid, "kind", d.kind.value)
    _row(grid, "text", d.text)
    _row(grid, "speaker", d.speaker.name)
    _row(grid, "speaker kind", d.speaker.kind.value)
    _row(grid, "descriptor", d.speaker.descriptor)
    _row(grid, "affiliation", d.speaker.affiliation)
    _row(grid, "role", d.speaker_role)
    _row(grid, "outlet", d.outlet)
    _row(grid, "cue", d.cue)
    _row(grid, "date", d.said_on.isoformat() if d.said_on else None)
    _row(grid, "published on", d.published_on.isoformat() if d.published_on else None)
    _row(grid, "url", d.url)
    _row(grid, "figures", "\n".join(figure_text(f) for f in d.figures) or None)
    _row(grid, "supersedes", f"#{d.supersedes}" if d.supersedes else None)
    _row(grid, "superseded by", ", ".join(f"#{i}" for i in d.superseded_by) or None)
    if d.retraction_reason:
        _row(grid, "retracted for", d.retraction_reason)
    _row(grid, "note", d.note)
    _row(grid, "created", _by_at(d.created_by, d.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")))
    _row(grid, "updated", _by_at(d.updated_by, d.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")))
    console.print(grid)
    console.print(
        Text(
            f"History: factbot audit --statement {d.id} · edit: factbot statement edit {d.id} --version {d.version} "
            "--FIELD VALUE",
            style="dim",
        )
    )


def attributed(d: StatementDetail) -> Text:
    """The statement as an answer shows it: its attribution, then its words."""
    line = Text(Attribution.of(statement_view(d)).text(), style="bold")
    line.append(": " + _words(d))
    return line


def _words(d: StatementDetail) -> str:
    return f"“{d.text}”" if d.kind.value == "quote" else d.text


def _by_at(by: str | None, at: str) -> str:
    return f"{at} by {by}" if by else at


def print_statement_change(
    console: Console, what: str, d: StatementDetail, changes: Sequence[Change] | None = None
) -> None:
    """One line saying what happened and the version now, then each field that changed (or the statement)."""
    line = Text(f"Statement #{d.id} {what}", style="bold")
    line.append(f" (now version {d.version}, {d.status.value}, in topic ")
    line.append(d.topic)
    line.append(").")
    console.print(line)
    if changes is None:
        console.print(attributed(d))
    else:
        print_changes(console, changes)


# -- topics --------------------------------------------------------------------------------------------


def print_topic(console: Console, t: TopicDetail) -> None:
    """A topic's title, state, version, aliases and tags, then every statement with its id, stance and status."""
    heading = Text(t.slug, style="bold")
    heading.append(": ")
    heading.append(t.title)
    console.print(heading)
    grid = _grid()
    state = t.state.value
    if t.retired_reason:
        state += f" ({t.retired_reason})"
    if t.merged_into:
        state += f" into {t.merged_into}"
    _row(grid, "state", state)
    _row(grid, "version", t.version)
    _row(grid, "aliases", "\n".join(t.aliases) or None)
    _row(grid, "tags", ", ".join(t.tags) or None)
    _row(grid, "merged from", ", ".join(t.merged_from) or None)
    _row(grid, "created", _by_at(t.created_by, t.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")))
    _row(grid, "updated", _by_at(t.updated_by, t.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")))
    console.print(grid)
    if not t.statements:
        console.print(Text(f"No statements yet: factbot statement add --topic {t.slug} ...", style="dim"))
        return
    table = Table(title=f"Statements ({len(t.statements)})", title_justify="left", box=None, padding=(0, 1))
    for column in ("id", "stance", "status", "version"):
        table.add_column(column, no_wrap=True)
    table.add_column("attribution and words")
    for s in t.statements:
        words = Text(Attribution.of(statement_view(s)).text(), style="bold")
        words.append(": " + shorten(_words(s), 120))
        if s.supersedes:
            words.append(f" (supersedes #{s.supersedes})", style="dim")
        table.add_row(f"#{s.id}", s.stance.value, s.status.value, str(s.version), words)
    console.print(table)


def print_topic_change(console: Console, what: str, t: TopicDetail, changes: Sequence[Change] | None = None) -> None:
    line = Text(f"Topic {t.slug} {what}", style="bold")
    line.append(f" (now version {t.version}, {t.state.value}).")
    console.print(line)
    if changes is not None:
        print_changes(console, changes)


def print_topics(console: Console, topics: Sequence[TopicSummary]) -> None:
    if not topics:
        console.print("No topics. `factbot demo load` loads the demo store; `factbot topic add` starts one.")
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("slug", "state", "version", "published"):
        table.add_column(column, no_wrap=True)
    table.add_column("title")
    for t in topics:
        state = f"merged into {t.merged_into}" if t.merged_into else t.state.value
        table.add_row(Text(t.slug), state, str(t.version), str(t.published), Text(t.title))
    console.print(table)


# -- speakers and outlets ------------------------------------------------------------------------------


def print_speaker(console: Console, s: SpeakerDetail) -> None:
    console.print(Text(s.name, style="bold"))
    grid = _grid()
    _row(grid, "aliases", ", ".join(s.aliases) or None)
    _row(grid, "role", s.role)
    _row(grid, "kinds", ", ".join(k.value for k in s.kinds) or None)
    _row(grid, "descriptors", "\n".join(s.descriptors) or None)
    _row(grid, "statements", s.statements)
    _row(grid, "topics", ", ".join(s.topics) or None)
    _row(grid, "version", s.version)
    console.print(grid)
    console.print(Text("Aliases are matched in questions and shown nowhere else.", style="dim"))


def print_outlet(console: Console, o: OutletDetail) -> None:
    console.print(Text(o.name, style="bold"))
    grid = _grid()
    _row(grid, "url", o.url)
    _row(grid, "statements", o.statements)
    _row(grid, "topics", ", ".join(o.topics) or None)
    console.print(grid)


# -- the demo ------------------------------------------------------------------------------------------


def print_demo_kept(console: Console, report: DemoReport) -> None:
    if report.kept:
        console.print(Text("Left as a moderator changed it: " + ", ".join(report.kept) + "."))


# -- changes -------------------------------------------------------------------------------------------

Change = tuple[str, object, object]  # field, before, after


def changes_between(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """The fields whose value differs, nested records one level down (`speaker.name`), bookkeeping left out."""
    old, new = _flat(before or {}), _flat(after or {})
    keys = list(dict.fromkeys([*new, *old]))
    return [(k, old.get(k), new.get(k)) for k in keys if k not in BOOKKEEPING and old.get(k) != new.get(k)]


def _flat(record: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping) and not _is_figure(value):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def print_changes(console: Console, changes: Sequence[Change]) -> None:
    if not changes:
        console.print("Nothing changed.")
        return
    for field, old, new in changes:
        line = Text(f"  {field}: ", style="bold")
        line.append(change_text(old, new))
        console.print(line)


def change_text(old: object, new: object) -> str:
    """`old → new`; for a list, what was added and removed (`added gaza toll; removed gaza dead`)."""
    if isinstance(old, list) and isinstance(new, list) and old and new:
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        if not added and not removed:
            return "reordered"
        return "; ".join([*(f"added {shown(v)}" for v in added), *(f"removed {shown(v)}" for v in removed)])
    return f"{shown(old)} → {shown(new)}"


def shown(value: object) -> str:
    """A stored value as one short line."""
    if value is None or value == "":
        return NONE
    if isinstance(value, Mapping):
        if _is_figure(value):
            as_of = f" as of {value['as_of']}" if value.get("as_of") else ""
            return shorten(f"{_number(value['value'])} {value['unit']} {value['counted']}{as_of}")
        if "name" in value:
            return shorten(str(value["name"]))
        return shorten(json.dumps(value, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return shorten("; ".join(shown(v) for v in value)) if value else "none"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _number(value)
    return shorten(str(value))


def _is_figure(value: Mapping[str, Any]) -> bool:
    return {"value", "unit", "counted"} <= value.keys()


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


# -- the audit trail -----------------------------------------------------------------------------------


def print_audit(console: Console, entries: Iterable[AuditEntry]) -> None:
    """Newest first: who did what to which record, when, and what it changed."""
    shown_any = False
    for e in entries:
        shown_any = True
        line = Text(f"#{e.id} ", style="bold")
        line.append(e.at.strftime("%Y-%m-%d %H:%M:%S UTC"), style="dim")
        line.append("  ")
        line.append(e.actor, style="cyan")
        line.append(f"  {e.action} {e.entity} ")
        record_id = (e.after or e.before or {}).get("id")
        if e.entity == "statement" and isinstance(record_id, int):
            line.append(f"#{record_id} ", style="bold")
            line.append(f"({e.entity_id})", style="dim")
        else:
            line.append(e.entity_id, style="bold")
        version = (e.after or {}).get("version")
        if isinstance(version, int) and not isinstance(version, bool):
            line.append(f" (version {version})", style="dim")
        console.print(line)
        for detail in audit_details(e):  # one line each: `--json` has every value whole
            console.print(Text(f"    {shorten(detail, max(40, console.width - 5))}"))
    if not shown_any:
        console.print("No audit events match.")


def audit_details(e: AuditEntry) -> list[str]:
    """What one event did, in a few short lines."""
    after = e.after or {}
    if e.action == "refused":
        return [f"refused {after.get('attempted', 'a change')}: {after.get('reason', '')}".rstrip(": ")]
    if e.before is None:
        return [_created(e.entity, after)]
    if e.after is None:
        return ["deleted"]
    return [f"{field}: {change_text(old, new)}" for field, old, new in changes_between(e.before, e.after)]


def _created(entity: str, after: Mapping[str, Any]) -> str:
    if entity == "statement":
        speaker = after.get("speaker")
        who = speaker.get("name") if isinstance(speaker, Mapping) else speaker
        return f"created in {after.get('topic', NONE)}: {who}: {shorten(str(after.get('text', '')))}"
    if entity == "topic":
        return f"created: {shorten(str(after.get('title', '')))}"
    return "created: " + shown(after)
