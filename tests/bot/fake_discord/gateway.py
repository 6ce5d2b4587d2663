"""Gateway v10 over a websocket: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay.

Frames are plain TEXT: discord.py asks for zlib-stream but only inflates BINARY frames.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.bot.fake_discord.recorder import EventLog

if TYPE_CHECKING:
    from tests.bot.fake_discord.server import FakeDiscord

Json = dict[str, Any]

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41_250
AUTHENTICATION_FAILED = 4004
DISALLOWED_INTENTS = 4014
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


@dataclass
class Session:
    """One gateway session (one shard). Events sent while it has no socket are kept for RESUME."""

    id: str
    shard: tuple[int, int]
    seq: int = 0
    history: list[Json] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None

    async def send(self, event: str, data: Json) -> None:
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.history.append(frame)
        if self.socket is not None and not self.socket.closed:
            await self.socket.send_str(json.dumps(frame))


class Gateway:
    def __init__(self, fake: FakeDiscord) -> None:
        self._fake = fake
        self.sessions: dict[str, Session] = {}
        # Every payload the client sent over the gateway, in order (IDENTIFY, RESUME, heartbeats...).
        self.received: EventLog[Json] = EventLog("gateway frames from the client")
        # Dispatches re-sent after a RESUME because the client missed them.
        self.replayed: EventLog[Json] = EventLog("frames replayed on RESUME")

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_str(json.dumps({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}))
        session: Session | None = None
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            self.received.append(frame)
            op, data = frame.get("op"), frame.get("d")
            if op == HEARTBEAT:
                await socket.send_str(json.dumps({"op": HEARTBEAT_ACK}))
            elif op == IDENTIFY:
                session = await self._identify(socket, data)
            elif op == RESUME:
                session = await self._resume(socket, data)
        if session is not None and session.socket is socket:
            session.socket = None
        return socket

    async def _identify(self, socket: web.WebSocketResponse, data: Json) -> Session | None:
        if data.get("token") != self._fake.token:
            await socket.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        if not self._fake.privileged_intents and int(data.get("intents") or 0) & PRIVILEGED_INTENTS:
            await socket.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return None
        shard = tuple(data.get("shard") or (0, 1))
        session = Session(id=uuid.uuid4().hex, shard=(int(shard[0]), int(shard[1])))
        self.sessions[session.id] = session
        session.socket = socket
        guilds = [g for g in self._fake.guilds if self._fake.shard_of(g.id, session.shard[1]) == session.shard[0]]
        await session.send(
            "READY",
            {
                "v": 10,
                "user": self._fake.bot_user.payload(),
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "resume_gateway_url": self._fake.gateway_url,
                "shard": list(session.shard),
                "application": {"id": str(self._fake.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "user_settings": {},
                "presences": [],
                "geo_ordered_rtc_regions": [],
            },
        )
        for guild in guilds:
            await session.send("GUILD_CREATE", guild.create_payload())
        return session

    async def _resume(self, socket: web.WebSocketResponse, data: Json) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self._fake.token:
            await socket.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
            return None
        session.socket = socket
        missed = [frame for frame in session.history if frame["s"] > (data.get("seq") or 0)]
        for frame in missed:
            await socket.send_str(json.dumps(frame))
            self.replayed.append(frame)
        await session.send("RESUMED", {})
        return session

    def session_for(self, guild_id: int | None) -> Session:
        """The session carrying `guild_id` (None: DMs, shard 0). A connected one comes first: after a restart
        the old session has no socket; after a drop the same session, socketless, keeps events for RESUME."""

        def shard_for(count: int) -> int:
            return 0 if guild_id is None else self._fake.shard_of(guild_id, count)

        carrying = [s for s in self.sessions.values() if s.shard[0] == shard_for(s.shard[1])]
        if not carrying:
            raise AssertionError(f"no gateway session carries guild {guild_id}; is the bot connected?")
        return next((s for s in carrying if s.socket is not None), carrying[0])

    async def dispatch(self, event: str, data: Json, *, guild_id: int | None) -> None:
        await self.session_for(guild_id).send(event, data)

    def drop(self, guild_id: int | None = None) -> asyncio.Task[Any] | None:
        """Detach the session's socket now (later events are kept for RESUME) and close it with 4000."""
        session = self.session_for(guild_id)
        socket, session.socket = session.socket, None
        if socket is None:
            return None
        return asyncio.ensure_future(socket.close(code=4000, message=b"Unknown error"))
