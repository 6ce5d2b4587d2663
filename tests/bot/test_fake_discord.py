"""The fake Discord itself, proven with a plain discord.py client before any factbot code is involved."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands

from tests.bot.fake_discord import FakeDiscord


class PlainClient(discord.Client):
    """An echo bot and a /echo command: just enough to drive every path of the fake."""

    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = intents.guild_messages = intents.dm_messages = intents.message_content = True
        super().__init__(intents=intents, guild_ready_timeout=0.05, allowed_mentions=discord.AllowedMentions.none())
        self.tree = app_commands.CommandTree(self)
        self.resumed = asyncio.Event()

        @self.tree.command(name="echo")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(discord.ui.Button(label="again", custom_id="again"))
            await interaction.response.send_message(f"echo: {text}", view=view)

        @echo.autocomplete("text")
        async def echo_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=current.upper(), value=current)]

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        pass  # the default sleeps 5 s before every re-IDENTIFY

    async def on_resumed(self) -> None:
        self.resumed.set()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.id != self.user.id:  # type: ignore[union-attr]
            await message.channel.send(f"heard: {message.content}")

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.data and interaction.data.get("custom_id") == "again":
            await interaction.response.edit_message(content="again!")


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    async with fake.running():
        yield fake
    assert not fake.problems


@pytest.fixture
async def client(fake: FakeDiscord) -> AsyncIterator[PlainClient]:
    client = PlainClient()
    task = asyncio.create_task(client.start(fake.token))
    await asyncio.wait_for(client.wait_until_ready(), 5)
    yield client
    await client.close()
    await task


async def test_login_identify_and_ready(fake: FakeDiscord, client: PlainClient) -> None:
    assert client.user is not None and client.user.id == fake.bot_user.id
    assert [g.id for g in client.guilds] == [fake.guild.id]
    identify = fake.gateway.received.matching(lambda f: f["op"] == 2)
    assert len(identify) == 1 and identify[0]["d"]["token"] == fake.token
    assert fake.requests.matching(lambda r: r.path == "/users/@me")


async def test_message_round_trip(fake: FakeDiscord, client: PlainClient) -> None:
    await fake.send_message("hello")
    posted = await fake.posts.wait_for()
    assert posted.content == "heard: hello"
    assert posted.allowed_mentions == {"parse": []}


async def test_slash_autocomplete_and_button(fake: FakeDiscord, client: PlainClient) -> None:
    choices = await (await fake.autocomplete("echo", "text", "abc")).choices()
    assert choices == [{"name": "ABC", "value": "abc"}]

    answer = await (await fake.slash("echo", {"text": "hi"})).reply()
    assert answer.content == "echo: hi" and answer.buttons[0]["custom_id"] == "again"

    edited = await (await fake.click(answer, "again")).reply()
    assert edited.kind == "edit" and edited.content == "again!"


async def test_rate_limit_is_honoured(fake: FakeDiscord, client: PlainClient) -> None:
    fake.rate_limit_next("POST", r"/channels/\d+/messages", retry_after=0.05)
    await fake.send_message("busy")
    posted = await fake.posts.wait_for()
    assert posted.content == "heard: busy"
    attempts = fake.requests.matching(lambda r: r.method == "POST" and r.path.endswith("/messages"))
    assert len(attempts) == 2


async def test_gateway_close_4000_resumes_and_replays(fake: FakeDiscord, client: PlainClient) -> None:
    closing = fake.drop_gateway()
    await fake.send_message("while you were away")  # kept in the session's history, not sent
    await closing
    await asyncio.wait_for(client.resumed.wait(), 5)
    posted = await fake.posts.wait_for()
    assert posted.content == "heard: while you were away"
    assert [f["op"] for f in fake.gateway.received if f["op"] in (2, 6)] == [2, 6]  # IDENTIFY, then RESUME
    assert fake.gateway.replayed.matching(lambda f: f["t"] == "MESSAGE_CREATE")


async def test_unknown_route_is_reported(fake: FakeDiscord, client: PlainClient) -> None:
    with pytest.raises(discord.NotFound):
        await client.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=fake.guild.id))
    assert fake.problems == [f"unknown REST route GET /guilds/{fake.guild.id}/bans"]
    fake.problems.clear()


async def test_bodies_over_discord_limits_are_rejected(fake: FakeDiscord, client: PlainClient) -> None:
    channel = client.get_channel(fake.guild.channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send("x" * 2001)
    assert raised.value.status == 400
    assert fake.problems and "content is 2001 > 2000" in fake.problems[0]
    fake.problems.clear()
