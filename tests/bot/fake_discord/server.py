"""A small Discord on 127.0.0.1: REST v10 and gateway v10 for the real discord.py client to talk to.

It records every request, lets a test play members (messages, slash commands, autocomplete, button clicks),
injects faults (429s, 5xx, a dropped gateway) and collects problems (unknown routes, bodies Discord would
reject) that the test fixture turns into failures.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import web

from tests.bot.fake_discord import validation
from tests.bot.fake_discord.gateway import Gateway
from tests.bot.fake_discord.payloads import (
    DM,
    VIEW_AND_SEND,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    interaction_payload,
    message_payload,
    snowflake,
)
from tests.bot.fake_discord.recorder import DEFAULT_TIMEOUT, EventLog, RecordedRequest
from tests.bot.fake_discord.rest import InteractionState, Posted, RestApi

Json = dict[str, Any]

API_PREFIX = "/api/v10"

# Interaction types.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
SUB_COMMAND, STRING_OPTION, INTEGER_OPTION, BOOLEAN_OPTION, CHANNEL_OPTION, ROLE_OPTION = 1, 3, 4, 5, 7, 8
MESSAGE_COMMAND = 3  # an application command's type: a message's context menu
BUTTON, STRING_SELECT = validation.BUTTON, validation.STRING_SELECT
Option = str | int | bool | FakeChannel | FakeRole


@dataclass
class Fault:
    """Answer the next `times` requests matching method and path with this status instead."""

    method: str
    path: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


class InteractionHandle:
    """An interaction the test started; await what the bot answered."""

    def __init__(self, fake: FakeDiscord, state: InteractionState) -> None:
        self._fake = fake
        self.state = state
        self.id = state.id

    async def reply(self, *, within: float = DEFAULT_TIMEOUT) -> Posted:
        """The first message the user sees for this interaction (answer, update or followup)."""
        return await self._fake.posts.wait_for(
            lambda p: p.interaction_id == self.id and p.kind != "autocomplete", within=within
        )

    async def modal(self, *, within: float = DEFAULT_TIMEOUT) -> Posted:
        """The modal the bot opened in answer (fails if it answered with a message instead)."""
        answer = await self._fake.posts.wait_for(
            lambda p: p.interaction_id == self.id and p.kind != "autocomplete", within=within
        )
        if answer.kind != "modal":
            raise AssertionError(f"expected a modal, the bot answered {answer.kind}: {answer.content[:300]!r}")
        return answer

    async def choices(self, *, within: float = DEFAULT_TIMEOUT) -> list[Json]:
        posted = await self._fake.posts.wait_for(
            lambda p: p.interaction_id == self.id and p.kind == "autocomplete", within=within
        )
        return list(posted.body["data"]["choices"])


class FakeDiscord:
    token = "fake-bot-token"

    def __init__(self, *, recommended_shards: int = 1, privileged_intents: bool = True) -> None:
        self.recommended_shards = recommended_shards
        self.privileged_intents = privileged_intents  # False: as if not enabled in the Developer Portal
        self.bot_user = FakeUser(username="factbot", bot=True)
        self.application_id = self.bot_user.id
        self.owner = FakeUser(username="owner")
        self.member = FakeUser(username="reader")
        self.guild = FakeGuild(name="Newsroom", owner=self.owner)
        self.guild.member(self.owner)
        self.guild.member(self.member)
        self.guild.member(self.bot_user)
        self.guilds: list[FakeGuild] = [self.guild]
        self._dms: dict[int, FakeChannel] = {}
        self.requests: EventLog[RecordedRequest] = EventLog("REST requests")
        self.posts: EventLog[Posted] = EventLog("messages the bot posted or edited")
        self.problems: list[str] = []  # unknown routes, rejected bodies, errors inside the fake
        self.faults: list[Fault] = []
        self.gateway = Gateway(self)
        self.rest = RestApi(self)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_rest)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        for session in self.gateway.sessions.values():
            if session.socket is not None:
                await session.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @contextlib.contextmanager
    def pointed_at(self) -> Iterator[None]:
        """Point discord.py's REST base and default gateway here; restore them afterwards."""
        route_base = discord.http.Route.BASE
        default_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.base_url
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = route_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = default_gateway

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[FakeDiscord]:
        await self.start()
        try:
            with self.pointed_at():
                yield self
        finally:
            await self.close()

    # -- REST -----------------------------------------------------------------------------------------

    async def _handle_rest(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            payload = None  # multipart uploads; the bot doesn't send files
        recorded = RecordedRequest(
            method=request.method,
            path=request.path[len(API_PREFIX) :],
            query=dict(request.query),
            json=payload,
            headers=dict(request.headers),
        )
        self.requests.append(recorded)
        fault = self._take_fault(recorded)
        if fault is not None:
            return self._json(fault.status, fault.body, fault.headers)
        try:
            reply = await self.rest.handle(recorded)
        except Exception as exc:  # a bug in the fake must fail the test, not hang it
            self.problems.append(f"{recorded.method} {recorded.path}: the fake raised {exc!r}")
            return self._json(500, {"code": 0, "message": "fake error"})
        if reply is None:
            self.problems.append(f"unknown REST route {recorded.method} {recorded.path}")
            return self._json(404, {"code": 0, "message": "404: Not Found"})
        status, data = reply
        return self._json(status, data)

    @staticmethod
    def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> web.Response:
        if status == 204:
            return web.Response(status=204, headers=headers)
        # Exactly "application/json": discord.py doesn't parse JSON sent with a charset parameter.
        return web.Response(
            status=status,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    def _take_fault(self, request: RecordedRequest) -> Fault | None:
        for fault in self.faults:
            if fault.method == request.method and fault.path.fullmatch(request.path):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def fail_next(
        self,
        method: str,
        path: str,
        *,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` requests to METHOD path (a regex over the path after /api/v10) get `status`."""
        self.faults.append(
            Fault(method, re.compile(path), status, body or {"code": 0, "message": f"{status}"}, headers or {}, times)
        )

    def rate_limit_next(self, method: str, path: str, *, retry_after: float) -> None:
        """A Discord 429: `Via` header and a JSON body with retry_after, which discord.py honours."""
        self.fail_next(
            method,
            path,
            status=429,
            body={"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            headers={"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Scope": "user"},
        )

    # -- the world ------------------------------------------------------------------------------------

    @staticmethod
    def shard_of(guild_id: int, shard_count: int) -> int:
        return (guild_id >> 22) % shard_count

    def user(self, user_id: int) -> FakeUser:
        for guild in self.guilds:
            for member in guild.members:
                if member.user.id == user_id:
                    return member.user
        raise AssertionError(f"unknown user {user_id}")

    def channel(self, channel_id: int) -> FakeChannel | None:
        for guild in self.guilds:
            for channel in guild.channels:
                if channel.id == channel_id:
                    return channel
        for channel in self._dms.values():
            if channel.id == channel_id:
                return channel
        return None

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        if user.id not in self._dms:
            self._dms[user.id] = FakeChannel(name="dm", type=DM, recipient=user)
        return self._dms[user.id]

    def add_channel(self, name: str, guild: FakeGuild | None = None) -> FakeChannel:
        """A channel known to REST; call before the bot connects so GUILD_CREATE includes it."""
        guild = guild or self.guild
        channel = FakeChannel(name=name, guild_id=guild.id)
        guild.channels.append(channel)
        return channel

    def add_guild(self, name: str, *, owner: FakeUser | None = None) -> FakeGuild:
        """Another server with the bot in it; call before the bot connects so READY includes it."""
        guild = FakeGuild(name=name, owner=owner or FakeUser(username=f"{name} owner"))
        guild.member(guild.owner)
        guild.member(self.bot_user)
        self.guilds.append(guild)
        return guild

    def add_role(self, name: str, *, permissions: int = VIEW_AND_SEND, guild: FakeGuild | None = None) -> FakeRole:
        """A role in the server; call before the bot connects so GUILD_CREATE includes it."""
        role = FakeRole(name=name, permissions=permissions)
        (guild or self.guild).roles.append(role)
        return role

    def add_member(
        self, username: str, *, roles: tuple[FakeRole, ...] = (), guild: FakeGuild | None = None
    ) -> FakeUser:
        """A member of the server with these roles (their permissions come from the roles)."""
        user = FakeUser(username=username)
        (guild or self.guild).member(user).roles.extend(roles)
        return user

    def set_roles(self, user: FakeUser, roles: tuple[FakeRole, ...], *, guild: FakeGuild | None = None) -> None:
        """Change a member's roles: their next interactions carry the new roles and permissions."""
        (guild or self.guild).member(user).roles[:] = roles

    # -- playing members ------------------------------------------------------------------------------

    async def send_message(
        self,
        content: str,
        *,
        author: FakeUser | None = None,
        channel: FakeChannel | None = None,
        mentions: list[FakeUser] | None = None,
        mention_roles: list[int] | None = None,
        mention_everyone: bool = False,
    ) -> Json:
        """A member posts in a guild channel (MESSAGE_CREATE)."""
        author = author or self.member
        channel = channel or self.guild.channels[0]
        message = message_payload(
            channel=channel,
            author=author,
            member=self.guild.member(author),
            content=content,
            mentions=mentions,
            mention_roles=mention_roles,
            mention_everyone=mention_everyone,
        )
        self.rest.messages[int(message["id"])] = message
        await self.gateway.dispatch("MESSAGE_CREATE", message, guild_id=channel.guild_id)
        return message

    async def send_dm(self, content: str, *, author: FakeUser | None = None) -> Json:
        author = author or self.member
        message = message_payload(channel=self.dm_channel(author), author=author, content=content)
        self.rest.messages[int(message["id"])] = message
        await self.gateway.dispatch("MESSAGE_CREATE", message, guild_id=None)
        return message

    async def _interact(
        self, type: int, data: Json, *, user: FakeUser | None, channel: FakeChannel | None, message: Json | None = None
    ) -> InteractionHandle:
        user = user or self.member
        channel = channel or self.guild.channels[0]
        guild = next((g for g in self.guilds if g.id == channel.guild_id), None)
        payload = interaction_payload(
            type=type,
            application_id=self.application_id,
            channel=channel,
            user=user,
            guild=guild,
            data=data,
            message=message,
        )
        state = InteractionState(payload)
        self.rest.interactions[payload["token"]] = state
        await self.gateway.dispatch("INTERACTION_CREATE", payload, guild_id=guild.id if guild else None)
        return InteractionHandle(self, state)

    async def slash(
        self,
        command: str,
        options: Mapping[str, Option] | None = None,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """A member runs a slash command: "factcheck", or a subcommand like "factbot-settings show"."""
        name, *path = command.split()
        resolved: Json = {}
        typed = [self._option(k, v, resolved) for k, v in (options or {}).items()]
        for sub in reversed(path):
            typed = [{"name": sub, "type": SUB_COMMAND, "options": typed}]
        data: Json = {"id": str(snowflake()), "name": name, "type": 1, "options": typed}
        if resolved:
            data["resolved"] = resolved
        return await self._interact(APPLICATION_COMMAND, data, user=user, channel=channel)

    @staticmethod
    def _option(name: str, value: Option, resolved: Json) -> Json:
        if isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return {"name": name, "type": ROLE_OPTION, "value": str(value.id)}
        if isinstance(value, FakeChannel):
            channel = value.payload() | {"permissions": str(VIEW_AND_SEND)}
            resolved.setdefault("channels", {})[str(value.id)] = channel
            return {"name": name, "type": CHANNEL_OPTION, "value": str(value.id)}
        if isinstance(value, bool):
            return {"name": name, "type": BOOLEAN_OPTION, "value": value}
        if isinstance(value, int):
            return {"name": name, "type": INTEGER_OPTION, "value": value}
        return {"name": name, "type": STRING_OPTION, "value": value}

    async def autocomplete(
        self,
        name: str,
        option: str,
        typed: str,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        others: Mapping[str, Option] | None = None,
    ) -> InteractionHandle:
        """A member is typing `typed` into `option` of /name (or a subcommand, "statement add"), with `others`
        filled in already."""
        name, *path = name.split()
        typed_options = [self._option(k, v, {}) for k, v in (others or {}).items()]
        typed_options.append({"name": option, "type": STRING_OPTION, "value": typed, "focused": True})
        for sub in reversed(path):
            typed_options = [{"name": sub, "type": SUB_COMMAND, "options": typed_options}]
        data = {"id": str(snowflake()), "name": name, "type": 1, "options": typed_options}
        return await self._interact(AUTOCOMPLETE, data, user=user, channel=channel)

    async def message_command(
        self, name: str, target: Posted | Json, *, user: FakeUser | None = None
    ) -> InteractionHandle:
        """A member runs the message context-menu command `name` (Apps → name) on a message: one the bot posted,
        or one a member sent (`send_message`'s result)."""
        target_id = target.message["id"] if isinstance(target, Posted) else target["id"]
        message = dict(self.rest.messages[int(target_id)])
        data = {
            "id": str(snowflake()),
            "name": name,
            "type": MESSAGE_COMMAND,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }
        channel = self.channel(int(message["channel_id"]))
        return await self._interact(APPLICATION_COMMAND, data, user=user, channel=channel)

    async def select(
        self, posted: Posted, custom_id: str, values: list[str], *, user: FakeUser | None = None
    ) -> InteractionHandle:
        """A member picks `values` in the select menu `custom_id` of a message the bot posted."""
        message = self.rest.messages[int(posted.message["id"])]
        menus = {
            c.get("custom_id"): c
            for row in message.get("components", [])
            for c in row.get("components", [])
            if c.get("type") == STRING_SELECT
        }
        if custom_id not in menus:
            raise AssertionError(f"no select menu {custom_id!r} on that message; it has {list(menus)}")
        offered = [o["value"] for o in menus[custom_id].get("options", [])]
        if not set(values) <= set(offered):
            raise AssertionError(f"{values} are not among the options {offered}")
        channel = self.channel(int(message["channel_id"]))
        data = {"custom_id": custom_id, "component_type": STRING_SELECT, "values": values}
        return await self._interact(MESSAGE_COMPONENT, data, user=user, channel=channel, message=dict(message))

    async def submit(
        self,
        modal: Posted,
        values: dict[str, str] | None = None,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """The member who was shown `modal` submits it: each text input holds what the bot pre-filled, unless
        `values` (by the input's custom_id) says what they typed instead. `user` and `channel` default to the
        ones of the interaction that opened it."""
        form = modal.modal
        inputs = {i["custom_id"]: i for i in validation.modal_inputs(form)}
        values = values or {}
        unknown = set(values) - set(inputs)
        if unknown:
            raise AssertionError(f"the modal has no text inputs {sorted(unknown)}; it has {sorted(inputs)}")
        typed = {key: values.get(key, text_input.get("value") or "") for key, text_input in inputs.items()}
        problems = [p for key, value in typed.items() for p in validation.input_problems(inputs[key], value)]
        if problems:
            raise AssertionError("Discord would not let the member submit this: " + "; ".join(problems))
        opened = next(s for s in self.rest.interactions.values() if s.id == modal.interaction_id)
        rows = []  # as Discord sends them: each input in the label or action row it was shown in
        for top in form.get("components") or []:
            for text_input in validation.modal_inputs({"components": [top]}):
                submitted = {"type": validation.TEXT_INPUT, "custom_id": text_input["custom_id"]}
                submitted["value"] = typed[text_input["custom_id"]]
                if top.get("type") == validation.LABEL:
                    rows.append({"type": validation.LABEL, "component": submitted})
                else:
                    rows.append({"type": validation.ACTION_ROW, "components": [submitted]})
        data = {"custom_id": form["custom_id"], "components": rows}
        if user is None:
            user = self._interaction_user(opened.payload)
        if channel is None:
            channel = self.channel(int(opened.payload["channel_id"]))
        return await self._interact(
            MODAL_SUBMIT, data, user=user, channel=channel, message=opened.payload.get("message")
        )

    def _interaction_user(self, payload: Json) -> FakeUser:
        user = payload["member"]["user"] if "member" in payload else payload["user"]
        for guild in self.guilds:
            for member in guild.members:
                if member.user.id == int(user["id"]):
                    return member.user
        return self.dm_user(int(user["id"]))

    def dm_user(self, user_id: int) -> FakeUser:
        for channel in self._dms.values():
            if channel.recipient is not None and channel.recipient.id == user_id:
                return channel.recipient
        raise AssertionError(f"unknown user {user_id}")

    async def click(self, posted: Posted, custom_id: str, *, user: FakeUser | None = None) -> InteractionHandle:
        """A member clicks the button with `custom_id` on a message the bot posted."""
        message = self.rest.messages[int(posted.message["id"])]
        ids = [b.get("custom_id") for row in message.get("components", []) for b in row.get("components", [])]
        if custom_id not in ids:
            raise AssertionError(f"no button {custom_id!r} on that message; it has {ids}")
        channel = self.channel(int(message["channel_id"]))
        data = {"custom_id": custom_id, "component_type": BUTTON}
        return await self._interact(MESSAGE_COMPONENT, data, user=user, channel=channel, message=dict(message))

    def drop_gateway(self, guild_id: int | None = None) -> Any:
        """Close the gateway socket with 4000 (the client should RESUME); events sent meanwhile are replayed."""
        return self.gateway.drop(guild_id)
