"""The query-log writer: batched, off the caller's path, flushed on close, and nothing lost in an outage."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from store.db import models as m
from store.db.testing import open_store, temporary_postgres_database
from store.querylog import QueryEvent, QueryLogWriter, WriterSettings
from store.service import ClaimStore
from store.settings import StoreSettings
from store.views import FeedbackEntry, QueryLogEntry
from tests.support.requirements import require_postgres
from tests.support.tcp_proxy import TcpProxy

FAST = WriterSettings(batch_size=50, linger_s=0.05, retry_initial_s=0.05, retry_max_s=0.2)


class CountingSink:
    """The real store, with a count of the transactions the writer opened on it."""

    def __init__(self, store: ClaimStore) -> None:
        self.store = store
        self.calls: list[int] = []

    async def write_query_events(self, events: Sequence[QueryEvent]) -> None:
        self.calls.append(len(events))
        await self.store.write_query_events(events)


def entry(n: int, **fields: object) -> QueryLogEntry:
    values: dict[str, object] = {"text": f"question {n}", "source": "cli", "outcome": "answered", "latency_ms": 1.0}
    values.update(fields)
    return QueryLogEntry(**values)  # type: ignore[arg-type]


async def logged_texts(store: ClaimStore) -> list[str]:
    async with store.engine.connect() as connection:
        rows = await connection.execute(select(m.QueryLog.text).order_by(m.QueryLog.id))
        return [row[0] for row in rows]


async def feedback_count(store: ClaimStore) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(m.QueryFeedback))).scalar_one())


@pytest.fixture
async def store(store_settings: StoreSettings) -> AsyncIterator[ClaimStore]:
    async with open_store(store_settings, demo=False) as store:
        yield store


async def test_a_burst_is_written_in_few_transactions_in_order(store: ClaimStore) -> None:
    sink = CountingSink(store)
    writer = QueryLogWriter(sink, FAST)
    writer.start()
    for n in range(120):
        writer.submit(entry(n))
    writer.submit(FeedbackEntry(query_uid="abc", helpful=True))
    await writer.flush()
    assert await logged_texts(store) == [f"question {n}" for n in range(120)]
    assert await feedback_count(store) == 1
    assert sum(sink.calls) == 121 and len(sink.calls) <= 4  # batches of up to 50, not 121 transactions
    await writer.close()


async def test_close_writes_what_is_still_queued(store: ClaimStore) -> None:
    writer = QueryLogWriter(store, WriterSettings(linger_s=30))  # would wait 30 s for company
    writer.start()
    writer.submit(entry(1))
    await writer.close(timeout=5)
    assert await logged_texts(store) == ["question 1"]
    assert writer.written == 1 and writer.dropped == 0


async def test_submitting_after_close_drops_instead_of_hanging(store: ClaimStore) -> None:
    writer = QueryLogWriter(store, FAST)
    writer.start()
    await writer.close()
    writer.submit(entry(1))
    assert writer.dropped == 1 and writer.pending == 0


# -- PostgreSQL behind a proxy the test can cut -------------------------------------------------------


@pytest.fixture
async def proxied_store(tmp_path: Path) -> AsyncIterator[tuple[ClaimStore, TcpProxy]]:
    await require_postgres()
    async with temporary_postgres_database() as url:
        target = make_url(url)
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
        await proxy.start()
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            async with open_store(StoreSettings(database_url=proxied, data_dir=tmp_path), demo=False) as store:
                yield store, proxy
        finally:
            await proxy.close()


@pytest.mark.postgres
async def test_events_survive_a_database_outage(
    proxied_store: tuple[ClaimStore, TcpProxy], caplog: pytest.LogCaptureFixture
) -> None:
    store, proxy = proxied_store
    writer = QueryLogWriter(store, FAST)
    writer.start()
    writer.submit(entry(0))
    await writer.flush()

    await proxy.cut()
    for n in range(1, 31):
        writer.submit(entry(n))  # returns at once: the caller never waits on the database
    writer.submit(FeedbackEntry(query_uid="during-outage", helpful=False))
    with caplog.at_level(logging.WARNING, logger="store.querylog"), pytest.raises(TimeoutError):
        await asyncio.wait_for(writer.flush(), 0.5)  # it keeps trying, and can't finish while the database is away
    assert writer.pending == 31
    assert any("store unavailable" in r.message for r in caplog.records)

    await proxy.restore()
    await writer.flush()
    assert await logged_texts(store) == [f"question {n}" for n in range(31)]
    assert await feedback_count(store) == 1
    assert writer.dropped == 0
    await writer.close()


@pytest.mark.postgres
async def test_a_full_buffer_drops_new_events_with_a_warning(
    proxied_store: tuple[ClaimStore, TcpProxy], caplog: pytest.LogCaptureFixture
) -> None:
    store, proxy = proxied_store
    writer = QueryLogWriter(store, WriterSettings(max_buffer=5, linger_s=0.01, retry_initial_s=0.05))
    writer.start()
    await proxy.cut()
    with caplog.at_level(logging.WARNING, logger="store.querylog"):
        for n in range(8):
            writer.submit(entry(n))
    assert writer.pending == 5 and writer.dropped == 3
    assert [r.message for r in caplog.records if "buffer is full" in r.message]

    await proxy.restore()
    await writer.flush()
    assert await logged_texts(store) == [f"question {n}" for n in range(5)]
    await writer.close()


@pytest.mark.postgres
async def test_close_gives_up_after_its_timeout_and_says_what_is_lost(
    proxied_store: tuple[ClaimStore, TcpProxy], caplog: pytest.LogCaptureFixture
) -> None:
    store, proxy = proxied_store
    writer = QueryLogWriter(store, FAST)
    writer.start()
    await proxy.cut()
    writer.submit(entry(1))
    writer.submit(entry(2))
    with caplog.at_level(logging.ERROR, logger="store.querylog"):
        await writer.close(timeout=0.5)
    assert writer.pending == 0 and writer.dropped == 2
    assert any("2 events could not be written" in r.message for r in caplog.records)


@pytest.mark.postgres
async def test_an_event_the_database_refuses_does_not_block_the_others(
    proxied_store: tuple[ClaimStore, TcpProxy],
) -> None:
    store, _ = proxied_store
    writer = QueryLogWriter(store, FAST)
    writer.start()
    writer.submit(entry(1))
    writer.submit(entry(2, source="x" * 50))  # longer than the column: PostgreSQL refuses it (not an outage)
    writer.submit(entry(3))
    await writer.flush()
    assert await logged_texts(store) == ["question 1", "question 3"]
    assert writer.dropped == 1 and writer.written == 2
    await writer.close()
