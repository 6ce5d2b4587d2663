"""The answer desk: the one straight path a question takes, whichever way it was asked.

question → screening (cooldowns, answer channels) → store.ask → renderer → Reply, with one query-log event
per question. Nothing here sends to Discord and nothing raises: every outcome is a Reply.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import uuid
from dataclasses import dataclass

from bot import wording
from bot.cogs.factcheck import _buttons as views
from bot.cogs.factcheck import _render as render
from bot.cooldowns import Cooldowns
from bot.failures import reply_for
from bot.origin import Origin
from bot.reply import Reply
from bot.text import one_line
from store import (
    ClaimStore,
    FeedbackEntry,
    GuildSettings,
    InvalidQuestion,
    QueryLogEntry,
    QueryLogWriter,
    StoreUnavailable,
)

_log = logging.getLogger(__name__)

LOGGED_TEXT_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class Refusal:
    reply: Reply
    quiet: bool = False  # say nothing in chat (a question in a channel the bot doesn't answer in)


class AnswerDesk:
    def __init__(
        self, store: ClaimStore, log: QueryLogWriter, cooldowns: Cooldowns, *, salt: bytes, answers: int
    ) -> None:
        self.store = store
        self.log = log
        self.cooldowns = cooldowns
        self._salt = salt
        self._answers = answers

    def user_hash(self, user_id: int) -> str:
        """A salted hash: the log can group one user's questions without holding who they are."""
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    # -- asking ---------------------------------------------------------------------------------------

    def screen(self, question: str, origin: Origin, settings: GuildSettings | None) -> Refusal | None:
        """Refuse a question before any work: wrong channel, or asking too fast. Refusals are logged too."""
        channels = settings.answer_channel_ids if settings else ()
        if channels and origin.channel_id not in channels:
            self._log(question, origin, outcome="rejected")
            return Refusal(Reply(wording.wrong_channel(channels), private=True), quiet=True)
        limited = self.cooldowns.check(origin.user_id, origin.guild_id)
        if limited is not None:
            self._log(question, origin, outcome="rate_limited")
            return Refusal(Reply(wording.slow_down(limited), private=True))
        return None

    async def answer(self, question: str, origin: Origin) -> Reply:
        """Ask the store and render what it found; any failure becomes a short, private reply."""
        uid = uuid.uuid4().hex
        started = time.perf_counter()
        try:
            answer = await self.store.ask(question, limit=self._answers)
        except InvalidQuestion as exc:
            self._log(question, origin, outcome="rejected", started=started, uid=uid)
            return Reply(str(exc), private=True)
        except StoreUnavailable as exc:
            self._log(question, origin, outcome="unavailable", started=started, uid=uid)
            return reply_for(exc, where=f"{origin.source} question")
        except Exception as exc:
            self._log(question, origin, outcome="error", started=started, uid=uid)
            return reply_for(exc, where=f"{origin.source} question")
        self.log.submit(
            QueryLogEntry.from_answer(
                answer,
                source=origin.source,
                guild_id=origin.guild_id,
                channel_id=origin.channel_id,
                user_hash=self.user_hash(origin.user_id),
                uid=uid,
            )
        )
        if not answer.answered:
            return Reply(wording.unanswered(question))
        best = answer.matches[0]
        page = render.render_page(
            best.topic, 0, asked=render.asked_line(question), note=render.MatchNote.of(best).text()
        )
        view = views.answer_view(best.topic.id, page, query_uid=uid, runner_ups=answer.matches[1:])
        return Reply(embeds=page.embeds, view=view)

    async def open_topic(self, topic_id: int, score: float, origin: Origin) -> Reply:
        """A "did you mean" button: that topic's answer, logged as a question of its own."""
        limited = self.cooldowns.check(origin.user_id, origin.guild_id)
        uid = uuid.uuid4().hex
        started = time.perf_counter()
        if limited is not None:
            self._log(f"did you mean: topic #{topic_id}", origin, outcome="rate_limited", uid=uid)
            return Reply(wording.slow_down(limited), private=True)
        try:
            topic = await self.store.topic(topic_id)
        except Exception as exc:
            outcome = "unavailable" if isinstance(exc, StoreUnavailable) else "error"
            self._log(f"did you mean: topic #{topic_id}", origin, outcome=outcome, started=started, uid=uid)
            return reply_for(exc, where="did-you-mean button")
        matches: list[dict[str, object]] = [{"topic_id": topic.id, "score": round(score, 4)}]
        self._log(topic.title, origin, outcome="answered", started=started, uid=uid, matches=matches)
        note = render.MatchNote(score, via="did you mean").text()
        page = render.render_page(topic, 0, asked=None, note=note)
        return Reply(embeds=page.embeds, view=views.answer_view(topic.id, page, query_uid=uid, runner_ups=()))

    def feedback(self, query_uid: str, helpful: bool, user_id: int) -> Reply:
        self.log.submit(FeedbackEntry(query_uid=query_uid, helpful=helpful, user_hash=self.user_hash(user_id)))
        return Reply(wording.FEEDBACK_THANKS, private=True)

    # -- logging --------------------------------------------------------------------------------------

    def _log(
        self,
        question: str,
        origin: Origin,
        *,
        outcome: str,
        started: float | None = None,
        uid: str | None = None,
        matches: list[dict[str, object]] | None = None,
    ) -> None:
        latency = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        self.log.submit(
            QueryLogEntry(
                text=loggable(question),
                source=origin.source,
                outcome=outcome,
                latency_ms=latency,
                matches=list(matches or []),
                guild_id=origin.guild_id,
                channel_id=origin.channel_id,
                user_hash=self.user_hash(origin.user_id),
                uid=uid or uuid.uuid4().hex,
            )
        )


def loggable(text: str) -> str:
    """Refused questions may hold anything: keep printable characters, bounded (NUL breaks PostgreSQL text)."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in text)
    return one_line(cleaned)[:LOGGED_TEXT_LIMIT] or "(empty)"
