"""Builders for the JSON payloads Discord sends: users, members, guilds, channels, messages, interactions.

Only the fields discord.py 2.7 reads are filled in; everything else keeps Discord's documented defaults.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
GUILD_TEXT = 0
DM = 1

# Permission bits used by the fake's members.
VIEW_AND_SEND = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)  # view, send, embed links, read history
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3


def snowflake() -> int:
    """A unique, time-ordered id shaped like Discord's."""
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class FakeUser:
    id: int = field(default_factory=snowflake)
    username: str = "member"
    bot: bool = False

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.username,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class FakeRole:
    id: int = field(default_factory=snowflake)
    name: str = "role"
    permissions: int = VIEW_AND_SEND

    def payload(self, position: int = 0) -> Json:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "hoist": False,
            "position": position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": True,
            "flags": 0,
        }


@dataclass
class FakeChannel:
    id: int = field(default_factory=snowflake)
    name: str = "general"
    guild_id: int | None = None
    type: int = GUILD_TEXT
    recipient: FakeUser | None = None  # DMs only

    def payload(self) -> Json:
        data: Json = {"id": str(self.id), "type": self.type, "flags": 0}
        if self.type == DM:
            data["recipients"] = [self.recipient.payload()] if self.recipient else []
            data["last_message_id"] = None
            return data
        data.update(
            name=self.name,
            position=0,
            permission_overwrites=[],
            nsfw=False,
            parent_id=None,
            topic=None,
            rate_limit_per_user=0,
            last_message_id=None,
        )
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[FakeRole] = field(default_factory=list)

    def payload(self, *, permissions: int | None = None) -> Json:
        data: Json = {
            "user": self.user.payload(),
            "roles": [str(r.id) for r in self.roles],
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
        }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class FakeGuild:
    name: str = "Newsroom"
    id: int = field(default_factory=snowflake)
    owner: FakeUser = field(default_factory=lambda: FakeUser(username="owner"))
    channels: list[FakeChannel] = field(default_factory=list)
    roles: list[FakeRole] = field(default_factory=list)
    members: list[FakeMember] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.roles:  # @everyone has the guild's id
            self.roles.append(FakeRole(id=self.id, name="@everyone", permissions=VIEW_AND_SEND))
        if not self.channels:
            self.channels.append(FakeChannel(name="general", guild_id=self.id))

    @property
    def everyone(self) -> FakeRole:
        return self.roles[0]

    def member(self, user: FakeUser) -> FakeMember:
        for member in self.members:
            if member.user.id == user.id:
                return member
        member = FakeMember(user=user)
        self.members.append(member)
        return member

    def permissions_of(self, member: FakeMember) -> int:
        if member.user.id == self.owner.id:
            return ADMINISTRATOR | MANAGE_GUILD | VIEW_AND_SEND
        value = self.everyone.permissions
        for role in member.roles:
            value |= role.permissions
        return value

    def create_payload(self) -> Json:
        """GUILD_CREATE: `member_count == len(members)` so discord.py never asks for member chunks."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner.id),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "members": [m.payload() for m in self.members],
            "channels": [c.payload() for c in self.channels],
            "threads": [],
            "roles": [r.payload(i) for i, r in enumerate(self.roles)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "afk_timeout": 300,
            "joined_at": now_iso(),
        }


def message_payload(
    *,
    channel: FakeChannel,
    author: FakeUser,
    content: str = "",
    member: FakeMember | None = None,
    embeds: list[Json] | None = None,
    components: list[Json] | None = None,
    mentions: list[FakeUser] | None = None,
    mention_roles: list[int] | None = None,
    mention_everyone: bool = False,
    flags: int = 0,
    message_id: int | None = None,
    extra: Json | None = None,
) -> Json:
    data: Json = {
        "id": str(message_id or snowflake()),
        "channel_id": str(channel.id),
        "author": author.payload(),
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": mention_everyone,
        "mentions": [u.payload() for u in mentions or []],
        "mention_roles": [str(r) for r in mention_roles or []],
        "attachments": [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "type": 0,
        "flags": flags,
    }
    if channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
        if member is not None:
            member_data = member.payload()
            member_data.pop("user")
            data["member"] = member_data
    if extra:
        data.update(extra)
    return data


def interaction_payload(
    *,
    type: int,
    application_id: int,
    channel: FakeChannel,
    user: FakeUser,
    guild: FakeGuild | None,
    data: Json,
    message: Json | None = None,
) -> Json:
    payload: Json = {
        "id": str(snowflake()),
        "application_id": str(application_id),
        "type": type,
        "data": data,
        "token": f"itoken-{snowflake()}",
        "version": 1,
        "channel_id": str(channel.id),
        "channel": channel.payload(),
        "locale": "en-US",
        "app_permissions": str(VIEW_AND_SEND),
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10 * 1024 * 1024,
        "context": 0 if guild is not None else 1,
    }
    if guild is not None:
        member = guild.member(user)
        payload["guild_id"] = str(guild.id)
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
        payload["member"] = member.payload(permissions=guild.permissions_of(member))
    else:
        payload["user"] = user.payload()
    if message is not None:
        payload["message"] = message
    return payload
