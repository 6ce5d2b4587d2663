"""The renderer never breaks Discord's limits, whatever the store holds, and never loses a statement."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import limits
from bot.cogs.factcheck import _render as render
from bot.limits import clip
from bot.text import safe
from store.records import SpeakerKind, Stance, StatementKind
from store.views import Figure, Speaker, StatementView, TopicView

texts = st.text(min_size=1, max_size=4000)
short = st.text(min_size=1, max_size=300)


@st.composite
def statements(draw: st.DrawFn, n: int) -> StatementView:
    figures = draw(
        st.lists(st.builds(Figure, st.floats(0, 1e9), short, short, st.none() | st.dates(), st.booleans()), max_size=4)
    )
    return StatementView(
        id=n,
        uid=f"s{n}",
        text=draw(texts),
        kind=draw(st.sampled_from(StatementKind)),
        speaker=Speaker(
            draw(short), draw(st.sampled_from(SpeakerKind)), draw(st.none() | short), draw(st.none() | short)
        ),
        outlet=draw(st.none() | short),
        outlet_url=None,
        cue=draw(st.none() | short),
        date=draw(st.none() | st.dates()),
        url=draw(st.none() | st.just("https://example.org/a_(b)")),
        stance=draw(st.sampled_from(Stance)),
        figures=tuple(figures),
    )


@st.composite
def topics(draw: st.DrawFn) -> TopicView:
    count = draw(st.integers(0, 20))
    items = tuple(draw(statements(n)) for n in range(1, count + 1))
    return TopicView(1, "t", draw(short), (), (), items)


def check_page_limits(page: render.Page) -> None:
    assert len(page.embeds) <= limits.EMBEDS
    assert sum(len(e) for e in page.embeds) <= limits.EMBED_TOTAL
    for embed in page.embeds:
        assert len(embed.title or "") <= limits.TITLE
        assert len(embed.description or "") <= limits.DESCRIPTION
        assert len(embed.fields) <= limits.FIELDS
        for field in embed.fields:
            assert field.name and len(field.name) <= limits.FIELD_NAME
            assert field.value and len(field.value) <= limits.FIELD_VALUE
        assert len(embed.footer.text or "") <= limits.FOOTER


@settings(max_examples=40, deadline=None)
@given(topics(), st.text(max_size=5000), short)
def test_every_page_fits_and_every_statement_shows_once(topic: TopicView, question: str, note: str) -> None:
    pages = render.paginate(topic)
    shown = [s.id for page in pages for s in page]
    assert sorted(shown) == sorted(s.id for s in topic.statements)
    for number in range(len(pages)):
        page = render.render_page(topic, number, asked=render.asked_line(question), note=note)
        check_page_limits(page)
        assert (page.number, page.count) == (number, len(pages))


def _statement(n: int, stance: Stance, text: str = "words") -> StatementView:
    return StatementView(
        n,
        f"s{n}",
        text,
        StatementKind.PARAPHRASE,
        Speaker(f"Speaker {n}", SpeakerKind.PERSON),
        "Outlet",
        None,
        None,
        None,
        None,
        stance,
    )


def test_every_page_shows_every_side_that_has_statements_left() -> None:
    stances = [Stance.AFFIRMS] * 10 + [Stance.DISPUTES] * 3 + [Stance.CONTEXT] * 1
    topic = TopicView(1, "t", "Q?", (), (), tuple(_statement(n, st) for n, st in enumerate(stances, 1)))
    left = {stance: stances.count(stance) for stance in Stance}
    pages = render.paginate(topic)
    assert len(pages) == 3
    for page in pages:
        assert {s.stance for s in page} == {stance for stance, n in left.items() if n}
        for statement in page:
            left[statement.stance] -= 1


def test_a_long_statement_is_cut_with_an_ellipsis_and_flagged_for_more() -> None:
    long = _statement(1, Stance.CONTEXT, "word " * 900)
    topic = TopicView(1, "t", "Q?", (), (), (long,))
    page = render.render_page(topic, 0, asked=None, note=None)
    value = page.embeds[1].fields[0].value or ""
    assert len(value) <= limits.FIELD_VALUE and "…" in value
    assert page.truncated == (long,)


def test_quotes_get_quotation_marks_and_paraphrases_dont() -> None:
    quote = StatementView(
        1,
        "q",
        "no progress",
        StatementKind.QUOTE,
        Speaker("A", SpeakerKind.PERSON),
        None,
        None,
        None,
        dt.date(2024, 4, 7),
        None,
        Stance.DISPUTES,
    )
    value, cut = render.statement_value(quote)
    assert value.startswith("“no progress”") and "7 April 2024" in value and not cut
    paraphrase = _statement(2, Stance.AFFIRMS, "some progress")
    assert render.statement_value(paraphrase)[0].startswith("some progress")
    assert "date not given" in render.statement_value(paraphrase)[0]


def test_user_text_cannot_ping_or_format() -> None:
    echoed = safe("@everyone <@&123456789012345678> <@42> **bold** [x](https://evil)")
    assert "@everyone" not in echoed and "<@&1" not in echoed and "<@42>" not in echoed
    assert "**" not in echoed.replace("\\*", "") and "\\[x\\]" in echoed


@given(st.text(), st.integers(2, 3000))
def test_clip_fits_and_marks_the_cut(text: str, limit: int) -> None:
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    assert clipped == text or clipped.endswith("…")


def test_the_footer_says_how_a_topic_matched() -> None:
    assert (
        render.MatchNote(0.81, ("title",), ("cairo", "talks")).text()
        == "Match score 0.81 · matched cairo, talks in title"
    )
    by_both = render.MatchNote(0.7, ("text",), ("truce",), meaning=0.6234).text()
    assert by_both == "Match score 0.70 · matched truce in text · similar in meaning (0.62)"
    assert render.MatchNote(0.55, meaning=0.48).text() == "Match score 0.55 · found by meaning (0.48)"
