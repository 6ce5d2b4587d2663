"""Moderators' decisions on a review group, each with its audit event in the same transaction.

Teaching makes the group's wordings aliases of a topic through the moderation layer's own topic edit (so the
topic's audit event and re-indexing follow as for any alias a moderator adds); creating makes a new topic
with them. Wordings already the topic's are skipped; a wording that is another open topic's alias refuses
the whole change, naming that topic. Nothing is written when a change is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.curation import SHORT_LIMIT, checked_actor, optional_text, required_text
from store.curation_views import TopicState
from store.db import curation
from store.db import curation_rows as rows
from store.db import models as m
from store.db.audit import audit
from store.db.curation_rows import Written
from store.db.review_groups import group_state, group_wordings
from store.errors import InvalidInput, ReviewGroupNotFound
from store.matching.text import fold
from store.records import AuditAction, AuditEntity
from store.review_queue import DismissReason, GroupState, Wording

MAX_NEW_ALIASES = 25  # the most asked wordings taught at once; the matcher finds the rarer variants from them
SLUG_WORDS_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Taught:
    """What a teach or create did to the topic."""

    group_id: int
    topic: str
    aliases_added: tuple[str, ...]
    aliases_kept: int
    left_out: tuple[str, ...]


async def teach(session: AsyncSession, group_id: int, slug: str, *, actor: str) -> Written[Taught]:
    actor = checked_actor(actor)
    group = await _open_group_for_change(session, group_id, "teach")
    topic = await rows.topic_for_change(session, required_text("topic", slug))
    if rows.state_of(topic) is not TopicState.OPEN:
        raise InvalidInput("topic", f"topic: {topic.slug!r} is retired; teach the group to an open topic.")
    known = {fold(a.text) for a in topic.aliases} | {fold(topic.title)}
    adding, kept, left_out = _aliases(await group_wordings(session, group.id), known)
    await _refuse_other_topics_aliases(session, adding, topic.id)
    edited = await curation.edit_topic(
        session,
        topic.slug,
        version=None,
        title=None,
        add_aliases=adding,
        remove_aliases=(),
        tags=None,
        actor=actor,
    )
    await _decide(session, group, GroupState.TAUGHT, actor, AuditAction.TEACH, topic=topic.slug, added=len(adding))
    taught = Taught(group.id, topic.slug, tuple(adding), kept, left_out)
    return Written(taught, edited.topic_ids)


async def create(session: AsyncSession, group_id: int, title: str, slug: str | None, *, actor: str) -> Written[Taught]:
    actor = checked_actor(actor)
    title = required_text("title", title)
    group = await _open_group_for_change(session, group_id, "create a topic from")
    chosen = slug.strip() if slug is not None else await _free_slug(session, slug_from_title(title))
    adding, kept, left_out = _aliases(await group_wordings(session, group.id), {fold(title)})
    await _refuse_other_topics_aliases(session, adding, None)
    created = await curation.add_topic(session, chosen, title, adding, (), actor)
    topic = created.result.slug
    await _decide(session, group, GroupState.TAUGHT, actor, AuditAction.CREATE_TOPIC, topic=topic, added=len(adding))
    return Written(Taught(group.id, topic, tuple(adding), kept, left_out), created.topic_ids)


async def dismiss(session: AsyncSession, group_id: int, reason: str, note: str | None, *, actor: str) -> Written[int]:
    actor = checked_actor(actor)
    why = _reason(reason)
    text = optional_text("note", note)
    group = await _open_group_for_change(session, group_id, "dismiss")
    group.dismiss_reason = why.value
    group.dismiss_note = text
    await _decide(session, group, GroupState.DISMISSED, actor, AuditAction.DISMISS)
    return Written(group.id, ())


async def reopen(session: AsyncSession, group_id: int, *, actor: str) -> Written[int]:
    actor = checked_actor(actor)
    group = await _group_for_change(session, group_id)
    if group.state == GroupState.OPEN.value:
        raise InvalidInput("group", f"group: #{group.id} is open already.")
    before = group_state(group)
    group.state = GroupState.OPEN.value
    group.dismiss_reason = None
    group.dismiss_note = None
    _touch(group, actor)
    await session.flush()
    audit(
        session,
        actor=actor,
        action=AuditAction.REOPEN,
        entity=AuditEntity.REVIEW_GROUP,
        key=str(group.id),
        before=before,
        after=group_state(group),
    )
    return Written(group.id, ())


def slug_from_title(title: str) -> str:
    """A slug made of the title's words: "Is the Rafah crossing open?" -> "is-the-rafah-crossing-open"."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", plain):
        if slug and len(slug) + 1 + len(word) > SLUG_WORDS_LIMIT:
            break
        slug = f"{slug}-{word}" if slug else word[:SLUG_WORDS_LIMIT]
    return slug or "topic"


