"""What a test needs from the machine (PostgreSQL, the [semantic] extra, the CheckThat! data): skip without it,
or fail where CI says it must be there."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

from store.db.testing import postgres_unavailable_reason


def unavailable(reason: str, flag: str) -> NoReturn:
    """Skip with `reason`, or fail when the environment variable `flag` is 1: a requirement CI sets."""
    __tracebackhide__ = True  # the report points at the test that needed it
    if os.environ.get(flag) == "1":
        pytest.fail(f"{reason}; it is required here ({flag}=1)")
    pytest.skip(reason)


async def require_postgres() -> None:
    """Return when the PostgreSQL server answers; otherwise skip, or fail under FACTBOT_REQUIRE_POSTGRES=1."""
    reason = await postgres_unavailable_reason()
    if reason is not None:
        unavailable(f"PostgreSQL is not available: {reason}", "FACTBOT_REQUIRE_POSTGRES")
