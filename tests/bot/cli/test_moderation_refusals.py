"""Bad input to the moderators' commands: one line on stderr naming the option, exit 1, nothing written."""

from __future__ import annotations

import pytest

from tests.bot.cli.runner import Cli

ADD = ("statement", "add", "--topic", "gaza-death-toll", "--stance", "context", "--speaker", "UN OCHA")
TEXT = ("--text", "Aid deliveries fell by half.")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ((*ADD, *TEXT, "--url", "ftp://example.org/x"), "error: --url: 'ftp://example.org/x' is not a web address"),
        ((*ADD, *TEXT, "--url", "example org"), "error: --url: 'example org' is not a web address"),
        ((*ADD, *TEXT, "--date", "2999-01-01"), "error: --date: 2999-01-01 is in the future."),
        ((*ADD, *TEXT, "--date", "8 April"), "error: --date: '8 April' is not a date (YYYY-MM-DD)."),
        ((*ADD, "--text", "   "), "error: --text: it can't be empty."),
        ((*ADD, "--text", "x" * 5000), "error: --text: it is 5,000 characters long; the limit is 4,000."),
        ((*ADD, *TEXT, "--outlet", "x" * 5000), "error: --outlet: it is 5,000 characters long; the limit is 300."),
        ((*ADD, *TEXT, "--figure", "half of it"), "error: --figure: 'half of it' should read 'VALUE UNIT WHAT IS"),
        (
            (*ADD, *TEXT, "--figure", "12 trucks a day as of 2999-01-01"),
            "error: --figure: 2999-01-01 is in the future.",
        ),
        ((*ADD, *TEXT, "--stance", "maybe"), "error: --stance: 'maybe' is not one of affirms, disputes, context."),
        ((*ADD, *TEXT, "--speaker-kind", "anonymous"), "error: --descriptor: an anonymous speaker needs one"),
        ((*ADD, *TEXT, "--supersedes", "x1"), "error: --supersedes: 'x1' is not a statement id"),
        ((*ADD, *TEXT, "--supersedes", "999999"), "error: --supersedes: there is no statement #999999."),
        (
            ("statement", "add", "--topic", "no-such-topic", "--stance", "context", "--speaker", "UN", *TEXT),
            "no topic 'no-such-topic'",
        ),
        (
            ("topic", "add", "gaza-deaths", "--title", "Gaza deaths?", "--alias", "Gaza death toll"),
            "error: --alias: 'Gaza death toll' already belongs to topic 'gaza-death-toll'.",
        ),
        (
            ("topic", "edit", "october-7-attack", "--add-alias", "gaza death toll"),
            "error: --add-alias: 'gaza death toll' already belongs to topic 'gaza-death-toll'.",
        ),
        (("topic", "add", "Gaza_Deaths", "--title", "Gaza deaths?"), "error: SLUG: 'Gaza_Deaths' should be lowercase"),
        (
            ("topic", "add", "gaza-death-toll", "--title", "Again?"),
            "error: SLUG: there is already a topic 'gaza-death-toll'.",
        ),
        (("topic", "edit", "gaza-death-toll", "--title", ""), "error: --title: it can't be empty."),
        (
            ("topic", "edit", "gaza-death-toll", "--remove-alias", "not one"),
            "error: --remove-alias: 'not one' is not an alias",
        ),
        (("topic", "show", "no-such-topic"), "error: There is no topic 'no-such-topic'."),
        (("topic", "retire", "no-such-topic", "--reason", "x"), "error: There is no topic 'no-such-topic'."),
        (("topic", "retire", "gaza-death-toll", "--reason", " "), "error: --reason: it can't be empty."),
        (
            ("topic", "merge", "gaza-death-toll", "gaza-death-toll"),
            "error: INTO_SLUG: a topic can't be merged into itself",
        ),
        (("topic", "merge", "no-such-topic", "gaza-death-toll"), "error: There is no topic 'no-such-topic'."),
        (("statement", "show", "999999"), "error: There is no statement #999999."),
        (("statement", "show", "twelve"), "error: ID: 'twelve' is not a statement id (a number, e.g. 12)."),
        (("statement", "retract", "999999", "--reason", "x"), "error: There is no statement #999999."),
        (("statement", "restore", "1"), "error: statement: #1 is not retracted (it is published)."),
        (("statement", "move", "1", "--topic", "no-such-topic"), "error: There is no topic 'no-such-topic'."),
        (("statement", "move", "1", "--topic", "cairo-talks-progress"), "error: --topic: statement #1 is already in"),
        (("statement", "edit", "1", "--version", "1", "--text", ""), "error: --text: it can't be empty."),
        (("statement", "edit", "1", "--version", "1"), "error: nothing to change: give at least one field"),
        (
            ("statement", "edit", "1", "--version", "1", "--figure", "2 x", "--clear-figures"),
            "error: --figure and --clear-figures",
        ),
        (("speaker", "show", "Nobody Known"), "error: There is no speaker 'Nobody Known'."),
        (("speaker", "edit", "Nobody Known", "--alias", "NK"), "error: There is no speaker 'Nobody Known'."),
        (
            ("speaker", "edit", "Benjamin Netanyahu", "--alias", "Hamas"),
            "error: --alias: 'Hamas' is the name of another speaker",
        ),
        (("speaker", "edit", "Hamas", "--alias", "x" * 5000), "error: --alias: an alias is 5,000 characters long"),
        (("speaker", "merge", "Nobody Known", "Hamas"), "error: There is no speaker 'Nobody Known'."),
        (("speaker", "merge", "Hamas", "hamas"), "error: INTO: a speaker can't be merged into itself"),
        (("outlet", "show", "Nobody Press"), "error: There is no outlet 'Nobody Press'."),
        (("outlet", "merge", "Nobody Press", "Reuters"), "error: There is no outlet 'Nobody Press'."),
        (("audit", "--statement", "999999"), "error: There is no statement #999999."),
        (("audit", "--topic", "no-such-topic"), "error: There is no topic 'no-such-topic'."),
        (("audit", "--since", "last week"), "error: --since: 'last week' is not a date (YYYY-MM-DD)."),
        (("audit", "--limit", "0"), "error: --limit: between 1 and 500, not 0."),
    ],
)
def test_bad_input_is_one_line_naming_the_option_and_writes_nothing(cli: Cli, args: tuple[str, ...], line: str) -> None:
    before = cli.snapshot()
    assert line in cli.refused(*args)
    assert cli.snapshot() == before


