"""The Bot: start-up (query log, answer desk, extensions, slash sync), the shared clients and shutdown.

It is handed an open store (`factbot run` opens it, waiting for the database) and never closes it: the store is
the caller's. Nothing connects at import or construction.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

import discord
from discord.ext import commands

from bot.cogs.factcheck._buttons import DYNAMIC_ITEMS
from bot.cogs.factcheck._desk import AnswerDesk
from bot.cooldowns import Cooldowns
from bot.guild_config import GuildConfig
from bot.reply import NO_PINGS
from bot.settings import BotSettings
from store import ClaimStore, QueryLogWriter, StoreUnavailable, WriterSettings

_log = logging.getLogger(__name__)

EXTENSIONS = ("bot.cogs.errors", "bot.cogs.factcheck", "bot.cogs.moderation")


def intents(*, message_content: bool = True) -> discord.Intents:
    """Only what the bot uses: servers and their channels, messages in them and in DMs, and message content
    (a privileged intent, for the prefix command; enable it in the Developer Portal)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = message_content
    return wanted


class FactBot(commands.AutoShardedBot):
    desk: AnswerDesk  # made in setup_hook, with the query log (both need the running loop)
    query_log: QueryLogWriter

    def __init__(self, settings: BotSettings, *, store: ClaimStore, **discord_options: Any) -> None:
        """A configured bot, not yet connected, on an open `store` (which stays open when the bot closes)."""
        options: dict[str, Any] = {
            "command_prefix": self._prefix_for,
            "intents": intents(message_content=settings.message_content),
            "allowed_mentions": NO_PINGS,
            "help_command": None,
            "shard_count": settings.shard_count,
            "shard_ids": list(settings.shard_ids) if settings.shard_ids else None,
        }
        options.update(discord_options)
        super().__init__(**options)
        self.settings = settings
        self.store = store
        self.guild_config = GuildConfig(store, ttl_s=settings.settings_cache_s)
        self._shutdown: asyncio.Future[None] | None = None

    # -- start-up -------------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        self.query_log = QueryLogWriter(self.store, WriterSettings(max_buffer=self.settings.query_log_buffer))
        self.query_log.start()
        self.desk = AnswerDesk(
            self.store,
            self.query_log,
            Cooldowns(
                user_rate=self.settings.user_rate,
                user_per=self.settings.user_per_s,
                guild_rate=self.settings.guild_rate,
                guild_per=self.settings.guild_per_s,
            ),
            self.guild_config,
            salt=await self._salt(),
            answers=self.settings.answers,
        )
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self._sync_commands()

    async def _salt(self) -> bytes:
        """The store's salt (FACTBOT_USER_HASH_SALT, or the installation's own), the same at every start."""
        try:
            return await self.store.user_hash_salt()
        except StoreUnavailable:
            _log.warning(
                "The claim store is unavailable: using a random salt until the next start, so the questions "
                "asked meanwhile can't be counted per member or forgotten."
            )
            return secrets.token_bytes(32)

    async def _sync_commands(self) -> None:
        mode = self.settings.sync_commands
        if mode == "off":
            _log.info("Slash command sync is off (FACTBOT_SYNC_COMMANDS=off).")
            return
        if mode == "global":
            synced = await self.tree.sync()
            _log.info("Synced %d global slash commands (they may take a while to appear).", len(synced))
            return
        for guild_id in mode:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            _log.info("Synced %d slash commands to guild %s.", len(synced), guild_id)

    async def _prefix_for(self, bot: commands.Bot, message: discord.Message) -> list[str]:
        if message.guild is None:
            return [self.settings.prefix]
        settings = await self.guild_config.get(message.guild.id)
        return [settings.prefix or self.settings.prefix]

    async def on_ready(self) -> None:
        _log.info("Connected as %s to %d servers.", self.user, len(self.guilds))

    # -- shutdown -------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Disconnect first (no new questions), then write the query log out; the store stays open.

        Safe to call more than once and from several tasks (a signal handler and `async with`): every caller
        returns only when the whole shutdown is done.
        """
        if self._shutdown is None:
            self._shutdown = asyncio.ensure_future(self._shut_down())
        await asyncio.shield(self._shutdown)

    async def _shut_down(self) -> None:
        await super().close()
        if hasattr(self, "query_log"):
            await self.query_log.close()
