"""`factbot review` through the real command: the typer app in process (CliRunner) on a demo SQLite store, and the
installed `factbot` where a terminal or the environment matters."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner, Result

from bench.review_session import DECISION_OF, QUEUE
from bot.cli.commands import app
from store.db import models as m
from store.db.testing import open_store
from store.records import QuerySource
from store.settings import StoreSettings
from store.views import FeedbackEntry, QueryLogEntry

FACTBOT = str(Path(sys.executable).with_name("factbot"))
COMMANDS = ("list", "show", "teach", "create", "dismiss", "reopen", "replay", "stats", "purge", "forget")
TEAM = "is the israeli team going to cairo"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory whose embedded store has the demo loaded."""

    async def build() -> None:
        async with open_store(StoreSettings(database_url=None, data_dir=tmp_path)):
            pass

    asyncio.run(build())
    return tmp_path


def factbot(data_dir: Path, *args: str, actor: str | None = "alice") -> Result:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("FACTBOT_")}
    env |= {"FACTBOT_DATA_DIR": str(data_dir), "COLUMNS": "200", "FACTBOT_ACTOR": actor}
    return CliRunner().invoke(app, list(args), env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def as_json(result: Result) -> Any:
    return json.loads(ok(result))  # exactly one JSON document on stdout


def one_line_error(result: Result, fragment: str) -> None:
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and fragment in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def log(data_dir: Path, questions: Sequence[tuple[str, str | None, int | None]], *, dispute: str | None = None) -> None:
    """Ask each (question, member, server) of the real store, and log it as the bot does."""

    async def ask_all() -> None:
        async with open_store(StoreSettings(database_url=None, data_dir=data_dir), demo=False) as store:
            entries = []
            for text, member, guild in questions:
                answer = await store.ask(text)
                entries.append(
                    QueryLogEntry.from_answer(answer, source=QuerySource.SLASH, guild_id=guild, user_hash=member)
                )
            votes = [FeedbackEntry(e.uid, False, "critic") for e in entries if e.text == dispute]
            await store.write_query_events([*entries, *votes])

    asyncio.run(ask_all())


def audit_rows(data_dir: Path) -> list[tuple[str, str, str]]:
    async def read() -> list[tuple[str, str, str]]:
        settings = StoreSettings(database_url=None, data_dir=data_dir)
        async with open_store(settings, demo=False) as store, AsyncSession(store.engine) as session:
            query = select(m.AuditEvent.entity, m.AuditEvent.action, m.AuditEvent.actor).order_by(m.AuditEvent.id)
            return [(e, a, who) for e, a, who in await session.execute(query)]

    return asyncio.run(read())


def test_every_review_command_has_help(data_dir: Path) -> None:
    listed = ok(factbot(data_dir, "review", "--help"))
    for command in COMMANDS:
        assert command in listed
        assert "Usage:" in ok(factbot(data_dir, "review", command, "--help"))
    assert "--kind unanswered" in ok(factbot(data_dir, "unanswered", "--help"))


def test_list_show_and_teach(data_dir: Path) -> None:
    log(data_dir, [(TEAM, "a", 1), ("Is the Israeli team goin to Cairo?", "b", 2), ("banana bread recipe", "c", 1)])
    payload = as_json(factbot(data_dir, "review", "list", "--json"))
    assert set(payload) == {"groups", "more"} and payload["more"] == 0
    team, banana = payload["groups"]
    assert set(team) == {"id", "kind", "count", "askers", "servers", "first_asked", "last_asked", "examples", "nearest"}
    assert (team["kind"], team["count"], team["askers"], team["servers"]) == ("unanswered", 2, 2, ["1", "2"])
    assert team["examples"] == [TEAM, "Is the Israeli team goin to Cairo?"]
    assert set(team["nearest"]) == {"slug", "title", "score"} and banana["nearest"] is None
    assert as_json(factbot(data_dir, "review", "list", "--json", "--limit", "1"))["more"] == 1

    human = ok(factbot(data_dir, "review", "list"))
    assert f"#{team['id']}" in human and f"“{TEAM}”" in human and "2 groups (3 asks)" in human
    shown = as_json(factbot(data_dir, "review", "show", f"#{team['id']}", "--json"))
    assert (shown["state"], [w["count"] for w in shown["wordings"]]) == ("open", [1, 1])
    assert "wordings, most asked first:" in ok(factbot(data_dir, "review", "show", str(team["id"])))

    taught = ok(factbot(data_dir, "review", "teach", str(team["id"]), "cairo-talks-next-steps"))
    assert f"Taught group #{team['id']} to 'cairo-talks-next-steps': 2 wordings added" in taught
    assert "Its question is answered now." in taught
    answered = ok(factbot(data_dir, "ask", "is the israeli team going to cairo this week?", "--json"))
    assert json.loads(answered)["matches"][0]["topic"]["slug"] == "cairo-talks-next-steps"
    assert [g["examples"][0] for g in as_json(factbot(data_dir, "review", "list", "--json"))["groups"]] == [
        "banana bread recipe"
    ]
    assert ("review_group", "teach", "cli:alice") in audit_rows(data_dir)


def test_create_dismiss_reopen(data_dir: Path) -> None:
    log(data_dir, [("is the rafah crossing open", "a", None), ("banana bread recipe", "b", None)])
    groups = {g["examples"][0]: g["id"] for g in as_json(factbot(data_dir, "review", "list", "--json"))["groups"]}
    created = ok(factbot(data_dir, "review", "create", str(groups["is the rafah crossing open"]), "--title", "Rafah?"))
    assert "Created topic from group" in created and "'rafah'" in created and "not answered yet" in created
    banana = str(groups["banana bread recipe"])
    dismissed = ok(factbot(data_dir, "review", "dismiss", banana, "--reason", "off-topic", "--note", "cooking"))
    assert "Dismissed group" in dismissed and "(off-topic)" in dismissed
    assert as_json(factbot(data_dir, "review", "list", "--json"))["groups"] == []
    assert "Reopened group" in ok(factbot(data_dir, "review", "reopen", banana, actor=None))
    assert [a for a in audit_rows(data_dir) if a[0] == "review_group"] == [
        ("review_group", "create_topic", "cli:alice"),
        ("review_group", "dismiss", "cli:alice"),
        ("review_group", "reopen", f"cli:{_os_user()}"),  # no FACTBOT_ACTOR: the OS user
    ]


def _os_user() -> str:
    import getpass

    return getpass.getuser()


def test_bad_input_is_one_line_and_changes_nothing(data_dir: Path) -> None:
    log(data_dir, [("banana bread recipe", "a", None)])
    [group] = as_json(factbot(data_dir, "review", "list", "--json"))["groups"]
    gid = str(group["id"])
    one_line_error(factbot(data_dir, "review", "teach", "999", "gaza-death-toll"), "There is no review group #999.")
    one_line_error(factbot(data_dir, "review", "show", "abc"), "GROUP: 'abc' is not a group id")
    one_line_error(factbot(data_dir, "review", "teach", gid, "no-such-topic"), "There is no topic 'no-such-topic'.")
    one_line_error(
        factbot(data_dir, "review", "dismiss", gid, "--reason", "boring"),
        "--reason: 'boring' is not one of spam, off-topic, duplicate, out-of-scope.",
    )
    one_line_error(factbot(data_dir, "review", "list", "--kind", "strong"), "--kind: 'strong' is not one of")
    one_line_error(factbot(data_dir, "review", "create", gid, "--title", "X", "--slug", "Not A Slug"), "--slug:")
    one_line_error(factbot(data_dir, "review", "replay", "--threshold", "2"), "--threshold: a score between 0 and 1")
    one_line_error(factbot(data_dir, "review", "reopen", gid), "GROUP: #")
    assert factbot(data_dir, "review", "list", "--days", "0").exit_code == 2  # typer's own range check
    assert [a for a in audit_rows(data_dir) if a[0] == "review_group"] == []
    assert as_json(factbot(data_dir, "review", "list", "--json"))["groups"][0]["count"] == 1


def test_replay_and_stats(data_dir: Path, tmp_path: Path) -> None:
    progress = "Is there any progress in the Cairo truce talks?"
    log(data_dir, [(TEAM, "a", 1), (TEAM, "b", 1), (progress, "c", 2)], dispute=progress)
    [disputed] = as_json(factbot(data_dir, "review", "list", "--json", "--kind", "disputed"))["groups"]
    assert disputed["examples"] == [progress] and disputed["nearest"]["slug"] == "cairo-talks-progress"
    [group] = as_json(factbot(data_dir, "review", "list", "--json", "--kind", "unanswered"))["groups"]
    ok(factbot(data_dir, "review", "teach", str(group["id"]), "cairo-talks-next-steps"))
    report = as_json(factbot(data_dir, "review", "replay", "--json"))
    assert (report["answered_before"], report["answered_after"], report["labelled"]["positives"]) == (1, 3, 2)
    assert report["unanswered_to_answered"] == {"count": 2, "examples": [TEAM]}
    assert report["before"]["recall"] == 0.0 and report["after"]["f1"] == 1.0
    human = ok(factbot(data_dir, "review", "replay", "--threshold", "0.99"))
    assert "at threshold 0.99" in human and "answered -> unanswered: 1 ask" in human

    chart = tmp_path / "chart.png"
    stats = as_json(factbot(data_dir, "review", "stats", "--json", "--days", "7", "--plot", str(chart)))
    assert stats["total"]["asked"] == 3 and stats["total"]["answered_rate"] == round(1 / 3, 4)
    assert (stats["total"]["disputed"], stats["total"]["not_helpful"], stats["total"]["disputed_rate"]) == (1, 1, 1.0)
    assert [s["server"] for s in stats["per_server"]] == ["1", "2"] and len(stats["per_day"]) == 7
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and stats["plot"] == str(chart)
    text = ok(factbot(data_dir, "review", "stats"))
    assert "3 questions logged, answered 33%" in text and "Per server:" in text


def test_the_chart_without_matplotlib_says_how_to_get_it(data_dir: Path, tmp_path: Path) -> None:
    shadow = tmp_path / "no-matplotlib" / "matplotlib"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('not installed here')\n")
    result = run_installed(data_dir, "review", "stats", "--plot", str(tmp_path / "x.png"), pythonpath=shadow.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pip install 'factbot[plot]'" in result.stderr and not (tmp_path / "x.png").exists()


# -- purge and forget: asked first on a terminal, --yes anywhere else ------------------------------------------


def run_installed(
    data_dir: Path, *args: str, pythonpath: Path | None = None, stdin: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTBOT_")}
    env |= {"FACTBOT_DATA_DIR": str(data_dir), "COLUMNS": "200", "FACTBOT_ACTOR": "alice"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [FACTBOT, *args], capture_output=True, text=True, env=env, timeout=120, check=False, stdin=stdin
    )


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal: (what the program reads as its stdin, where the test types)."""
    typing_end, program_end = pty.openpty()
    try:
        yield program_end, typing_end
    finally:
        os.close(program_end)
        os.close(typing_end)


def logged_count(data_dir: Path) -> int:
    return int(as_json(factbot(data_dir, "review", "stats", "--json", "--days", "3650"))["total"]["asked"])


def test_destructive_commands_refuse_without_a_terminal_or_yes(data_dir: Path) -> None:
    log(data_dir, [("banana bread recipe", "a", None)])
    one_line_error(factbot(data_dir, "review", "purge", "--older-than", "1"), "add --yes to confirm")
    one_line_error(factbot(data_dir, "review", "forget", "--user", "42"), "add --yes to confirm")
    one_line_error(factbot(data_dir, "review", "purge"), "--older-than: give the age in days")
    purged = ok(factbot(data_dir, "review", "purge", "--older-than", "1", "--yes"))
    assert purged.startswith("Deleted 0 logged questions and 0 feedback presses older than 1 day")
    assert "Forgot member 42: 0 questions" in ok(factbot(data_dir, "review", "forget", "--user", "42", "--yes"))


def test_on_a_terminal_purge_asks_first(data_dir: Path, terminal: tuple[int, int]) -> None:
    log(data_dir, [("banana bread recipe", "a", None)])
    program_end, typing_end = terminal
    os.write(typing_end, b"n\n")
    declined = run_installed(data_dir, "review", "forget", "--user", "42", stdin=program_end)
    assert declined.returncode == 1 and "Nothing deleted." in declined.stdout
    assert "Delete every question and feedback press of member 42" in declined.stdout
    os.write(typing_end, b"y\n")
    accepted = run_installed(data_dir, "review", "purge", "--older-than", "1", stdin=program_end)
    assert accepted.returncode == 0 and "Deleted 0 logged questions" in accepted.stdout
    assert logged_count(data_dir) == 1


def test_forget_through_the_cli_removes_a_members_questions(data_dir: Path) -> None:
    async def member_hash() -> str:
        async with open_store(StoreSettings(database_url=None, data_dir=data_dir), demo=False) as store:
            return await store.user_hash(42)

    mine = asyncio.run(member_hash())
    log(data_dir, [("banana bread recipe", mine, 3), ("who won the 2018 world cup", "someone else", 3)])
    assert len(as_json(factbot(data_dir, "review", "list", "--json"))["groups"]) == 2
    forgot = ok(factbot(data_dir, "review", "forget", "--user", "42", "--yes"))
    assert "Forgot member 42: 1 question and 0 feedback presses deleted, 1 review group" in forgot
    assert [g["examples"] for g in as_json(factbot(data_dir, "review", "list", "--json"))["groups"]] == [
        ["who won the 2018 world cup"]
    ]


# -- a moderator works through a queue of 200 logged questions ----------------------------------------------


def test_a_moderator_works_through_200_logged_questions(data_dir: Path) -> None:
    asks = [
        (wording, f"member-{n % 37}", 1 + n % 3)
        for n, wording in enumerate(w for _ in range(4) for wordings in QUEUE.values() for w in wordings)
    ]
    assert len(asks) == 200
    log(data_dir, asks)
    before = as_json(factbot(data_dir, "review", "replay", "--json"))
    assert before["asks"] == 200

    queue = as_json(factbot(data_dir, "review", "list", "--json", "--limit", "500"))
    unanswered = sum(g["count"] for g in queue["groups"] if g["kind"] == "unanswered")
    assert queue["more"] == 0 and unanswered == before["asks"] - before["answered_before"]
    for group in queue["groups"]:
        decisions = {DECISION_OF[e] for e in group["examples"]}
        assert len(decisions) == 1, group  # a group asks one of the ten questions
        action, value = decisions.pop().split(" ", 1)
        if action == "teach":
            ok(factbot(data_dir, "review", "teach", str(group["id"]), value))
        else:
            ok(factbot(data_dir, "review", "dismiss", str(group["id"]), "--reason", value))
    assert len(queue["groups"]) <= 15  # ten questions: about one group each (a few split between two kinds)
    assert as_json(factbot(data_dir, "review", "list", "--json"))["groups"] == []

    # "has qatar commented on the talks" stays unanswered though taught: the store holds no statement by Qatar,
    # and a question about what someone said is answered only by their statements (store/matching/speakers.py)
    after = as_json(factbot(data_dir, "review", "replay", "--json"))
    assert after["labelled"]["negatives"] == 60 and after["labelled"]["positives"] >= 130
    assert after["answered_before"] < 40 and after["answered_after"] >= 120
    assert after["before"]["recall"] < 0.3
    assert after["after"]["precision"] == 1.0 and after["after"]["wrong"] == 0  # no taught question answered wrongly
    assert after["after"]["recall"] >= 0.9 and after["after"]["missed"] == 12  # the three Qatar wordings, 4 asks each
    for wording in ("Is the Israeli team going to Cairo this week?", "did the mossad chief travel to cairo again"):
        assert json.loads(ok(factbot(data_dir, "ask", wording, "--json")))["answered"]
    decided = [a for a in audit_rows(data_dir) if a[0] == "review_group"]
    assert len(decided) == len(queue["groups"]) and {a[2] for a in decided} == {"cli:alice"}