def test_a_bad_actor_is_refused_by_name(cli: Cli) -> None:
    before = cli.snapshot()
    line = cli.refused(*ADD, *TEXT, actor="ali\x07ce")
    assert line == "error: FACTBOT_ACTOR: who makes the change contains control characters."
    assert cli.snapshot() == before


def test_an_edit_of_an_old_version_is_refused_with_who_changed_it_and_when(cli: Cli) -> None:
    target = cli.statement_id("cairo-talks-progress", "cairo-005")
    won = cli.json("statement", "edit", str(target), "--version", "1", "--cue", "said", actor="bob")
    before = cli.snapshot()
    line = cli.refused("statement", "edit", str(target), "--version", "1", "--cue", "wrote")
    when = won["updated_at"][:19].replace("T", " ")
    assert line.startswith(f"error: Statement #{target} was changed by cli:bob at {when} UTC: review and retry")
    assert "it is now at version 2" in line
    assert cli.snapshot() == before
    assert cli.json("statement", "show", str(target))["cue"] == "said"
    for stale in (
        ("statement", "retract", str(target), "--reason", "x", "--version", "1"),
        ("statement", "move", str(target), "--topic", "gaza-death-toll", "--version", "1"),
    ):
        assert "changed by cli:bob" in cli.refused(*stale)

    cli.ok("topic", "edit", "gaza-death-toll", "--add-alias", "gaza dead", actor="bob")
    before = cli.snapshot()
    line = cli.refused("topic", "edit", "gaza-death-toll", "--version", "1", "--title", "Gaza deaths?")
    assert "Topic 'gaza-death-toll' was changed by cli:bob at" in line and "review and retry" in line
    assert "changed by cli:bob" in cli.refused("topic", "retire", "gaza-death-toll", "--reason", "x", "--version", "1")
    assert cli.snapshot() == before


def test_a_missing_required_option_is_a_usage_error_without_traceback(cli: Cli) -> None:
    result = cli("statement", "add", "--topic", "gaza-death-toll", "--speaker", "UN", "--stance", "context")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "Missing option '--text'" in result.stderr
