"""A fake Discord (REST v10 + gateway v10) for testing the real discord.py client end to end."""

from tests.bot.fake_discord.payloads import FakeChannel, FakeGuild, FakeRole, FakeUser
from tests.bot.fake_discord.recorder import EventLog, RecordedRequest
from tests.bot.fake_discord.rest import Posted
from tests.bot.fake_discord.server import FakeDiscord, InteractionHandle, Option

__all__ = [
    "EventLog",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeRole",
    "FakeUser",
    "InteractionHandle",
    "Option",
    "Posted",
    "RecordedRequest",
]
