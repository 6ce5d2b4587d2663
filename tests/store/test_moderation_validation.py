"""Bad input gets one clear message naming the field, and nothing is half-written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from store.curation import FigureDraft, StatementChanges, StatementDraft, checked_draft, parse_date, parse_figure
from store.db import models as m
from store.errors import InvalidInput, TopicNotFound
from store.service import ClaimStore
from tests.support.moderation import count, statement_id

GOOD = StatementDraft("The crossing is open.", "Border official", "affirms")
FUTURE = dt.date.today() + dt.timedelta(days=3)


def _add(**changes: Any) -> Callable[[ClaimStore], Awaitable[object]]:
    draft = dataclasses.replace(GOOD, **changes)
    return lambda store: store.add_statement("cairo-talks-progress", draft, actor="cli:alice")


async def _edit(store: ClaimStore, **changes: Any) -> object:
    target = await statement_id(store, "cairo-005")
    return await store.edit_statement(target, version=1, changes=StatementChanges(**changes), actor="cli:alice")


CASES: list[tuple[str, Callable[[ClaimStore], Awaitable[object]], str, str]] = [
    ("not a url", _add(url="not a url"), "url", "is not a web address"),
    ("ftp url", _add(url="ftp://example.org/file"), "url", "http:// or https://"),
    ("javascript url", _add(url="javascript:alert(1)"), "url", "is not a web address"),
    ("url with a space", _add(url="https://example.org/a b"), "url", "url"),
    ("url too long", _add(url="https://example.org/" + "a" * 300), "url", "the limit is 300"),
    ("date in the future", _add(said_on=FUTURE), "date", "is in the future"),
    ("empty text", _add(text="   "), "text", "can't be empty"),
    ("5,000-character text", _add(text="x" * 5000), "text", "5,000 characters long; the limit is 4,000"),
    ("control characters", _add(text="bad\x07text"), "text", "control characters"),
    ("empty speaker", _add(speaker=""), "speaker", "can't be empty"),
    ("speaker too long", _add(speaker="s" * 301), "speaker", "301 characters long; the limit is 300"),
    ("descriptor too long", _add(descriptor="d" * 301), "descriptor", "the limit is 300"),
    ("outlet too long", _add(outlet="o" * 301), "outlet", "the limit is 300"),
    ("role too long", _add(role="r" * 301), "role", "the limit is 300"),
    ("note too long", _add(note="n" * 4001), "note", "the limit is 4,000"),
    ("unknown stance", _add(stance="maybe"), "stance", "not one of affirms, disputes, context"),
    ("unknown speaker kind", _add(speaker_kind="robot"), "speaker_kind", "not one of person"),
    ("anonymous without a descriptor", _add(speaker_kind="anonymous"), "descriptor", "anonymous speaker needs one"),
    ("figure in the future", _add(figures=[FigureDraft(3, "people", "killed", FUTURE)]), "figures", "in the future"),
    ("figure without a unit", _add(figures=[FigureDraft(3, " ", "killed")]), "figures", "unit can't be empty"),
    ("figure not a number", _add(figures=[FigureDraft(float("nan"), "people", "killed")]), "figures", "not a number"),
    ("too many figures", _add(figures=[FigureDraft(1, "p", "c")] * 51), "figures", "at most 50"),
    ("supersedes not an id", _add(supersedes=0), "supersedes", "is not a statement id"),
    ("supersedes unknown", _add(supersedes=999_999), "supersedes", "there is no statement #999999"),
    ("empty actor", lambda s: s.add_statement("cairo-talks-progress", GOOD, actor=" "), "actor", "can't be empty"),
    ("edit to empty text", lambda s: _edit(s, text=""), "text", "can't be empty"),
    ("edit to a future date", lambda s: _edit(s, said_on=FUTURE), "date", "is in the future"),
    ("edit to a bad url", lambda s: _edit(s, url="www.example.org"), "url", "is not a web address"),
    (
        "retraction without a reason",
        lambda s: s.retract_statement(1, reason="", actor="cli:a"),
        "reason",
        "can't be empty",
    ),
    ("bad slug", lambda s: s.add_topic("Bad Slug", "Title?", actor="cli:a"), "slug", "lowercase words"),
    ("slug taken", lambda s: s.add_topic("gaza-death-toll", "Title?", actor="cli:a"), "slug", "already a topic"),
    ("empty title", lambda s: s.add_topic("new-topic", "", actor="cli:a"), "title", "can't be empty"),
    (
        "alias of another topic",
        lambda s: s.add_topic("new-topic", "Is it?", aliases=["ANY PROGRESS IN THE CAIRO TALKS"], actor="cli:a"),
        "aliases",
        "already belongs to topic 'cairo-talks-progress'",
    ),
    (
        "edit adds an alias of another topic",
        lambda s: s.edit_topic("gaza-death-toll", add_aliases=["any progress in the cairo talks"], actor="cli:a"),
        "aliases",
        "already belongs to topic 'cairo-talks-progress'",
    ),
    (
        "remove an alias it doesn't have",
        lambda s: s.edit_topic("gaza-death-toll", remove_aliases=["not there"], actor="cli:a"),
        "remove_aliases",
        "is not an alias of 'gaza-death-toll'",
    ),
    ("tag too long", lambda s: s.add_topic("new-topic", "Is it?", tags=["t" * 301], actor="cli:a"), "tags", "limit"),
    (
        "merge into itself",
        lambda s: s.merge_topics("gaza-death-toll", "gaza-death-toll", actor="cli:a"),
        "into",
        "can't be merged into itself",
    ),
]


async def test_bad_input_names_the_field_and_writes_nothing(demo_store: ClaimStore) -> None:
    before = [r.dump() async for r in demo_store.export_records()]
    counts = (
        await count(demo_store, m.AuditEvent),
        await count(demo_store, m.Speaker),
        await count(demo_store, m.Outlet),
    )
    for name, change, field, fragment in CASES:  # one store for all: each case must leave it as it was
        with pytest.raises(InvalidInput) as refused:
            await change(demo_store)
        message = str(refused.value)
        assert (refused.value.field, fragment in message, message.startswith(f"{field}: ")) == (field, True, True), (
            name,
            message,
        )
        assert "\n" not in message, name
    assert [r.dump() async for r in demo_store.export_records()] == before
    assert (
        await count(demo_store, m.AuditEvent),
        await count(demo_store, m.Speaker),
        await count(demo_store, m.Outlet),
    ) == counts


async def test_an_unknown_topic_is_named(demo_store: ClaimStore) -> None:
    for change in (
        demo_store.add_statement("no-such-topic", GOOD, actor="cli:a"),
        demo_store.edit_topic("no-such-topic", title="x", actor="cli:a"),
        demo_store.retire_topic("no-such-topic", reason="x", actor="cli:a"),
        demo_store.topic_detail("no-such-topic"),
        demo_store.move_statement(1, "no-such-topic", actor="cli:a"),
    ):
        with pytest.raises(TopicNotFound, match="'no-such-topic'"):
            await change


def test_a_draft_is_stripped_and_its_empty_optionals_are_none() -> None:
    checked = checked_draft(
        StatementDraft("  Words.  ", " Someone ", " Disputes ", descriptor="  ", outlet=" Reuters ", cue="")
    )
    assert (checked.text, checked.speaker, str(checked.stance), checked.descriptor, checked.outlet, checked.cue) == (
        "Words.",
        "Someone",
        "disputes",
        None,
        "Reuters",
        None,
    )
    today = dt.datetime.now(dt.UTC).date()
    assert checked_draft(dataclasses.replace(GOOD, said_on=today)).said_on == today  # today is never "future"


@pytest.mark.parametrize(
    ("typed", "figure"),
    [
        (
            "33,175 people killed in Gaza as of 2024-04-07",
            FigureDraft(33175, "people", "killed in Gaza", dt.date(2024, 4, 7)),
        ),
        ("about 1,200 people killed in the attack", FigureDraft(1200, "people", "killed in the attack", None, True)),
        ("6 weeks of ceasefire", FigureDraft(6, "weeks", "of ceasefire")),
        ("2.5 percent growth AS OF 2024-01-01", FigureDraft(2.5, "percent", "growth", dt.date(2024, 1, 1))),
    ],
)
def test_figures_are_read_as_typed(typed: str, figure: FigureDraft) -> None:
    assert parse_figure(typed) == figure


@pytest.mark.parametrize("typed", ["many people killed", "33175", "33175 people", "1,,2 people killed"])
def test_a_figure_that_cant_be_read_says_how_to_write_it(typed: str) -> None:
    with pytest.raises(InvalidInput, match="VALUE UNIT WHAT IS COUNTED") as refused:
        parse_figure(typed)
    assert refused.value.field == "figures"


def test_dates_are_typed_as_iso() -> None:
    assert parse_date(" 2024-04-07 ") == dt.date(2024, 4, 7)
    with pytest.raises(InvalidInput, match="'7 April' is not a date") as refused:
        parse_date("7 April")
    assert refused.value.field == "date"
    with pytest.raises(InvalidInput, match="figures: 'soon'"):
        parse_figure("3 people killed as of soon")
