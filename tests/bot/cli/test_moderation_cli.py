"""The moderators' commands through the real `factbot` app: each change lands, answers follow, the trail says who."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

from tests.bot.cli.runner import Cli, compact

TOLL = "how many people have been killed in gaza"
PROGRESS = "is there any progress in the cairo truce talks"
HAYYA = (
    "--topic",
    "cairo-talks-progress",
    "--stance",
    "disputes",
    "--speaker",
    "Khalil al-Hayya",
    "--affiliation",
    "Hamas",
    "--role",
    "deputy head of Hamas in Gaza",
    "--outlet",
    "Al Jazeera",
    "--cue",
    "told",
    "--date",
    "2024-04-08",
    "--url",
    "https://example.org/hayya",
    "--text",
    "The talks are going nowhere.",
)


def shown(cli: Cli, question: str, slug: str) -> list[Any]:
    """The statements `factbot ask` shows for `slug`, or [] when the topic isn't in the answer."""
    answer = cli.json("ask", question, "--limit", "5")
    return next((m["statements"] for m in answer["matches"] if m["topic"]["slug"] == slug), [])


def test_a_new_statement_is_answered_at_once_and_printed_as_stored(cli: Cli) -> None:
    added = cli.json("statement", "add", *HAYYA)
    assert {k: added[k] for k in ("version", "topic", "status", "created_by")} == {
        "version": 1,
        "topic": "cairo-talks-progress",
        "status": "published",
        "created_by": "cli:alice",
    }
    assert isinstance(added["id"], int)
    assert cli.json("statement", "show", str(added["id"])) == added
    [answer] = [s for s in shown(cli, PROGRESS, "cairo-talks-progress") if s["id"] == added["id"]]
    assert answer["attribution"] == "Khalil al-Hayya (Hamas) told Al Jazeera, 2024-04-08"

    readable = compact(cli.ok("statement", "add", *HAYYA[:-1], "Talks resume next week."))
    assert "added (now version 1, published, in topic cairo-talks-progress)" in readable
    assert "Khalil al-Hayya (Hamas) told Al Jazeera, 2024-04-08: “Talks resume next week.”" in readable


def test_an_edit_says_what_changed_and_the_new_version(cli: Cli) -> None:
    added = cli.json("statement", "add", *HAYYA)
    ident = str(added["id"])
    readable = compact(cli.ok("statement", "edit", ident, "--version", "1", "--cue", "said", "--url", "", "--quote"))
    assert f"Statement #{ident} edited (now version 2" in readable
    assert "cue: told → said" in readable and "url: https://example.org/hayya → —" in readable
    assert "kind" not in readable  # it was a quote already: not a change
    edited = cli.json("statement", "edit", ident, "--version", "2", "--paraphrase", "--figure", "3 rounds held")
    assert (edited["version"], edited["kind"], edited["cue"], edited["url"]) == (3, "paraphrase", "said", None)
    assert edited["changed"] == ["kind", "figures"]
    assert edited["figures"][0] | {"value": 3} == {
        "value": 3,
        "unit": "rounds",
        "counted": "held",
        "as_of": None,
        "approximate": False,
    }
    cleared = cli.json("statement", "edit", ident, "--version", "3", "--clear-figures")
    assert (cleared["figures"], cleared["version"]) == ([], 4)
    same = compact(cli.ok("statement", "edit", ident, "--version", "4", "--cue", "said"))
    assert "unchanged (now version 4" in same and "Nothing changed." in same


def test_a_statement_shows_every_field_and_where_its_history_is(cli: Cli) -> None:
    ident = cli.json("statement", "add", *HAYYA, "--note", "checked with the desk")["id"]
    readable = compact(cli.ok("statement", "show", f"#{ident}"))
    for field in (
        f"Statement #{ident} (version 1, published) in topic cairo-talks-progress",
        "stance disputes",
        "kind quote",
        "speaker Khalil al-Hayya",
        "speaker kind person",
        "affiliation Hamas",
        "role deputy head of Hamas in Gaza",
        "outlet Al Jazeera",
        "cue told",
        "date 2024-04-08",
        "url https://example.org/hayya",
        "note checked with the desk",
        "by cli:alice",
        f"History: factbot audit --statement {ident}",
        f"factbot statement edit {ident} --version 1",
    ):
        assert field in readable, field


