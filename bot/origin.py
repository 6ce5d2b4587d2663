"""Where a question came from: the entry point, the asker, the server and channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from store.records import QuerySource


@dataclass(frozen=True, slots=True)
class Origin:
    source: QuerySource
    user_id: int
    guild_id: int | None
    channel_id: int | None

    @classmethod
    def of_interaction(cls, interaction: discord.Interaction[Any], source: QuerySource) -> Origin:
        return cls(source, interaction.user.id, interaction.guild_id, interaction.channel_id)

    @classmethod
    def of_message(cls, message: discord.Message, source: QuerySource) -> Origin:
        return cls(source, message.author.id, message.guild.id if message.guild else None, message.channel.id)
