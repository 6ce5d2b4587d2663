"""The answer desk: the one straight path a question takes, whichever way it was asked, and its buttons.

`ask`: the server's settings → screening (answer channels, cooldowns) → store.ask → renderer, with one
query-log event per question, for /factcheck, !factcheck, mentions and DMs alike. The buttons under an answer
(page, did you mean, more, feedback) come here too. Nothing here sends to Discord and nothing raises: every
outcome is a Reply (or, for a question, a Response that says how to send it).
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Sequence

import discord

from bot import limits, wording
from bot.cogs.factcheck import _render as render
from bot.cogs.factcheck._buttons import Controls, Desk, DidYouMeanButton, Suggestion, answer_view
from bot.cooldowns import Cooldowns
from bot.failures import reply_for
from bot.guild_config import GuildConfig
from bot.origin import Origin
from bot.reply import Reply, Response
from bot.text import one_line
from store import (
    ClaimStore,
    FeedbackEntry,
    GuildSettings,
    InvalidQuestion,
    Match,
    QueryLogEntry,
    QueryLogWriter,
    StoreUnavailable,
    TopicNotFound,
    hash_user_id,
)
from store.records import QueryOutcome

LOGGED_TEXT_LIMIT = 2000


class AnswerDesk(Desk):
    """Questions and the buttons under their answers. It is the `Desk` the buttons call (mypy holds it to
    that protocol), so it imports the buttons and they never import it."""

    def __init__(
        self,
        store: ClaimStore,
        log: QueryLogWriter,
        cooldowns: Cooldowns,
        guild_config: GuildConfig,
        *,
        salt: bytes,
        answers: int,
    ) -> None:
        self._store = store
        self._log_writer = log
        self._cooldowns = cooldowns
        self._guild_config = guild_config
        self._salt = salt
        self._answers = answers

    def user_hash(self, user_id: int) -> str:
        """A salted hash: the log can group one user's questions (and forget them) without holding who they are."""
        return hash_user_id(self._salt, user_id)

    # -- asking ---------------------------------------------------------------------------------------

    async def ask(self, question: str, origin: Origin) -> Response:
        """The server's settings, then screening, then (when the Response is read) the answer."""
        settings = await self._guild_config.get(origin.guild_id) if origin.guild_id is not None else None
        refusal = self._screen(question, origin, settings)
        if refusal is not None:
            return refusal
        private = bool(settings and settings.ephemeral)
        return Response.accepted(functools.partial(self._answer, question, origin), private=private)

    def _screen(self, question: str, origin: Origin, settings: GuildSettings | None) -> Response | None:
        """Refuse a question before any work: wrong channel, or asking too fast. Refusals are logged too."""
        channels = settings.answer_channel_ids if settings else ()
        if channels and origin.channel_id not in channels:
            self._log(question, origin, outcome=QueryOutcome.REJECTED)
            return Response.refused(Reply(wording.wrong_channel(channels), private=True), quiet=True)
        limited = self._cooldowns.check(origin.user_id, origin.guild_id)
        if limited is not None:
            self._log(question, origin, outcome=QueryOutcome.RATE_LIMITED)
            return Response.refused(Reply(wording.slow_down(limited), private=True))
        return None

    async def _answer(self, question: str, origin: Origin) -> Reply:
        """Ask the store and render what it found; any failure becomes a short, private reply."""
        uid = uuid.uuid4().hex
        started = time.perf_counter()
        try:
            answer = await self._store.ask(question, limit=self._answers)
        except InvalidQuestion as exc:
            self._log(question, origin, outcome=QueryOutcome.REJECTED, started=started, uid=uid)
            return Reply(str(exc), private=True)
        except StoreUnavailable as exc:
            self._log(question, origin, outcome=QueryOutcome.UNAVAILABLE, started=started, uid=uid)
            return reply_for(exc, where=f"{origin.source} question")
        except Exception as exc:
            self._log(question, origin, outcome=QueryOutcome.ERROR, started=started, uid=uid)
            return reply_for(exc, where=f"{origin.source} question")
        self._log_writer.submit(
            QueryLogEntry.from_answer(
                answer,
                source=origin.source,
                guild_id=origin.guild_id,
                channel_id=origin.channel_id,
                user_hash=self.user_hash(origin.user_id),
                uid=uid,
            )
        )
        if answer.claimless:
            return Reply(wording.WHICH_CLAIM)
        if answer.no_statement_by is not None:  # "what did Qatar say": nothing by them, but related topics
            return _no_statement_by(answer.no_statement_by, answer.related)
        if not answer.answered:
            return Reply(wording.unanswered(question))
        best = answer.matches[0]
        page = render.render_page(
            best.topic, 0, asked=render.asked_line(question), note=render.MatchNote.of(best).text()
        )
        offered = [(Suggestion(m.topic.id, m.score), m.topic.title) for m in answer.matches[1:]]
        return Reply(embeds=page.embeds, view=answer_view(best.topic.id, page, query_uid=uid, suggestions=offered))

    # -- the buttons under an answer ------------------------------------------------------------------

    async def turn_page(self, topic_id: int, page: int, header: discord.Embed | None, controls: Controls) -> Reply:
        """Another page of an answer: the header as it was, the page's statements, the same other buttons."""
        try:
            topic = await self._store.topic(topic_id)
            offered = await self._titled(controls.suggestions)
        except Exception as exc:
            return reply_for(exc, where="page button")
        turned = (
            render.page_under(header, topic, page)
            if header is not None
            else render.render_page(topic, page, asked=None, note=None)
        )
        view = answer_view(topic.id, turned, query_uid=controls.query_uid, suggestions=offered)
        return Reply(embeds=turned.embeds, view=view, replaces=True)

    async def _titled(self, suggestions: Sequence[Suggestion]) -> list[tuple[Suggestion, str]]:
        """Each runner-up with its title for the label; one deleted since is no longer offered."""
        offered = []
        for suggestion in suggestions:
            try:
                offered.append((suggestion, (await self._store.topic(suggestion.topic_id)).title))
            except TopicNotFound:
                continue
        return offered

    async def open_topic(self, suggestion: Suggestion, origin: Origin) -> Reply:
        """A "did you mean" button: that topic's answer, logged as a question of its own."""
        topic_id = suggestion.topic_id
        limited = self._cooldowns.check(origin.user_id, origin.guild_id)
        uid = uuid.uuid4().hex
        started = time.perf_counter()
        if limited is not None:
            self._log(f"did you mean: topic #{topic_id}", origin, outcome=QueryOutcome.RATE_LIMITED, uid=uid)
            return Reply(wording.slow_down(limited), private=True)
        try:
            topic = await self._store.topic(topic_id)
        except Exception as exc:
            outcome = QueryOutcome.UNAVAILABLE if isinstance(exc, StoreUnavailable) else QueryOutcome.ERROR
            self._log(f"did you mean: topic #{topic_id}", origin, outcome=outcome, started=started, uid=uid)
            return reply_for(exc, where="did-you-mean button")
        matches: list[dict[str, object]] = [{"topic_id": topic.id, "score": round(suggestion.score, 4)}]
        self._log(topic.title, origin, outcome=QueryOutcome.ANSWERED, started=started, uid=uid, matches=matches)
        note = render.MatchNote(suggestion.score, via="did you mean").text()
        page = render.render_page(topic, 0, asked=None, note=note)
        return Reply(embeds=page.embeds, view=answer_view(topic.id, page, query_uid=uid, suggestions=()))

    async def more(self, topic_id: int, statement_id: int) -> Reply:
        """A "more" button: one statement in full, for the asker only."""
        try:
            topic = await self._store.topic(topic_id)
        except Exception as exc:
            return reply_for(exc, where="more button")
        statement = next((s for s in topic.statements if s.id == statement_id), None)
        if statement is None:
            return Reply(wording.STATEMENT_GONE, private=True)
        return Reply(embeds=[render.full_statement(statement)], private=True)

    def feedback(self, query_uid: str, helpful: bool, user_id: int) -> Reply:
        self._log_writer.submit(FeedbackEntry(query_uid=query_uid, helpful=helpful, user_hash=self.user_hash(user_id)))
        return Reply(wording.FEEDBACK_THANKS, private=True)

    # -- logging --------------------------------------------------------------------------------------

    def _log(
        self,
        question: str,
        origin: Origin,
        *,
        outcome: QueryOutcome,
        started: float | None = None,
        uid: str | None = None,
        matches: list[dict[str, object]] | None = None,
    ) -> None:
        latency = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        self._log_writer.submit(
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


def _no_statement_by(speaker: str, related: Sequence[Match]) -> Reply:
    """Nothing by them: say so, and offer the related topics as buttons that open them."""
    text = wording.no_statement_by(speaker, related=bool(related))
    if not related:
        return Reply(text)
    view = discord.ui.View(timeout=None)
    for match in list(related)[: limits.BUTTONS_PER_ROW]:
        view.add_item(DidYouMeanButton(Suggestion(match.topic.id, match.score), match.topic.title))
    return Reply(text, view=view)


def loggable(text: str) -> str:
    """Refused questions may hold anything: keep printable characters, bounded (NUL breaks PostgreSQL text)."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in text)
    return one_line(cleaned)[:LOGGED_TEXT_LIMIT] or "(empty)"
