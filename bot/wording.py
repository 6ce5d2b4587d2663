"""The sentences the bot says when it isn't showing an answer. One place, so they stay consistent."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot import limits
from bot.cooldowns import Limited
from bot.limits import clip
from bot.text import one_line, safe
from store import ReviewItem

UNAVAILABLE = "The claim store is unavailable right now, try again shortly."
APOLOGY = "Sorry, something went wrong on my side while answering. It has been logged; please try again in a moment."
FEEDBACK_THANKS = "Thanks, your feedback was recorded. It helps the moderators improve the answers."
TOPIC_GONE = "That topic is no longer in the claim store."
STATEMENT_GONE = "That statement is no longer in the claim store."
NEED_QUESTION = (
    "Ask me a question after the command, for example: `{prefix}factcheck Is there progress in the Cairo talks?`"
)
NOT_A_MODERATOR = "Only members with the **Manage Server** permission can change factbot's settings here."
SERVER_ONLY = "That only works in a server."


WHICH_CLAIM = (
    "Which claim should I check? Put it in your question, for example: “is it true that the Cairo talks made progress?”"
)


def unanswered(question: str) -> str:
    echo = clip(safe(one_line(question)), 300)
    return clip(
        f"I don't have attributed statements on “{echo}” yet. I've logged your question for the moderators, "
        "who review unanswered questions to decide what to add.",
        limits.CONTENT,
    )


def no_statement_by(speaker: str, *, related: bool) -> str:
    """A question about what someone said, and the store holds nothing by them on it."""
    who = clip(safe(one_line(speaker)), 100)
    after = " Related topics are below." if related else ""
    return clip(
        f"I have no statement by **{who}** on this. I've logged your question for the moderators.{after}",
        limits.CONTENT,
    )


def slow_down(limited: Limited) -> str:
    seconds = max(1, round(limited.retry_after))
    if limited.scope == "server":
        return f"Slow down: this server is asking a lot of questions right now. Try again in {seconds} s."
    return f"Slow down: you're asking questions faster than I answer them. Try again in {seconds} s."


def wrong_channel(channel_ids: tuple[int, ...]) -> str:
    where = ", ".join(f"<#{c}>" for c in channel_ids[:20])
    return clip(f"On this server I answer questions in {where}.", limits.CONTENT)


def review_list(items: Sequence[ReviewItem], days: int, marked: int) -> str:
    """The unanswered questions of one server for its moderators, most asked first, within one message."""
    if not items:
        return f"No unanswered questions waiting for review here in the last {days} days."
    lines = [f"**Unanswered here in the last {days} days**, most asked first:"]
    for n, item in enumerate(items, start=1):
        q = item.question
        askers = f"{q.askers} asker{'s' if q.askers != 1 else ''}, " if q.askers else ""
        when = f"<t:{int(q.last_asked.timestamp())}:R>"  # shown in each reader's own time zone
        line = f"{n}. **{q.asked}x** “{clip(safe(one_line(q.text)), 200)}” — {askers}last {when}"
        if item.nearest_title is not None:
            now = "answered now by" if item.answered_now else "nearest topic"
            line += f" · {now}: *{clip(safe(one_line(item.nearest_title)), 100)}* ({item.nearest_score:.2f})"
        lines.append(line)
    if marked:
        lines.append(f"Marked {marked} logged question{'s' if marked != 1 else ''} reviewed.")
    else:
        lines.append("Once dealt with, run this again with `mark_reviewed: True`.")
    while len("\n".join(lines)) > limits.CONTENT and len(lines) > 3:
        del lines[-2]  # the least asked go first; the closing line stays
    return clip("\n".join(lines), limits.CONTENT)


# -- moderators' tools ----------------------------------------------------------------------------------

FORM_EXPIRED = (
    "This form has expired (factbot keeps an open form for {minutes} minutes, and forgets it when it restarts). "
    "Nothing was changed: run the command again."
)
NOT_YOUR_FORM = "This form was opened by someone else. Nothing was changed."
NOTHING_CHANGED = "Nothing changed: statement #{id} is still at version {version}."
NOT_AN_ANSWER = (
    "That message isn't one of factbot's answers, so there are no statements to edit in it. "
    "Use it on an answer to /factcheck."
)
NO_STATEMENTS_SHOWN = "That answer shows no published statements any more."
AUDIT_FILTERS_TOO_LONG = "(These filters are too long to page through with buttons; narrow them.)"


def stale_edit(message: str, statement_id: int) -> str:
    """A refused edit on an old version: who changed it and when, and how to start again from theirs."""
    return clip(
        f"{safe(message)}\nNothing of yours was saved. Run `/statement edit statement:{statement_id}` again to "
        "start from the version stored now.",
        limits.CONTENT,
    )


def moderator_role(role_id: int | None) -> str:
    if role_id is None:
        return "none (members with Manage Server only)"
    return f"<@&{role_id}>"


def topic_closed(slug: str, state: str) -> str:
    return f"Topic {safe(slug)} is {state}: statements can only be added to an open topic."


def added(statement_id: int, topic: str) -> str:
    return f"Added statement #{statement_id} to {safe(topic)}: answers show it now."


def edited(statement_id: int, version: int) -> str:
    return f"Saved statement #{statement_id} (now version {version}): answers show it now."


def retracted(statement_id: int) -> str:
    return (
        f"Retracted statement #{statement_id}: it is out of answers now, and kept with your reason. "
        f"`/statement restore statement:{statement_id}` brings it back."
    )


def restored(statement_id: int) -> str:
    return f"Restored statement #{statement_id}: answers show it again."


def moved(statement_id: int, topic: str) -> str:
    return f"Moved statement #{statement_id} to {safe(topic)}."


TOPIC_ADDED = "Added the topic: questions can find it now."
TOPIC_SAVED = "Saved: answers use it now."
TOPIC_MERGED = "Merged: its statements and aliases are in this topic now, and its old slug leads here."
TOPIC_RETIRED = "Retired: the topic is out of answers and autocomplete, and kept in history."
EDIT_THESE_HEAD = "**The statements this answer shows** (as stored now), with their ids:"
EDIT_THESE_FOOT = (
    "Pick one below to edit its words and sources; `/statement retract`, `/statement restore` and "
    "`/statement move` take these ids."
)


def curation_here(guild_id: int, curation_guilds: Collection[int]) -> str:
    if not curation_guilds:
        return "off everywhere (the operator names the curation servers in FACTBOT_CURATION_GUILDS)"
    if guild_id not in curation_guilds:
        return "no, this isn't one of the curation servers (FACTBOT_CURATION_GUILDS)"
    return "yes, for members with Manage Server or the moderator role"


EVERYONE_IS_NO_MODERATOR_ROLE = "@\u200beveryone can't be the moderator role: pick a role that only moderators have."


def no_audit_events(filters: str) -> str:
    """`filters` as `AuditQuery.describe` gives them, already made inert."""
    return f"No changes recorded for {filters}."


FIX_AND_RESUBMIT = "Nothing was saved. **Fix and resubmit** opens the form again with what you typed."