def test_a_figure_superseded_is_shown_as_previously(cli: Cli) -> None:
    older = cli.statement_id("gaza-death-toll", "cairo-017")
    newer = cli.json(
        "statement",
        "add",
        "--topic",
        "gaza-death-toll",
        "--stance",
        "context",
        "--speaker",
        "Gaza Health Ministry",
        "--speaker-kind",
        "organisation",
        "--date",
        "2024-04-20",
        "--figure",
        "34,097 people killed in Gaza as of 2024-04-20",
        "--supersedes",
        str(older),
        "--text",
        "At least 34,097 people have been killed in Gaza.",
    )
    [first, *_] = shown(cli, TOLL, "gaza-death-toll")
    assert first["id"] == newer["id"] and first["supersedes"] == older
    previous = first["previous"][0]
    assert (previous["value"], previous["given_by"], previous["statement_id"]) == (33175, "Gaza Health Ministry", older)
    assert cli.json("statement", "show", str(older))["superseded_by"] == [newer["id"]]


def test_retract_hides_a_statement_and_restore_brings_it_back(cli: Cli) -> None:
    target = cli.statement_id("cairo-talks-progress", "cairo-005")
    readable = compact(cli.ok("statement", "retract", str(target), "--reason", "misquoted"))
    assert f"Statement #{target} retracted (now version 2, retracted" in readable
    assert f"factbot statement restore {target}" in readable
    assert target not in [s["id"] for s in shown(cli, PROGRESS, "cairo-talks-progress")]
    shown_detail = compact(cli.ok("statement", "show", str(target)))
    assert "retracted for misquoted" in shown_detail
    restored = cli.json("statement", "restore", str(target), "--version", "2")
    assert (restored["status"], restored["version"], restored["retraction_reason"]) == ("published", 3, None)
    assert target in [s["id"] for s in shown(cli, PROGRESS, "cairo-talks-progress")]


def test_a_moved_statement_answers_for_its_new_topic(cli: Cli) -> None:
    target = cli.statement_id("netanyahu-truce-position", "cairo-014")
    readable = compact(cli.ok("statement", "move", str(target), "--topic", "gaza-truce-proposal-terms"))
    assert "topic: netanyahu-truce-position → gaza-truce-proposal-terms" in readable
    terms = cli.json("topic", "show", "gaza-truce-proposal-terms")
    assert "cairo-014" in [s["uid"] for s in terms["statements"]]


def test_a_topic_is_added_edited_listed_and_shown_in_full(cli: Cli) -> None:
    added = cli.json(
        "topic",
        "add",
        "rafah-crossing",
        "--title",
        "Is the Rafah crossing open?",
        "--alias",
        "rafah open",
        "--tag",
        "aid",
    )
    assert (added["slug"], added["version"], added["state"], added["aliases"], added["tags"]) == (
        "rafah-crossing",
        1,
        "open",
        ["rafah open"],
        ["aid"],
    )
    edited = compact(
        cli.ok("topic", "edit", "rafah-crossing", "--add-alias", "is rafah closed", "--tag", "aid", "--tag", "egypt")
    )
    assert "Topic rafah-crossing edited (now version 2, open)." in edited
    assert "aliases: added is rafah closed" in edited and "tags: added egypt" in edited
    cli.ok(
        "statement",
        "add",
        "--topic",
        "rafah-crossing",
        "--stance",
        "affirms",
        "--speaker",
        "an Egyptian official",
        "--speaker-kind",
        "anonymous",
        "--descriptor",
        "an Egyptian official",
        "--text",
        "The crossing opened this morning.",
    )
    detail = compact(cli.ok("topic", "show", "rafah-crossing"))
    for part in (
        "rafah-crossing: Is the Rafah crossing open?",
        "state open",
        "version 2",
        "rafah open is rafah closed",
        "tags aid, egypt",
        "affirms published 1 An Egyptian official, date not given: “The crossing opened this morning.”",
    ):
        assert part in detail, part
    listed = {t["slug"]: t for t in cli.json("topic", "list")["topics"]}
    assert (listed["rafah-crossing"]["published"], listed["rafah-crossing"]["version"]) == (1, 2)
    assert "rafah-crossing" in compact(cli.ok("topic", "list"))


