"""The REST v10 routes a bot uses, with Discord's answers. Anything else is an unknown route."""

from __future__ import annotations

import copy
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.bot.fake_discord import validation
from tests.bot.fake_discord.payloads import FakeChannel, message_payload, snowflake
from tests.bot.fake_discord.recorder import RecordedRequest

if TYPE_CHECKING:
    from tests.bot.fake_discord.server import FakeDiscord

Json = dict[str, Any]
Reply = tuple[int, Any]
Handler = Callable[[RecordedRequest, dict[str, str]], Awaitable[Reply]]

EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Interaction callback types.
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE, MODAL = 4, 5, 6, 7, 8, 9
MODAL_SUBMIT = 5  # the interaction type


@dataclass
class Posted:
    """A message the bot created or changed, as Discord stored it, with the body the bot sent."""

    kind: str  # "channel", "callback", "followup", "edit", "autocomplete", "modal"
    message: Json
    body: Json
    interaction_id: int | None = None

    @property
    def content(self) -> str:
        return str(self.message.get("content") or "")

    @property
    def embeds(self) -> list[Json]:
        return list(self.message.get("embeds") or [])

    @property
    def components(self) -> list[Json]:
        return list(self.message.get("components") or [])

    @property
    def buttons(self) -> list[Json]:
        """Every component in the message's rows: buttons, and any select menu."""
        return [c for row in self.components for c in row.get("components", [])]

    @property
    def selects(self) -> list[Json]:
        return [c for c in self.buttons if c.get("type") == validation.STRING_SELECT]

    @property
    def modal(self) -> Json:
        """A modal the bot opened (kind "modal"): its custom_id, title and rows of text inputs."""
        if self.kind != "modal":
            raise AssertionError(f"the bot answered with {self.kind!r}, not a modal")
        return dict(self.body.get("data") or {})

    @property
    def fields(self) -> dict[str, Json]:
        """A modal's text inputs by custom_id."""
        return {c["custom_id"]: c for c in validation.modal_inputs(self.modal)}

    @property
    def channel_id(self) -> int:
        return int(self.message["channel_id"])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.message.get("flags") or 0) & EPHEMERAL)

    @property
    def allowed_mentions(self) -> Json | None:
        value = self.body.get("allowed_mentions")
        return value if isinstance(value, dict) else None

    @property
    def pings_nobody(self) -> bool:
        """The body's allowed_mentions let Discord ping no one: no @everyone, roles, users or replied user."""
        mentions = self.allowed_mentions
        return (
            mentions is not None
            and mentions.get("parse") == []
            and not mentions.get("users")
            and not mentions.get("roles")
            and not mentions.get("replied_user")
        )

    @property
    def reply_to(self) -> str | None:
        """The id of the message this one replies to."""
        return (self.message.get("message_reference") or {}).get("message_id")

    def text(self) -> str:
        """Everything a reader sees: content, embed titles, descriptions, fields, footers."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for field_ in embed.get("fields") or []:
                parts += [field_["name"], field_["value"]]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)


@dataclass
class InteractionState:
    payload: Json
    callback_type: int | None = None
    original_id: int | None = None
    ephemeral_defer: bool = False
    message_ids: list[int] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.payload["id"])


def _error(status: int, code: int, message: str) -> Reply:
    return status, {"code": code, "message": message}


class RestApi:
    def __init__(self, fake: FakeDiscord) -> None:
        self._fake = fake
        self.messages: dict[int, Json] = {}
        self.interactions: dict[str, InteractionState] = {}
        self.commands: dict[int | None, list[Json]] = {}  # guild id (None: global) → registered commands
        app = r"(?P<app>\d+)"
        token = r"(?P<token>[^/]+)"
        message = r"(?P<message>\d+|@original)"
        self._routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        add = self._add
        add("GET", r"/users/@me", self._me)
        add("GET", r"/oauth2/applications/@me", self._application)
        add("GET", r"/gateway", self._gateway)
        add("GET", r"/gateway/bot", self._gateway_bot)
        add("POST", r"/users/@me/channels", self._open_dm)
        add("POST", r"/channels/(?P<channel>\d+)/typing", self._typing)
        add("POST", r"/channels/(?P<channel>\d+)/messages", self._create_message)
        add("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._edit_message)
        add("GET", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._get_message)
        add("PUT", rf"/applications/{app}/commands", self._put_commands)
        add("GET", rf"/applications/{app}/commands", self._get_commands)
        add("PUT", rf"/applications/{app}/guilds/(?P<guild>\d+)/commands", self._put_commands)
        add("GET", rf"/applications/{app}/guilds/(?P<guild>\d+)/commands", self._get_commands)
        add("POST", rf"/interactions/(?P<interaction>\d+)/{token}/callback", self._callback, auth=False)
        add("POST", rf"/webhooks/{app}/{token}", self._followup, auth=False)
        add("GET", rf"/webhooks/{app}/{token}/messages/{message}", self._get_webhook_message, auth=False)
        add("PATCH", rf"/webhooks/{app}/{token}/messages/{message}", self._edit_webhook_message, auth=False)

    def _add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        self._routes.append((method, re.compile(pattern + "$"), handler, auth))

    async def handle(self, request: RecordedRequest) -> Reply | None:
        """Discord's answer, or None when the route is unknown."""
        for method, pattern, handler, auth in self._routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                if auth and request.headers.get("Authorization") != f"Bot {self._fake.token}":
                    return _error(401, 0, "401: Unauthorized")
                return await handler(request, match.groupdict())
        return None

    # -- identity -------------------------------------------------------------------------------------

    async def _me(self, request: RecordedRequest, _: dict[str, str]) -> Reply:
        return 200, self._fake.bot_user.payload()

    async def _application(self, request: RecordedRequest, _: dict[str, str]) -> Reply:
        return 200, {
            "id": str(self._fake.application_id),
            "name": "factbot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self._fake.owner.payload(),
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "summary": "",
            "rpc_origins": [],
        }

    async def _gateway(self, request: RecordedRequest, _: dict[str, str]) -> Reply:
        return 200, {"url": self._fake.gateway_url}

    async def _gateway_bot(self, request: RecordedRequest, _: dict[str, str]) -> Reply:
        return 200, {
            "url": self._fake.gateway_url,
            "shards": self._fake.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }

    # -- channels and messages ------------------------------------------------------------------------

    async def _open_dm(self, request: RecordedRequest, _: dict[str, str]) -> Reply:
        recipient = self._fake.user(int(request.json["recipient_id"]))
        return 200, self._fake.dm_channel(recipient).payload()

    async def _typing(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        return 204, None

    async def _create_message(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        channel = self._fake.channel(int(params["channel"]))
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        problems = validation.message_problems(request.json or {})
        if problems:
            return self._invalid(request, problems)
        message = self._new_message(channel, request.json, flags=0)
        self._fake.posts.append(Posted("channel", copy.deepcopy(message), request.json))
        return 200, message

    async def _edit_message(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        message = self.messages.get(int(params["message"]))
        if message is None:
            return _error(404, 10008, "Unknown Message")
        return self._apply_edit(request, message, request.json or {}, interaction_id=None)

    async def _get_message(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        message = self.messages.get(int(params["message"]))
        return (200, message) if message is not None else _error(404, 10008, "Unknown Message")

    def _new_message(self, channel: FakeChannel, body: Json, *, flags: int, extra: Json | None = None) -> Json:
        reference = body.get("message_reference")
        if reference:  # Discord stores the reference with string ids
            extra = {**(extra or {}), "message_reference": {k: str(v) for k, v in reference.items() if "_id" in k}}
        message = message_payload(
            channel=channel,
            author=self._fake.bot_user,
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=flags | int(body.get("flags") or 0),
            extra=extra,
        )
        self.messages[int(message["id"])] = message
        return message

    def _apply_edit(self, request: RecordedRequest, message: Json, body: Json, *, interaction_id: int | None) -> Reply:
        merged = {**message, **{k: v for k, v in body.items() if k in ("content", "embeds", "components")}}
        problems = validation.message_problems({**merged, "flags": merged.get("flags")})
        if problems:
            return self._invalid(request, problems)
        merged["flags"] = int(merged.get("flags") or 0) & ~LOADING
        merged["edited_timestamp"] = merged["timestamp"]
        message.clear()
        message.update(merged)
        self._fake.posts.append(Posted("edit", copy.deepcopy(message), body, interaction_id))
        return 200, message

    def _invalid(self, request: RecordedRequest, problems: list[str]) -> Reply:
        self._fake.problems.append(f"{request.method} {request.path}: invalid body: {'; '.join(problems)}")
        return _error(400, 50035, "Invalid Form Body: " + "; ".join(problems))

    # -- application commands -------------------------------------------------------------------------

    async def _put_commands(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        guild = int(params["guild"]) if params.get("guild") else None
        registered = [
            # context-menu commands are sent without a description; Discord answers with an empty one
            {"description": "", **command, "id": str(snowflake()), "application_id": params["app"], "version": "1"}
            | ({"guild_id": str(guild)} if guild else {})
            for command in request.json
        ]
        self.commands[guild] = registered
        return 200, registered

    async def _get_commands(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        guild = int(params["guild"]) if params.get("guild") else None
        return 200, self.commands.get(guild, [])

    # -- interactions ---------------------------------------------------------------------------------

    def _interaction_channel(self, state: InteractionState) -> FakeChannel:
        channel = self._fake.channel(int(state.payload["channel_id"]))
        if channel is None:
            raise AssertionError("interaction in an unknown channel")
        return channel

    async def _callback(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        state = self.interactions.get(params["token"])
        if state is None or state.id != int(params["interaction"]):
            return _error(404, 10062, "Unknown interaction")
        if state.callback_type is not None:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body = request.json or {}
        kind, data = int(body["type"]), body.get("data") or {}
        state.callback_type = kind
        interaction: Json = {"id": str(state.id), "type": state.payload["type"]}
        resource: Json = {"type": kind}
        if kind == AUTOCOMPLETE:
            problems = validation.choices_problems(data.get("choices") or [])
            if problems:
                return self._invalid(request, problems)
            self._fake.posts.append(Posted("autocomplete", {}, body, state.id))
            return 200, {"interaction": interaction}
        if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            problems = validation.message_problems(data) if kind == CHANNEL_MESSAGE else []
            if problems:
                return self._invalid(request, problems)
            loading = LOADING if kind == DEFERRED_CHANNEL_MESSAGE else 0
            message = self._new_message(
                self._interaction_channel(state), data, flags=loading, extra={"webhook_id": str(state.id)}
            )
            state.original_id = int(message["id"])
            state.ephemeral_defer = bool(int(data.get("flags") or 0) & EPHEMERAL)
            state.message_ids.append(state.original_id)
            if kind == CHANNEL_MESSAGE:
                self._fake.posts.append(Posted("callback", copy.deepcopy(message), data, state.id))
            interaction |= {
                "response_message_id": message["id"],
                "response_message_loading": bool(loading),
                "response_message_ephemeral": bool(int(message["flags"]) & EPHEMERAL),
            }
            return 200, {"interaction": interaction, "resource": resource | {"message": message}}
        if kind == UPDATE_MESSAGE:
            if "message" not in state.payload:
                return _error(400, 50035, "only an interaction on a message can update it")
            target = self.messages.get(int(state.payload["message"]["id"]))
            if target is None:
                return _error(404, 10008, "Unknown Message")
            status, message = self._apply_edit(request, target, data, interaction_id=state.id)
            if status != 200:
                return status, message
            return 200, {"interaction": interaction, "resource": resource | {"message": message}}
        if kind == DEFERRED_UPDATE:
            return 200, {"interaction": interaction}
        if kind == MODAL:
            if state.payload["type"] == MODAL_SUBMIT:
                return _error(400, 50035, "a modal submit can't be answered with another modal")
            problems = validation.modal_problems(data)
            if problems:
                return self._invalid(request, problems)
            self._fake.posts.append(Posted("modal", {}, body, state.id))
            return 200, {"interaction": interaction}
        return _error(400, 50035, f"unsupported callback type {kind} in the fake")

    async def _followup(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        state = self.interactions.get(params["token"])
        if state is None or state.callback_type is None:
            return _error(404, 10015, "Unknown Webhook")
        body = request.json or {}
        if state.callback_type == DEFERRED_CHANNEL_MESSAGE and state.original_id is not None:
            original = self.messages[state.original_id]
            if int(original["flags"]) & LOADING:  # the first followup fills the "thinking..." message
                return self._apply_edit(request, original, body, interaction_id=state.id)
        problems = validation.message_problems(body)
        if problems:
            return self._invalid(request, problems)
        message = self._new_message(self._interaction_channel(state), body, flags=0)
        state.message_ids.append(int(message["id"]))
        self._fake.posts.append(Posted("followup", copy.deepcopy(message), body, state.id))
        return 200, message

    def _webhook_message(self, params: dict[str, str]) -> Json | None:
        state = self.interactions.get(params["token"])
        if state is None:
            return None
        wanted = state.original_id if params["message"] == "@original" else int(params["message"])
        if wanted not in state.message_ids:
            return None
        return self.messages.get(wanted)

    async def _get_webhook_message(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        message = self._webhook_message(params)
        return (200, message) if message is not None else _error(404, 10008, "Unknown Message")

    async def _edit_webhook_message(self, request: RecordedRequest, params: dict[str, str]) -> Reply:
        message = self._webhook_message(params)
        if message is None:
            return _error(404, 10008, "Unknown Message")
        state = self.interactions[params["token"]]
        return self._apply_edit(request, message, request.json or {}, interaction_id=state.id)
