"""Write query-log events in the background: queued, batched, and kept through a database outage.

Answering a question must never wait on the log, and a database that is down for a while must not lose the
questions asked meanwhile. Callers `submit()` (never blocks, never raises); one task writes batches through
the store's `write_query_events`, retrying with backoff while the store is unavailable. The buffer is bounded:
when it is full new events are dropped, with a warning, rather than exhausting memory.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from store.errors import StoreUnavailable
from store.views import FeedbackEntry, QueryLogEntry

QueryEvent = QueryLogEntry | FeedbackEntry

_log = logging.getLogger(__name__)


class QueryEventSink(Protocol):
    async def write_query_events(self, events: Sequence[QueryEvent]) -> None: ...


@dataclass(frozen=True, slots=True)
class WriterSettings:
    batch_size: int = 100
    linger_s: float = 0.25  # how long a first event waits for company before its batch is written
    max_buffer: int = 10_000
    retry_initial_s: float = 0.25
    retry_max_s: float = 30.0


class QueryLogWriter:
    def __init__(self, sink: QueryEventSink, settings: WriterSettings | None = None) -> None:
        self._sink = sink
        self.settings = settings or WriterSettings()
        self._buffer: collections.deque[tuple[int, QueryEvent]] = collections.deque()  # (sequence, event)
        self._sequence = 0
        self._wakeup = asyncio.Event()  # new events, or a flush/close wants them written now
        self._stopping = asyncio.Event()
        self._progress = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._flushing = 0  # callers waiting in flush(): don't linger for them
        self.written = 0
        self.dropped = 0
        self._full_since: float | None = None
        self._outage_since: float | None = None

    # -- producer side --------------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="query-log-writer")

    def submit(self, event: QueryEvent) -> None:
        """Queue one event; returns at once. Drops the event (and warns once) when the buffer is full."""
        if self._stopping.is_set():
            self._drop(event, "the writer is closed")
            return
        if len(self._buffer) >= self.settings.max_buffer:
            if self._full_since is None:
                self._full_since = time.monotonic()
                _log.warning(
                    "Query log buffer is full (%d events waiting; is the database down?): "
                    "questions asked from now on are not logged until it drains.",
                    len(self._buffer),
                )
            self._drop(event, "buffer full")
            return
        self._sequence += 1
        self._buffer.append((self._sequence, event))
        self._wakeup.set()

    def _drop(self, event: QueryEvent, why: str) -> None:
        self.dropped += 1
        _log.debug("Query log: dropped an event (%s): %r", why, event)

    @property
    def pending(self) -> int:
        return len(self._buffer)

    async def flush(self) -> None:
        """Wait until every event submitted before this call is written (or given up on)."""
        target = self._sequence
        self._flushing += 1
        self._wakeup.set()
        try:
            async with self._progress:
                await self._progress.wait_for(lambda: not self._buffer or self._buffer[0][0] > target)
        finally:
            self._flushing -= 1

    async def close(self, *, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - a deadline for the last writes
        """Write what is buffered and stop. If the store stays unavailable past `timeout`, say what is lost."""
        self._stopping.set()
        self._wakeup.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        if self._buffer:
            _log.error("Query log: %d events could not be written before shutdown and are lost.", len(self._buffer))
            self.dropped += len(self._buffer)
            self._buffer.clear()
            await self._notify()

    # -- the writing task -----------------------------------------------------------------------------

    async def _run(self) -> None:
        delay = self.settings.retry_initial_s
        while True:
            if not self._buffer:
                if self._stopping.is_set():
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            await self._linger()
            batch = [event for _, event in itertools.islice(self._buffer, self.settings.batch_size)]
            try:
                handled = await self._write(batch)
            except StoreUnavailable as exc:
                if self._outage_since is None:
                    self._outage_since = time.monotonic()
                    _log.warning("Query log: store unavailable (%s); keeping %d events.", exc, len(self._buffer))
                await self._back_off(delay)
                delay = min(delay * 2, self.settings.retry_max_s)
                continue
            for _ in range(handled):
                self._buffer.popleft()
            delay = self.settings.retry_initial_s
            self._recovered()
            await self._notify()

    async def _write(self, batch: list[QueryEvent]) -> int:
        """Write a batch in one transaction; returns how many events it dealt with (all of them)."""
        try:
            await self._sink.write_query_events(batch)
        except StoreUnavailable:
            raise
        except Exception:
            _log.exception("Query log: a batch of %d events was refused; writing them one at a time", len(batch))
        else:
            self.written += len(batch)
            return len(batch)
        # One bad event (a bug, bad data) must not block the others behind it forever.
        for event in batch:
            try:
                await self._sink.write_query_events([event])
            except StoreUnavailable:
                raise  # the caller keeps this event and the rest
            except Exception:
                self.dropped += 1
                _log.exception("Query log: event refused and dropped: %r", event)
            else:
                self.written += 1
            self._buffer.popleft()
        return 0

    async def _linger(self) -> None:
        """Give a lone event a moment to gather company, so that a burst becomes one transaction."""
        deadline = time.monotonic() + self.settings.linger_s
        while len(self._buffer) < self.settings.batch_size and not (self._stopping.is_set() or self._flushing):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    async def _back_off(self, delay: float) -> None:
        """Wait before retrying; while closing, retry at a short, fixed pace until close() gives up."""
        if self._stopping.is_set():
            await asyncio.sleep(min(delay, 0.2))
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)

    def _recovered(self) -> None:
        now = time.monotonic()
        if self._outage_since is not None:
            _log.warning("Query log: store back after %.1f s; buffered events written.", now - self._outage_since)
            self._outage_since = None
        if self._full_since is not None and len(self._buffer) < self.settings.max_buffer:
            _log.warning("Query log: buffer drained; %d events were dropped while it was full.", self.dropped)
            self._full_since = None

    async def _notify(self) -> None:
        async with self._progress:
            self._progress.notify_all()
