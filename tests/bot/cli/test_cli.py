"""The `factbot` command through its installed entry point, as a newcomer would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FACTBOT = str(Path(sys.executable).with_name("factbot"))


def factbot(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FACTBOT_")}
    environment |= {"FACTBOT_DATA_DIR": str(data_dir), "COLUMNS": "120", **(env or {})}
    return subprocess.run([FACTBOT, *args], capture_output=True, text=True, env=environment, timeout=120, check=False)


def assert_clean_failure(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr


def test_first_ask_loads_the_demo_and_says_so(tmp_path: Path) -> None:
    result = factbot("ask", "Is there any progress in the Cairo truce talks?", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "demo data" in result.stderr
    assert "Al Qahera News" in result.stdout and "Reuters" in result.stdout
    assert "Says yes" in result.stdout and "Says no" in result.stdout
    assert "An Egyptian source close to" in result.stdout and "organization (Hamas)" in result.stdout
    assert "there is still no progress" in result.stdout


def test_json_output_is_one_object_with_the_documented_shape(tmp_path: Path) -> None:
    result = factbot("ask", "cairo ceasfire negotiatons progres", "--json", "--limit", "2", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert payload["query"] == "cairo ceasfire negotiatons progres" and payload["answered"] is True
    best = payload["matches"][0]
    assert best["topic"]["title"].startswith("Has the Cairo round") and 0 <= best["score"] <= 1
    statement = best["statements"][0]
    assert set(statement) >= {"id", "text", "speaker", "outlet", "stance", "date", "url", "affiliation", "descriptor"}
    assert {s["outlet"] for s in best["statements"]} >= {"Al Qahera News", "Reuters"}
    hamas = next(s for s in best["statements"] if s["uid"] == "cairo-005")
    assert (hamas["speaker"], hamas["affiliation"], hamas["cue"]) == (
        "an official source from the organization",
        "Hamas",
        "told",
    )
    assert hamas["attribution"] == "An official source from the organization (Hamas) told Reuters, date not given"
    assert len(payload["matches"]) <= 2


def test_unanswered_is_exit_zero_with_an_empty_answer(tmp_path: Path) -> None:
    result = factbot("ask", "who won the champions league final", "--json", data_dir=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) | {"latency_ms": 0} == {
        "query": "who won the champions league final",
        "answered": False,
        "matches": [],
        "claimless": False,
        "no_statement_by": None,
        "related": [],
        "latency_ms": 0,
    }
    human = factbot("ask", "who won the champions league final", data_dir=tmp_path)
    assert human.returncode == 0 and "nothing on that" in human.stdout


@pytest.mark.parametrize(
    ("question", "fragment"),
    [("", "empty"), ("   ", "empty"), ("x" * 10_000, "10,000 characters"), ("a\x07b", "control characters")],
)
def test_bad_questions_fail_cleanly(tmp_path: Path, question: str, fragment: str) -> None:
    assert_clean_failure(factbot("ask", question, data_dir=tmp_path), fragment)


@pytest.mark.parametrize(
    "question", ["' OR 1=1; DROP TABLE statements; --", "🔥🔥 gaza 🔥🔥", "هل هناك تقدم في محادثات القاهرة؟"]
)
def test_odd_questions_are_answered_or_not_but_never_crash(tmp_path: Path, question: str) -> None:
    result = factbot("ask", question, "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["query"] == question


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:9/none"  # port 9: nothing listens
    result = factbot("ask", "gaza", data_dir=tmp_path, env={"FACTBOT_DATABASE_URL": url})
    assert_clean_failure(result, "unavailable")


def test_export_import_round_trip_through_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert factbot("demo", "load", data_dir=first).returncode == 0
    exported = tmp_path / "export.jsonl"
    assert factbot("export", str(exported), data_dir=first).returncode == 0
    imported = factbot("import", str(exported), data_dir=second)
    assert imported.returncode == 0 and "8 topics created" in imported.stdout
    again = factbot("export", data_dir=second)
    assert again.stdout == exported.read_text(encoding="utf-8")


def test_invalid_utf8_import_changes_nothing(tmp_path: Path) -> None:
    assert factbot("demo", "load", data_dir=tmp_path).returncode == 0
    before = factbot("export", data_dir=tmp_path).stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"slug": "ok", "title": "Fine?"}\n{"slug": "x", "title": "\xc3\x28"}\n')
    assert_clean_failure(factbot("import", str(bad), data_dir=tmp_path), "line 2: not valid UTF-8")
    assert factbot("export", data_dir=tmp_path).stdout == before
    assert_clean_failure(factbot("import", str(tmp_path / "missing.jsonl"), data_dir=tmp_path), "Can't read")


def test_version_and_migrations(tmp_path: Path) -> None:
    assert factbot("--version", data_dir=tmp_path).stdout.startswith("factbot ")
    assert "revision 0004" in factbot("db", "upgrade", data_dir=tmp_path).stdout
    assert "base" in factbot("db", "downgrade", "base", data_dir=tmp_path).stdout
    assert factbot("db", "upgrade", data_dir=tmp_path).returncode == 0


def test_unanswered_is_the_short_form_of_the_review_list(tmp_path: Path) -> None:
    for question in (
        "Who won the 2018 World Cup?",
        "who won the 2018 world cup",
        "what did the pope say about the truce",
    ):
        assert factbot("ask", question, data_dir=tmp_path).returncode == 0
    assert factbot("ask", "Is there any progress in the Cairo truce talks?", data_dir=tmp_path).returncode == 0
    listed = factbot("unanswered", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert (
        lines[0].split()[:4] == ["#1", "unanswered", "2", "asks"]
        and lines[1].strip() == "“Who won the 2018 World Cup?”"
    )
    assert "pope" in lines[3] and "nearest topic:" in lines[4] and "cairo truce" not in listed.stdout.lower()
    assert listed.stdout == factbot("review", "list", "--kind", "unanswered", data_dir=tmp_path).stdout
    payload = json.loads(factbot("unanswered", "--json", "--limit", "1", data_dir=tmp_path).stdout)
    assert [(q["id"], q["text"], q["asked"], q["sources"]) for q in payload["questions"]] == [
        (1, "Who won the 2018 World Cup?", 2, ["cli"])
    ]
    bad = factbot("unanswered", "--days", "0", data_dir=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "--days" in bad.stderr


def test_no_statement_by_the_speaker_asked_about(tmp_path: Path) -> None:
    result = factbot("ask", "What did Qatar say?", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["answered"], payload["matches"], payload["no_statement_by"]) == (False, [], "Qatar")
    related = [m["topic"]["slug"] for m in payload["related"]]
    assert "cairo-talks-next-steps" in related  # the topic that mentions Qatar, with its statements
    assert all(m["statements"] for m in payload["related"])
    human = factbot("ask", "What did Qatar say?", data_dir=tmp_path)
    assert human.returncode == 0
    assert "I have no statement by Qatar on this" in human.stdout
    assert "What happens next in the Cairo truce talks?" in human.stdout


def test_a_question_of_phrasing_only_is_asked_which_claim(tmp_path: Path) -> None:
    payload = json.loads(factbot("ask", "is it true?", "--json", data_dir=tmp_path).stdout)
    assert (payload["answered"], payload["claimless"], payload["related"]) == (False, True, [])
    assert "Which claim should I check?" in factbot("ask", "is it true?", data_dir=tmp_path).stdout
