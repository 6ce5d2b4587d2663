"""A missing requirement skips a test on a developer's machine and fails it where CI says it must be there."""

from __future__ import annotations

import pytest

from tests.support.requirements import unavailable


def test_a_missing_requirement_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTBOT_REQUIRE_THING", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no thing here"):
        unavailable("no thing here", "FACTBOT_REQUIRE_THING")


def test_a_missing_requirement_fails_where_it_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTBOT_REQUIRE_THING", "1")
    with pytest.raises(pytest.fail.Exception, match=r"no thing here; it is required here \(FACTBOT_REQUIRE_THING=1\)"):
        unavailable("no thing here", "FACTBOT_REQUIRE_THING")
