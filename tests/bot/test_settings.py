"""Bot settings from the environment, and the README section that documents each of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import BotSettings

DOCS = Path(__file__).parents[2] / "README.md"


def test_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "secret")
    monkeypatch.setenv("FACTBOT_SYNC_COMMANDS", "111, 222")
    monkeypatch.setenv("FACTBOT_SHARD_COUNT", "4")
    monkeypatch.setenv("FACTBOT_SHARD_IDS", "2,3")
    monkeypatch.setenv("FACTBOT_USER_RATE", "2")
    settings = BotSettings()
    assert settings.token() == "secret" and "secret" not in repr(settings)
    assert settings.sync_commands == (111, 222)
    assert (settings.shard_count, settings.shard_ids, settings.user_rate) == (4, (2, 3), 2)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"sync_commands": "everywhere"}, "sync_commands"),
        ({"shard_ids": "0,1"}, "needs shard_count"),
        ({"shard_count": 2, "shard_ids": "2"}, "below shard_count"),
        ({"prefix": "toolong"}, "prefix"),
    ],
)
def test_bad_settings_are_named(values: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        BotSettings(**values)  # type: ignore[arg-type]


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in BotSettings.model_fields:
        variable = "DISCORD_TOKEN" if name == "discord_token" else f"FACTBOT_{name.upper()}"
        assert f"`{variable}`" in text, f"{variable} is missing from {DOCS.name}"
