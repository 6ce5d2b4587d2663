"""Discord, the terminal and `--json` attribute every statement the same way: who, affiliation, role, cue, outlet
and date, each in its front's formatting, and nothing that contradicts them."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.cli.json_output import statement_json
from bot.cli.terminal import statement_text
from bot.cogs.factcheck import _render as render
from store import Speaker, StatementView
from store.db.testing import open_store, sqlite_settings
from store.records import SpeakerKind, Stance, StatementKind


@pytest.fixture
async def demo_statements(tmp_path: Path) -> AsyncIterator[list[StatementView]]:
    """Every statement of the packaged demo store, read back through the service."""
    async with open_store(sqlite_settings(tmp_path)) as store:
        records = [record async for record in store.export_records()]
        statements = [s for r in records for s in (await store.topic_by_slug(r.slug)).statements]
        assert len(statements) == sum(len(r.statements) for r in records) > 0  # every one of them
        yield statements


def terminal(statement: StatementView) -> str:
    """What the terminal prints before the statement's words, on a console wide enough not to wrap."""
    console = Console(file=io.StringIO(), width=10_000, color_system=None)
    console.print(statement_text(statement))
    printed: str = console.file.getvalue()  # type: ignore[attr-defined]
    words = f"“{statement.text}”" if statement.is_quote else statement.text
    assert words in printed
    return printed[: printed.index(words)]


def discord_text(statement: StatementView) -> tuple[str, str]:
    """The embed a statement gets in Discord: (title, everything else), markdown escapes removed."""
    embed = render.full_statement(statement)
    body = "\n".join(f"{field.name}\n{field.value}" for field in embed.fields)
    return _unescape(embed.title or ""), _unescape(body)


def _unescape(text: str) -> str:
    """Discord's text as a reader sees it: bold and italics markers gone, escapes undone."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)(\*\*|_)", "", text))


def who(statement: StatementView) -> str:
    """The spec: an anonymous source is known by its descriptor, anyone else by name."""
    speaker = statement.speaker
    return speaker.descriptor if speaker.kind is SpeakerKind.ANONYMOUS and speaker.descriptor else speaker.name


def facts(statement: StatementView, *, date: str) -> list[str]:
    """What every front must say about a statement, the date written as that front writes it."""
    speaker = statement.speaker
    said = [who(statement), speaker.affiliation, statement.cue, statement.outlet]
    if speaker.kind is not SpeakerKind.ANONYMOUS:
        said.append(speaker.descriptor)  # a named speaker's descriptor is their role or title
    return [fact for fact in said if fact] + [date]


def contradictions(statement: StatementView, text: str) -> list[str]:
    """Anything said that the facts deny: an anonymous source's file name, another outlet, a date."""
    found = []
    speaker = statement.speaker
    named_by_descriptor = speaker.kind is SpeakerKind.ANONYMOUS and speaker.descriptor
    if named_by_descriptor and speaker.name.casefold() in text.casefold().replace(who(statement).casefold(), ""):
        found.append(f"names the anonymous source by its file name {speaker.name!r}")
    for via in re.findall(r"via (.+?)(?:,| · |\n|$)", text):
        if via != statement.outlet:
            found.append(f"says via {via!r}, not via {statement.outlet!r}")
    if statement.outlet and statement.outlet.casefold() == speaker.name.casefold() and "via " in text:
        found.append("gives the speaker as its own outlet")
    if ("date not given" in text) != (statement.date is None):
        found.append(f"contradicts the date {statement.date}")
    return found


