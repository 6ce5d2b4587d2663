"""Append-only logs that tests can await: "wait until something matching this has happened"."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # relative to /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    headers: dict[str, str] = field(repr=False)
    at: float = field(default_factory=time.monotonic, repr=False)  # when it arrived


class EventLog(Generic[T]):
    """A list whose readers can wait for an entry matching a predicate, already there or still to come."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []
        self._waiters: list[tuple[Callable[[T], bool], asyncio.Future[T]]] = []

    def append(self, item: T) -> None:
        self._items.append(item)
        for entry in list(self._waiters):
            predicate, future = entry
            if not future.done() and predicate(item):
                future.set_result(item)
                self._waiters.remove(entry)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> T:
        return self._items[index]

    def matching(self, predicate: Callable[[T], bool]) -> list[T]:
        return [item for item in self._items if predicate(item)]

    async def wait_for(
        self,
        predicate: Callable[[T], bool] = lambda _: True,
        *,
        since: int = 0,
        within: float = DEFAULT_TIMEOUT,
    ) -> T:
        """The first entry at index >= `since` matching `predicate`; waits for it if it isn't there yet."""
        for item in self._items[since:]:
            if predicate(item):
                return item
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(future, within)
        except TimeoutError:
            recent = "\n  ".join(repr(item)[:300] for item in self._items[-5:])
            raise AssertionError(f"{self.name}: nothing matching within {within}s; last entries:\n  {recent}") from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)