def test_a_merged_slug_keeps_working(cli: Cli) -> None:
    readable = compact(cli.ok("topic", "merge", "october-7-attack", "gaza-death-toll"))
    assert "1 statement moved; october-7-attack resolves to gaza-death-toll" in readable
    shown_old = compact(cli.ok("topic", "show", "october-7-attack"))
    assert shown_old.startswith("october-7-attack was merged into gaza-death-toll:")
    assert cli.json("topic", "show", "october-7-attack")["slug"] == "gaza-death-toll"
    added = cli.json(
        "statement", "add", "--topic", "october-7-attack", "--stance", "context", "--speaker", "IDF", "--text", "x y"
    )
    assert added["topic"] == "gaza-death-toll"
    answer = cli.json("ask", "october 7 death toll")
    assert answer["matches"][0]["topic"]["slug"] == "gaza-death-toll"
    listed = {t["slug"]: t for t in cli.json("topic", "list", "--all")["topics"]}
    assert listed["october-7-attack"]["merged_into"] == "gaza-death-toll"
    assert "october-7-attack" not in {t["slug"] for t in cli.json("topic", "list")["topics"]}


def test_a_retired_topic_is_gone_from_answers_and_kept_in_history(cli: Cli) -> None:
    assert shown(cli, TOLL, "gaza-death-toll")
    readable = compact(cli.ok("topic", "retire", "gaza-death-toll", "--reason", "duplicate of another topic"))
    assert "Topic gaza-death-toll retired (now version 2, retired)." in readable
    assert shown(cli, TOLL, "gaza-death-toll") == []
    assert "gaza-death-toll" not in {t["slug"] for t in cli.json("topic", "list")["topics"]}
    kept = cli.json("topic", "show", "gaza-death-toll")
    assert (kept["state"], kept["retired_reason"], len(kept["statements"])) == (
        "retired",
        "duplicate of another topic",
        1,
    )


def test_a_speakers_alias_is_matched_in_questions(cli: Cli) -> None:
    before = cli.json("ask", "what did bibi say")
    assert not before["answered"] or before["matches"][0]["topic"]["slug"] != "netanyahu-truce-position"
    readable = compact(
        cli.ok("speaker", "edit", "Benjamin Netanyahu", "--alias", "Bibi", "--role", "Prime Minister of Israel")
    )
    assert "Speaker Benjamin Netanyahu edited (now version 2)." in readable and "aliases: none → Bibi" in readable
    answer = cli.json("ask", "what did bibi say")
    assert answer["matches"][0]["topic"]["slug"] == "netanyahu-truce-position"
    assert {s["speaker"] for s in answer["matches"][0]["statements"]} == {"Benjamin Netanyahu"}
    detail = compact(cli.ok("speaker", "show", "bibi"))
    for part in ("Benjamin Netanyahu", "aliases Bibi", "role Prime Minister of Israel", "statements 2"):
        assert part in detail, part
    assert cli.json("speaker", "show", "BIBI")["statements"] == 2


def test_speakers_and_outlets_merge(cli: Cli) -> None:
    added = cli.json(
        "statement",
        "add",
        "--topic",
        "netanyahu-truce-position",
        "--stance",
        "context",
        "--speaker",
        "B. Netanyahu",
        "--outlet",
        "AlQahera News TV",
        "--text",
        "We will not give in.",
    )
    merged = cli.json("speaker", "merge", "B. Netanyahu", "Benjamin Netanyahu")
    assert (merged["name"], merged["aliases"], merged["statements"]) == ("Benjamin Netanyahu", ["B. Netanyahu"], 3)
    assert "Al Qahera News" in cli.ok("outlet", "merge", "AlQahera News TV", "Al Qahera News")
    moved = cli.json("statement", "show", str(added["id"]))
    assert (moved["speaker"], moved["outlet"]) == ("Benjamin Netanyahu", "Al Qahera News")
    outlet = compact(cli.ok("outlet", "show", "al qahera news"))
    assert "statements 5" in outlet and "cairo-talks-progress" in outlet


