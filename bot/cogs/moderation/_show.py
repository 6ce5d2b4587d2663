"""What the moderators' tools show: a statement, a topic, lines of the audit trail. Plain message text, every
stored word passed through `safe` (a statement's link is shown defanged here, for checking, not following)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot import limits
from bot.cogs.factcheck._render import format_date
from bot.limits import clip
from bot.text import one_line, safe
from store import AuditEntry, Figure, StatementDetail, TopicDetail

LIST_LIMIT = 20  # statements listed under a topic
WORDS = 90  # characters of a statement's words in a one-line summary
# Bookkeeping that changes with every edit: not worth naming among what an edit changed.
_BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})


def figure_text(figure: Figure) -> str:
    as_of = f" as of {format_date(figure.as_of)}" if figure.as_of else ""
    return f"{figure.display_value} {safe(figure.unit)}: {safe(figure.counted)}{as_of}"


def statement_line(s: StatementDetail) -> str:
    """One line: id, status, stance, who and the start of the words."""
    words = clip(safe(one_line(s.text)), WORDS)
    who = safe(one_line(s.speaker.attribution))
    return f"**#{s.id}** · v{s.version} · {s.status.value} · {s.stance.value} · {who}: “{words}”"


def statement_text(s: StatementDetail) -> str:
    """A statement in full, as stored: what a moderator checks after a change."""
    speaker = s.speaker
    about = ", ".join(
        safe(part) for part in (speaker.kind.value, speaker.descriptor, speaker.affiliation, s.speaker_role) if part
    )
    source = [safe(part) for part in (s.outlet, s.cue) if part]
    source.append(format_date(s.said_on))
    if s.url:
        source.append(safe(s.url))
    lines = [
        f"**Statement #{s.id}** · version {s.version} · {s.status.value} · topic {safe(s.topic)}",
        f"**Speaker:** {safe(speaker.name)} ({about})",
        f"**Stance:** {s.stance.value} · {s.kind.value}",
        f"**Words:** {clip(safe(s.text), 1000)}",
        f"**Source:** {' · '.join(source)}",
    ]
    if s.figures:
        lines.append("**Figures:** " + "; ".join(figure_text(f) for f in s.figures))
    if s.supersedes:
        lines.append(f"**Supersedes:** #{s.supersedes}")
    if s.superseded_by:
        lines.append("**Superseded by:** " + ", ".join(f"#{i}" for i in s.superseded_by))
    if s.retraction_reason:
        lines.append(f"**Retracted:** {safe(s.retraction_reason)}")
    return clip("\n".join(lines), limits.CONTENT)


def topic_text(t: TopicDetail) -> str:
    """A topic in any state, with its statements of every status."""
    lines = [f"**{safe(t.title)}** · {safe(t.slug)} · {t.state.value} · version {t.version}"]
    if t.aliases:
        lines.append("**Aliases:** " + ", ".join(safe(a) for a in t.aliases))
    if t.tags:
        lines.append("**Tags:** " + ", ".join(safe(tag) for tag in t.tags))
    if t.merged_from:
        lines.append("**Merged in:** " + ", ".join(safe(s) for s in t.merged_from))
    if t.merged_into:
        lines.append(f"**Merged into:** {safe(t.merged_into)}")
    if t.retired_reason:
        lines.append(f"**Retired:** {safe(t.retired_reason)}")
    lines.append(f"**Statements ({len(t.statements)}):**")
    lines += [statement_line(s) for s in t.statements[:LIST_LIMIT]]
    if len(t.statements) > LIST_LIMIT:
        lines.append(f"… and {len(t.statements) - LIST_LIMIT} more.")
    return fitted(lines)


def fitted(lines: Sequence[str], *, keep_last: bool = False) -> str:
    """`lines` within one message: whole lines from the top, with "…" where the rest was left out."""
    kept: list[str] = []
    tail = [lines[-1]] if keep_last and lines else []
    budget = limits.CONTENT - sum(len(t) + 1 for t in tail) - 2
    for line in lines[: len(lines) - len(tail)]:
        if len(line) + 1 > budget:
            kept.append("…")
            break
        kept.append(line)
        budget -= len(line) + 1
    return clip("\n".join(kept + tail), limits.CONTENT)


def changed_keys(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    if before is None or after is None:
        return []
    keys: Iterable[str] = dict.fromkeys([*before, *after])
    return [k for k in keys if k not in _BOOKKEEPING and before.get(k) != after.get(k)]


def audit_line(e: AuditEntry) -> str:
    """One event: when (in each reader's time zone), who, what, and which fields a change changed."""
    when = f"<t:{int(e.at.timestamp())}:f>"
    head = f"`#{e.id}` {when} · {safe(one_line(e.actor))} ·"
    if e.action == "refused":
        attempted = safe(str((e.after or {}).get("attempted", "")))
        reason = clip(safe(one_line(str((e.after or {}).get("reason", "")))), 150)
        return f"{head} **refused** {attempted} ({safe(e.entity)} {safe(e.entity_id)}): {reason}"
    line = f"{head} **{safe(e.action)}** {safe(e.entity)} {safe(e.entity_id)}"
    changed = changed_keys(e.before, e.after)
    if changed:
        line += " — " + ", ".join(safe(k) for k in changed)
    return clip(line, 400)