# -- the group -----------------------------------------------------------------------------------------


async def _group_for_change(session: AsyncSession, group_id: int) -> m.ReviewGroup:
    """The group, locked (see curation_rows) and freshly read."""
    locked = await session.execute(
        update(m.ReviewGroup)
        .where(m.ReviewGroup.id == group_id)
        .values(state=m.ReviewGroup.state)
        .execution_options(synchronize_session=False)
    )
    if getattr(locked, "rowcount", 1) == 0:
        raise ReviewGroupNotFound(f"There is no review group #{group_id}.")
    group = await session.get(m.ReviewGroup, group_id, populate_existing=True)
    if group is None:
        raise ReviewGroupNotFound(f"There is no review group #{group_id}.")
    return group


async def _open_group_for_change(session: AsyncSession, group_id: int, doing: str) -> m.ReviewGroup:
    group = await _group_for_change(session, group_id)
    if group.state == GroupState.TAUGHT.value:
        raise InvalidInput(
            "group", f"group: #{group.id} was taught to {group.topic_slug!r}; reopen it first to {doing} it."
        )
    if group.state == GroupState.DISMISSED.value:
        raise InvalidInput(
            "group", f"group: #{group.id} was dismissed ({group.dismiss_reason}); reopen it first to {doing} it."
        )
    return group


async def _decide(
    session: AsyncSession,
    group: m.ReviewGroup,
    state: GroupState,
    actor: str,
    action: AuditAction,
    *,
    topic: str | None = None,
    added: int | None = None,
) -> None:
    before = group_state(group)
    group.state = state.value
    if topic is not None:
        group.topic_slug = topic
    group.decided_at = m.utcnow()
    _touch(group, actor)
    await session.flush()
    after = group_state(group) | ({"aliases_added": added} if added is not None else {})
    audit(
        session,
        actor=actor,
        action=action,
        entity=AuditEntity.REVIEW_GROUP,
        key=str(group.id),
        before=before,
        after=after,
    )


def _touch(group: m.ReviewGroup, actor: str) -> None:
    group.updated_at = m.utcnow()
    group.updated_by = actor


def _reason(reason: str) -> DismissReason:
    try:
        return DismissReason(reason.strip().lower() if isinstance(reason, str) else reason)
    except ValueError:
        options = ", ".join(r.value for r in DismissReason)
        raise InvalidInput("reason", f"reason: {reason!r} is not one of {options}.") from None


# -- its wordings as aliases ---------------------------------------------------------------------------


def _aliases(wordings: list[Wording], known: set[str]) -> tuple[list[str], int, tuple[str, ...]]:
    """The wordings to add (most asked first), how many the topic has already, and those left out (too long
    for an alias, or past the most asked)."""
    adding: list[str] = []
    kept = 0
    left_out: list[str] = []
    for wording in wordings:
        text = wording.text.strip()
        if fold(text) in known:
            kept += 1
        elif len(text) > SHORT_LIMIT or len(adding) >= MAX_NEW_ALIASES:
            left_out.append(text)
        else:
            known.add(fold(text))
            adding.append(text)
    return adding, kept, tuple(left_out)


async def _refuse_other_topics_aliases(session: AsyncSession, aliases: list[str], topic_id: int | None) -> None:
    owners = await curation.alias_owners(session, aliases, topic_id)
    for alias in aliases:
        if fold(alias) in owners:
            other = owners[fold(alias)]
            raise InvalidInput(
                "topic",
                f"topic: the group's question {alias!r} is already an alias of topic {other!r}; teach the group "
                f"to {other!r}, or dismiss it as a duplicate.",
            )


async def _free_slug(session: AsyncSession, base: str) -> str:
    """`base`, or `base-2`, `base-3`... the first no topic has."""
    taken = set(await session.scalars(select(m.Topic.slug).where(m.Topic.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
