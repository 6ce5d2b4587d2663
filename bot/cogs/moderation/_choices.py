"""Autocomplete for the moderators' options (topics, speakers) and reading a topic option back as a slug.

A topic picked from the list arrives as `#<topic id>` (the store suggests titles with ids, from memory); a
moderator may also type a slug, which is used as typed, merged and retired slugs included.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands

from bot import limits
from store import ClaimStore, TopicNotFound

PICKED = re.compile(r"#(?P<id>\d{1,19})")


def _store(interaction: discord.Interaction[Any]) -> ClaimStore:
    store: ClaimStore = interaction.client.store
    return store


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=name[: limits.CHOICE_TEXT] or value, value=value[: limits.CHOICE_TEXT])


async def topic_choices(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    """Open topics whose title matches what has been typed; with nothing typed yet, the first topics by slug."""
    store = _store(interaction)
    if current.strip():
        return [_choice(ref.title, f"#{ref.id}") for ref in store.suggest(current, limit=limits.CHOICES)]
    try:
        topics = await store.list_topics()
    except Exception:  # autocomplete must never break typing
        return []
    return [_choice(t.title, t.slug) for t in topics[: limits.CHOICES]]


async def speaker_choices(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    names = await _store(interaction).suggest_speakers(current, limit=limits.CHOICES)
    return [_choice(name, name) for name in names if name[: limits.CHOICE_TEXT] == name]


async def topic_slug(store: ClaimStore, value: str) -> str:
    """The slug a topic option names: a pick from the list (`#id`) or a slug as typed."""
    text = value.strip()
    picked = PICKED.fullmatch(text)
    if picked is None:
        return text
    try:
        return (await store.topic(int(picked["id"]))).slug
    except TopicNotFound:
        raise TopicNotFound(f"Topic {text} is no longer in the claim store.") from None