def test_the_audit_trail_lists_each_change_newest_first_with_who_made_it(cli: Cli) -> None:
    target = cli.statement_id("cairo-talks-progress", "cairo-005")
    cli.ok("statement", "retract", str(target), "--reason", "misquoted")
    cli.ok("statement", "restore", str(target), actor="bob")
    cli.ok("topic", "edit", "gaza-death-toll", "--add-alias", "gaza dead", actor="bob")
    events = cli.json("audit")["events"]
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert all(set(e) == {"id", "at", "actor", "entity", "entity_id", "action", "before", "after"} for e in events)
    assert [(e["actor"], e["action"], e["entity_id"]) for e in events[:3]] == [
        ("cli:bob", "update", "gaza-death-toll"),
        ("cli:bob", "restore", "cairo-005"),
        ("cli:alice", "retract", "cairo-005"),
    ]
    assert events[2]["before"]["status"] == "published" and events[2]["after"]["status"] == "retracted"
    on_statement = cli.json("audit", "--statement", str(target))["events"]
    assert [e["action"] for e in on_statement] == ["restore", "retract", "create"]
    assert [e["action"] for e in cli.json("audit", "--actor", "bob")["events"]] == ["update", "restore"]
    assert [e["entity"] for e in cli.json("audit", "--topic", "gaza-death-toll", "--limit", "1")["events"]] == ["topic"]
    assert cli.json("audit", "--limit", "2", "--offset", "1")["events"] == events[1:3]
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date().isoformat()
    assert cli.json("audit", "--since", tomorrow)["events"] == []
    readable = compact(cli.ok("audit", "--limit", "3"))
    assert "cli:bob update topic gaza-death-toll (version 2) aliases: added gaza dead" in readable
    assert f"cli:alice retract statement #{target} (cairo-005) (version 2)" in readable
    assert "status: published → retracted" in readable
    assert compact(cli.ok("audit", "--since", tomorrow)) == "No audit events match."


def test_the_actor_defaults_to_the_os_user(cli: Cli) -> None:
    cli.actor = "   "  # blank: as if unset
    added = cli.json("statement", "add", *HAYYA)
    assert added["created_by"] == f"cli:{getpass.getuser()}"
    assert cli.json("statement", "add", *HAYYA, actor="cli:carol")["created_by"] == "cli:carol"


def test_reloading_the_demo_keeps_a_retraction(cli: Cli) -> None:
    target = cli.statement_id("cairo-talks-progress", "cairo-005")
    cli.ok("statement", "retract", str(target), "--reason", "misquoted")
    readable = compact(cli.ok("demo", "load"))
    assert f"Left as a moderator changed it: statement #{target} (cairo-005)." in readable
    assert cli.json("statement", "show", str(target))["status"] == "retracted"
    assert target not in [s["id"] for s in shown(cli, PROGRESS, "cairo-talks-progress")]
    assert cli.json("demo", "load")["kept"] == [f"statement #{target} (cairo-005)"]


def test_removing_the_demo_names_the_topics_a_moderator_changed(cli: Cli) -> None:
    cli.ok("statement", "add", *HAYYA)
    readable = compact(cli.ok("demo", "remove"))
    assert "Demo store removed: 7 topics taken out of answers." in readable
    assert "Kept, because a moderator changed them: cairo-talks-progress." in readable
    assert shown(cli, TOLL, "gaza-death-toll") == []
    assert shown(cli, PROGRESS, "cairo-talks-progress")
    again = cli.json("demo", "remove")
    assert (again["removed"], again["kept"]) == ([], ["cairo-talks-progress"])
    [event] = cli.json("audit", "--topic", "gaza-death-toll", "--limit", "1")["events"]
    assert (event["action"], event["actor"]) == ("remove_demo", "cli:alice")


def test_a_superseded_figure_with_a_date_reads_previously_as_of(cli: Cli) -> None:
    toll = (
        "statement",
        "add",
        "--topic",
        "gaza-death-toll",
        "--stance",
        "context",
        "--speaker",
        "Gaza Health Ministry",
    )
    first = cli.json(*toll, "--figure", "34,097 people killed in Gaza as of 2024-04-20", "--text", "34,097 killed.")
    cli.ok(
        *toll, "--figure", "about 34,500 people killed in Gaza", "--supersedes", str(first["id"]), "--text", "34,500"
    )
    panel = compact("".join(ch for ch in cli.ok("ask", TOLL) if ch not in "│╭╮╰╯─"))
    assert "▸ about 34,500 people — killed in Gaza ▹ previously 34,097 people killed in Gaza" in panel
    assert "(as of 20 April 2024, Gaza Health Ministry)" in panel
