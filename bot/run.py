"""`factbot run`: connect the bot and serve until stopped; every known failure is one clear line, not a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time

import aiohttp
import discord
from pydantic import ValidationError

from bot.bot import FactBot
from bot.settings import BotSettings
from store import ClaimStore, FactbotError, StoreSettings, StoreUnavailable

_log = logging.getLogger("bot.run")

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set. Create a bot in the Discord Developer Portal (Bot → Reset Token) and run "
    "`DISCORD_TOKEN=... factbot run`; see the README's Discord section."
)
REFUSED_TOKEN = (
    "Discord refused the token in DISCORD_TOKEN (401 Unauthorized). Copy a fresh one from the Developer "
    "Portal (Bot → Reset Token); make sure it is the bot token, not the client secret."
)
NEEDS_INTENT = (
    "Discord refused the Message Content intent. Enable it in the Developer Portal: your application → Bot → "
    "Privileged Gateway Intents → Message Content Intent, then start again."
)


def explain(error: BaseException) -> str | None:
    """The sentence for a failure we know; None for anything else."""
    if isinstance(error, discord.LoginFailure):
        return REFUSED_TOKEN
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return NEEDS_INTENT
    if isinstance(error, FactbotError):  # StoreUnavailable, SchemaOutdated...: written for people
        return str(error)
    if isinstance(error, discord.GatewayNotFound | aiohttp.ClientConnectionError):
        return f"Could not reach Discord ({error}). Check the network connection and try again."
    if isinstance(error, discord.ConnectionClosed):
        return f"Discord closed the connection (code {error.code}): {error.reason or 'no reason given'}."
    return None


async def open_store_waiting(settings: StoreSettings | None, wait_s: float) -> ClaimStore:
    """Open the store, waiting up to `wait_s` for a database that is still starting (e.g. in compose).

    Like the CLI, the embedded SQLite file is migrated on the spot and gets the demo data when empty; a
    database server is migrated deliberately, with `factbot db upgrade`.
    """
    settings = settings or StoreSettings()
    deadline = time.monotonic() + wait_s
    delay = 0.5
    while True:
        try:
            store = await ClaimStore.open(settings, migrate_schema=settings.is_embedded)
            report = await store.ensure_demo()  # FACTBOT_DEMO=auto: a fresh SQLite store gets the demo
            if report is not None:
                _log.warning("The store was empty: loaded the demo data (%d statements).", report.statements_written)
            return store
        except StoreUnavailable as exc:  # not SchemaOutdated: that one won't fix itself
            if time.monotonic() + delay > deadline:
                raise
            _log.warning("Waiting for the database: %s", exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def serve(settings: BotSettings, token: str, store_settings: StoreSettings | None = None) -> None:
    store = await open_store_waiting(store_settings, settings.store_startup_wait_s)
    try:
        bot = FactBot(settings, store=store)
        _close_on_sigterm(bot)
        try:
            await bot.start(token)
        finally:
            await bot.close()  # waits for a close begun elsewhere (SIGTERM) to finish writing the query log
    finally:
        await store.close()


def _close_on_sigterm(bot: discord.Client) -> None:
    """`docker stop` sends SIGTERM: disconnect and write out the query log, as Ctrl+C does."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def close() -> None:
        _log.info("SIGTERM: shutting down.")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows, not off the main thread
        loop.add_signal_handler(signal.SIGTERM, close)


def run(settings: BotSettings | None = None, *, store_settings: StoreSettings | None = None) -> int:
    """Run the bot until interrupted; returns the process exit code."""
    try:
        settings = settings or BotSettings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        print(f"factbot: invalid setting: {problems}", file=sys.stderr)
        return 2
    token = settings.token()
    if not token or not token.strip():
        print(f"factbot: {MISSING_TOKEN}", file=sys.stderr)
        return 2
    if not logging.getLogger().handlers:  # leave an embedding application's (or pytest's) logging alone
        level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
        discord.utils.setup_logging(level=level)
    try:
        asyncio.run(serve(settings, token.strip(), store_settings))
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        message = explain(exc)
        if message is None:
            _log.exception("factbot stopped on an unexpected error")
            message = f"stopped on an unexpected error ({type(exc).__name__}); the log above has the details."
        print(f"factbot: {message}", file=sys.stderr)
        return 1
    return 0
