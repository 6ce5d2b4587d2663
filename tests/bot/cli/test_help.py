"""`--help` of every command: it works, every command and option says what it does, and a flag reads as a flag."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.commands import app

MODERATION = {
    ("topic", "add"),
    ("topic", "edit"),
    ("topic", "show"),
    ("topic", "list"),
    ("topic", "merge"),
    ("topic", "retire"),
    ("statement", "add"),
    ("statement", "edit"),
    ("statement", "retract"),
    ("statement", "restore"),
    ("statement", "move"),
    ("statement", "show"),
    ("speaker", "show"),
    ("speaker", "edit"),
    ("speaker", "merge"),
    ("outlet", "show"),
    ("outlet", "merge"),
    ("audit",),
    ("demo", "load"),
    ("demo", "remove"),
}


def commands() -> Iterator[tuple[tuple[str, ...], typer.core.TyperCommand | typer.core.TyperGroup]]:
    """Every command and group of `factbot`, by the words that name it."""
    root = typer.main.get_command(app)
    todo: list[tuple[tuple[str, ...], object]] = [((), root)]
    while todo:
        path, command = todo.pop()
        assert isinstance(command, typer.core.TyperCommand | typer.core.TyperGroup)
        yield path, command
        if isinstance(command, typer.core.TyperGroup):
            todo.extend(((*path, name), sub) for name, sub in command.commands.items())


ALL = sorted(commands(), key=lambda pair: pair[0])


def test_every_moderation_command_of_the_issue_is_there() -> None:
    assert {path for path, _ in ALL} >= MODERATION


@pytest.mark.parametrize(("path", "command"), ALL, ids=[" ".join(p) or "factbot" for p, _ in ALL])
def test_help_describes_every_command_and_option(
    path: tuple[str, ...], command: typer.core.TyperCommand | typer.core.TyperGroup
) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help, f"{' '.join(path)} has no help text"
    for param in command.params:
        assert getattr(param, "help", None), f"{' '.join(path)}: {param.name} has no help text"
    assert "<bool>" not in result.stdout  # a flag takes no value
    if path in MODERATION:
        assert "--json " in result.stdout
        flags = [p for p in command.params if isinstance(p, typer.core.TyperOption) and p.is_flag]
        for flag in flags:
            for name in flag.opts:
                assert f"  {name}  " in result.stdout or f"  {name} / " in result.stdout, (name, result.stdout)
