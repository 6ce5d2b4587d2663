"""Running the real `factbot` app in-process (typer's CliRunner), as a moderator would type it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from bot.cli.commands import app


@dataclass
class Cli:
    """`factbot ARGS` as the moderator FACTBOT_ACTOR, with FACTBOT_DATA_DIR set and no other FACTBOT_ setting."""

    data_dir: Path
    actor: str | None = "alice"

    def __call__(self, *args: str, actor: str | None = None) -> Result:
        environment: dict[str, str | None] = {k: None for k in os.environ if k.startswith("FACTBOT_")}
        environment["FACTBOT_DATA_DIR"] = str(self.data_dir)
        environment["FACTBOT_ACTOR"] = actor or self.actor
        return CliRunner().invoke(app, list(args), env=environment, catch_exceptions=False)

    def ok(self, *args: str, actor: str | None = None) -> str:
        """stdout of a command that must succeed."""
        result = self(*args, actor=actor)
        assert result.exit_code == 0, result.stderr or result.stdout
        return result.stdout

    def json(self, *args: str, actor: str | None = None) -> Any:
        """The one JSON object a command prints with --json."""
        return json.loads(self.ok(*args, "--json", actor=actor))

    def refused(self, *args: str, actor: str | None = None) -> str:
        """The one line on stderr of a command that must fail cleanly."""
        result = self(*args, actor=actor)
        assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
        assert result.stdout == "" and "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        return lines[0]

    def snapshot(self) -> tuple[str, int]:
        """Everything stored (every topic and statement, any status) and the length of the audit trail."""
        return self.ok("export"), len(self.json("audit", "--limit", "500")["events"])

    def statement_id(self, topic: str, uid: str) -> int:
        """The id of a demo statement, found by its uid in its topic."""
        return int(next(s["id"] for s in self.json("topic", "show", topic)["statements"] if s["uid"] == uid))


def compact(text: str) -> str:
    """Terminal output with Rich's line wrapping undone, to look for phrases in."""
    return " ".join(text.split())