def problems(statement: StatementView) -> list[str]:
    """Every way the three fronts fail to give this statement's attribution, or disagree on it."""
    iso = statement.date.isoformat() if statement.date else "date not given"
    long = f"{statement.date.day} {statement.date:%B %Y}" if statement.date else "date not given"
    title, body = discord_text(statement)
    shown = {"terminal": terminal(statement), "discord": f"{title}\n{body}"}
    as_json = statement_json(statement)
    shown["json"] = str(as_json.get("attribution", ""))
    found = []
    for front, text in shown.items():
        day = long if front == "discord" else iso
        missing = [fact for fact in facts(statement, date=day) if fact.casefold() not in text.casefold()]
        found += [f"{front} lacks {fact!r}" for fact in missing]
        found += [f"{front} {problem}" for problem in contradictions(statement, text)]
    if shown["terminal"] != f"{as_json.get('attribution')}: ":
        found.append("the terminal's attribution is not the JSON's")
    if title.casefold() not in shown["terminal"].casefold():
        found.append(f"the terminal does not name the speaker as Discord does ({title!r})")
    speaker = statement.speaker
    expected = {
        "speaker": who(statement),
        "speaker_name": speaker.name,
        "speaker_kind": speaker.kind.value,
        "descriptor": speaker.descriptor,
        "affiliation": speaker.affiliation,
        "outlet": statement.outlet,
        "cue": statement.cue,
        "date": statement.date.isoformat() if statement.date else None,
    }
    found += [
        f"json {key} is {as_json.get(key)!r}, not {value!r}"
        for key, value in expected.items()
        if key not in as_json or as_json[key] != value
    ]
    return found


async def test_every_demo_statement_is_attributed_alike_by_every_front(demo_statements: list[StatementView]) -> None:
    report = {f"{s.uid}: {p}" for s in demo_statements for p in problems(s)}
    assert not report, "\n".join(sorted(report))


NAIM = Speaker("Basem Naim", SpeakerKind.PERSON, "senior political official", "Hamas")
HAMAS_SOURCE = Speaker(
    "Hamas official source", SpeakerKind.ANONYMOUS, "an official source from the organization", "Hamas"
)
SELF_NAMED = Speaker("Hamas official", SpeakerKind.ANONYMOUS, "a Hamas official", "Hamas")
HAMAS = Speaker("Hamas", SpeakerKind.ORGANISATION)
QAHERA = Speaker("Al Qahera News", SpeakerKind.PUBLICATION)
REPORT = Speaker("Cairo truce talks report", SpeakerKind.PUBLICATION)
MAY3 = dt.date(2024, 5, 3)


def said(speaker: Speaker, cue: str | None, outlet: str | None, date: dt.date | None = None) -> StatementView:
    return StatementView(
        1, "s1", "there is still no progress", StatementKind.QUOTE, speaker, outlet, None, cue, date,
        "https://example.org/a_(b)", Stance.DISPUTES,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("statement", "attribution"),
    [
        (said(NAIM, "told", "Reuters", MAY3), "Basem Naim (senior political official, Hamas) told Reuters, 2024-05-03"),
        (said(HAMAS_SOURCE, "commented", "Reuters"), "An official source from the organization (Hamas) commented, "
         "via Reuters, date not given"),
        (said(HAMAS, "according to", REPORT.name), "According to Hamas, via Cairo truce talks report, date not given"),
        (said(SELF_NAMED, "said", None), "A Hamas official said, date not given"),
        (said(QAHERA, "reported", QAHERA.name), "Al Qahera News reported, date not given"),
        (said(REPORT, None, REPORT.name), "Cairo truce talks report, date not given"),
    ],
)  # fmt: skip
def test_the_rule_says_each_part_once_and_every_front_agrees(statement: StatementView, attribution: str) -> None:
    assert statement_json(statement)["attribution"] == attribution
    assert problems(statement) == []


def test_discord_gives_the_same_facts_in_its_own_formatting() -> None:
    statement = said(HAMAS_SOURCE, "told", "Reuters", MAY3)
    assert render.speaker_line(statement) == "An official source from the organization (Hamas)"
    assert (
        render.source_line(statement) == "_told_ · via **Reuters** · 3 May 2024 · [source](https://example.org/a_(b%29)"
    )
    assert terminal(statement) == "An official source from the organization (Hamas) told Reuters, 2024-05-03: "


def test_discord_escapes_whoever_the_store_names() -> None:
    statement = said(Speaker("@everyone **Boss**", SpeakerKind.PERSON, None, "<@&123456789012345678>"), "_told_", "x")
    line = render.speaker_line(statement)
    assert "@everyone" not in line and "<@&1" not in line and "**" not in line.replace("\\*", "")
    assert "\\_told\\_" in render.source_line(statement)
