"""Who a CLI change is recorded as."""

from __future__ import annotations

import getpass

import pytest

from bot.cli.actor import cli_actor, os_user


def test_the_actor_is_factbot_actor_or_the_os_user() -> None:
    assert cli_actor({"FACTBOT_ACTOR": " dana "}) == "cli:dana"
    assert cli_actor({"FACTBOT_ACTOR": "cli:dana"}) == "cli:dana"  # not cli:cli:dana
    assert cli_actor({"FACTBOT_ACTOR": "  "}) == f"cli:{getpass.getuser()}"
    assert cli_actor({}) == f"cli:{getpass.getuser()}"


def test_a_process_without_a_user_name_is_named_by_its_uid(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("pwd.getpwuid", _no_passwd_entry)
    assert os_user().startswith("uid-")
    assert cli_actor({}).startswith("cli:uid-")


def _no_passwd_entry(uid: int) -> None:
    raise KeyError(f"getpwuid(): uid not found: {uid}")
