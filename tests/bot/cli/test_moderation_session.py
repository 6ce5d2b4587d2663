"""A moderator's session on the demo store through the installed `factbot` command, as the README's guide walks it."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from tests.bot.cli.test_cli import factbot

PROGRESS = "Is there any progress in the Cairo truce talks?"
TOLL = "How many people have been killed in Gaza?"
COMPETING = (
    "statement add --topic cairo-talks-progress --stance disputes --speaker 'Khalil al-Hayya' --affiliation Hamas "
    "--outlet 'Al Jazeera' --cue told --date 2024-04-08 --url https://example.org/hayya "
    "--text 'The talks are going nowhere.'"
)
NEWER_TOLL = (
    "statement add --topic gaza-death-toll --stance context --speaker 'Gaza Health Ministry' "
    "--speaker-kind organisation --date 2024-04-20 --figure '34,097 people killed in Gaza as of 2024-04-20' "
    "--paraphrase --text 'At least 34,097 people have been killed in Gaza since 7 October.'"
)


def test_a_moderators_session_changes_the_answers_and_the_trail_says_who(tmp_path: Path) -> None:
    def run(command: str) -> str:
        result = factbot(*shlex.split(command), data_dir=tmp_path, env={"FACTBOT_ACTOR": "dana", "COLUMNS": "200"})
        assert result.returncode == 0, result.stderr
        return result.stdout

    def answer(question: str) -> Any:
        return json.loads(run(f"ask {shlex.quote(question)} --json"))["matches"][0]["statements"]

    assert "8 topics created" in run("demo load")

    # a competing statement on a demo topic
    competing = json.loads(run(COMPETING + " --json"))
    assert {k: competing[k] for k in ("version", "topic", "status")} == {
        "version": 1,
        "topic": "cairo-talks-progress",
        "status": "published",
    }
    shown = run(f"ask {shlex.quote(PROGRESS)}")
    assert "Khalil al-Hayya (Hamas) told Al Jazeera, 2024-04-08: “The talks are going nowhere.”" in shown
    assert "Says no (4)" in shown

    # a newer death toll supersedes the article's
    older = json.loads(run("topic show gaza-death-toll --json"))["statements"][0]
    newer = json.loads(run(f"{NEWER_TOLL} --supersedes {older['id']} --json"))
    assert newer["supersedes"] == older["id"]
    shown = run(f"ask {shlex.quote(TOLL)}")
    first_figure = shown.index("34,097 people — killed in Gaza as of 2024-04-20")
    previously = shown.index("previously 33,175 people killed in the war in Gaza")
    assert first_figure < previously
    assert "(latest Gaza Health Ministry figures) (Gaza Health Ministry)" in shown
    [toll] = answer(TOLL)
    assert toll["id"] == newer["id"]
    assert (toll["previous"][0]["value"], toll["previous"][0]["given_by"]) == (33175, "Gaza Health Ministry")

    # a retraction takes a statement out of answers; restore brings it back
    retracted = next(s["id"] for s in answer(PROGRESS) if s["uid"] == "cairo-005")
    assert "retracted" in run(f"statement retract {retracted} --reason misquoted")
    assert retracted not in [s["id"] for s in answer(PROGRESS)]
    assert "there is still no progress" not in run(f"ask {shlex.quote(PROGRESS)}")
    run(f"statement restore {retracted}")
    assert retracted in [s["id"] for s in answer(PROGRESS)]

    # the trail, newest first, says who did each
    events = json.loads(run("audit --json --limit 4"))["events"]
    assert [(e["actor"], e["action"], e["entity_id"]) for e in events] == [
        ("cli:dana", "restore", "cairo-005"),
        ("cli:dana", "retract", "cairo-005"),
        ("cli:dana", "create", newer["uid"]),
        ("cli:dana", "create", competing["uid"]),
    ]
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert events[1]["after"]["retraction_reason"] == "misquoted"
    assert f"cli:dana  retract statement #{retracted} (cairo-005) (version 2)" in run("audit --limit 4")
